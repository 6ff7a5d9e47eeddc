//! The public portal (issue 9): news with photos and moderated comments, public registers, feeds; the
//! editors' and moderators' pages behind it (`pages`), the JSON API (`api`) and the page cache (`cache`).
//! The writes are `tiendo_app::portal` use cases.

pub mod api;
pub mod cache;
pub mod pages;

use tiendo_core::authz::Role;

use crate::auth::policy::{Policy, Routes};
use pages::{comments, editor, feeds, media, moderation, public, registers};

/// The largest body of the portal's forms (a photo upload).
pub const MAX_BODY: usize = 20 * 1024 * 1024;

const EDITORS: &[Role] = &[Role::Editor, Role::DepartmentLeader];
const MODERATORS: &[Role] = &[Role::Moderator, Role::Administrator];

/// The portal's routes with their policies. The editors' and moderators' use cases check the record
/// itself again.
pub fn routes() -> Routes {
    const P: Policy = Policy::Public;
    Routes::new()
        .get("/", public::home, P)
        .get("/news", public::news, P)
        .get("/news/category/{slug}", public::category, P)
        .get("/news/tag/{slug}", public::tag, P)
        .get("/news/{slug}", public::article, P)
        .get("/news/{slug}/print", public::print, P)
        .post("/news/{slug}/comments", comments::post, P)
        .post("/comments/{id}/report", comments::report, P)
        .get("/media/{id}/{file}", media::serve, P)
        .get("/registers", registers::index, P)
        .get("/registers/localities", registers::localities, P)
        .get("/rss.xml", feeds::rss, P)
        .get("/atom.xml", feeds::atom, P)
        .get("/sitemap.xml", feeds::sitemap, P)
        .get("/robots.txt", feeds::robots, P)
        .get("/admin/articles", editor::list, Policy::AnyRole(EDITORS))
        .get("/admin/articles/new", editor::new_form, Policy::AnyRole(EDITORS))
        .post("/admin/articles", editor::create, Policy::AnyRole(EDITORS))
        .post("/admin/articles/preview", editor::preview, Policy::AnyRole(EDITORS))
        .post("/admin/categories", editor::create_category, Policy::AnyRole(EDITORS))
        .get("/admin/articles/{id}", editor::edit_form, Policy::AnyRole(EDITORS))
        .post("/admin/articles/{id}", editor::update, Policy::AnyRole(EDITORS))
        .post("/admin/articles/{id}/workflow", editor::workflow, Policy::AnyRole(EDITORS))
        .post("/admin/articles/{id}/media", editor::upload_media, Policy::AnyRole(EDITORS))
        .post("/admin/articles/{id}/media/{media_id}", editor::edit_media, Policy::AnyRole(EDITORS))
        .get("/admin/articles/{id}/revisions/{number}", editor::revision, Policy::AnyRole(EDITORS))
        .get("/admin/comments", moderation::queue, Policy::AnyRole(MODERATORS))
        .post("/admin/comments", moderation::decide, Policy::AnyRole(MODERATORS))
        .get("/admin/portal", moderation::settings_form, Policy::AnyRole(MODERATORS))
        .post("/admin/portal/moderation", moderation::save_moderation, Policy::AnyRole(MODERATORS))
        .post("/admin/portal/footer", moderation::save_footer, Policy::AnyRole(&[Role::Administrator]))
}

/// Reads a multipart form with one image field (`file_field`): its text fields, and the image as the use
/// cases take it (none sent, too large to read, or its bytes).
pub async fn read_photo_form(
    form: crate::extract::Multipart,
    file_field: &str,
) -> Result<(Vec<(String, String)>, tiendo_app::portal::media::Upload), crate::error::AppError> {
    use tiendo_app::portal::media::Upload;
    let (fields, uploads, problems) = crate::monitoring::uploads::read_form(form, &[file_field]).await?;
    let upload = if problems.is_empty() {
        uploads.into_iter().next().map_or(Upload::Missing, |u| Upload::File(u.bytes))
    } else {
        Upload::TooLarge
    };
    Ok((fields, upload))
}
