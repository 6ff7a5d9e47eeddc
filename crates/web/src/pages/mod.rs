//! HTML pages.

pub mod account;
pub mod admin;
pub mod form_fields;
pub mod geo_views;
pub mod login;
pub mod map_changes;
pub mod organizations;
pub mod people;
pub mod units;
