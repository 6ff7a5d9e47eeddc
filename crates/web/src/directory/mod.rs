//! The directory: organisations (with the administrative unit their address names, and their
//! successions), people, and their roles in organisations, as pages and as the JSON API. Every change is
//! a use case of `tiendo_app::directory`.

pub mod api;
pub mod pages;

use crate::auth::policy::{Policy, Routes};

/// The directory's pages: any signed-in user reads; the use cases check who may change what.
pub fn routes() -> Routes {
    use pages::{organizations, people};
    const S: Policy = Policy::SignedIn;
    Routes::new()
        .get("/organizations", organizations::list, S)
        .get("/organizations/new", organizations::new_form, S)
        .post("/organizations/new", organizations::create, S)
        .get("/organizations/{id}", organizations::show, S)
        .get("/organizations/{id}/edit", organizations::edit_form, S)
        .post("/organizations/{id}/edit", organizations::update, S)
        .get("/organizations/{id}/succession", organizations::succession_form, S)
        .post("/organizations/{id}/succession", organizations::succession_submit, S)
        .get("/people", people::list, S)
        .get("/people/new", people::new_form, S)
        .post("/people/new", people::create, S)
        .get("/people/{id}", people::show, S)
        .get("/people/{id}/edit", people::edit_form, S)
        .post("/people/{id}/edit", people::update, S)
        .post("/people/{id}/affiliations", people::add_role, S)
        .post("/people/{id}/affiliations/{affiliation}/end", people::end_role, S)
}
