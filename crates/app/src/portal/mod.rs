//! The public portal (cổng thông tin): articles through their editorial workflow, their photos, readers'
//! comments and their moderation, the portal's settings.
//!
//! Every write that can change a public page moves the stamp of public content (`portal.stamp`) in its
//! own transaction, through [`public_changed`]: every instance of the web edge reads the stamp and drops
//! its cached pages when it changed, whether the write came from a page, the API, the job runner or the
//! demo.

pub mod articles;
pub mod comments;
pub mod media;
pub mod moderation;
pub mod settings;

use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_db::Tx;
use tiendo_db::portal::articles::Article;

use crate::{App, Error, Result, Session};

/// Records, in the transaction that makes the change, that public content changed.
pub(crate) async fn public_changed(tx: &Tx) -> Result<()> {
    Ok(tiendo_db::portal::bump_stamp(tx).await?)
}

/// The article `id` if the actor may read it (anyone once it is published, editors and the department's
/// leaders before); `NotFound` otherwise, so that an unpublished article's existence is not told.
pub async fn readable_article(app: &App, session: &Session, id: i64) -> Result<Article> {
    let article = tiendo_db::portal::articles::get(app.db(), id).await?.ok_or(Error::NotFound)?;
    may_read(session, &article)?;
    Ok(article)
}

/// The published article at `slug` (editors may preview any state), as [`readable_article`].
pub async fn readable_by_slug(app: &App, session: &Session, slug: &str) -> Result<Article> {
    let article = tiendo_db::portal::articles::by_slug(app.db(), slug).await?.ok_or(Error::NotFound)?;
    may_read(session, &article)?;
    Ok(article)
}

fn may_read(session: &Session, article: &Article) -> Result<()> {
    let resource = Resource::Article { published: article.state().is_public() };
    if authorize(&session.actor, Action::View, &resource).is_allowed() { Ok(()) } else { Err(Error::NotFound) }
}

/// The article `id` if the actor may change it (its text, its photos): `NotFound` when they may not read
/// it, `Forbidden` when they may read it only. The same facts for every caller: the action and whether the
/// article is public.
pub(crate) async fn editable_article(app: &App, session: &Session, id: i64) -> Result<Article> {
    let article = readable_article(app, session, id).await?;
    if may_edit(session, &article) { Ok(article) } else { Err(Error::FORBIDDEN) }
}

/// Whether the actor may change an article's text and photos (the editors).
pub fn may_edit(session: &Session, article: &Article) -> bool {
    authorize(&session.actor, Action::Edit, &Resource::Article { published: article.state().is_public() }).is_allowed()
}

/// Whether the actor may write new articles (the editors): the button on a visit's page, the editors' list.
pub fn may_create(session: &Session) -> bool {
    authorize(&session.actor, Action::Create, &Resource::Article { published: false }).is_allowed()
}
