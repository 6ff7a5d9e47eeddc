//! The directory's pages.

pub mod organizations;
pub mod people;
