//! Identity: accounts and their status, roles, signing in and out, passwords and one-time password
//! links, personal API tokens, and reading the audit trail.

pub mod accounts;
pub mod audit_trail;
pub mod passwords;
pub mod roles;
pub mod sessions;
pub mod throttle;
pub mod tokens;

pub use roles::role_label;
