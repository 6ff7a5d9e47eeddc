//! HTTP tests of the web layer: the real router, in process, over a fresh database per test.

mod api;
mod api_client;
mod directory;
mod geography;
mod harness;
mod operations;
mod pages;
