//! HTTP tests of the web layer: the real router, in process, over a fresh database per test.

mod account_workflow;
mod admin;
mod api;
mod api_client;
mod auth;
mod directory;
mod geography;
mod harness;
mod monitoring;
mod monitoring_api;
mod monitoring_generated;
mod monitoring_permissions;
mod notifications;
mod operations;
mod outage;
mod pages;
mod portal;
mod portal_workflows;
mod reporting;
mod reporting_api;
mod reporting_excel;
mod reporting_workflow;
mod templates;
mod visit_actions;
mod visits;
