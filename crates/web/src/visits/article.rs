//! A draft news article about a visit, for the public portal (issue 8 item 6): an editor who may read the
//! visit starts the portal's article from it. The draft takes the visit's title, a summary (its purpose and
//! general assessment), a body naming the stops, and the visit's photos with their captions and
//! alternative texts, each re-encoded by the portal's photo processing (never the file as uploaded); it is
//! linked to the visit and to the organisations it visited as related records, and then follows the
//! portal's workflow (draft → review → published) like any article.

use std::collections::HashSet;

use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::portal::markdown::render_article;
use tiendo_core::portal::{ArticleDraft, MAX_SLUG, MAX_SUMMARY, MAX_TITLE};
use tiendo_db::audit::{self, Change, NewEvent};
use tiendo_db::portal::articles::{self, ArticleInput};
use tiendo_db::portal::media as media_db;
use tiendo_db::visits;

use crate::error::AppError;
use crate::layout::Ctx;
use crate::portal::editor::author;

/// What was made: the article and how many of the visit's photos it carries or had to leave out (a
/// photo the portal's processing refuses, too large or damaged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftArticle {
    /// The article's id (`/admin/articles/{id}`).
    pub article_id: i64,
    /// Its slug.
    pub slug: String,
    /// Photos carried over.
    pub photos: usize,
    /// Photos left out.
    pub skipped_photos: usize,
}

/// Whether the actor may start an article (the portal's editors).
pub fn may_draft(ctx: &Ctx) -> bool {
    authorize(&ctx.auth.actor, Action::Create, &Resource::Article { published: false }).is_allowed()
}

/// At most `max` characters, cut on a character with an ellipsis.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut = cut.trim_end().to_owned();
    cut.push('…');
    cut
}

/// A slug not taken yet: the title's, then with `-2`, `-3`… appended.
async fn free_slug(ctx: &Ctx, title: &str) -> Result<String, AppError> {
    let base = tiendo_core::text::slugify(title, MAX_SLUG - 4);
    let mut slug = base.clone();
    let mut n = 2;
    while articles::slug_taken(ctx.state.db(), &slug, None).await? {
        slug = format!("{base}-{n}");
        n += 1;
    }
    Ok(slug)
}

/// Creates the draft article about a visit. 404 when the caller may not read the visit, 403 when they may
/// not write articles.
pub async fn draft_article(ctx: &Ctx, visit_id: i64) -> Result<DraftArticle, AppError> {
    let visit = super::visible(ctx, visit_id).await?;
    if !may_draft(ctx) {
        return Err(AppError::Forbidden);
    }
    let (title, summary, photos) = super::article_draft(ctx, visit_id).await?;
    let db = ctx.state.db();
    let stops = visits::stops(db, visit_id).await?;

    // The body: what the delegation came for, then each stop with what was found there.
    let mut body = String::new();
    body.push_str(&ctx.tr.t_with(
        "visit-article-lead",
        &[
            ("organizer", &visit.organizer_name),
            ("dates", &super::calendar::dates_text(visit.starts_on, visit.ends_on)),
        ],
    ));
    body.push_str("\n\n");
    body.push_str(&visit.purpose);
    let mut hosts: Vec<i64> = Vec::new();
    let mut seen = HashSet::new();
    for s in &stops {
        if seen.insert(s.host_org_id) {
            hosts.push(s.host_org_id);
        }
        body.push_str(&format!("\n\n## {} ({})", s.host_name, tiendo_core::fmt::date(s.on_date)));
        if let Some(text) = s.assessment.as_deref().filter(|t| !t.trim().is_empty()) {
            body.push_str("\n\n");
            body.push_str(text);
        }
    }
    let draft = ArticleDraft {
        title: clip(&title, MAX_TITLE),
        slug: free_slug(ctx, &title).await?,
        summary: clip(&summary, MAX_SUMMARY),
        body,
        tags: String::new(),
    };
    let fields = draft.validate().map_err(|issues| {
        AppError::internal(std::io::Error::other(format!(
            "the draft of visit {visit_id} fails the article checks: {issues:?}"
        )))
    })?;
    let mut links = vec![("visit".to_owned(), visit_id)];
    links.extend(hosts.into_iter().map(|h| ("organization".to_owned(), h)));
    let input = ArticleInput {
        body_html: render_article(&fields.body),
        slug: fields.slug,
        title: fields.title,
        summary: fields.summary,
        body: fields.body,
        tags: fields.tags,
        category_id: None,
        featured: false,
        comments_closed: false,
        premoderation: "site".to_owned(),
        links,
        is_sample: false,
    };

    // The photos are decoded and re-encoded before the transaction: it stays short.
    let mut processed = Vec::new();
    let mut skipped = 0;
    for (attachment_id, caption, alt) in photos {
        let Some(attachment) = tiendo_db::files::get(db, attachment_id).await? else {
            skipped += 1;
            continue;
        };
        let bytes = ctx.state.files().get(&attachment.sha256).await.map_err(AppError::internal)?;
        match crate::portal::media::process(bytes, "photo").await? {
            Ok(p) => processed.push((p, caption, alt)),
            Err(problem) => {
                tracing::warn!(visit_id, attachment_id, code = %problem.code, "a visit's photo left out of its article");
                skipped += 1;
            }
        }
    }

    let tx = db.begin().await?;
    let article_id = articles::create(&tx, &input, &author(ctx)).await?;
    let uploaded_by = ctx.auth.user.as_ref().map(|u| u.id);
    for (order, (p, caption, alt)) in processed.iter().enumerate() {
        let caption = clip(caption, tiendo_core::portal::MAX_CAPTION);
        let alt = clip(alt, tiendo_core::portal::MAX_CAPTION);
        let media_id =
            crate::portal::media::store_article_photo(&ctx.state, &tx, p, article_id, &caption, &alt, uploaded_by)
                .await?;
        media_db::update(&tx, media_id, &caption, &alt, order as i64).await?;
    }
    audit::append(
        &tx,
        &ctx.auth.who(),
        &NewEvent::new("article_create", "article", article_id, format!("Tạo bài «{}» từ đoàn công tác", input.title))
            .with_changes(vec![
                Change::new("title", (), &input.title),
                Change::new("slug", (), &input.slug),
                Change::new("visit", (), visit_id),
            ]),
    )
    .await?;
    audit::append(
        &tx,
        &ctx.auth.who(),
        &NewEvent::new("draft_article", "visit", visit_id, format!("Soạn tin bài về đoàn công tác {}", visit.title))
            .with_changes(vec![Change::new("article", (), article_id)]),
    )
    .await?;
    tx.commit().await?;
    Ok(DraftArticle { article_id, slug: input.slug, photos: processed.len(), skipped_photos: skipped })
}

/// `POST /visits/{id}/article`: drafts the article and opens it in the portal's editor.
pub async fn create(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let made = draft_article(&ctx, id).await?;
    let done = if made.skipped_photos > 0 { "created_partly" } else { "created" };
    Ok(Redirect::to(&format!("/admin/articles/{}?done={done}", made.article_id)).into_response())
}
