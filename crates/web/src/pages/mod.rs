//! HTML pages.

pub mod home;
pub mod login;
