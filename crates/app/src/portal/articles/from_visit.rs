//! A draft news article about a working visit (issue 8 item 6): an editor who may read the visit starts
//! the portal's article from it. The draft takes the visit's title, a summary (its purpose and general
//! assessment), a body naming the stops, and the visit's photos with their captions and alternative texts,
//! each re-encoded by the portal's photo processing (never the file as uploaded); it is linked to the
//! visit and to the organisations it visited, and then follows the portal's workflow like any article.

use std::collections::HashSet;

use tiendo_core::lang::Lang;
use tiendo_core::portal::markdown::render_article;
use tiendo_core::portal::{ArticleDraft, MAX_CAPTION, MAX_SLUG, MAX_SUMMARY, MAX_TITLE};
use tiendo_core::visits::dates_text;
use tiendo_db::portal::articles::{self, ArticleInput};
use tiendo_db::visits;

use crate::audit::{self, Entry};
use crate::portal::media;
use crate::{App, Error, Result, Session, Tr};

/// What was made: the article and how many of the visit's photos it carries or had to leave out (a photo
/// the portal's processing refuses, too large or damaged).
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
async fn free_slug(app: &App, title: &str) -> Result<String> {
    let base = tiendo_core::text::slugify(title, MAX_SLUG - 4);
    let mut slug = base.clone();
    let mut n = 2;
    while articles::slug_taken(app.db(), &slug, None).await? {
        slug = format!("{base}-{n}");
        n += 1;
    }
    Ok(slug)
}

/// Creates the draft article about a visit, its lead sentence in `lang` (the editor's language).
/// `NotFound` when the actor may not read the visit, `Forbidden` when they may not write articles.
pub async fn draft_from_visit(app: &App, session: &Session, visit_id: i64, lang: Lang) -> Result<DraftArticle> {
    // The visit if the actor may read it, as its page decides; `NotFound` otherwise.
    let visit = crate::visits::open(app, session, visit_id).await?.visit;
    if !super::super::may_create(session) {
        return Err(Error::FORBIDDEN);
    }
    let db = app.db();
    let (title, summary, photos) = visits::article_draft(db, visit_id).await?.ok_or(Error::NotFound)?.into_parts();
    let stops = visits::stops(db, visit_id).await?;

    // The body: what the delegation came for, then each stop with what was found there.
    let mut body = Tr::new(lang).t_with(
        "visit-article-lead",
        &[("organizer", &visit.organizer_name), ("dates", &dates_text(visit.starts_on, visit.ends_on))],
    );
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
        slug: free_slug(app, &title).await?,
        summary: clip(&summary, MAX_SUMMARY),
        body,
        tags: String::new(),
    };
    let fields = draft.validate().map_err(|issues| {
        Error::internal(std::io::Error::other(format!(
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
        let bytes = app.files().get(&attachment.sha256).await.map_err(Error::internal)?;
        match media::process(bytes, "photo").await? {
            Ok(p) => processed.push((p, caption, alt)),
            Err(problem) => {
                tracing::warn!(visit_id, attachment_id, code = %problem.code, "a visit's photo left out of its article");
                skipped += 1;
            }
        }
    }

    let tx = app.begin().await?;
    let article_id = articles::create(&tx, &input, &super::author(session), app.now()).await?;
    for (order, (p, caption, alt)) in processed.iter().enumerate() {
        let caption = clip(caption, MAX_CAPTION);
        let alt = clip(alt, MAX_CAPTION);
        let media_id = media::store_article_photo(app, &tx, session, p, article_id, &caption, &alt).await?;
        tiendo_db::portal::media::update(&tx, media_id, &caption, &alt, order as i64).await?;
    }
    audit::record(
        app,
        &tx,
        session,
        Entry::new("article_create", "article", article_id, "audit-article-created-from-visit")
            .arg("title", &input.title)
            .arg("visit", &visit.title)
            .change("title", (), &input.title)
            .change("slug", (), super::address(&input.slug))
            .change("visit", (), visit_id),
    )
    .await?;
    audit::record(
        app,
        &tx,
        session,
        Entry::new("draft_article", "visit", visit_id, "audit-visit-article-drafted")
            .arg("visit", &visit.title)
            .arg("title", &input.title)
            .change("article", (), article_id),
    )
    .await?;
    tx.commit().await?;
    Ok(DraftArticle { article_id, slug: input.slug, photos: processed.len(), skipped_photos: skipped })
}
