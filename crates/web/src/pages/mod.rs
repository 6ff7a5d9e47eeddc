//! HTML pages.

pub mod account;
pub mod admin;
pub mod home;
pub mod login;
