//! Identity: signing in and out, one-time password links, accounts, roles and personal API tokens.

pub mod sessions;
pub mod throttle;
