//! Search through the page and the API: bad input never fails, the index follows the audit trail within
//! two seconds, a missing or damaged index answers 503 `search_rebuilding` while the rest works.

use tiendo_app::search::Engine;
use tiendo_web::{AppState, Settings};

use crate::harness::TestApp;

/// The application with a search index in memory that follows the audit trail from its start, and the
/// application itself (to rebuild or catch up).
pub async fn search_app() -> (TestApp, tiendo_app::App) {
    search_app_with(Engine::in_memory()).await
}

/// The same with a given engine.
pub async fn search_app_with(engine: Engine) -> (TestApp, tiendo_app::App) {
    let db = tiendo_db::testing::TestDb::new().await;
    let files = tiendo_db::files::FileStore::new(std::env::temp_dir().join(format!("tiendo-files-{}", std::process::id())));
    let application = tiendo_app::App::new(db.db().clone(), files, Settings::default()).with_search(engine);
    let router = tiendo_web::router(AppState::from_app(application.clone()));
    (TestApp { db, router }, application)
}

/// Rebuilds the index from the database (fixtures write no audit event).
pub async fn rebuild(application: &tiendo_app::App) {
    tiendo_app::search::rebuild(application, &|_, _| {}).await.expect("rebuild the search index");
}
