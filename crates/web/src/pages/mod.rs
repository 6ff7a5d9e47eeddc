//! HTML pages.

pub mod home;
