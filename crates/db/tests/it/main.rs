//! Database tests: each runs on a fresh database of the backend named by `TEST_DATABASE_URL`.

mod audit_chain;
mod directory;
mod document_templates;
mod fixtures;
mod geo;
mod jobs;
mod migrations;
mod monitoring;
mod monitoring_data;
mod orgtree;
mod queries;
mod reporting;
mod visits;
