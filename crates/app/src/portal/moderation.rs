//! Moderators' decisions on comments (`tiendo_core::portal::comment::transition`): approve, reject or mark
//! as spam, one comment or many at once.

use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::portal::comment::{self, CommentState};
use tiendo_core::portal::{ModerationDecision, TransitionError};
use tiendo_db::portal::comments;

use crate::audit::{self, Entry};
use crate::{App, Error, Result, Session};

/// The most comments one decision takes.
pub const MAX_AT_ONCE: usize = 500;

/// Applies a moderator's decision to the comments `ids`; returns how many changed. A comment the decision
/// does not apply to (already rejected, for a rejection) or that no longer exists is left as it is; each
/// change is audited, and the public pages change.
///
/// Outcomes: `Forbidden` for anyone but a moderator; `Invalid` `ids` when no comment (or more than
/// [`MAX_AT_ONCE`]) is named.
pub async fn decide(app: &App, session: &Session, ids: &[i64], decision: ModerationDecision) -> Result<usize> {
    if !authorize(&session.actor, Action::Moderate, &Resource::Comment).is_allowed() {
        return Err(Error::FORBIDDEN);
    }
    if ids.is_empty() || ids.len() > MAX_AT_ONCE {
        return Err(Error::invalid("ids", "required"));
    }
    let (code, key) = match decision {
        ModerationDecision::Approve => ("comment_approve", "audit-comment-approved"),
        ModerationDecision::Reject => ("comment_reject", "audit-comment-rejected"),
        ModerationDecision::Spam => ("comment_spam", "audit-comment-spam"),
    };
    let now = app.now();
    let tx = app.begin().await?;
    let mut changed = 0;
    for id in ids {
        let Some(c) = comments::get(&tx, *id).await? else { continue };
        let state = CommentState { status: c.status(), hidden: c.hidden };
        let next = match comment::transition(&session.actor, state, decision) {
            Ok(next) => next,
            Err(TransitionError::Forbidden) => return Err(Error::FORBIDDEN),
            Err(_) => continue,
        };
        if comments::decide(&tx, *id, next, session.user_id(), now).await? {
            changed += 1;
            let mut entry = Entry::new(code, "comment", *id, key)
                .arg("name", &c.author_name)
                .arg("title", &c.article_title)
                .change("status", c.status().code(), next.code());
            if c.hidden {
                entry = entry.change("hidden", true, false);
            }
            audit::record(app, &tx, session, entry).await?;
        }
    }
    super::public_changed(&tx).await?;
    tx.commit().await?;
    Ok(changed)
}
