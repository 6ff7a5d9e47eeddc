//! `/admin/audit`: search the audit trail by actor, entity and time span, and verify its hash chain.

use askama::Template;
use axum::response::Response;
use chrono::{NaiveTime, TimeZone, Utc};
use serde::Deserialize;
use tiendo_app::identity::audit_trail;
use tiendo_db::audit::{Filter, Verification};
use tiendo_db::identity;

use crate::error::AppError;
use crate::extract::Query;
use crate::forms::FormErrors;
use crate::history::{HistoryItem, items};
use crate::layout::{Ctx, Layout, render};

/// The search form, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    entity: String,
    #[serde(default)]
    entity_id: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    before: Option<i64>,
    verify: Option<String>,
}

/// One choice of a filter: the code sent, the name shown, whether chosen.
struct FilterChoice {
    code: String,
    label: String,
    selected: bool,
}

/// The codes that have a message `<prefix><code>` in the Vietnamese source, sorted by their name.
fn codes_with_messages(tr: &tiendo_app::Tr, prefix: &str, chosen: &str) -> Vec<FilterChoice> {
    static IDS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        tiendo_app::i18n::FILES.iter().flat_map(|(_, vi, _)| tiendo_app::i18n::message_ids(vi)).collect()
    });
    let mut out: Vec<FilterChoice> = IDS
        .iter()
        .filter_map(|id| id.strip_prefix(prefix))
        .filter(|code| !code.contains('.'))
        .map(|code| FilterChoice {
            code: code.to_owned(),
            label: tr.t(&format!("{prefix}{code}")),
            selected: code == chosen.trim(),
        })
        .collect();
    out.sort_by(|a, b| a.label.cmp(&b.label));
    out
}

/// What an event is about, in words: "Người dùng (mã 1)".
fn entity_text(tr: &tiendo_app::Tr, entity_type: &str, entity_id: Option<&str>) -> String {
    let key = format!("audit-entity-kind-{entity_type}");
    let kind = if tr.has(&key) { tr.t(&key) } else { tr.t("audit-entity-kind-other") };
    match entity_id {
        Some(id) => tr.t_with("audit-entity-ref", &[("kind", &kind), ("id", id)]),
        None => kind,
    }
}

#[derive(Template)]
#[template(path = "identity/audit.html")]
struct AuditPage {
    layout: Layout,
    q: AuditQuery,
    entity_choices: Vec<FilterChoice>,
    action_choices: Vec<FilterChoice>,
    errors: FormErrors,
    events: Vec<(i64, String, HistoryItem)>,
    total_text: String,
    next_before: Option<i64>,
    next_query: String,
    verification: Option<String>,
    verification_ok: bool,
}

/// The start of a day in Vietnam as an instant.
fn start_of(day: chrono::NaiveDate) -> Option<chrono::DateTime<Utc>> {
    tiendo_core::time::vietnam_offset()
        .from_local_datetime(&day.and_time(NaiveTime::MIN))
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// `GET /admin/audit`.
pub async fn search(ctx: Ctx, Query(q): Query<AuditQuery>) -> Result<Response, AppError> {
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    if !audit_trail::may_read(session) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FormErrors::new();
    let mut filter = Filter::default();
    if !q.actor.trim().is_empty() {
        match identity::user_for_login(ctx.state.db(), &q.actor.trim().to_lowercase()).await? {
            Some((user, _)) => filter.actor_user_id = Some(user.id),
            None => errors.add("actor", ctx.tr.t("audit-unknown-actor")),
        }
    }
    filter.entity_type = Some(q.entity.trim().to_owned()).filter(|s| !s.is_empty());
    filter.entity_id = Some(q.entity_id.trim().to_owned()).filter(|s| !s.is_empty());
    filter.action = Some(q.action.trim().to_owned()).filter(|s| !s.is_empty());
    for (field, text, slot, next_day) in
        [("from", &q.from, &mut filter.from, false), ("to", &q.to, &mut filter.until, true)]
    {
        if text.trim().is_empty() {
            continue;
        }
        match tiendo_core::fmt::parse_date(text) {
            Some(day) => {
                let day = if next_day { day.succ_opt().unwrap_or(day) } else { day };
                *slot = start_of(day);
            }
            None => errors.add(field, ctx.tr.t("field-date_format")),
        }
    }
    filter.before_id = q.before;
    let (events, total) =
        if errors.is_empty() { audit_trail::search(app, session, &filter, 50).await? } else { (Vec::new(), 0) };
    let next_before = if events.len() == 50 { events.last().map(|e| e.id) } else { None };
    let formatted = items(&events, &ctx.tr);
    let events: Vec<(i64, String, HistoryItem)> = events
        .iter()
        .zip(formatted)
        .map(|(e, item)| (e.id, entity_text(&ctx.tr, &e.entity_type, e.entity_id.as_deref()), item))
        .collect();
    let (verification, verification_ok) = if q.verify.is_some() {
        let outcome = tiendo_app::audit::verify(ctx.state.app(), ctx.auth.session()).await?;
        (Some(tiendo_app::audit::verification_text(&ctx.tr, &outcome)), matches!(outcome, Verification::Intact { .. }))
    } else {
        (None, false)
    };
    let next_query = format!(
        "actor={}&entity={}&entity_id={}&action={}&from={}&to={}",
        crate::forms::url_encode(&q.actor),
        crate::forms::url_encode(&q.entity),
        crate::forms::url_encode(&q.entity_id),
        crate::forms::url_encode(&q.action),
        crate::forms::url_encode(&q.from),
        crate::forms::url_encode(&q.to)
    );
    render(&AuditPage {
        layout: ctx.layout("admin-audit-title"),
        entity_choices: codes_with_messages(&ctx.tr, "audit-entity-kind-", &q.entity),
        action_choices: codes_with_messages(&ctx.tr, "action-", &q.action),
        q,
        errors,
        events,
        total_text: ctx.tr.t_count("audit-total", "total", total),
        next_before,
        next_query,
        verification,
        verification_ok,
    })
}
