//! The `tiendo` binary as a library: command line, configuration, server wiring, demo data and the
//! background job runner. `main.rs` only calls [`cli::main`].

pub mod audit_chain;
pub mod backup;
pub mod check;
pub mod cli;
pub mod config;
pub mod demo;
pub mod files;
pub mod jobs;
pub mod mail;
pub mod progress;
pub mod search;
pub mod serve;
pub mod telemetry;
pub mod users;
