//! `/visits/{id}`: a visit with its delegation, each stop (agenda, minutes, assessment, photos,
//! documents, the conclusions taken there with each directive's derived status), the conclusions of the
//! whole visit, the notices of conclusions to download, and the history.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use serde::Deserialize;
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::monitoring::derive_status;
use tiendo_core::visits::{MemberRole, Phase};
use tiendo_db::monitoring::assignments::{self, AssignmentRow};
use tiendo_db::orgtree;
use tiendo_db::visits::{self, Conclusion, Stop, VisitFile};

use super::calendar::dates_text;
use super::service::deadline_in;
use crate::error::AppError;
use crate::history::HistoryItem;
use crate::layout::{Ctx, Layout, render};
use crate::monitoring::status::{self, StatusView};
use crate::monitoring::today;

/// A member of the delegation as shown.
#[derive(Debug, Clone)]
pub struct MemberView {
    person_id: i64,
    name: String,
    role: String,
    org: String,
    position: String,
    is_leader: bool,
}

/// A directive as shown under its conclusion.
#[derive(Debug, Clone)]
pub struct DirectiveView {
    id: i64,
    lead: String,
    coordinators: String,
    deadline: String,
    status: StatusView,
    percent: i64,
    /// Whether the actor may open the assignment's page.
    link: bool,
    /// When the leaders were told it is overdue (`dd/mm/yyyy`), or empty.
    escalated: String,
}

/// A conclusion with its directives.
#[derive(Debug, Clone)]
pub struct ConclusionView {
    task_id: i64,
    code: String,
    text: String,
    product: String,
    directives: Vec<DirectiveView>,
}

/// A photo or a document.
#[derive(Debug, Clone)]
pub struct FileView {
    id: i64,
    href: String,
    name: String,
    caption: String,
    alt: String,
}

/// A stop as shown.
#[derive(Debug, Clone)]
pub struct StopView {
    id: i64,
    date: String,
    time: String,
    place: String,
    host: String,
    host_id: i64,
    unit: String,
    agenda: String,
    minutes: String,
    assessment: String,
    conclusions: Vec<ConclusionView>,
    photos: Vec<FileView>,
    documents: Vec<FileView>,
}

#[derive(Template)]
#[template(path = "visits/show.html")]
struct ShowPage {
    layout: Layout,
    visit: tiendo_db::visits::Visit,
    dates: String,
    phase: &'static str,
    phase_label: String,
    members: Vec<MemberView>,
    stops: Vec<StopView>,
    whole: Vec<ConclusionView>,
    photos: Vec<FileView>,
    documents: Vec<FileView>,
    can_edit: bool,
    notice: String,
    history: Vec<HistoryItem>,
    /// Whether the user may draft a portal article from the visit.
    can_draft_article: bool,
    /// The portal's articles about the visit that the user may open: (address, title, state label).
    articles: Vec<(String, String, String)>,
}

/// The portal's articles about the visit: drafts for those who may read unpublished articles (to their
/// editor page), published ones for everyone (to the public page).
async fn article_lines(ctx: &Ctx, visit_id: i64) -> Result<Vec<(String, String, String)>, AppError> {
    let unpublished = authorize(&ctx.auth.actor, Action::View, &Resource::Article { published: false }).is_allowed();
    Ok(visits::articles_about(ctx.state.db(), visit_id)
        .await?
        .into_iter()
        .filter_map(|a| {
            let state = tiendo_core::portal::ArticleState::from_code(&a.state)?;
            let label = ctx.tr.t(&format!("article-state-{}", state.code()));
            if unpublished {
                Some((format!("/admin/articles/{}", a.id), a.title, label))
            } else if state == tiendo_core::portal::ArticleState::Published {
                Some((format!("/news/{}", a.slug), a.title, label))
            } else {
                None
            }
        })
        .collect())
}

/// Query of the visit's page.
#[derive(Debug, Default, Deserialize)]
pub struct ShowQuery {
    done: Option<String>,
}

/// Whether the actor may open an assignment's page (the pages link only to what they may open).
async fn may_open(ctx: &Ctx, row: &AssignmentRow, reporting: &[i64]) -> Result<bool, AppError> {
    let lead_path = orgtree::path(ctx.state.db(), row.lead_org_id).await?;
    let coordinates = assignments::coordinated_by_any(ctx.state.db(), row.id, reporting).await?;
    Ok(authorize(
        &ctx.auth.actor,
        Action::View,
        &Resource::Assignment { lead_path: &lead_path, actor_coordinates: coordinates },
    )
    .is_allowed())
}

async fn conclusion_views(
    ctx: &Ctx,
    conclusions: &[Conclusion],
    directives: &[AssignmentRow],
    escalated: &HashMap<i64, String>,
) -> Result<Vec<ConclusionView>, AppError> {
    let now = today();
    let reporting = crate::monitoring::reporting_orgs(&ctx.state, &ctx.auth.actor).await?;
    let mut out = Vec::with_capacity(conclusions.len());
    for c in conclusions {
        let mut views = Vec::new();
        for row in directives.iter().filter(|r| r.task_id == c.task_id) {
            let coordinators: Vec<String> =
                assignments::coordinators(ctx.state.db(), row.id).await?.into_iter().map(|(_, n)| n).collect();
            let derived = derive_status(&row.facts(), now);
            views.push(DirectiveView {
                id: row.id,
                lead: row.lead_name.clone(),
                coordinators: coordinators.join(", "),
                deadline: deadline_in(&ctx.tr, &row.deadline()),
                percent: crate::monitoring::dashboard::assignment_progress(row, &derived) as i64,
                status: status::view(&ctx.tr, &derived),
                link: may_open(ctx, row, &reporting).await?,
                escalated: escalated.get(&row.id).cloned().unwrap_or_default(),
            });
        }
        out.push(ConclusionView {
            task_id: c.task_id,
            code: c.code.clone(),
            text: c.text.clone(),
            product: c.expected_product.clone().unwrap_or_default(),
            directives: views,
        });
    }
    Ok(out)
}

fn file_view(f: &VisitFile) -> FileView {
    FileView {
        id: f.id,
        href: format!("/files/{}/{}", f.attachment_id, crate::forms::url_encode(&f.original_name)),
        name: f.original_name.clone(),
        caption: f.caption.clone().unwrap_or_default(),
        alt: f.alt_text.clone().unwrap_or_default(),
    }
}

fn split_files(files: &[VisitFile], stop: Option<i64>) -> (Vec<FileView>, Vec<FileView>) {
    let of_stop = files.iter().filter(|f| f.stop_id == stop);
    let photos = of_stop.clone().filter(|f| f.kind == "photo").map(file_view).collect();
    let documents = of_stop.filter(|f| f.kind != "photo").map(file_view).collect();
    (photos, documents)
}

/// The label of a stop in selects: "27/02/2020 — UBND thị xã Quảng Yên".
pub fn stop_label(s: &Stop) -> String {
    format!("{} — {}", tiendo_core::fmt::date(s.on_date), s.host_name)
}

/// `GET /visits/{id}`.
pub async fn show(ctx: Ctx, Path(id): Path<i64>, Query(q): Query<ShowQuery>) -> Result<Response, AppError> {
    let visit = super::visible(&ctx, id).await?;
    let db = ctx.state.db();
    let can_edit = super::may(&ctx.state, &ctx.auth, &visit, Action::Edit).await?;
    let notice = match q.done.as_deref() {
        Some(key @ ("saved" | "conclusion" | "directive" | "file" | "removed")) => {
            ctx.tr.t(&format!("visit-done-{key}"))
        }
        _ => String::new(),
    };
    let members = visits::members(db, id)
        .await?
        .into_iter()
        .map(|m| MemberView {
            is_leader: m.role == MemberRole::Leader.code(),
            role: ctx.tr.t(&format!("visit-role-{}", m.role)),
            person_id: m.person_id,
            name: m.person_name,
            org: m.organization_name.unwrap_or_default(),
            position: m.position.unwrap_or_default(),
        })
        .collect();
    let stops = visits::stops(db, id).await?;
    let conclusions = visits::conclusions(db, id).await?;
    let directives = visits::directives(db, id).await?;
    let escalated: HashMap<i64, String> = visits::escalated(db, id)
        .await?
        .into_iter()
        .map(|(assignment, _, at)| (assignment, tiendo_core::fmt::date(tiendo_core::time::vietnam_date(at))))
        .collect();
    let files = visits::files(db, id).await?;
    let mut stop_views = Vec::with_capacity(stops.len());
    for s in &stops {
        let here: Vec<Conclusion> = conclusions.iter().filter(|c| c.stop_id == Some(s.id)).cloned().collect();
        let (photos, documents) = split_files(&files, Some(s.id));
        stop_views.push(StopView {
            id: s.id,
            date: tiendo_core::fmt::date(s.on_date),
            time: s.start_time.clone().unwrap_or_default(),
            place: s.place.clone().unwrap_or_default(),
            host: s.host_name.clone(),
            host_id: s.host_org_id,
            unit: s.unit_name.clone().unwrap_or_default(),
            agenda: s.agenda.clone().unwrap_or_default(),
            minutes: s.minutes.clone().unwrap_or_default(),
            assessment: s.assessment.clone().unwrap_or_default(),
            conclusions: conclusion_views(&ctx, &here, &directives, &escalated).await?,
            photos,
            documents,
        });
    }
    let whole: Vec<Conclusion> = conclusions.iter().filter(|c| c.stop_id.is_none()).cloned().collect();
    let (photos, documents) = split_files(&files, None);
    let phase = Phase::of(visit.starts_on, visit.ends_on, today());
    let page = ShowPage {
        layout: ctx.layout_titled(visit.title.clone()),
        dates: dates_text(visit.starts_on, visit.ends_on),
        phase: phase.code(),
        phase_label: ctx.tr.t(&format!("visit-phase-{}", phase.code())),
        members,
        whole: conclusion_views(&ctx, &whole, &directives, &escalated).await?,
        stops: stop_views,
        photos,
        documents,
        can_edit,
        notice,
        history: crate::history::load(&ctx.state, &ctx.tr, "visit", id).await?,
        can_draft_article: super::article::may_draft(&ctx),
        articles: article_lines(&ctx, id).await?,
        visit,
    };
    render(&page)
}
