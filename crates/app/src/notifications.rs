//! The signed-in user's own notifications (deadline reminders, decisions, weekly digests): reading them
//! and marking them read. Every query is scoped to the user; someone else's notification is `NotFound`.
//!
//! A notification is written as a [`Notice`] (messages with their arguments) and read in the reader's
//! language ([`shown`]); its Vietnamese text is stored beside it for e-mail, the API and the command line,
//! and is what a notification written before notices existed shows.

use chrono::{DateTime, Utc};
use tiendo_core::lang::Lang;
use tiendo_db::Exec;
use tiendo_db::notifications::{self, NewNotification, Notification, NotificationFilter};

use crate::i18n::mark;
use crate::message::Notice;
use crate::{App, Error, Result, Session, Tr};

/// Notifies `user` of `notice` (of `kind`: `deadline_soon`, `digest`, …), leading to `link`, at `at`.
pub(crate) async fn send(
    ex: &impl Exec,
    user: i64,
    kind: &str,
    notice: &Notice,
    link: Option<&str>,
    at: DateTime<Utc>,
) -> Result<i64> {
    let vi = Tr::new(Lang::Vi);
    let (title, body, message) = (notice.title.render(&vi), notice.body.render(&vi), notice.to_json());
    let new = NewNotification { kind, title: &title, body: &body, message: Some(&message), link };
    Ok(notifications::notify(ex, user, new, at).await?)
}

/// A notification as a page shows it, in the reader's language: its title and body as HTML (escaped, the
/// data marked as Vietnamese user content). One written before notices existed shows its stored Vietnamese
/// text, marked as such.
pub fn shown(tr: &Tr, n: &Notification) -> (String, String) {
    match n.message.as_deref().and_then(Notice::from_json) {
        Some(notice) => (notice.title.render_html(tr), notice.body.render_html(tr)),
        None => (mark(&n.title), if n.body.is_empty() { String::new() } else { mark(&n.body) }),
    }
}

/// The link of a notification if it stays on this site: a path starting with one `/`, without a
/// backslash, whitespace or control character (browsers turn `/\evil` or `/<tab>/evil` into another
/// host). Anything else is not followed.
pub fn local_link(link: &str) -> Option<&str> {
    let ok = link.starts_with('/')
        && !link.starts_with("//")
        && !link.chars().any(|c| c == '\\' || c.is_whitespace() || c.is_control());
    ok.then_some(link)
}

/// A page of the user's notifications, newest first, and how many match in all.
pub async fn list(
    app: &App,
    session: &Session,
    filter: NotificationFilter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Notification>, i64)> {
    let me = session.require_user()?.id;
    Ok(notifications::list_of_user(app.db(), me, filter, limit, offset).await?)
}

/// Marks one of the user's notifications read (`NotFound` for another's or an unknown one).
pub async fn mark_read(app: &App, session: &Session, id: i64) -> Result<()> {
    let me = session.require_user()?.id;
    let tx = app.begin().await?;
    if !notifications::mark_read(&tx, me, id, app.now()).await? {
        return Err(Error::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Marks every notification of the user that arrived by now read (the application's now: a clock
/// stopped in the past leaves the later ones new).
pub async fn mark_all_read(app: &App, session: &Session) -> Result<()> {
    let me = session.require_user()?.id;
    let tx = app.begin().await?;
    notifications::mark_all_read(&tx, me, app.now()).await?;
    tx.commit().await?;
    Ok(())
}

/// Opens one of the user's notifications: marks it read and returns where to go, its link when it stays
/// on this site (a link leading off the site is logged and not followed).
pub async fn open(app: &App, session: &Session, id: i64) -> Result<Option<String>> {
    let me = session.require_user()?.id;
    let notification = notifications::get_of_user(app.db(), me, id).await?.ok_or(Error::NotFound)?;
    mark_read(app, session, id).await?;
    Ok(notification.link.as_deref().and_then(|link| match local_link(link) {
        Some(link) => Some(link.to_owned()),
        None => {
            tracing::warn!(notification = id, "a notification's link leads off the site; not followed");
            None
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::local_link;

    #[test]
    fn only_links_within_the_site_are_followed() {
        assert_eq!(local_link("/assignments/12"), Some("/assignments/12"));
        assert_eq!(local_link("/overdue?plan=3"), Some("/overdue?plan=3"));
        for foreign in [
            "https://evil.example/x",
            "//evil.example/x",
            "/\\evil.example",
            "/\t/evil.example",
            "javascript:alert(1)",
            "assignments/12",
            "",
        ] {
            assert_eq!(local_link(foreign), None, "{foreign:?}");
        }
    }
}
