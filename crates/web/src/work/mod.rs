//! `/work`: what waits for the signed-in user, by their roles (`tiendo_app::work`), the page most roles
//! land on after signing in (`crate::nav::landing`).

pub mod pages;

use crate::auth::policy::{Policy, Routes};

/// The work page.
pub fn routes() -> Routes {
    Routes::new().get("/work", pages::show, Policy::SignedIn)
}
