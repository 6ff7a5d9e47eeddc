//! The request and response bodies of `/api/v1/visits`, and how a visit read by the use cases becomes one.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tiendo_app::visits::{Directive, VisitDetail};
use tiendo_core::visits::{DirectiveDraft, MemberDraft, Phase, StopDraft, VisitAction, VisitDraft};
use tiendo_db::visits::Conclusion;
use utoipa::{IntoParams, ToSchema};

use crate::api::monitoring::DeadlineBody;
use crate::error::FieldError;

/// A visit in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitItem {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// `upcoming`, `ongoing` or `past` (Vietnam time).
    pub phase: String,
    /// The organising organisation.
    pub organizer_org_id: i64,
    /// Its name.
    pub organizer_name: String,
    /// The leader.
    pub leader_person_id: Option<i64>,
    /// The leader's name.
    pub leader_name: Option<String>,
    /// Invented for the demo.
    pub is_sample: bool,
}

/// A member of the delegation.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberOut {
    /// The person.
    pub person_id: i64,
    /// The name with the title.
    pub name: String,
    /// `leader`, `deputy`, `member` or `secretary`.
    pub role: String,
    /// The organisation represented.
    pub organization_id: Option<i64>,
    /// Its name.
    pub organization_name: Option<String>,
    /// The office, as the notice names it.
    pub position: Option<String>,
}

/// A stop.
#[derive(Debug, Serialize, ToSchema)]
pub struct StopOut {
    /// Id.
    pub id: i64,
    /// Day.
    pub date: NaiveDate,
    /// Time (`08:30`).
    pub time: Option<String>,
    /// Place.
    pub place: Option<String>,
    /// The host organisation.
    pub host_org_id: i64,
    /// Its name.
    pub host_name: String,
    /// The host's administrative unit at the time.
    pub admin_unit_id: Option<i64>,
    /// Its name.
    pub locality: Option<String>,
    /// Agenda.
    pub agenda: Option<String>,
    /// Minutes.
    pub minutes: Option<String>,
    /// General assessment.
    pub assessment: Option<String>,
}

/// A directive: an assignment of monitoring.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectiveOut {
    /// The assignment's id (`/assignments/{id}`).
    pub assignment_id: i64,
    /// The lead organisation.
    pub lead_org_id: i64,
    /// Its name.
    pub lead_name: String,
    /// The coordinating organisations.
    pub coordinator_org_ids: Vec<i64>,
    /// The deadline, as in `/assignments`.
    pub deadline: DeadlineBody,
    /// `high`, `normal` or `low`.
    pub priority: String,
    /// The derived status: `completed_on_time`, `completed_late`, `in_progress`, `not_started`,
    /// `overdue`, `cancelled`.
    pub status: String,
    /// The due date of the current cycle.
    pub due_on: Option<NaiveDate>,
    /// Days late (overdue or completed late).
    pub days_late: Option<i64>,
    /// Latest accepted progress, 0–100.
    pub percent: i64,
    /// The accepted completion date.
    pub completed_on: Option<NaiveDate>,
    /// When the leaders of the assigning side were told it is overdue.
    pub escalated_at: Option<DateTime<Utc>>,
}

/// A conclusion with its directives.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConclusionOut {
    /// The task that carries it in the visit's plan.
    pub task_id: i64,
    /// Its number.
    pub code: String,
    /// What was concluded.
    pub text: String,
    /// The expected product.
    pub expected_product: Option<String>,
    /// The stop it was taken at; `null` for the whole visit.
    pub stop_id: Option<i64>,
    /// Its directives.
    pub directives: Vec<DirectiveOut>,
}

/// A photo or document.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileOut {
    /// Id.
    pub id: i64,
    /// The stored file (`/files/{attachment_id}/{name}`).
    pub attachment_id: i64,
    /// `photo` or `document`.
    pub kind: String,
    /// The stop, if any.
    pub stop_id: Option<i64>,
    /// Caption.
    pub caption: Option<String>,
    /// Alternative text (photos).
    pub alt_text: Option<String>,
    /// The file's name.
    pub name: String,
    /// Its content type.
    pub content_type: String,
    /// Where to download it.
    pub url: String,
}

/// A visit with everything it holds.
#[derive(Debug, Serialize, ToSchema)]
pub struct VisitOut {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Purpose.
    pub purpose: String,
    /// The organising organisation (the assigning side of the directives).
    pub organizer_org_id: i64,
    /// Its name.
    pub organizer_name: String,
    /// The decision forming the delegation.
    pub legal_basis_id: Option<i64>,
    /// Its symbol.
    pub legal_basis_symbol: Option<String>,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// `upcoming`, `ongoing` or `past`.
    pub phase: String,
    /// The general assessment.
    pub assessment: Option<String>,
    /// The plan tracking its conclusions (`/plans/{plan_id}`).
    pub plan_id: Option<i64>,
    /// The plan it follows up.
    pub parent_plan_id: Option<i64>,
    /// The delegation, leader first.
    pub members: Vec<MemberOut>,
    /// The stops.
    pub stops: Vec<StopOut>,
    /// The conclusions, with their directives.
    pub conclusions: Vec<ConclusionOut>,
    /// Photos and documents.
    pub files: Vec<FileOut>,
    /// What the caller may do with it (as the buttons of its page).
    pub permissions: VisitPermissions,
    /// Invented for the demo.
    pub is_sample: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// What the caller may do with a visit, from `tiendo_core::visits::available_actions` (the visit's page
/// shows the same buttons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct VisitPermissions {
    /// Change the visit, its delegation and stops (`PUT /visits/{id}`).
    pub edit: bool,
    /// Record a conclusion with its directives.
    pub add_conclusion: bool,
    /// Give one more directive for a conclusion.
    pub add_directive: bool,
    /// Attach a photo or a document.
    pub add_file: bool,
    /// Detach a photo or a document.
    pub remove_file: bool,
    /// Download the notice of conclusions.
    pub export_notice: bool,
}

impl VisitPermissions {
    /// The permissions of the actions the caller may take.
    pub fn of(actions: &[VisitAction]) -> VisitPermissions {
        let may = |a| actions.contains(&a);
        VisitPermissions {
            edit: may(VisitAction::Edit),
            add_conclusion: may(VisitAction::AddConclusion),
            add_directive: may(VisitAction::AddDirective),
            add_file: may(VisitAction::AddFile),
            remove_file: may(VisitAction::RemoveFile),
            export_notice: may(VisitAction::ExportNotice),
        }
    }
}

impl DirectiveOut {
    fn of(d: &Directive) -> DirectiveOut {
        let row = &d.row;
        DirectiveOut {
            assignment_id: row.id,
            lead_org_id: row.lead_org_id,
            lead_name: row.lead_name.clone(),
            coordinator_org_ids: d.coordinators.iter().map(|(id, _)| *id).collect(),
            deadline: row.deadline().into(),
            priority: row.priority.clone(),
            status: d.status.kind.code().to_owned(),
            due_on: d.status.due_on,
            days_late: d.status.days_late,
            percent: row.percent,
            completed_on: row.completed_on,
            escalated_at: d.escalated_at,
        }
    }
}

impl ConclusionOut {
    fn of(detail: &VisitDetail, c: &Conclusion) -> ConclusionOut {
        ConclusionOut {
            task_id: c.task_id,
            code: c.code.clone(),
            text: c.text.clone(),
            expected_product: c.expected_product.clone(),
            stop_id: c.stop_id,
            directives: detail.directives_of(c.task_id).map(DirectiveOut::of).collect(),
        }
    }
}

impl VisitOut {
    /// The API form of a visit as the caller may see it, on `today`.
    pub fn of(detail: VisitDetail, today: NaiveDate) -> VisitOut {
        let conclusions = detail.conclusions.iter().map(|c| ConclusionOut::of(&detail, c)).collect();
        let v = detail.visit;
        VisitOut {
            id: v.id,
            phase: Phase::of(v.starts_on, v.ends_on, today).code().to_owned(),
            members: detail
                .members
                .into_iter()
                .map(|m| MemberOut {
                    person_id: m.person_id,
                    name: m.person_name,
                    role: m.role,
                    organization_id: m.organization_id,
                    organization_name: m.organization_name,
                    position: m.position,
                })
                .collect(),
            stops: detail
                .stops
                .into_iter()
                .map(|s| StopOut {
                    id: s.id,
                    date: s.on_date,
                    time: s.start_time,
                    place: s.place,
                    host_org_id: s.host_org_id,
                    host_name: s.host_name,
                    admin_unit_id: s.admin_unit_id,
                    locality: s.unit_name,
                    agenda: s.agenda,
                    minutes: s.minutes,
                    assessment: s.assessment,
                })
                .collect(),
            conclusions,
            files: detail
                .files
                .into_iter()
                .map(|f| FileOut {
                    url: format!("/files/{}/{}", f.attachment_id, crate::forms::url_encode(&f.original_name)),
                    id: f.id,
                    attachment_id: f.attachment_id,
                    kind: f.kind,
                    stop_id: f.stop_id,
                    caption: f.caption,
                    alt_text: f.alt_text,
                    name: f.original_name,
                    content_type: f.content_type,
                })
                .collect(),
            permissions: VisitPermissions::of(&detail.actions),
            title: v.title,
            purpose: v.purpose,
            organizer_org_id: v.organizer_org_id,
            organizer_name: v.organizer_name,
            legal_basis_id: v.legal_basis_id,
            legal_basis_symbol: v.legal_basis_symbol,
            starts_on: v.starts_on,
            ends_on: v.ends_on,
            assessment: v.assessment,
            plan_id: v.plan_id,
            parent_plan_id: v.parent_plan_id,
            is_sample: v.is_sample,
            created_at: v.created_at,
            updated_at: v.updated_at,
        }
    }
}

/// Filters of the visit list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VisitListQuery {
    /// Only visits ending on or after this day.
    pub from: Option<NaiveDate>,
    /// Only visits starting on or before this day.
    pub to: Option<NaiveDate>,
    /// Only visits with a stop in this administrative unit (its id) or a unit under it.
    pub locality: Option<i64>,
    /// Only visits this organisation organised, hosted or sent a member to.
    pub organization: Option<i64>,
    /// Only visits led by this person.
    pub leader: Option<i64>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

/// A member to record: a person of the directory by id, or by name.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MemberIn {
    /// The person's id in the directory.
    pub person_id: Option<i64>,
    /// Or their name as in the directory ("TS. Nguyễn Đắc Bình Minh").
    pub name: Option<String>,
    /// `leader`, `deputy`, `member` (default) or `secretary`.
    pub role: Option<String>,
    /// The organisation represented (default: the person's own).
    pub organization_id: Option<i64>,
}

/// A stop to record.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct StopIn {
    /// A stored stop's id, to keep it (with its conclusions and photos) when replacing a visit.
    pub id: Option<i64>,
    /// The day, within the visit's dates.
    pub date: Option<NaiveDate>,
    /// The time (`08:30`, `8h30`).
    pub time: Option<String>,
    /// The place.
    pub place: Option<String>,
    /// The host organisation.
    pub host_org_id: Option<i64>,
    /// Agenda.
    pub agenda: Option<String>,
    /// Minutes.
    pub minutes: Option<String>,
    /// General assessment.
    pub assessment: Option<String>,
}

/// A visit to create, or the new state of one (stops not listed are removed).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct VisitIn {
    /// Title.
    pub title: String,
    /// Purpose.
    pub purpose: String,
    /// The organising organisation.
    pub organizer_org_id: Option<i64>,
    /// The decision forming the delegation (a document of the register).
    pub legal_basis_id: Option<i64>,
    /// The plan or programme the visit follows up.
    pub parent_plan_id: Option<i64>,
    /// First day.
    pub starts_on: Option<NaiveDate>,
    /// Last day.
    pub ends_on: Option<NaiveDate>,
    /// The general assessment of the whole visit.
    pub assessment: Option<String>,
    /// The delegation, with exactly one leader.
    #[serde(default)]
    pub members: Vec<MemberIn>,
    /// The stops, at least one.
    #[serde(default)]
    pub stops: Vec<StopIn>,
}

fn id_text(id: Option<i64>) -> String {
    id.map(|i| i.to_string()).unwrap_or_default()
}

fn date_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

impl VisitIn {
    /// The draft the use cases check (stops left out are removed by `update_visit`).
    pub fn draft(&self) -> VisitDraft {
        let stops: Vec<StopDraft> = self
            .stops
            .iter()
            .map(|s| StopDraft {
                id: id_text(s.id),
                date: date_text(s.date),
                time: s.time.clone().unwrap_or_default(),
                place: s.place.clone().unwrap_or_default(),
                host_id: id_text(s.host_org_id),
                agenda: s.agenda.clone().unwrap_or_default(),
                minutes: s.minutes.clone().unwrap_or_default(),
                assessment: s.assessment.clone().unwrap_or_default(),
            })
            .collect();
        VisitDraft {
            title: self.title.clone(),
            purpose: self.purpose.clone(),
            organizer_id: id_text(self.organizer_org_id),
            legal_basis_id: id_text(self.legal_basis_id),
            parent_plan_id: id_text(self.parent_plan_id),
            starts_on: date_text(self.starts_on),
            ends_on: date_text(self.ends_on),
            assessment: self.assessment.clone().unwrap_or_default(),
            members: self
                .members
                .iter()
                .map(|m| MemberDraft {
                    name: m.name.clone().unwrap_or_default(),
                    person_id: id_text(m.person_id),
                    role: m.role.clone().unwrap_or_default(),
                    organization_id: id_text(m.organization_id),
                })
                .collect(),
            stops,
        }
    }
}

/// A directive to give.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DirectiveIn {
    /// The responsible (lead) organisation; required.
    pub lead_org_id: Option<i64>,
    /// The coordinating organisations.
    #[serde(default)]
    pub coordinator_org_ids: Vec<i64>,
    /// The deadline, as in `/assignments`; required, not before the conclusion's day.
    pub deadline: Option<DeadlineBody>,
    /// `high`, `normal` (default) or `low`.
    pub priority: Option<String>,
}

impl DirectiveIn {
    /// The draft the shared operation checks, and the problems of a deadline sent incomplete (named
    /// `{prefix}deadline.due_on` and so on, as in `/assignments`).
    pub fn draft(&self, prefix: &str, problems: &mut Vec<FieldError>) -> DirectiveDraft {
        let deadline = self.deadline.as_ref().and_then(|body| {
            let mut errors = Vec::new();
            let deadline = body.draft().deadline(&mut errors);
            problems.extend(errors.into_iter().map(|mut e| {
                e.field = format!("{prefix}{}", e.field);
                e
            }));
            deadline
        });
        DirectiveDraft {
            lead_id: self.lead_org_id,
            coordinators: self.coordinator_org_ids.clone(),
            deadline,
            priority: self.priority.clone().unwrap_or_default(),
        }
    }
}

/// A conclusion to record, with its directives (at least one).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ConclusionIn {
    /// What was concluded.
    pub text: String,
    /// The expected product.
    pub expected_product: Option<String>,
    /// The stop it was taken at; absent for the whole visit.
    pub stop_id: Option<i64>,
    /// Its directives.
    #[serde(default)]
    pub directives: Vec<DirectiveIn>,
}

/// Which notice to produce.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeQuery {
    /// `docx` (default) or `pdf`.
    #[param(schema_with = crate::api::codes::document_format)]
    pub format: Option<String>,
    /// A stop's id for the notice of that stop; absent for the whole visit.
    pub stop: Option<i64>,
}
