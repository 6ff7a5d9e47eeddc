//! The HTML pages of S&T tasks: thin handlers that read the form, call one use case of
//! `tiendo_app::sci_tech`, and render.

pub mod acceptance;
pub mod calls;
pub mod contract_form;
pub mod contracts;
pub mod council_settings;
pub mod councils;
pub mod proposal;
pub mod proposal_form;
pub mod register;
pub mod task_reports;
pub mod views;
pub mod work;
