//! Geography: the administrative units of any date with their lineage, the address resolver, and
//! recording a later change of the map (`tiendo_app::geo`), as pages and as the JSON API.

pub mod api;
pub mod pages;

use crate::auth::policy::{Policy, Routes};

/// The geography pages: the map is public data; recording a change needs a province-wide administrator
/// (checked by the use case).
pub fn routes() -> Routes {
    use pages::{map_changes, units};
    Routes::new()
        .get("/units", units::list, Policy::Public)
        .get("/units/changes/new", map_changes::new_form, Policy::SignedIn)
        .post("/units/changes/new", map_changes::create, Policy::SignedIn)
        .get("/units/{code}", units::show, Policy::Public)
        .get("/address", units::address, Policy::Public)
}
