//! Document templates (mẫu văn bản): the editable layout of each kind of official document (DOCX/PDF).
//! A province-wide administrator saves a kind's text as a new version, restores an earlier version or the
//! program's default; documents use the active version, else the default. The template language and the
//! administrator's workflow are described in `docs/documents.md`.

mod check;
mod render;

use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_db::document_templates::{self as versions, NewVersion, TemplateVersion};
use tiendo_export::ExportError;
use tiendo_export::kinds::DocumentKind;
use tiendo_export::template::Template;

use crate::audit::{self, Entry};
use crate::message::Value as Named;
use crate::{App, Error, Result, Session, Tr};

pub use check::{MAX_SOURCE_CHARS, SOURCE_FIELD, check, line_diff, template_error};
pub use render::{Format, OfficialFile, render, render_with};

/// The audit entity of a kind's template; its id is the kind's identifier.
pub const AUDIT_ENTITY: &str = "document_template";

/// The document kind with this identifier (`report`, `conclusion_notice`, `minutes`, `decision`,
/// `certificate`).
pub fn kind_by_id(id: &str) -> Option<DocumentKind> {
    DocumentKind::ALL.into_iter().find(|k| k.id() == id)
}

/// The kind with this identifier, or `NotFoundNamed` `unknown_document_kind` naming it.
pub fn kind(id: &str) -> Result<DocumentKind> {
    kind_by_id(id).ok_or_else(|| Error::NotFoundNamed { code: "unknown_document_kind", value: id.to_owned() })
}

/// The name of a kind in the translator's language ("Thông báo kết luận").
pub fn kind_label(tr: &Tr, kind: DocumentKind) -> String {
    tr.t(&format!("template-kind-{}", kind.id()))
}

/// The default template of `kind`, parsed. The default templates are checked against their kinds by
/// the export crate's tests, so this cannot fail in a released program.
pub fn default_template(kind: DocumentKind) -> Template {
    Template::parse(&kind.schema(), kind.default_template()).expect("the default template of every kind is valid")
}

/// The text of `kind`'s default template, as it is stored and shown (see [`normalize_source`]).
pub fn default_source(kind: DocumentKind) -> String {
    normalize_source(kind.default_template())
}

/// Normalises template text typed in a form or sent to the API: NFC, `\r\n` to `\n`, invisible
/// characters and control characters other than tabs dropped, trailing spaces and trailing blank lines
/// removed. Leading lines are kept, so that line numbers in messages match what was typed.
pub fn normalize_source(raw: &str) -> String {
    let normalized = tiendo_core::text::normalize_multiline(&format!("x\n{raw}"));
    // `normalize_multiline` drops leading blank lines; the sentinel line keeps them.
    normalized.strip_prefix("x\n").or_else(|| normalized.strip_prefix('x')).unwrap_or_default().to_owned()
}

/// The template of a kind that documents use now.
#[derive(Debug)]
pub struct ActiveTemplate {
    /// The kind.
    pub kind: DocumentKind,
    /// The parsed template.
    pub template: Template,
    /// Its text.
    pub source: String,
    /// The active saved version, `None` when the kind was never saved (the default is used).
    pub version: Option<TemplateVersion>,
    /// Why the saved version is not used, when it no longer parses against the kind's fields (a newer
    /// program removed a field): the default is used instead, and the administrator page says so.
    pub fallback: Option<ExportError>,
}

impl ActiveTemplate {
    /// The active version number; 0 when the kind was never saved.
    pub fn version_number(&self) -> i64 {
        self.version.as_ref().map_or(0, |v| v.version)
    }

    /// Whether documents use the program's default text.
    pub fn uses_default(&self) -> bool {
        self.fallback.is_some() || self.version.as_ref().is_none_or(TemplateVersion::is_default)
    }
}

/// The template documents of `kind` use now: the active saved version, else the default.
pub async fn active_template(app: &App, kind: DocumentKind) -> Result<ActiveTemplate> {
    let version = versions::active(app.db(), kind.id()).await?;
    let saved = version.as_ref().and_then(|v| v.source.clone());
    let (template, source, fallback) = match saved {
        None => (default_template(kind), default_source(kind), None),
        Some(text) => match Template::parse(&kind.schema(), &text) {
            Ok(template) => (template, text, None),
            Err(err) => {
                tracing::warn!(kind = kind.id(), error = %err, "the saved template no longer parses; using the default");
                (default_template(kind), default_source(kind), Some(err))
            }
        },
    };
    Ok(ActiveTemplate { kind, template, source, version, fallback })
}

/// Templates are settings: `Forbidden` unless the actor is a province-wide administrator.
pub fn authorize_settings(session: &Session, action: Action) -> Result<()> {
    if authorize(&session.actor, action, &Resource::Settings).is_allowed() {
        Ok(())
    } else if session.user.is_none() && session.actor.grants.is_empty() {
        Err(Error::Unauthorized)
    } else {
        Err(Error::FORBIDDEN)
    }
}

/// What a change of a template did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// A new version, now active.
    Version(TemplateVersion),
    /// Nothing: the text is the active one already.
    Unchanged,
}

/// The text a version stands for.
fn text_of(kind: DocumentKind, version: Option<&TemplateVersion>) -> String {
    version.and_then(|v| v.source.clone()).unwrap_or_else(|| default_source(kind))
}

/// The refusal of a change based on a version that is no longer the active one: `Conflict`
/// `stale_template`, with the active version, who saved it and when (no arguments when the default is
/// active and was never saved).
fn stale(current: Option<&TemplateVersion>) -> Error {
    let args = current
        .map(|v| {
            vec![
                ("version", v.version.to_string()),
                ("by", v.created_by_label.clone()),
                ("at", tiendo_core::fmt::datetime(v.created_at)),
            ]
        })
        .unwrap_or_default();
    Error::Conflict { code: "stale_template", args }
}

/// Appends a version with its audit event, unless it changes nothing or `base_version` is stale.
async fn append(
    app: &App,
    session: &Session,
    kind: DocumentKind,
    new_source: Option<&str>,
    restored_from: Option<i64>,
    base_version: Option<i64>,
) -> Result<Saved> {
    let tx = app.begin().await?;
    let current = versions::active(&tx, kind.id()).await?;
    let current_number = current.as_ref().map_or(0, |v| v.version);
    if base_version.is_some_and(|base| base != current_number) {
        return Err(stale(current.as_ref()));
    }
    let before = text_of(kind, current.as_ref());
    let after = new_source.map_or_else(|| default_source(kind), str::to_owned);
    let same_default = new_source.is_none() && current.as_ref().is_none_or(TemplateVersion::is_default);
    if same_default || (new_source.is_some() && before == after) {
        return Ok(Saved::Unchanged);
    }
    let new = NewVersion { kind: kind.id(), source: new_source, restored_from };
    let saved = match versions::append(&tx, &new, &session.who, app.now()).await {
        Ok(saved) => saved,
        // Another administrator took the number first (PostgreSQL).
        Err(e) if e.is_unique_violation_of("document_templates") => return Err(stale(current.as_ref())),
        Err(e) => return Err(e.into()),
    };
    let entry = match (new_source, restored_from) {
        (None, _) => Entry::new("restore_default", AUDIT_ENTITY, kind.id(), "audit-template-default-restored"),
        (Some(_), Some(from)) => {
            Entry::new("restore", AUDIT_ENTITY, kind.id(), "audit-template-restored").arg("from", from)
        }
        (Some(_), None) => Entry::new("update", AUDIT_ENTITY, kind.id(), "audit-template-saved"),
    };
    let (removed, added) = line_diff(&before, &after);
    let entry = entry
        .named("kind", Named::Key(format!("template-kind-{}", kind.id())))
        .arg("version", saved.version)
        .change("version", current.as_ref().map(|v| v.version), saved.version)
        .change("source", removed.join("\n"), added.join("\n"));
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(Saved::Version(saved))
}

/// Saves `raw` (as typed or sent) as the kind's new active version, if it is a valid template (else
/// `Invalid` on `source`, naming the line and the field), differs from the active one (else
/// `Unchanged`), and `base_version` (when given) is still the active version number, 0 when never saved
/// (else `Conflict` `stale_template`).
pub async fn save(
    app: &App,
    session: &Session,
    kind: DocumentKind,
    raw: &str,
    base_version: Option<i64>,
) -> Result<Saved> {
    authorize_settings(session, Action::Edit)?;
    let source = normalize_source(raw);
    check(kind, &source).map_err(|e| Error::Invalid(vec![e]))?;
    append(app, session, kind, Some(&source), None, base_version).await
}

/// Makes an earlier version active again, as a new version copying its text. A version that no longer
/// fits the kind's fields is `Invalid` like typed text; an unknown version is `NotFound`.
pub async fn restore(app: &App, session: &Session, kind: DocumentKind, version: i64) -> Result<Saved> {
    authorize_settings(session, Action::Edit)?;
    let old = versions::version(app.db(), kind.id(), version).await?.ok_or(Error::NotFound)?;
    match &old.source {
        None => append(app, session, kind, None, Some(version), None).await,
        Some(text) => {
            check(kind, text).map_err(|e| Error::Invalid(vec![e]))?;
            append(app, session, kind, Some(text), Some(version), None).await
        }
    }
}

/// Makes the program's default template active again (a new version standing for the default).
pub async fn restore_default(app: &App, session: &Session, kind: DocumentKind) -> Result<Saved> {
    authorize_settings(session, Action::Edit)?;
    append(app, session, kind, None, None, None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_found_by_their_identifier() {
        for kind in DocumentKind::ALL {
            assert_eq!(kind_by_id(kind.id()), Some(kind));
        }
        assert_eq!(kind_by_id("invoice"), None);
        assert!(matches!(kind("invoice"), Err(Error::NotFoundNamed { code: "unknown_document_kind", .. })));
    }

    #[test]
    fn normalising_keeps_leading_lines_and_drops_what_cannot_be_seen() {
        assert_eq!(normalize_source("\r\n\r\nsummary: A  \r\n---\r\nB\u{200b}\n\n\n"), "\n\nsummary: A\n---\nB");
        assert_eq!(normalize_source("Nghi\u{0323} quye\u{0302}\u{0301}t"), "Nghị quyết");
        assert_eq!(normalize_source(""), "");
        assert_eq!(normalize_source("x"), "x");
    }
}
