//! The material of a news article about a visit (issue 8 item 6, for the public portal): its title, a
//! summary from what the department wrote, and its photos with their captions and alternative texts.

use super::get;
use crate::error::DbError;
use crate::query::{Exec, Query};

/// What a draft article about a visit starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleDraft {
    /// The visit's title.
    pub title: String,
    /// Its purpose, then its general assessment when there is one, as paragraphs.
    pub summary: String,
    /// The photos, in order: (attachment id, caption, alternative text). The caption is empty when none
    /// was given; the alternative text never is.
    pub photos: Vec<(i64, String, String)>,
}

impl ArticleDraft {
    /// The draft as (title, summary, photos), the shape the portal takes.
    pub fn into_parts(self) -> (String, String, Vec<(i64, String, String)>) {
        (self.title, self.summary, self.photos)
    }
}

/// The draft of an article about a visit; `None` when there is no such visit. Access is the caller's
/// matter (`tiendo_web::visits::article_draft` checks it).
pub async fn article_draft(ex: &impl Exec, visit_id: i64) -> Result<Option<ArticleDraft>, DbError> {
    let Some(visit) = get(ex, visit_id).await? else { return Ok(None) };
    let photos: Vec<(i64, Option<String>, Option<String>)> = ex
        .fetch_all(
            Query::new(
                "SELECT attachment_id, caption, alt_text FROM visit_files WHERE visit_id = $1 AND kind = 'photo' \
                 ORDER BY sort_order, id",
            )
            .bind(visit_id),
        )
        .await?;
    let mut summary = visit.purpose.clone();
    if let Some(assessment) = visit.assessment.as_deref().filter(|a| !a.trim().is_empty()) {
        summary.push_str("\n\n");
        summary.push_str(assessment);
    }
    Ok(Some(ArticleDraft {
        title: visit.title,
        summary,
        photos: photos
            .into_iter()
            .map(|(id, caption, alt)| (id, caption.unwrap_or_default(), alt.unwrap_or_default()))
            .collect(),
    }))
}

/// An article of the portal about a visit.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ArticleAbout {
    /// The article's id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Its slug (`/news/{slug}` once published).
    pub slug: String,
    /// Its state's code (`draft`, `in_review`, `published`, …).
    pub state: String,
}

/// The portal's articles linked to a visit, newest first, in any state: the caller shows each to whom
/// may read it.
pub async fn articles_about(ex: &impl Exec, visit_id: i64) -> Result<Vec<ArticleAbout>, DbError> {
    ex.fetch_all(
        Query::new(
            "SELECT a.id, a.title, a.slug, a.state FROM articles a \
             JOIN article_links l ON l.article_id = a.id AND l.entity_type = 'visit' AND l.entity_id = $1 \
             ORDER BY a.id DESC",
        )
        .bind(visit_id),
    )
    .await
}
