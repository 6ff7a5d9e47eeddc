//! Domain core of Tiến Độ: types, rules and Vietnamese text handling.
//!
//! This crate performs no I/O. Everything here is deterministic and tested directly.

pub mod authz;
pub mod certificates;
pub mod directory;
pub mod files;
pub mod fmt;
pub mod geo;
pub mod indicators;
pub mod lang;
pub mod monitoring;
pub mod portal;
pub mod reporting;
pub mod sci_tech;
pub mod source;
pub mod text;
pub mod time;
pub mod visits;
