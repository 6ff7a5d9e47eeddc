//! Tests of the real `tiendo` binary and of the job runner.

mod backup;
mod cli;
mod crawl;
mod demo;
mod demo_certificates;
mod demo_contracts;
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

/// The demo's files, content-addressed: shared by every copy of the demo's database (see [`demo_db`]).
pub fn demo_files() -> tiendo_db::files::FileStore {
    tiendo_db::files::FileStore::new(std::env::temp_dir().join("tiendo-demo-test-files"))
}

static DEMO: tiendo_db::testing::SeededDb = tiendo_db::testing::SeededDb::new();

/// A database with the demo's story loaded, today: the demo is loaded once per test process and each test
/// gets its own copy (its files in [`demo_files`]).
pub async fn demo_db() -> tiendo_db::testing::TestDb {
    DEMO.copy(|db| {
        Box::pin(async move {
            tiendo::demo::seed(&db, &demo_files()).await.expect("the demo loads");
        })
    })
    .await
}

/// The context of jobs over a test database (files in a temporary folder, default settings).
pub fn job_context(db: &tiendo_db::Db, mailer: Option<tiendo::mail::Mailer>) -> tiendo::jobs::JobContext {
    let files = tiendo_db::files::FileStore::scratch();
    let app = tiendo_app::App::new(db.clone(), files, tiendo_app::Settings::default());
    tiendo::jobs::JobContext::new(app, mailer)
}
