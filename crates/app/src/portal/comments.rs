//! Readers' comments and reports, with the guards of issue 9: a honeypot field, a rate limit per address,
//! a maximum length, the word list, closed articles, pre-moderation; moderators are notified.

use chrono::Duration;
use tiendo_core::portal::comment::{hidden_by_reports, initial_status, link_count};
use tiendo_core::portal::{CommentDraft, CommentStatus, WordList, comments_open, premoderated};
use tiendo_db::portal::comments::{self, Comment, NewComment};
use tiendo_db::{Exec, identity};

use crate::audit::{self, Entry};
use crate::identity::throttle::{Limit, decide};
use crate::message::{Message, Notice};
use crate::{App, Error, FieldError, Result, Session, secret};

/// A comment that passed the guards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    /// The comment's id.
    pub id: i64,
    /// Its state: waiting for a moderator, or shown at once.
    pub status: CommentStatus,
    /// The secret that lets its author see it while it waits (only its hash is stored).
    pub secret: String,
}

/// What became of a comment sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Stored.
    Posted(Posted),
    /// A robot filled the honeypot: to be answered as if accepted; nothing was stored.
    Ignored,
}

/// The throttle key of an address's comments.
fn flood_key(ip: &str) -> String {
    format!("comment:{ip}")
}

/// Seconds until `until`, at least one.
fn seconds_until(until: chrono::DateTime<chrono::Utc>, now: chrono::DateTime<chrono::Utc>) -> u64 {
    u64::try_from((until - now).num_seconds().max(1)).unwrap_or(60)
}

/// Checks and stores a reader's comment on the article `article_id` (the form's honeypot field as sent);
/// notifies the moderators when it waits for them, and changes the public pages when it is shown at once.
///
/// Outcomes: `NotFound` when the article is not readable; [`Outcome::Ignored`] for a filled honeypot;
/// `Forbidden` `comments_closed`; `TooManyAttempts` from an address that sent too many comments in ten
/// minutes (the session's client address); `Invalid` with the fields at fault (`name`, `email`, `text`).
pub async fn post(
    app: &App,
    session: &Session,
    article_id: i64,
    draft: &CommentDraft,
    honeypot: &str,
) -> Result<Outcome> {
    let article = super::readable_article(app, session, article_id).await?;
    let ip = session.who.ip.clone().unwrap_or_else(|| "unknown".to_owned());
    if !honeypot.trim().is_empty() {
        tracing::warn!(article = article.id, %ip, "comment refused: the honeypot field was filled");
        return Ok(Outcome::Ignored);
    }
    let db = app.db();
    let settings = tiendo_db::portal::settings(db).await?;
    let now = app.now();
    if !article.state().is_public()
        || !comments_open(article.comments_closed, article.published_at, settings.close_after_days, now)
    {
        tracing::warn!(article = article.id, %ip, "comment refused: comments are closed");
        return Err(Error::Forbidden { code: "comments_closed" });
    }
    let limit = Limit {
        max_failures: settings.comments_per_ten_minutes.max(1),
        window: Duration::minutes(10),
        lock: Duration::minutes(10),
    };
    let key = flood_key(&ip);
    let previous = identity::throttle(db, &key).await?;
    if let Some(until) = previous.as_ref().and_then(|t| t.locked_until).filter(|t| *t > now) {
        tracing::warn!(article = article.id, %ip, "comment refused: too many comments from this address");
        return Err(Error::TooManyAttempts { retry_after_secs: seconds_until(until, now) });
    }
    let max_length = usize::try_from(settings.max_comment_length).unwrap_or(2000);
    let fields = draft
        .validate(max_length)
        .map_err(|issues| Error::Invalid(issues.into_iter().map(FieldError::from).collect()))?;
    // Counted in one statement, so that comments posted in parallel are all counted.
    let counted = identity::count_attempt(db, &key, now, now - limit.window).await?;
    if let Err(until) = decide(&counted, limit, now) {
        identity::lock_throttle(db, &key, until).await?;
        tracing::warn!(article = article.id, %ip, "comment refused: too many comments from this address");
        return Err(Error::TooManyAttempts { retry_after_secs: seconds_until(until, now) });
    }
    let word = WordList::parse(&settings.word_list).first_match(&[&fields.name, &fields.text]);
    let status = initial_status(
        premoderated(article.premoderation_override(), settings.premoderation),
        word.is_some(),
        link_count(&fields.text),
    );
    let secret_value = secret::random_hex(16);
    let tx = app.begin().await?;
    let id = comments::insert(
        &tx,
        &NewComment {
            article_id: article.id,
            author_name: &fields.name,
            author_email: fields.email.as_deref(),
            body: &fields.text,
            status,
            word_match: word.as_deref(),
            ip: Some(&ip),
            user_id: session.user_id(),
            author_key: &secret::digest(&secret_value),
            at: now,
        },
    )
    .await?;
    audit::record(
        app,
        &tx,
        session,
        Entry::new("comment_post", "comment", id, "audit-comment-posted")
            .arg("name", &fields.name)
            .arg("title", &article.title)
            .change("status", (), status.code()),
    )
    .await?;
    if status == CommentStatus::Pending {
        let notice = Notice::new(
            Message::key("notify-comment-pending"),
            Message::key("notify-comment-pending-body").data("article", &article.title).data("name", &fields.name),
        );
        notify_moderators(app, &tx, "comment_pending", &notice).await?;
    } else {
        super::public_changed(&tx).await?;
    }
    tx.commit().await?;
    Ok(Outcome::Posted(Posted { id, status, secret: secret_value }))
}

/// Tells every moderator, once until they read it (a flood makes one notification, not a hundred).
async fn notify_moderators(app: &App, ex: &impl Exec, kind: &str, notice: &Notice) -> Result<()> {
    for (user, _) in tiendo_db::portal::moderators(ex).await? {
        if !tiendo_db::portal::has_unread(ex, user, kind).await? {
            crate::notifications::send(ex, user, kind, notice, Some("/admin/comments"), app.now()).await?;
        }
    }
    Ok(())
}

/// A reader reports a shown comment (once per client address); once enough readers reported it, it is
/// hidden until a moderator decides, and the moderators are told. Returns the comment (its article's slug
/// for the way back). `NotFound` for a comment that is not shown.
pub async fn report(app: &App, session: &Session, comment_id: i64) -> Result<Comment> {
    let comment = comments::get(app.db(), comment_id).await?.ok_or(Error::NotFound)?;
    if comment.status() != CommentStatus::Approved {
        return Err(Error::NotFound);
    }
    let reporter = secret::digest(&format!("report:{}", session.who.ip.clone().unwrap_or_default()));
    let threshold = tiendo_db::portal::settings(app.db()).await?.reports_to_hide;
    let tx = app.begin().await?;
    let Some(count) = comments::report(&tx, comment.id, &reporter, app.now()).await? else {
        tx.rollback().await?;
        return Ok(comment);
    };
    let hide = !comment.hidden && hidden_by_reports(count, threshold);
    if hide {
        comments::hide(&tx, comment.id).await?;
        super::public_changed(&tx).await?;
        notify_moderators(
            app,
            &tx,
            "comment_reported",
            &Notice::new(Message::key("notify-comment-reported"), Message::text(&comment.article_title)),
        )
        .await?;
    }
    let mut entry = Entry::new("comment_report", "comment", comment.id, "audit-comment-reported")
        .arg("count", count)
        .arg("name", &comment.author_name)
        .arg("title", &comment.article_title);
    if hide {
        entry = entry.change("hidden", false, true);
    }
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(comment)
}
