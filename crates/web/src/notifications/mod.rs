//! The signed-in user's own notifications, as a page and as the JSON API; marking them read is a use case
//! of `tiendo_app::notifications`.

pub mod api;
pub mod pages;

use crate::auth::policy::{Policy, Routes};

/// The notification pages (the signed-in user's own).
pub fn routes() -> Routes {
    Routes::new()
        .get("/notifications", pages::list, Policy::SignedIn)
        .post("/notifications/read-all", pages::mark_all_read, Policy::SignedIn)
        .post("/notifications/{id}/open", pages::open, Policy::SignedIn)
}
