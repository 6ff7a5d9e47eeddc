//! Tests of the real `tiendo` binary and of the job runner.

mod cli;
mod crawl;
mod demo;
mod demo_visit;
mod escalation;
mod jobs;
mod mail;
mod process;
mod reminders;
mod report_reminders;
mod serve;
