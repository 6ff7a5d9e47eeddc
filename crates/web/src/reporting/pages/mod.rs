//! The periodic reporting pages: report forms for administrators (`forms`), "my reports" and the
//! data-entry form (`entry`), a report's page, the decisions, the queue and the history (`review`),
//! completeness and aggregates (`stats`), Excel forms and tables (`excel`), and how a form's fields are
//! shown (`fields`).

pub mod entry;
pub mod excel;
pub mod fields;
pub mod forms;
pub mod review;
pub mod stats;
