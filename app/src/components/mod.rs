//! Pieces every portal shares: the frame with its navigation, messages and state counts.

mod layout;
mod widgets;

pub use layout::{Portal, PublicFrame};
pub use widgets::{ErrorNotice, FieldMessage, Pager, StateCounts, TableRegion};
