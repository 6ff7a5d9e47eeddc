//! The editorial workflow of an article (`tiendo_core::portal::transition`): submitting, returning,
//! publishing now or at a later time, taking down, back to draft; and the job runner's publication of the
//! scheduled articles whose time has come. Both write through [`record_move`].

use chrono::{DateTime, Utc};
use tiendo_core::portal::{ArticleAction, ArticleState, TransitionError, publish_when_due};
use tiendo_db::Tx;
use tiendo_db::portal::articles::{self, Article};

use crate::audit::{self, Entry};
use crate::{App, Error, Result, Session};

/// Takes a workflow action on an article; `publish_at` is the time chosen for publishing (a later time
/// schedules it, none or a past one publishes now). Returns the article in its new state.
///
/// Outcomes: `NotFound` when the actor may not read the article; `Forbidden` when the workflow does not
/// let this actor take the action; `Conflict` `invalid_transition` when the action does not apply to the
/// article's state.
pub async fn transition(
    app: &App,
    session: &Session,
    id: i64,
    action: ArticleAction,
    publish_at: Option<DateTime<Utc>>,
) -> Result<Article> {
    let article = super::super::readable_article(app, session, id).await?;
    let now = app.now();
    let next =
        tiendo_core::portal::transition(&session.actor, article.state(), action, publish_at, now).map_err(refusal)?;
    let at = if next == ArticleState::Scheduled { publish_at } else { None };
    let (code, key) = match action {
        ArticleAction::Submit => ("article_submit", "audit-article-submitted"),
        ArticleAction::Return => ("article_return", "audit-article-returned"),
        ArticleAction::Publish if next == ArticleState::Scheduled => ("article_schedule", "audit-article-scheduled"),
        ArticleAction::Publish => ("article_publish", "audit-article-published"),
        ArticleAction::Unschedule => ("article_unschedule", "audit-article-unscheduled"),
        ArticleAction::Unpublish => ("article_unpublish", "audit-article-unpublished"),
        ArticleAction::Redraft => ("article_redraft", "audit-article-redrafted"),
    };
    let tx = app.begin().await?;
    record_move(app, &tx, session, &article, next, at, Entry::new(code, "article", id, key)).await?;
    tx.commit().await?;
    articles::get(app.db(), id).await?.ok_or(Error::NotFound)
}

/// The workflow's refusal as the outcome of a use case.
fn refusal(e: TransitionError) -> Error {
    match e {
        TransitionError::Forbidden => Error::FORBIDDEN,
        TransitionError::InvalidState | TransitionError::PastSchedule => Error::conflict("invalid_transition"),
    }
}

/// Publishes the scheduled articles whose time has come, each in its own transaction (the job runner,
/// every minute). Several instances may run it at once: only an article still scheduled when its
/// transaction reads it moves, so each is published once. Returns the ids published.
///
/// The session must hold the right to publish (the job acts for the system with an editor's grant).
pub async fn publish_scheduled(app: &App, session: &Session) -> Result<Vec<i64>> {
    use tiendo_core::authz::{Action, Resource, authorize};
    if !authorize(&session.actor, Action::Publish, &Resource::Article { published: false }).is_allowed() {
        return Err(Error::FORBIDDEN);
    }
    let now = app.now();
    let mut published = Vec::new();
    for due in articles::due(app.db(), now).await? {
        let tx = app.begin().await?;
        let Some(current) = articles::get(&tx, due.id).await? else {
            tx.rollback().await?;
            continue;
        };
        let Ok(next) = publish_when_due(current.state(), current.publish_at, now) else {
            tx.rollback().await?;
            continue;
        };
        let entry = Entry::new("article_publish", "article", current.id, "audit-article-published-on-schedule");
        record_move(app, &tx, session, &current, next, None, entry).await?;
        tx.commit().await?;
        tracing::info!(article = current.id, "scheduled article published");
        published.push(current.id);
    }
    Ok(published)
}

/// Moves an article to `next` in `tx`: the state, the audit event `entry` (with the title, the states and
/// the time chosen), and the stamp of public content when the article enters or leaves the public.
async fn record_move(
    app: &App,
    tx: &Tx,
    session: &Session,
    article: &Article,
    next: ArticleState,
    publish_at: Option<DateTime<Utc>>,
    entry: Entry,
) -> Result<()> {
    let now = app.now();
    articles::set_state(tx, article.id, next, publish_at, now).await?;
    let when = publish_at.map(tiendo_core::fmt::datetime).unwrap_or_default();
    let mut entry = entry
        .arg("title", &article.title)
        .arg("from", article.state().code())
        .arg("to", next.code())
        .arg("at", &when)
        .change("state", article.state().code(), next.code());
    if publish_at.is_some() {
        entry = entry.change("publish_at", (), &when);
    }
    audit::record(app, tx, session, entry).await?;
    if article.state().is_public() || next.is_public() {
        super::super::public_changed(tx).await?;
    }
    Ok(())
}
