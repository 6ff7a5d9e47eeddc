//! Tests of the real `tiendo` binary and of the job runner.

mod backup;
mod cli;
mod crawl;
mod demo;
mod demo_certificates;
mod demo_sci_tech;
mod demo_time;
mod demo_visit;
mod documents;
mod escalation;
mod faults;
mod files;
mod instances;
mod jobs;
mod landing;
mod mail;
mod portal;
mod process;
mod reminders;
mod report_reminders;
mod search;
mod serve;
mod visible_text;

/// The context of jobs over a test database (files in a temporary folder, default settings).
pub fn job_context(db: &tiendo_db::Db, mailer: Option<tiendo::mail::Mailer>) -> tiendo::jobs::JobContext {
    let files = tiendo_db::files::FileStore::scratch();
    let app = tiendo_app::App::new(db.clone(), files, tiendo_app::Settings::default());
    tiendo::jobs::JobContext::new(app, mailer)
}
