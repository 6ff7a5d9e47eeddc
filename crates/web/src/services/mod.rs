//! Operations shared by the pages and the API: validation, authorization, the write and its audit event,
//! in one place, so that both surfaces behave the same.

pub mod report_aggregates;
pub mod report_templates;
pub mod reports;
