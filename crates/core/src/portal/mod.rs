//! The public portal (cổng thông tin): news articles with their editorial workflow, public comments with
//! their moderation rules, and the portal's settings. No I/O: the storage and the pages call these rules.

pub mod comment;
pub mod markdown;
pub mod settings;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::authz::{Action, Actor, Resource, authorize};
use crate::directory::FieldIssue;
use crate::text::{normalize_input, normalize_multiline, slugify};

pub use comment::{CommentDraft, CommentFields, CommentState, CommentStatus, ModerationDecision, WordList};
pub use settings::PortalSettings;

/// Where an article is in the editorial workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleState {
    /// Bản nháp: being written; only editors see it.
    Draft,
    /// Chờ duyệt: sent for review.
    InReview,
    /// Hẹn giờ đăng: approved, to be published at `publish_at` by the job runner.
    Scheduled,
    /// Đã đăng: public.
    Published,
    /// Đã gỡ: taken down; kept with its revisions and comments.
    Unpublished,
}

impl ArticleState {
    /// Every state.
    pub const ALL: [ArticleState; 5] = [
        ArticleState::Draft,
        ArticleState::InReview,
        ArticleState::Scheduled,
        ArticleState::Published,
        ArticleState::Unpublished,
    ];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            ArticleState::Draft => "draft",
            ArticleState::InReview => "in_review",
            ArticleState::Scheduled => "scheduled",
            ArticleState::Published => "published",
            ArticleState::Unpublished => "unpublished",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<ArticleState> {
        ArticleState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the public sees the article.
    pub fn is_public(self) -> bool {
        self == ArticleState::Published
    }
}

/// What can be done to an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleAction {
    /// Gửi duyệt: draft → in review.
    Submit,
    /// Trả lại: in review → draft.
    Return,
    /// Đăng: in review → published, or scheduled when a future time is given; unpublished → published.
    Publish,
    /// Hủy hẹn giờ: scheduled → in review.
    Unschedule,
    /// Gỡ bài: published → unpublished.
    Unpublish,
    /// Sửa lại: unpublished → draft.
    Redraft,
}

impl ArticleAction {
    /// Every action.
    pub const ALL: [ArticleAction; 6] = [
        ArticleAction::Submit,
        ArticleAction::Return,
        ArticleAction::Publish,
        ArticleAction::Unschedule,
        ArticleAction::Unpublish,
        ArticleAction::Redraft,
    ];

    /// The code used in forms, the API and the audit trail.
    pub fn code(self) -> &'static str {
        match self {
            ArticleAction::Submit => "submit",
            ArticleAction::Return => "return",
            ArticleAction::Publish => "publish",
            ArticleAction::Unschedule => "unschedule",
            ArticleAction::Unpublish => "unpublish",
            ArticleAction::Redraft => "redraft",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<ArticleAction> {
        ArticleAction::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The permission the action needs on the article.
    fn permission(self) -> Action {
        match self {
            ArticleAction::Submit | ArticleAction::Redraft => Action::Submit,
            ArticleAction::Return => Action::Review,
            ArticleAction::Publish | ArticleAction::Unschedule | ArticleAction::Unpublish => Action::Publish,
        }
    }
}

/// Why a transition is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// The actor may not take it.
    #[error("not allowed")]
    Forbidden,
    /// Not from this state.
    #[error("not from this state")]
    InvalidState,
    /// A scheduled time in the past.
    #[error("the scheduled time has passed")]
    PastSchedule,
}

/// The state after `action`, taken by `actor` at `now` on an article in `state`. `publish_at` is the time
/// chosen for publishing (none or a past time: now).
pub fn transition(
    actor: &Actor,
    state: ArticleState,
    action: ArticleAction,
    publish_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<ArticleState, TransitionError> {
    use ArticleAction as A;
    use ArticleState as S;
    let next = match (state, action) {
        (S::Draft, A::Submit) => S::InReview,
        (S::InReview, A::Return) => S::Draft,
        (S::InReview | S::Unpublished, A::Publish) => match publish_at {
            Some(at) if at > now => S::Scheduled,
            _ => S::Published,
        },
        (S::Scheduled, A::Unschedule) => S::InReview,
        (S::Published, A::Unpublish) => S::Unpublished,
        (S::Unpublished, A::Redraft) => S::Draft,
        _ => return Err(TransitionError::InvalidState),
    };
    let resource = Resource::Article { published: state.is_public() };
    if !authorize(actor, action.permission(), &resource).is_allowed() {
        return Err(TransitionError::Forbidden);
    }
    Ok(next)
}

/// The actions an actor may take on an article in `state` (for the buttons and the API).
pub fn available_actions(actor: &Actor, state: ArticleState) -> Vec<ArticleAction> {
    // Without a chosen time, no transition depends on the time.
    let now = DateTime::<Utc>::UNIX_EPOCH;
    ArticleAction::ALL.into_iter().filter(|a| transition(actor, state, *a, None, now).is_ok()).collect()
}

/// The state of a scheduled article when its time may have come: published once `publish_at` is reached
/// (the job runner's move, carrying out the decision taken when it was scheduled); refused otherwise.
pub fn publish_when_due(
    state: ArticleState,
    publish_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<ArticleState, TransitionError> {
    match (state, publish_at) {
        (ArticleState::Scheduled, Some(at)) if at <= now => Ok(ArticleState::Published),
        _ => Err(TransitionError::InvalidState),
    }
}

/// Parses the publication time an editor typed (`2026-03-05T08:00` from the date-time field, or
/// `05/03/2026 08:00`), as Vietnam time.
pub fn parse_publish_at(raw: &str) -> Option<DateTime<Utc>> {
    use chrono::{NaiveDateTime, TimeZone};
    let raw = raw.trim();
    let naive = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%d/%m/%Y %H:%M"))
        .ok()?;
    crate::time::vietnam_offset().from_local_datetime(&naive).single().map(|t| t.with_timezone(&Utc))
}

/// The longest title.
pub const MAX_TITLE: usize = 300;
/// The longest summary (sapo).
pub const MAX_SUMMARY: usize = 1000;
/// The longest body, in characters of Markdown.
pub const MAX_BODY: usize = 200_000;
/// The longest slug, in bytes.
pub const MAX_SLUG: usize = 120;
/// The most tags of an article.
pub const MAX_TAGS: usize = 20;
/// The longest tag.
pub const MAX_TAG: usize = 60;
/// The longest caption or alternative text of an image.
pub const MAX_CAPTION: usize = 500;

/// An article as typed by an editor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleDraft {
    /// Tiêu đề.
    pub title: String,
    /// The slug; empty to derive it from the title.
    pub slug: String,
    /// Tóm tắt (sapo).
    pub summary: String,
    /// The body in Markdown.
    pub body: String,
    /// Tags separated by commas.
    pub tags: String,
}

/// An article's validated fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleFields {
    /// Tiêu đề.
    pub title: String,
    /// ASCII slug (Vietnamese folded).
    pub slug: String,
    /// Tóm tắt.
    pub summary: String,
    /// Markdown body, normalised.
    pub body: String,
    /// Tags (trimmed, distinct by their slug).
    pub tags: Vec<String>,
}

fn too_long(field: &'static str, text: &str, max: usize) -> Option<FieldIssue> {
    (text.chars().count() > max).then(|| FieldIssue::new(field, "too_long").arg("max", max))
}

/// Whether a slug is made only of lowercase ASCII letters, digits and single dashes.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= MAX_SLUG
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
}

/// Splits a tag list ("khoa học, Quảng Yên") into distinct tags.
pub fn split_tags(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in raw.split([',', ';', '\n']).map(normalize_input).filter(|t| !t.is_empty()) {
        if !out.iter().any(|t| slugify(t, MAX_SLUG) == slugify(&tag, MAX_SLUG)) {
            out.push(tag);
        }
    }
    out
}

impl ArticleDraft {
    /// Validates every field at once.
    pub fn validate(&self) -> Result<ArticleFields, Vec<FieldIssue>> {
        let title = normalize_input(&self.title);
        let summary = normalize_multiline(&self.summary);
        let body = normalize_multiline(&self.body);
        let tags = split_tags(&self.tags);
        let mut issues = Vec::new();
        if title.is_empty() {
            issues.push(FieldIssue::new("title", "required"));
        }
        issues.extend(too_long("title", &title, MAX_TITLE));
        issues.extend(too_long("summary", &summary, MAX_SUMMARY));
        issues.extend(too_long("body", &body, MAX_BODY));
        let typed_slug = normalize_input(&self.slug);
        let slug = if typed_slug.is_empty() { slugify(&title, MAX_SLUG) } else { typed_slug.to_ascii_lowercase() };
        if !typed_slug.is_empty() && !is_valid_slug(&slug) {
            issues.push(FieldIssue::new("slug", "slug_format"));
        }
        if tags.len() > MAX_TAGS {
            issues.push(FieldIssue::new("tags", "too_many").arg("max", MAX_TAGS));
        }
        if let Some(long) = tags.iter().find(|t| t.chars().count() > MAX_TAG) {
            issues.push(FieldIssue::new("tags", "tag_too_long").arg("max", MAX_TAG).arg("tag", long));
        }
        if issues.is_empty() { Ok(ArticleFields { title, slug, summary, body, tags }) } else { Err(issues) }
    }
}

/// Whether comments on an article are open at `now`: not closed by hand, and not older than the site's
/// limit (`close_after_days`, 0 for no limit) counted from publication.
pub fn comments_open(
    closed_by_hand: bool,
    published_at: Option<DateTime<Utc>>,
    close_after_days: i64,
    now: DateTime<Utc>,
) -> bool {
    if closed_by_hand {
        return false;
    }
    match (published_at, close_after_days) {
        (_, days) if days <= 0 => true,
        (Some(at), days) => now < at + chrono::Duration::days(days),
        (None, _) => true,
    }
}

/// Whether new comments on an article wait for a moderator: the article's own choice when it has one,
/// else the site's.
pub fn premoderated(article_setting: Option<bool>, site_default: bool) -> bool {
    article_setting.unwrap_or(site_default)
}

#[cfg(test)]
mod tests;
