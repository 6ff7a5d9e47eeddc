//! Readers' comments and reports, with the guards of issue 9: a honeypot field, a rate limit per address,
//! a maximum length, the word list, closed articles, pre-moderation; moderators are notified.

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use tiendo_core::portal::comment::{hidden_by_reports, initial_status, link_count};
use tiendo_core::portal::{CommentDraft, CommentStatus, WordList, comments_open, premoderated};
use tiendo_db::audit::{self, NewEvent};
use tiendo_db::portal::articles::Article;
use tiendo_db::portal::comments::{self, NewComment};
use tiendo_db::{identity, notifications};

use super::public::{readable, render_article, with_status};
use crate::error::{AppError, FieldError};
use crate::forms::FormErrors;
use crate::forms::fields::Submitted;
use crate::layout::Ctx;
use tiendo_app::identity::throttle::{Limit, decide};
use tiendo_app::secret;

/// The name of the honeypot field: hidden from people, filled by robots.
pub const HONEYPOT: &str = "website";

/// The outcome of a comment that passed the guards.
#[derive(Debug, Clone)]
pub struct Posted {
    /// The comment's id.
    pub id: i64,
    /// Its state.
    pub status: CommentStatus,
    /// The secret that lets its author see it while it waits.
    pub secret: String,
}

/// Why a comment was not stored.
#[derive(Debug)]
pub enum Refused {
    /// Field errors, to show beside the fields.
    Fields(Vec<FieldError>),
    /// Closed article.
    Closed,
    /// Too many comments from this address; retry after so many seconds.
    Flood(u64),
    /// A robot filled the honeypot: answered as if accepted, nothing stored.
    Honeypot,
}

/// The throttle key of an address's comments.
fn flood_key(ip: &str) -> String {
    format!("comment:{ip}")
}

/// Checks and stores a comment on an article; notifies the moderators when it waits for them.
pub async fn submit(
    ctx: &Ctx,
    a: &Article,
    draft: &CommentDraft,
    honeypot: &str,
) -> Result<Result<Posted, Refused>, AppError> {
    let ip = ctx.auth.ip.clone().unwrap_or_else(|| "unknown".to_owned());
    if !honeypot.trim().is_empty() {
        tracing::warn!(article = a.id, %ip, "comment refused: the honeypot field was filled");
        metrics::counter!("portal_comments_refused_total", "reason" => "honeypot").increment(1);
        return Ok(Err(Refused::Honeypot));
    }
    let settings = ctx.state.portal().settings();
    let now = Utc::now();
    if !a.state().is_public() || !comments_open(a.comments_closed, a.published_at, settings.close_after_days, now) {
        tracing::warn!(article = a.id, %ip, "comment refused: comments are closed");
        metrics::counter!("portal_comments_refused_total", "reason" => "closed").increment(1);
        return Ok(Err(Refused::Closed));
    }
    let db = ctx.state.db();
    let limit = Limit {
        max_failures: settings.comments_per_ten_minutes.max(1),
        window: Duration::minutes(10),
        lock: Duration::minutes(10),
    };
    let key = flood_key(&ip);
    let previous = identity::throttle(db, &key).await?;
    if let Some(until) = previous.as_ref().and_then(|t| t.locked_until).filter(|t| *t > now) {
        tracing::warn!(article = a.id, %ip, "comment refused: too many comments from this address");
        metrics::counter!("portal_comments_refused_total", "reason" => "flood").increment(1);
        return Ok(Err(Refused::Flood(u64::try_from((until - now).num_seconds().max(1)).unwrap_or(60))));
    }
    let fields = match draft.validate(usize::try_from(settings.max_comment_length).unwrap_or(2000)) {
        Ok(f) => f,
        Err(issues) => {
            let errors = issues
                .into_iter()
                .map(|i| {
                    let mut e = FieldError::new(i.field, i.code);
                    for (k, v) in i.args {
                        e = e.arg(k, v);
                    }
                    e
                })
                .collect();
            return Ok(Err(Refused::Fields(errors)));
        }
    };
    // Counted in one statement, so that comments posted in parallel are all counted.
    let counted = identity::count_attempt(db, &key, now, now - limit.window).await?;
    if let Err(until) = decide(&counted, limit, now) {
        identity::lock_throttle(db, &key, until).await?;
        tracing::warn!(article = a.id, %ip, "comment refused: too many comments from this address");
        metrics::counter!("portal_comments_refused_total", "reason" => "flood").increment(1);
        return Ok(Err(Refused::Flood(u64::try_from((until - now).num_seconds().max(1)).unwrap_or(60))));
    }
    let word = WordList::parse(&settings.word_list).first_match(&[&fields.name, &fields.text]);
    let status = initial_status(
        premoderated(a.premoderation_override(), settings.premoderation),
        word.is_some(),
        link_count(&fields.text),
    );
    let secret_value = secret::random_hex(16);
    let tx = db.begin().await?;
    let id = comments::insert(
        &tx,
        &NewComment {
            article_id: a.id,
            author_name: &fields.name,
            author_email: fields.email.as_deref(),
            body: &fields.text,
            status,
            word_match: word.as_deref(),
            ip: Some(&ip),
            user_id: ctx.auth.user.as_ref().map(|u| u.id),
            author_key: &secret::digest(&secret_value),
            at: now,
        },
    )
    .await?;
    audit::append(
        &tx,
        &ctx.auth.who(),
        &NewEvent::new("comment_post", "comment", id, format!("Bình luận của {} về bài «{}»", fields.name, a.title))
            .with_changes(vec![audit::Change::new("status", (), status.code())]),
    )
    .await?;
    if status == CommentStatus::Pending {
        notify_moderators(&tx, "comment_pending", "Có bình luận chờ duyệt", &format!("«{}»: {}", a.title, fields.name))
            .await?;
    } else {
        tiendo_db::portal::bump_stamp(&tx).await?;
    }
    tx.commit().await?;
    if status == CommentStatus::Approved {
        super::published(ctx);
    }
    metrics::counter!("portal_comments_total", "status" => status.code()).increment(1);
    Ok(Ok(Posted { id, status, secret: secret_value }))
}

/// Tells every moderator, once until they read it (a flood makes one notification, not a hundred).
pub async fn notify_moderators(ex: &impl tiendo_db::Exec, kind: &str, title: &str, body: &str) -> Result<(), AppError> {
    for (user, _) in tiendo_db::portal::moderators(ex).await? {
        if !tiendo_db::portal::has_unread(ex, user, kind).await? {
            notifications::notify(ex, user, kind, title, body, Some("/admin/comments")).await?;
        }
    }
    Ok(())
}

/// `POST /news/{slug}/comments`: a reader's comment.
pub async fn post(ctx: Ctx, headers: HeaderMap, Path(slug): Path<String>, body: Bytes) -> Result<Response, AppError> {
    let a = readable(&ctx, &slug).await?;
    let form = Submitted::parse(&body);
    let draft = CommentDraft { name: form.get("name"), email: form.get("email"), text: form.get("text") };
    match submit(&ctx, &a, &draft, &form.get(HONEYPOT)).await? {
        Ok(posted) if posted.status == CommentStatus::Pending => {
            Ok(Redirect::to(&format!("/news/{}?pending={}-{}#comment-{}", a.slug, posted.id, posted.secret, posted.id))
                .into_response())
        }
        Ok(posted) => Ok(Redirect::to(&format!("/news/{}?done=posted#comment-{}", a.slug, posted.id)).into_response()),
        // The robot is told nothing: it sees what a reader whose comment waits would see, without the comment.
        Err(Refused::Honeypot) => Ok(Redirect::to(&format!("/news/{}?done=posted#comments", a.slug)).into_response()),
        Err(Refused::Closed) => {
            let mut errors = FormErrors::new();
            errors.add("text", ctx.tr.t("portal-comments-closed"));
            let html = render_article(&ctx, &headers, &a, draft, errors, String::new(), None).await?;
            Ok(with_status(StatusCode::FORBIDDEN, html))
        }
        Err(Refused::Flood(retry)) => {
            let mut errors = FormErrors::new();
            errors.add("text", ctx.tr.t_with("portal-comment-flood", &[("minutes", &retry.div_ceil(60).to_string())]));
            let html = render_article(&ctx, &headers, &a, draft, errors, String::new(), None).await?;
            let mut response = with_status(StatusCode::TOO_MANY_REQUESTS, html);
            if let Ok(v) = retry.to_string().parse() {
                response.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
            }
            Ok(response)
        }
        Err(Refused::Fields(errors)) => {
            let errors = FormErrors::from_fields(&errors, &ctx.tr);
            let html = render_article(&ctx, &headers, &a, draft, errors, String::new(), None).await?;
            Ok(with_status(StatusCode::UNPROCESSABLE_ENTITY, html))
        }
    }
}

/// Records a reader's report; hides the comment once enough readers reported it, and tells the
/// moderators. Returns whether the report counted (a reader reports a comment once).
pub async fn record_report(ctx: &Ctx, comment: &comments::Comment) -> Result<bool, AppError> {
    let reporter = secret::digest(&format!("report:{}", ctx.auth.ip.clone().unwrap_or_default()));
    let threshold = ctx.state.portal().settings().reports_to_hide;
    let tx = ctx.state.db().begin().await?;
    let Some(count) = comments::report(&tx, comment.id, &reporter).await? else {
        tx.rollback().await?;
        return Ok(false);
    };
    let hide = !comment.hidden && hidden_by_reports(count, threshold);
    if hide {
        comments::hide(&tx, comment.id).await?;
        tiendo_db::portal::bump_stamp(&tx).await?;
        notify_moderators(&tx, "comment_reported", "Bình luận bị báo cáo đã được ẩn", &comment.article_title).await?;
    }
    audit::append(
        &tx,
        &ctx.auth.who(),
        &NewEvent::new("comment_report", "comment", comment.id, format!("Báo cáo bình luận ({count})"))
            .with_changes(if hide { vec![audit::Change::new("hidden", false, true)] } else { Vec::new() }),
    )
    .await?;
    tx.commit().await?;
    if hide {
        super::published(ctx);
    }
    Ok(true)
}

/// `POST /comments/{id}/report`: a reader reports a comment.
pub async fn report(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let comment = comments::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    if comment.status() != CommentStatus::Approved {
        return Err(AppError::NotFound);
    }
    record_report(&ctx, &comment).await?;
    Ok(Redirect::to(&format!("/news/{}?done=reported#comments", comment.article_slug)).into_response())
}
