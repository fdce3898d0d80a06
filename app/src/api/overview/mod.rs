//! What each portal opens on: a supervisor's subtree, a union's progress, a bank's workload.
//! Every figure comes from the kept counts (`server::cards`), never a count over members.

pub mod bank;
pub mod supervisor;
pub mod union;
