//! Articles: writing and saving them (every change of the text kept as a revision), their categories, the
//! editorial workflow ([`workflow`]) and the draft made from a working visit ([`from_visit`]).

mod from_visit;
mod workflow;

use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::portal::markdown::render_article;
use tiendo_core::portal::{ArticleDraft, is_valid_slug};
use tiendo_db::audit::Diff;
use tiendo_db::portal::articles::{self, Article, ArticleInput, Author};

use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session, check};

pub use from_visit::{DraftArticle, draft_from_visit};
pub use workflow::{publish_scheduled, transition};

/// An article as an editor sends it, from the form or the API: the same checks for both.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticleForm {
    /// Title, slug (empty: from the title), summary, Markdown body and tags (comma-separated).
    pub draft: ArticleDraft,
    /// The category; an id that names no category is refused.
    pub category_id: Option<i64>,
    /// Featured on the home page.
    pub featured: bool,
    /// Comments closed by hand.
    pub comments_closed: bool,
    /// `site` (or empty), `on` or `off`.
    pub premoderation: String,
    /// Related organisations.
    pub organizations: Vec<i64>,
    /// Related documents of the register.
    pub documents: Vec<i64>,
    /// Related working visits (an article drafted from a visit keeps its visit through every save).
    pub visits: Vec<i64>,
}

impl ArticleForm {
    /// The form of a stored article, to edit it.
    pub async fn of(app: &App, article: &Article) -> Result<ArticleForm> {
        let tags = articles::tags_of(app.db(), article.id).await?;
        let links = articles::links_of(app.db(), article.id).await?;
        let linked = |kind: &str| links.iter().filter(|l| l.entity_type == kind).map(|l| l.entity_id).collect();
        Ok(ArticleForm {
            draft: ArticleDraft {
                title: article.title.clone(),
                slug: article.slug.clone(),
                summary: article.summary.clone(),
                body: article.body.clone(),
                tags: tags.into_iter().map(|t| t.name).collect::<Vec<_>>().join(", "),
            },
            category_id: article.category_id,
            featured: article.featured,
            comments_closed: article.comments_closed,
            premoderation: article.premoderation.clone(),
            organizations: linked("organization"),
            documents: linked("document"),
            visits: linked("visit"),
        })
    }
}

/// Checks a form (every problem at once, fields named as the API names them): what storage saves.
async fn checked(app: &App, form: &ArticleForm, except: Option<i64>) -> Result<ArticleInput> {
    let mut errors: Vec<FieldError> = Vec::new();
    let fields = match form.draft.validate() {
        Ok(fields) => Some(fields),
        Err(issues) => {
            errors.extend(issues.into_iter().map(FieldError::from));
            None
        }
    };
    if let Some(f) = &fields
        && articles::slug_taken(app.db(), &f.slug, except).await?
    {
        errors.push(FieldError::new("slug", "slug_taken"));
    }
    if let Some(id) = form.category_id
        && !articles::categories(app.db()).await?.iter().any(|c| c.id == id)
    {
        errors.push(FieldError::new("category_id", "invalid"));
    }
    let premoderation = match form.premoderation.as_str() {
        "" | "site" => "site",
        "on" => "on",
        "off" => "off",
        _ => {
            errors.push(FieldError::new("premoderation", "invalid"));
            "site"
        }
    };
    for visit in &form.visits {
        if tiendo_db::visits::get(app.db(), *visit).await?.is_none() {
            errors.push(FieldError::new("visits", "invalid"));
            break;
        }
    }
    check(errors)?;
    let Some(f) = fields else { return Err(Error::Invalid(Vec::new())) };
    let mut links: Vec<(String, i64)> = form.organizations.iter().map(|id| ("organization".to_owned(), *id)).collect();
    links.extend(form.documents.iter().map(|id| ("document".to_owned(), *id)));
    links.extend(form.visits.iter().map(|id| ("visit".to_owned(), *id)));
    Ok(ArticleInput {
        body_html: render_article(&f.body),
        slug: f.slug,
        title: f.title,
        summary: f.summary,
        body: f.body,
        tags: f.tags,
        category_id: form.category_id,
        featured: form.featured,
        comments_closed: form.comments_closed,
        premoderation: premoderation.to_owned(),
        links,
        is_sample: false,
    })
}

/// The byline of what the session writes.
fn author(session: &Session) -> Author {
    Author {
        user_id: session.user_id(),
        name: session.user.as_ref().map(|u| u.display_name.clone()).unwrap_or_default(),
    }
}

/// Writes a new draft (editors). `Forbidden` for anyone else; `Invalid` with every field at fault.
pub async fn create(app: &App, session: &Session, form: &ArticleForm) -> Result<Article> {
    if !super::may_create(session) {
        return Err(Error::FORBIDDEN);
    }
    let input = checked(app, form, None).await?;
    let tx = app.begin().await?;
    let id = articles::create(&tx, &input, &author(session), app.now()).await?;
    audit::record(
        app,
        &tx,
        session,
        Entry::new("article_create", "article", id, "audit-article-created")
            .arg("title", &input.title)
            .change("title", (), &input.title)
            .change("slug", (), address(&input.slug)),
    )
    .await?;
    tx.commit().await?;
    articles::get(app.db(), id).await?.ok_or(Error::NotFound)
}

/// An article's address on the portal, as its history records the slug (a path a reader recognises,
/// rather than the bare slug).
pub(crate) fn address(slug: &str) -> String {
    format!("/news/{slug}")
}

/// Saves a new version of an article (a new revision when its text changed); the public pages change at
/// once when it is published. `NotFound` when the actor may not read it, `Forbidden` when they may only
/// read it.
pub async fn update(app: &App, session: &Session, id: i64, form: &ArticleForm) -> Result<Article> {
    let before = super::editable_article(app, session, id).await?;
    let input = checked(app, form, Some(id)).await?;
    let tx = app.begin().await?;
    let revision = articles::update(&tx, &before, &input, &author(session), app.now()).await?;
    let mut diff = Diff::new();
    diff.field("title", &before.title, &input.title)
        .field("slug", &address(&before.slug), &address(&input.slug))
        .field("summary", &before.summary, &input.summary)
        .field("featured", &before.featured, &input.featured)
        .field("comments_closed", &before.comments_closed, &input.comments_closed)
        .field("premoderation", &before.premoderation, &input.premoderation)
        .field("revision", &before.revision, &revision);
    if before.body != input.body {
        diff.field(
            "body",
            &format!("{} ký tự", before.body.chars().count()),
            &format!("{} ký tự", input.body.chars().count()),
        );
    }
    audit::record(
        app,
        &tx,
        session,
        Entry::new("article_update", "article", id, "audit-article-updated")
            .arg("title", &input.title)
            .arg("revision", revision)
            .changes(diff.into_changes()),
    )
    .await?;
    if before.state().is_public() {
        super::public_changed(&tx).await?;
    }
    tx.commit().await?;
    articles::get(app.db(), id).await?.ok_or(Error::NotFound)
}

/// A category to create.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewCategory {
    /// Its name in Vietnamese (required).
    pub name_vi: String,
    /// Its name in English (empty: the Vietnamese one).
    pub name_en: String,
    /// Its slug (`/news/category/{slug}`); empty to derive it from the Vietnamese name.
    pub slug: String,
}

/// The longest name of a category.
const MAX_CATEGORY_NAME: usize = 100;

/// Creates a category of articles (editors); `Conflict` `category_exists` when its slug is taken.
pub async fn create_category(app: &App, session: &Session, new: &NewCategory) -> Result<i64> {
    if !authorize(&session.actor, Action::Create, &Resource::Article { published: false }).is_allowed() {
        return Err(Error::FORBIDDEN);
    }
    let name_vi = tiendo_core::text::normalize_input(&new.name_vi);
    let name_en = tiendo_core::text::normalize_input(&new.name_en);
    let typed_slug = tiendo_core::text::normalize_input(&new.slug);
    let slug = if typed_slug.is_empty() { tiendo_core::text::slugify(&name_vi, 60) } else { typed_slug };
    if name_vi.is_empty()
        || name_vi.chars().count() > MAX_CATEGORY_NAME
        || name_en.chars().count() > MAX_CATEGORY_NAME
        || !is_valid_slug(&slug)
    {
        return Err(Error::invalid("name_vi", "required"));
    }
    if articles::category_by_slug(app.db(), &slug).await?.is_some() {
        return Err(Error::conflict("category_exists"));
    }
    let name_en = if name_en.is_empty() { name_vi.clone() } else { name_en };
    let tx = app.begin().await?;
    let id = articles::create_category(&tx, &slug, &name_vi, &name_en, app.now()).await?;
    audit::record(
        app,
        &tx,
        session,
        Entry::new("category_create", "portal_category", id, "audit-category-created").arg("name", &name_vi).change(
            "name_vi",
            (),
            &name_vi,
        ),
    )
    .await?;
    super::public_changed(&tx).await?;
    tx.commit().await?;
    Ok(id)
}
