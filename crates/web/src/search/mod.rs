//! Search (issue 15): the search page with facets, snippets, "did you mean" and pages (`pages`), and
//! `GET /api/v1/search` (`api`). Both call `tiendo_app::search::search`, which searches as the session may
//! read: the public finds public records only.

pub mod api;
pub mod pages;

use tiendo_app::i18n::Tr;

use crate::auth::policy::{Policy, Routes};

/// The search page's route: public, as the portal's search for visitors and the whole search for
/// signed-in users.
pub fn routes() -> Routes {
    Routes::new().get("/search", pages::search, Policy::Public)
}

/// The name of a type of record, in the reader's language.
pub fn kind_label(tr: &Tr, kind: &str) -> String {
    tr.t(&format!("search-kind-{kind}"))
}

/// The name of a status, in the reader's language.
pub fn status_label(tr: &Tr, status: &str) -> String {
    let key = format!("search-status-{status}");
    if tr.has(&key) { tr.t(&key) } else { status.to_owned() }
}
