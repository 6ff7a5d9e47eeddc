//! The moderators' pages: the queue of comments (waiting, hidden by reports, decided) with approve,
//! reject and spam one by one or in bulk; the moderation settings and, for administrators, the footer.

use crate::extract::Multipart;
use askama::Template;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::portal::settings::FooterChange;
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::portal::comment::{self, CommentState};
use tiendo_core::portal::settings::{FooterForm, ModerationForm};
use tiendo_core::portal::{CommentStatus, ModerationDecision};
use tiendo_db::portal::comments::{self, Queue};

use crate::error::{AppError, FieldError};
use crate::extract::Query;
use crate::forms::FormErrors;
use crate::forms::fields::Submitted;
use crate::layout::{Ctx, Layout};

fn html(page: &impl Template, status: StatusCode) -> Result<Response, AppError> {
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

fn require_moderator(ctx: &Ctx) -> Result<(), AppError> {
    if authorize(&ctx.auth.actor, Action::Moderate, &Resource::Comment).is_allowed()
        || authorize(&ctx.auth.actor, Action::View, &Resource::ModerationSettings).is_allowed()
    {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A comment in the queue.
#[derive(Debug, Clone)]
pub struct QueueRow {
    id: i64,
    article: String,
    article_href: String,
    name: String,
    email: String,
    html: String,
    at: String,
    status_label: String,
    hidden: bool,
    reports: i64,
    word: String,
    /// The decisions the moderator may take on it (from the moderation workflow): (code, label, style).
    decisions: Vec<(&'static str, String, &'static str)>,
}

/// The button style of a decision.
fn decision_style(decision: ModerationDecision) -> &'static str {
    match decision {
        ModerationDecision::Approve => "button small",
        ModerationDecision::Reject => "button secondary small",
        ModerationDecision::Spam => "button danger small",
    }
}

/// Which part of the queue.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct QueueQuery {
    #[serde(default)]
    show: String,
    page: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/admin_comments.html")]
struct QueuePage {
    layout: Layout,
    show: String,
    tabs: Vec<(String, String, bool)>,
    rows: Vec<QueueRow>,
    pager: crate::forms::fields::Pager,
    notice: String,
    may_moderate: bool,
}

fn which(show: &str) -> Queue {
    match show {
        "reported" => Queue::Reported,
        "approved" => Queue::Decided(CommentStatus::Approved),
        "rejected" => Queue::Decided(CommentStatus::Rejected),
        "spam" => Queue::Decided(CommentStatus::Spam),
        _ => Queue::Pending,
    }
}

/// `GET /admin/comments`.
pub async fn queue(ctx: Ctx, Query(q): Query<QueueQuery>) -> Result<Response, AppError> {
    require_moderator(&ctx)?;
    let page = crate::forms::fields::page_number(q.page.as_deref());
    let (items, total) = comments::queue(ctx.state.db(), which(&q.show), 50, (page - 1) * 50).await?;
    let (pending, reported) = comments::waiting_counts(ctx.state.db()).await?;
    let show = if q.show.is_empty() { "pending".to_owned() } else { q.show.clone() };
    let tabs = ["pending", "reported", "approved", "rejected", "spam"]
        .into_iter()
        .map(|t| {
            let mut label = ctx.tr.t(&format!("moderation-tab-{t}"));
            if t == "pending" && pending > 0 {
                label = format!("{label} ({pending})");
            }
            if t == "reported" && reported > 0 {
                label = format!("{label} ({reported})");
            }
            (t.to_owned(), label, t == show)
        })
        .collect();
    let rows = items
        .iter()
        .map(|c| QueueRow {
            id: c.id,
            article: c.article_title.clone(),
            article_href: format!("/news/{}", c.article_slug),
            name: c.author_name.clone(),
            email: c.author_email.clone().unwrap_or_default(),
            html: tiendo_core::portal::markdown::render_comment(&c.body),
            at: tiendo_core::fmt::datetime(c.created_at),
            status_label: ctx.tr.t(&format!("comment-status-{}", c.status().code())),
            hidden: c.hidden,
            reports: c.report_count,
            word: c.word_match.clone().unwrap_or_default(),
            decisions: comment::available_actions(
                &ctx.auth.actor,
                CommentState { status: c.status(), hidden: c.hidden },
            )
            .into_iter()
            .map(|d| (d.code(), ctx.tr.t(&format!("moderation-{}", d.code())), decision_style(d)))
            .collect(),
        })
        .collect::<Vec<_>>();
    let pager = crate::forms::fields::pager(
        &ctx.tr,
        "/admin/comments",
        &[("show", q.show.clone())],
        page,
        50,
        total,
        rows.len(),
    );
    let notice = match q.done.as_deref().and_then(|d| d.parse::<usize>().ok()) {
        Some(n) => ctx.tr.t_count("moderation-done", "count", n as i64),
        None => String::new(),
    };
    let page_view = QueuePage {
        layout: ctx.layout("portal-admin-comments-title"),
        may_moderate: authorize(&ctx.auth.actor, Action::Moderate, &Resource::Comment).is_allowed(),
        show,
        tabs,
        rows,
        pager,
        notice,
    };
    html(&page_view, StatusCode::OK)
}

/// A moderation decision as sent by the queue's form or the API: `required` when none is given,
/// `invalid` when it names none of `approve`, `reject`, `spam`.
pub fn parse_decision(raw: &str) -> Result<ModerationDecision, AppError> {
    if raw.trim().is_empty() {
        return Err(AppError::Validation(vec![FieldError::new("decision", "required")]));
    }
    ModerationDecision::from_code(raw.trim())
        .ok_or_else(|| AppError::Validation(vec![FieldError::new("decision", "invalid")]))
}

/// `POST /admin/comments`: `decision` (approve, reject, spam) for the ticked `ids`, or one comment by a
/// button `one=<decision>:<id>`.
pub async fn decide(ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    let f = Submitted::parse(&body);
    let (decision, ids): (Result<ModerationDecision, AppError>, Vec<i64>) = match f.get("one").split_once(':') {
        Some((d, id)) => (parse_decision(d), id.parse().ok().into_iter().collect()),
        None => (parse_decision(&f.get("decision")), f.all("ids").iter().filter_map(|v| v.parse().ok()).collect()),
    };
    let decision = decision?;
    let n = tiendo_app::portal::moderation::decide(ctx.state.app(), ctx.auth.session(), &ids, decision).await?;
    let show = f.get("show");
    let show = if show.chars().all(|c| c.is_ascii_lowercase()) { show } else { String::new() };
    Ok(Redirect::to(&format!("/admin/comments?show={show}&done={n}")).into_response())
}

#[derive(Template)]
#[template(path = "portal/admin_portal.html")]
struct SettingsPage {
    layout: Layout,
    moderation: ModerationForm,
    footer: FooterForm,
    errors: FormErrors,
    may_moderation: bool,
    may_footer: bool,
    badge: String,
    notice: String,
}

async fn settings_page(
    ctx: &Ctx,
    moderation: Option<ModerationForm>,
    footer: Option<FooterForm>,
    errors: FormErrors,
    notice: String,
    status: StatusCode,
) -> Result<Response, AppError> {
    let current = tiendo_db::portal::settings(ctx.state.db()).await?;
    let badge = match current.badge_media_id {
        Some(id) => {
            tiendo_db::portal::media::get(ctx.state.db(), id).await?.map(|m| m.url("small")).unwrap_or_default()
        }
        None => String::new(),
    };
    let page = SettingsPage {
        layout: ctx.layout("portal-admin-settings-title"),
        moderation: moderation.unwrap_or_else(|| current.moderation_form()),
        footer: footer.unwrap_or_else(|| current.footer_form()),
        errors,
        may_moderation: authorize(&ctx.auth.actor, Action::Edit, &Resource::ModerationSettings).is_allowed(),
        may_footer: authorize(&ctx.auth.actor, Action::Edit, &Resource::Settings).is_allowed(),
        badge,
        notice,
    };
    html(&page, status)
}

/// Notices after saving.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

/// `GET /admin/portal`.
pub async fn settings_form(ctx: Ctx, Query(q): Query<SavedQuery>) -> Result<Response, AppError> {
    require_moderator(&ctx)?;
    let notice = if q.saved.is_some() { ctx.tr.t("portal-settings-saved") } else { String::new() };
    settings_page(&ctx, None, None, FormErrors::new(), notice, StatusCode::OK).await
}

/// `POST /admin/portal/moderation`.
pub async fn save_moderation(ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    let f = Submitted::parse(&body);
    let form = ModerationForm {
        premoderation: f.has("premoderation"),
        close_after_days: f.get("close_after_days"),
        reports_to_hide: f.get("reports_to_hide"),
        max_comment_length: f.get("max_comment_length"),
        comments_per_ten_minutes: f.get("comments_per_ten_minutes"),
        word_list: f.get("word_list"),
    };
    match tiendo_app::portal::settings::save_moderation(ctx.state.app(), ctx.auth.session(), &form).await {
        Ok(()) => Ok(Redirect::to("/admin/portal?saved=moderation").into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            let errors = FormErrors::from_fields(&errors, &ctx.tr);
            settings_page(&ctx, Some(form), None, errors, String::new(), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/portal/footer` (multipart: the badge image may come along).
pub async fn save_footer(ctx: Ctx, form: Multipart) -> Result<Response, AppError> {
    let (fields, badge) = crate::portal::read_photo_form(form, "badge").await?;
    let get = |n: &str| crate::monitoring::uploads::field(&fields, n).to_owned();
    let typed = FooterForm {
        contact_address: get("contact_address"),
        contact_phone: get("contact_phone"),
        contact_email: get("contact_email"),
        licence_line: get("licence_line"),
        responsible: get("responsible"),
        badge_link: get("badge_link"),
        badge_alt: get("badge_alt"),
    };
    let change = FooterChange { form: typed.clone(), badge, remove_badge: get("remove_badge") == "1" };
    match tiendo_app::portal::settings::save_footer(ctx.state.app(), ctx.auth.session(), change).await {
        Ok(()) => Ok(Redirect::to("/admin/portal?saved=footer").into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            let messages = FormErrors::from_fields(&errors, &ctx.tr);
            settings_page(&ctx, None, Some(typed), messages, String::new(), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}
