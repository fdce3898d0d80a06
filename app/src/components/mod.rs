//! Pieces every portal shares: the frame with its navigation, messages and state counts.

mod chart;
mod layout;
mod widgets;

pub use chart::{Bar, BarChart, Column, ColumnChart};
pub use layout::{Portal, PublicFrame};
pub use widgets::{ErrorNotice, FieldMessage, FormFields, Pager, PagerLinks, ServerForm, StateCounts, TableRegion};
