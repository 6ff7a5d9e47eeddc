//! The periodic reporting API (tag `reporting`): report forms (`forms`, under their first path
//! `/report-templates`), reports and their decisions (`reports`), and the aggregates (`aggregates`). The
//! routes are registered with every other operation in `crate::api`.

pub mod aggregates;
pub mod forms;
pub mod reports;
