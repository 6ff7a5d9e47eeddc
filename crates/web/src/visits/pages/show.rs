//! `/visits/{id}`: a visit with its delegation, each stop (agenda, minutes, assessment, photos,
//! documents, the conclusions taken there with each directive's derived status), the conclusions of the
//! whole visit, the notices of conclusions to download, and the history.

use askama::Template;
use axum::response::Response;
use serde::Deserialize;
use tiendo_app::visits::{VisitDetail, deadline_in};
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::visits::{MemberRole, Phase, VisitAction, dates_text};
use tiendo_db::visits::{self, Conclusion, Stop, VisitFile};

use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::history::HistoryItem;
use crate::layout::{Ctx, Layout, render};
use crate::monitoring::status::{self, StatusView};

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

/// The buttons of the visit's page, from `tiendo_core::visits::available_actions` (as the API's
/// `permissions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Buttons {
    /// "Edit".
    pub edit: bool,
    /// "Add a conclusion", under each stop and for the whole visit.
    pub add_conclusion: bool,
    /// "Add a directive", under each conclusion.
    pub add_directive: bool,
    /// "Add a photo or document".
    pub add_file: bool,
    /// "Remove", beside each photo and document.
    pub remove_file: bool,
    /// The notice of conclusions as DOCX and PDF.
    pub export_notice: bool,
}

impl Buttons {
    /// The buttons of the actions the actor may take.
    pub fn of(actions: &[VisitAction]) -> Buttons {
        let may = |a| actions.contains(&a);
        Buttons {
            edit: may(VisitAction::Edit),
            add_conclusion: may(VisitAction::AddConclusion),
            add_directive: may(VisitAction::AddDirective),
            add_file: may(VisitAction::AddFile),
            remove_file: may(VisitAction::RemoveFile),
            export_notice: may(VisitAction::ExportNotice),
        }
    }
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
    /// How many photos and documents belong to the stops (shown with them above).
    stop_files: usize,
    buttons: Buttons,
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

/// The conclusions with their directives, as shown.
fn conclusion_views(ctx: &Ctx, detail: &VisitDetail, conclusions: &[&Conclusion]) -> Vec<ConclusionView> {
    conclusions
        .iter()
        .map(|c| ConclusionView {
            task_id: c.task_id,
            code: c.code.clone(),
            text: c.text.clone(),
            product: c.expected_product.clone().unwrap_or_default(),
            directives: detail
                .directives_of(c.task_id)
                .map(|d| DirectiveView {
                    id: d.row.id,
                    lead: d.row.lead_name.clone(),
                    coordinators: d.coordinators.iter().map(|(_, name)| name.as_str()).collect::<Vec<_>>().join(", "),
                    deadline: deadline_in(&ctx.tr, &d.row.deadline()),
                    percent: crate::monitoring::dashboard::assignment_progress(&d.row, &d.status) as i64,
                    status: status::view(&ctx.tr, &d.status),
                    link: d.may_open,
                    escalated: d
                        .escalated_at
                        .map(|at| tiendo_core::fmt::date(tiendo_core::time::vietnam_date(at)))
                        .unwrap_or_default(),
                })
                .collect(),
        })
        .collect()
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
    let detail = tiendo_app::visits::detail(ctx.state.app(), ctx.auth.session(), id).await?;
    let notice = match q.done.as_deref() {
        Some(key @ ("saved" | "conclusion" | "directive" | "file" | "removed")) => {
            ctx.tr.t(&format!("visit-done-{key}"))
        }
        _ => String::new(),
    };
    let members = detail
        .members
        .iter()
        .map(|m| MemberView {
            is_leader: m.role == MemberRole::Leader.code(),
            role: ctx.tr.t(&format!("visit-role-{}", m.role)),
            person_id: m.person_id,
            name: m.person_name.clone(),
            org: m.organization_name.clone().unwrap_or_default(),
            position: m.position.clone().unwrap_or_default(),
        })
        .collect();
    let stops = detail
        .stops
        .iter()
        .map(|s| {
            let here: Vec<&Conclusion> = detail.conclusions.iter().filter(|c| c.stop_id == Some(s.id)).collect();
            let (photos, documents) = split_files(&detail.files, Some(s.id));
            StopView {
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
                conclusions: conclusion_views(&ctx, &detail, &here),
                photos,
                documents,
            }
        })
        .collect();
    let whole: Vec<&Conclusion> = detail.conclusions.iter().filter(|c| c.stop_id.is_none()).collect();
    let (photos, documents) = split_files(&detail.files, None);
    let visit = &detail.visit;
    let phase = Phase::of(visit.starts_on, visit.ends_on, ctx.state.app().today());
    let page = ShowPage {
        layout: ctx.layout_named(visit.title.clone()),
        dates: dates_text(visit.starts_on, visit.ends_on),
        phase: phase.code(),
        phase_label: ctx.tr.t(&format!("visit-phase-{}", phase.code())),
        members,
        whole: conclusion_views(&ctx, &detail, &whole),
        stops,
        photos,
        documents,
        stop_files: detail.files.iter().filter(|f| f.stop_id.is_some()).count(),
        buttons: Buttons::of(&detail.actions),
        notice,
        history: crate::history::load(&ctx.state, &ctx.tr, "visit", id).await?,
        can_draft_article: crate::visits::article::may_draft(&ctx),
        articles: article_lines(&ctx, id).await?,
        visit: detail.visit.clone(),
    };
    render(&page)
}
