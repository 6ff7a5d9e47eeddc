//! Articles: their text (every saved version kept as a revision), workflow state, category, tags and
//! related records.

use chrono::{DateTime, Utc};
use tiendo_core::portal::ArticleState;

use crate::error::DbError;
use crate::query::{Exec, Query};

/// An article as stored, with its category.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Article {
    /// Row id.
    pub id: i64,
    /// URL slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Summary (sapo).
    pub summary: String,
    /// Markdown body.
    pub body: String,
    /// The safe HTML of the body.
    pub body_html: String,
    /// Workflow state code.
    pub state: String,
    /// Category id.
    pub category_id: Option<i64>,
    /// Category slug.
    pub category_slug: Option<String>,
    /// Category name in Vietnamese.
    pub category_name_vi: Option<String>,
    /// Category name in English.
    pub category_name_en: Option<String>,
    /// The account that wrote it.
    pub author_id: Option<i64>,
    /// The byline.
    pub author_name: String,
    /// Shown first on the home page.
    pub featured: bool,
    /// Comments closed by hand.
    pub comments_closed: bool,
    /// `site`, `on` or `off`.
    pub premoderation: String,
    /// When it is to be published (scheduled).
    pub publish_at: Option<DateTime<Utc>>,
    /// When it was first published.
    pub published_at: Option<DateTime<Utc>>,
    /// The number of the current revision.
    pub revision: i64,
    /// Invented for the demo.
    pub is_sample: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl Article {
    /// The workflow state.
    pub fn state(&self) -> ArticleState {
        ArticleState::from_code(&self.state).unwrap_or(ArticleState::Draft)
    }

    /// The article's own pre-moderation choice (`None`: the site's).
    pub fn premoderation_override(&self) -> Option<bool> {
        match self.premoderation.as_str() {
            "on" => Some(true),
            "off" => Some(false),
            _ => None,
        }
    }
}

const COLUMNS: &str = "a.id, a.slug, a.title, a.summary, a.body, a.body_html, a.state, a.category_id, \
     c.slug AS category_slug, c.name_vi AS category_name_vi, c.name_en AS category_name_en, a.author_id, \
     a.author_name, a.featured, a.comments_closed, a.premoderation, a.publish_at, a.published_at, a.revision, \
     a.is_sample, a.created_at, a.updated_at";

fn select() -> String {
    format!("SELECT {COLUMNS} FROM articles a LEFT JOIN portal_categories c ON c.id = a.category_id")
}

/// What an editor saves.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArticleInput {
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Markdown body.
    pub body: String,
    /// Its safe HTML.
    pub body_html: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Category.
    pub category_id: Option<i64>,
    /// Featured on the home page.
    pub featured: bool,
    /// Comments closed by hand.
    pub comments_closed: bool,
    /// `site`, `on` or `off`.
    pub premoderation: String,
    /// Related records: (kind, id).
    pub links: Vec<(String, i64)>,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// Who saves.
#[derive(Debug, Clone, Default)]
pub struct Author {
    /// The account.
    pub user_id: Option<i64>,
    /// Its display name (the byline of a new article, the author of a revision).
    pub name: String,
}

async fn write_tags(ex: &impl Exec, article_id: i64, tags: &[String]) -> Result<(), DbError> {
    ex.execute(Query::new("DELETE FROM article_tags WHERE article_id = $1").bind(article_id)).await?;
    for tag in tags {
        let slug = tiendo_core::text::slugify(tag, tiendo_core::portal::MAX_SLUG);
        ex.execute(
            Query::new("INSERT INTO portal_tags (slug, name) VALUES ($1, $2) ON CONFLICT (slug) DO NOTHING")
                .bind(slug.as_str())
                .bind(tag.as_str()),
        )
        .await?;
        ex.execute(
            Query::new(
                "INSERT INTO article_tags (article_id, tag_id) SELECT $1, id FROM portal_tags WHERE slug = $2 \
                 ON CONFLICT DO NOTHING",
            )
            .bind(article_id)
            .bind(slug),
        )
        .await?;
    }
    Ok(())
}

async fn write_links(ex: &impl Exec, article_id: i64, links: &[(String, i64)]) -> Result<(), DbError> {
    ex.execute(Query::new("DELETE FROM article_links WHERE article_id = $1").bind(article_id)).await?;
    for (kind, id) in links {
        ex.execute(
            Query::new(
                "INSERT INTO article_links (article_id, entity_type, entity_id) VALUES ($1, $2, $3) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(article_id)
            .bind(kind.as_str())
            .bind(*id),
        )
        .await?;
    }
    Ok(())
}

async fn write_revision(
    ex: &impl Exec,
    article_id: i64,
    number: i64,
    input: &ArticleInput,
    author: &Author,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    ex.execute(
        Query::new(
            "INSERT INTO article_revisions (article_id, number, title, summary, body, tags, author_id, author_label, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(article_id)
        .bind(number)
        .bind(input.title.as_str())
        .bind(input.summary.as_str())
        .bind(input.body.as_str())
        .bind(input.tags.join(", "))
        .bind(author.user_id)
        .bind(author.name.as_str())
        .bind(at),
    )
    .await?;
    Ok(())
}

/// Creates a draft with its first revision at `now`; returns its id.
pub async fn create(ex: &impl Exec, input: &ArticleInput, author: &Author, now: DateTime<Utc>) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO articles (slug, title, summary, body, body_html, state, category_id, author_id, \
                 author_name, featured, comments_closed, premoderation, revision, is_sample, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9, $10, $11, 1, $12, $13, $13) RETURNING id",
            )
            .bind(input.slug.as_str())
            .bind(input.title.as_str())
            .bind(input.summary.as_str())
            .bind(input.body.as_str())
            .bind(input.body_html.as_str())
            .bind(input.category_id)
            .bind(author.user_id)
            .bind(author.name.as_str())
            .bind(input.featured)
            .bind(input.comments_closed)
            .bind(input.premoderation.as_str())
            .bind(input.is_sample)
            .bind(now),
        )
        .await?;
    write_tags(ex, id, &input.tags).await?;
    write_links(ex, id, &input.links).await?;
    write_revision(ex, id, 1, input, author, now).await?;
    Ok(id)
}

/// Saves a new version of an article at `now`; returns the new revision number. A save that changes
/// nothing of the text makes no revision.
pub async fn update(
    ex: &impl Exec,
    current: &Article,
    input: &ArticleInput,
    author: &Author,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let tags = tags_of(ex, current.id).await?.into_iter().map(|t| t.name).collect::<Vec<_>>();
    let text_changed = current.title != input.title
        || current.summary != input.summary
        || current.body != input.body
        || tags != input.tags;
    let revision = if text_changed { current.revision + 1 } else { current.revision };
    ex.execute(
        Query::new(
            "UPDATE articles SET slug = $1, title = $2, summary = $3, body = $4, body_html = $5, category_id = $6, \
             featured = $7, comments_closed = $8, premoderation = $9, revision = $10, updated_at = $11 WHERE id = $12",
        )
        .bind(input.slug.as_str())
        .bind(input.title.as_str())
        .bind(input.summary.as_str())
        .bind(input.body.as_str())
        .bind(input.body_html.as_str())
        .bind(input.category_id)
        .bind(input.featured)
        .bind(input.comments_closed)
        .bind(input.premoderation.as_str())
        .bind(revision)
        .bind(now)
        .bind(current.id),
    )
    .await?;
    write_tags(ex, current.id, &input.tags).await?;
    write_links(ex, current.id, &input.links).await?;
    if text_changed {
        write_revision(ex, current.id, revision, input, author, now).await?;
    }
    Ok(revision)
}

/// Moves an article to a state; the first publication is remembered.
pub async fn set_state(
    ex: &impl Exec,
    id: i64,
    state: ArticleState,
    publish_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let mut q = Query::new("UPDATE articles SET state = ");
    q.push_bind(state.code()).push(", publish_at = ").push_bind(publish_at).push(", updated_at = ").push_bind(now);
    if state == ArticleState::Published {
        q.push(", published_at = COALESCE(published_at, ").push_bind(now).push(")");
    }
    q.push(" WHERE id = ").push_bind(id);
    ex.execute(q).await?;
    Ok(())
}

/// Closes or reopens comments by hand.
pub async fn set_comments_closed(ex: &impl Exec, id: i64, closed: bool) -> Result<(), DbError> {
    ex.execute(
        Query::new("UPDATE articles SET comments_closed = $1, updated_at = $2 WHERE id = $3")
            .bind(closed)
            .bind(Utc::now())
            .bind(id),
    )
    .await?;
    Ok(())
}

/// One article.
pub async fn get(ex: &impl Exec, id: i64) -> Result<Option<Article>, DbError> {
    ex.fetch_optional(Query::new(format!("{} WHERE a.id = $1", select())).bind(id)).await
}

/// One article by its slug.
pub async fn by_slug(ex: &impl Exec, slug: &str) -> Result<Option<Article>, DbError> {
    ex.fetch_optional(Query::new(format!("{} WHERE a.slug = $1", select())).bind(slug)).await
}

/// Whether a slug is used by another article.
pub async fn slug_taken(ex: &impl Exec, slug: &str, except: Option<i64>) -> Result<bool, DbError> {
    let (n,): (i64,) = ex
        .fetch_one(
            Query::new("SELECT COUNT(*) FROM articles WHERE slug = $1 AND id <> $2")
                .bind(slug)
                .bind(except.unwrap_or(0)),
        )
        .await?;
    Ok(n > 0)
}

/// Which published articles to list.
#[derive(Debug, Clone, Default)]
pub struct PublicFilter {
    /// Only this category.
    pub category_id: Option<i64>,
    /// Only those with this tag (its slug).
    pub tag: Option<String>,
    /// Only the featured ones.
    pub featured: bool,
    /// Leave this one out.
    pub except: Option<i64>,
}

/// Published articles, newest first, and how many match.
pub async fn list_public(
    ex: &impl Exec,
    filter: &PublicFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Article>, i64), DbError> {
    let mut cond = Query::new(" WHERE a.state = 'published'");
    if let Some(c) = filter.category_id {
        cond.push(" AND a.category_id = ").push_bind(c);
    }
    if let Some(t) = &filter.tag {
        cond.push(" AND a.id IN (SELECT at.article_id FROM article_tags at JOIN portal_tags t ON t.id = at.tag_id WHERE t.slug = ")
            .push_bind(t.as_str())
            .push(")");
    }
    if filter.featured {
        cond.push(" AND a.featured = TRUE");
    }
    if let Some(e) = filter.except {
        cond.push(" AND a.id <> ").push_bind(e);
    }
    let mut count = Query::new(format!("SELECT COUNT(*) FROM articles a{}", cond.sql()));
    for v in cond.values() {
        count = count.bind(v.clone());
    }
    let (total,): (i64,) = ex.fetch_one(count).await?;
    let mut q = Query::new(format!("{}{}", select(), cond.sql()));
    for v in cond.values() {
        q = q.bind(v.clone());
    }
    q.push(" ORDER BY a.published_at DESC, a.id DESC LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
    Ok((ex.fetch_all(q).await?, total))
}

/// Published articles related to one: sharing a tag or its category, newest first.
pub async fn related(ex: &impl Exec, article: &Article, limit: i64) -> Result<Vec<Article>, DbError> {
    let mut q = Query::new(format!(
        "{} WHERE a.state = 'published' AND a.id <> $1 AND (a.id IN (SELECT at.article_id FROM article_tags at \
         WHERE at.tag_id IN (SELECT tag_id FROM article_tags WHERE article_id = $1))",
        select()
    ))
    .bind(article.id);
    if let Some(c) = article.category_id {
        q.push(" OR a.category_id = ").push_bind(c);
    }
    q.push(") ORDER BY a.published_at DESC, a.id DESC LIMIT ").push_bind(limit);
    ex.fetch_all(q).await
}

/// Articles for the editors' list, newest change first, optionally in one state or matching a text.
pub async fn list_all(
    ex: &impl Exec,
    state: Option<ArticleState>,
    q_text: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Article>, i64), DbError> {
    let mut cond = Query::new(" WHERE 1 = 1");
    if let Some(s) = state {
        cond.push(" AND a.state = ").push_bind(s.code());
    }
    if let Some(text) = q_text.map(str::trim).filter(|t| !t.is_empty()) {
        cond.push(" AND (LOWER(a.title) LIKE ")
            .push_bind(format!("%{}%", text.to_lowercase()))
            .push(" OR a.slug LIKE ");
        cond.push_bind(format!("%{}%", tiendo_core::text::slugify(text, 200))).push(")");
    }
    let mut count = Query::new(format!("SELECT COUNT(*) FROM articles a{}", cond.sql()));
    for v in cond.values() {
        count = count.bind(v.clone());
    }
    let (total,): (i64,) = ex.fetch_one(count).await?;
    let mut q = Query::new(format!("{}{}", select(), cond.sql()));
    for v in cond.values() {
        q = q.bind(v.clone());
    }
    q.push(" ORDER BY a.updated_at DESC, a.id DESC LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
    Ok((ex.fetch_all(q).await?, total))
}

/// Scheduled articles whose time has come.
pub async fn due(ex: &impl Exec, now: DateTime<Utc>) -> Result<Vec<Article>, DbError> {
    ex.fetch_all(
        Query::new(format!("{} WHERE a.state = 'scheduled' AND a.publish_at <= $1 ORDER BY a.publish_at", select()))
            .bind(now),
    )
    .await
}

/// A tag.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Tag {
    /// Slug.
    pub slug: String,
    /// Name as typed.
    pub name: String,
}

/// The tags of an article, by name.
pub async fn tags_of(ex: &impl Exec, article_id: i64) -> Result<Vec<Tag>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT t.slug, t.name FROM article_tags at JOIN portal_tags t ON t.id = at.tag_id WHERE at.article_id = $1 \
             ORDER BY t.id",
        )
        .bind(article_id),
    )
    .await
}

/// The tags of several articles at once: (article id, tag), each article's in order.
pub async fn tags_of_many(ex: &impl Exec, article_ids: &[i64]) -> Result<Vec<(i64, Tag)>, DbError> {
    if article_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new(
        "SELECT at.article_id, t.slug, t.name FROM article_tags at JOIN portal_tags t ON t.id = at.tag_id \
         WHERE at.article_id IN (",
    );
    push_ids(&mut q, article_ids);
    q.push(") ORDER BY at.article_id, t.id");
    let rows: Vec<(i64, String, String)> = ex.fetch_all(q).await?;
    Ok(rows.into_iter().map(|(id, slug, name)| (id, Tag { slug, name })).collect())
}

/// `$1, $2, …` bound to the ids.
fn push_ids(q: &mut Query, ids: &[i64]) {
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(*id);
    }
}

/// A tag by its slug.
pub async fn tag(ex: &impl Exec, slug: &str) -> Result<Option<Tag>, DbError> {
    ex.fetch_optional(Query::new("SELECT slug, name FROM portal_tags WHERE slug = $1").bind(slug)).await
}

/// A related record with its label.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Link {
    /// `organization`, `document` or `visit`.
    pub entity_type: String,
    /// Its id.
    pub entity_id: i64,
    /// Its name (organisations), symbol and summary (documents), title (visits); empty for a kind not known.
    pub label: String,
}

/// The records related to an article.
pub async fn links_of(ex: &impl Exec, article_id: i64) -> Result<Vec<Link>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT l.entity_type, l.entity_id, COALESCE(o.name, d.symbol || ' — ' || d.summary, v.title, '') AS label \
             FROM article_links l \
             LEFT JOIN organizations o ON l.entity_type = 'organization' AND o.id = l.entity_id \
             LEFT JOIN legal_documents d ON l.entity_type = 'document' AND d.id = l.entity_id \
             LEFT JOIN visits v ON l.entity_type = 'visit' AND v.id = l.entity_id \
             WHERE l.article_id = $1 ORDER BY l.entity_type, l.entity_id",
        )
        .bind(article_id),
    )
    .await
}

/// The related records of several articles at once: (article id, entity type, entity id), each
/// article's in the order of [`links_of`].
pub async fn links_of_many(ex: &impl Exec, article_ids: &[i64]) -> Result<Vec<(i64, String, i64)>, DbError> {
    if article_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = Query::new("SELECT article_id, entity_type, entity_id FROM article_links WHERE article_id IN (");
    push_ids(&mut q, article_ids);
    q.push(") ORDER BY article_id, entity_type, entity_id");
    ex.fetch_all(q).await
}

/// Published articles linked to a record (for the record's page, and the visits when they land).
pub async fn linked_to(ex: &impl Exec, entity_type: &str, entity_id: i64) -> Result<Vec<Article>, DbError> {
    ex.fetch_all(
        Query::new(format!(
            "{} WHERE a.state = 'published' AND a.id IN (SELECT article_id FROM article_links WHERE entity_type = $1 \
             AND entity_id = $2) ORDER BY a.published_at DESC",
            select()
        ))
        .bind(entity_type)
        .bind(entity_id),
    )
    .await
}

/// A kept version of an article's text.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Revision {
    /// Its number, from 1.
    pub number: i64,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Markdown body.
    pub body: String,
    /// Tags, comma-separated.
    pub tags: String,
    /// Who saved it.
    pub author_label: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// Every revision of an article, newest first.
pub async fn revisions(ex: &impl Exec, article_id: i64) -> Result<Vec<Revision>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT number, title, summary, body, tags, author_label, created_at FROM article_revisions \
             WHERE article_id = $1 ORDER BY number DESC",
        )
        .bind(article_id),
    )
    .await
}

/// One revision.
pub async fn revision(ex: &impl Exec, article_id: i64, number: i64) -> Result<Option<Revision>, DbError> {
    ex.fetch_optional(
        Query::new(
            "SELECT number, title, summary, body, tags, author_label, created_at FROM article_revisions \
             WHERE article_id = $1 AND number = $2",
        )
        .bind(article_id)
        .bind(number),
    )
    .await
}

/// A category.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Category {
    /// Row id.
    pub id: i64,
    /// Slug.
    pub slug: String,
    /// Vietnamese name.
    pub name_vi: String,
    /// English name.
    pub name_en: String,
}

/// Every category in order.
pub async fn categories(ex: &impl Exec) -> Result<Vec<Category>, DbError> {
    ex.fetch_all(Query::new("SELECT id, slug, name_vi, name_en FROM portal_categories ORDER BY sort_order, id")).await
}

/// A category by its slug.
pub async fn category_by_slug(ex: &impl Exec, slug: &str) -> Result<Option<Category>, DbError> {
    ex.fetch_optional(Query::new("SELECT id, slug, name_vi, name_en FROM portal_categories WHERE slug = $1").bind(slug))
        .await
}

/// Creates a category at `now`; returns its id.
pub async fn create_category(
    ex: &impl Exec,
    slug: &str,
    name_vi: &str,
    name_en: &str,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    let (id,): (i64,) = ex
        .fetch_one(
            Query::new(
                "INSERT INTO portal_categories (slug, name_vi, name_en, sort_order, created_at) \
                 VALUES ($1, $2, $3, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM portal_categories), $4) RETURNING id",
            )
            .bind(slug)
            .bind(name_vi)
            .bind(name_en)
            .bind(now),
        )
        .await?;
    Ok(id)
}

/// Published articles for the sitemap: (slug, last change).
pub async fn sitemap(ex: &impl Exec) -> Result<Vec<(String, DateTime<Utc>)>, DbError> {
    ex.fetch_all(Query::new(
        "SELECT slug, updated_at FROM articles WHERE state = 'published' ORDER BY published_at DESC LIMIT 50000",
    ))
    .await
}

/// Options of the related-record pickers: organisations and documents, (id, label).
pub async fn link_options(ex: &impl Exec) -> Result<(Vec<(i64, String)>, Vec<(i64, String)>), DbError> {
    let orgs = ex.fetch_all(Query::new("SELECT id, name FROM organizations ORDER BY sort_key, id")).await?;
    let docs = ex
        .fetch_all(Query::new(
            "SELECT id, symbol || ' — ' || summary FROM legal_documents ORDER BY issued_on DESC, id DESC LIMIT 500",
        ))
        .await?;
    Ok((orgs, docs))
}
