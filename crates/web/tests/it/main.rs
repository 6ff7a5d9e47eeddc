//! HTTP tests of the web layer: the real router, in process, over a fresh database per test.

mod admin;
mod api;
mod auth;
mod harness;
mod monitoring;
mod operations;
mod pages;
