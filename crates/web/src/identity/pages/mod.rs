//! The identity pages.

pub mod account;
pub mod audit;
pub mod login;
pub mod users;
