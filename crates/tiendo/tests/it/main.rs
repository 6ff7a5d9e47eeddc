//! Tests of the real `tiendo` binary and of the job runner.

mod cli;
mod crawl;
mod demo;
mod escalation;
mod jobs;
mod mail;
mod process;
mod reminders;
mod report_reminders;
mod serve;
