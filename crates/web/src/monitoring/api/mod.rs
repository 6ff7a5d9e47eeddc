//! The JSON API of resolution monitoring: the register of legal documents, plans with their targets and
//! tasks, assignments, progress updates and the dashboards.
//!
//! Nothing here decides on its own: every read and every write is a `tiendo_app::monitoring` function, the
//! same the pages call, so the rules, the permissions, the audit events and the notifications are the
//! same on both surfaces.

pub mod assignments;
pub mod dashboards;
pub mod legal_documents;
pub mod plans;
pub mod targets;
pub mod updates;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tiendo_core::monitoring::{Deadline, DerivedStatus, StatusKind};
use tiendo_db::files::Attachment;
use utoipa::ToSchema;

use tiendo_core::monitoring::{DeadlineFields, Summary};

use crate::api::ListPage;
use crate::api::paging::Paging;
use crate::error::FieldError;

/// A page already cut, with the total count.
pub fn answer<T>(paging: Paging, items: Vec<T>, total: usize) -> ListPage<T> {
    let total = i64::try_from(total).unwrap_or(i64::MAX);
    let next = paging.next(items.len(), total);
    ListPage { items, total, next }
}

/// An organisation referred to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrgRef {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
}

/// A user referred to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserRef {
    /// Account id.
    pub id: i64,
    /// Name shown.
    pub name: String,
}

/// A deadline: its `kind` and the fields of that kind.
///
/// - `fixed`: by `due_on`;
/// - `yearly`: every year by `yearly_day`/`yearly_month` (a yearly report, say);
/// - `continuous` ("thường xuyên"): never overdue;
/// - `period`: from `period_start` to `period_end`, due at its end.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct DeadlineBody {
    /// `fixed`, `yearly`, `continuous` or `period`.
    pub kind: String,
    /// The date of a fixed deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<NaiveDate>,
    /// The start of a period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_start: Option<NaiveDate>,
    /// The end of a period (the due date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period_end: Option<NaiveDate>,
    /// The month of a yearly deadline, 1–12.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yearly_month: Option<u32>,
    /// The day of a yearly deadline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yearly_day: Option<u32>,
}

impl From<Deadline> for DeadlineBody {
    fn from(d: Deadline) -> DeadlineBody {
        let f = DeadlineFields::from(d);
        DeadlineBody {
            kind: f.kind,
            due_on: f.due_on,
            period_start: f.period_start,
            period_end: f.period_end,
            yearly_month: f.yearly_month,
            yearly_day: f.yearly_day,
        }
    }
}

impl DeadlineBody {
    /// The fields the deadline parser reads.
    pub fn fields(&self) -> DeadlineFields {
        DeadlineFields {
            kind: self.kind.clone(),
            due_on: self.due_on,
            period_start: self.period_start,
            period_end: self.period_end,
            yearly_month: self.yearly_month,
            yearly_day: self.yearly_day,
        }
    }

    /// The deadline through the one parser, for the API of working visits.
    pub fn draft(&self) -> DeadlineDraft {
        DeadlineDraft(self.fields())
    }
}

/// A deadline as sent, read by [`DeadlineFields::deadline`] with its problems named `deadline.<field>`
/// (the form the API of working visits reads its directives' deadlines in).
#[derive(Debug, Clone)]
pub struct DeadlineDraft(DeadlineFields);

impl DeadlineDraft {
    /// The deadline, or `None` with the fields at fault added to `errors`.
    pub fn deadline(&self, errors: &mut Vec<FieldError>) -> Option<Deadline> {
        self.0
            .deadline()
            .map_err(|issues| {
                errors.extend(issues.into_iter().map(|i| FieldError::new(format!("deadline.{}", i.field), i.code)));
            })
            .ok()
    }
}

/// The status of an assignment, derived from its deadline and its accepted completion as of today
/// (Vietnam time), never typed in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusBody {
    /// `completed_on_time`, `completed_late`, `in_progress`, `not_started`, `overdue` or `cancelled`.
    pub code: String,
    /// The due date of the current cycle, if any.
    pub due_on: Option<NaiveDate>,
    /// Days past the due date (overdue, or completed late).
    pub days_late: Option<i64>,
    /// At risk: flagged, or due within 14 days with progress below 70%.
    pub at_risk: bool,
    /// Blocked (waiting for guidance, say).
    pub blocked: bool,
}

impl From<&DerivedStatus> for StatusBody {
    fn from(s: &DerivedStatus) -> StatusBody {
        StatusBody {
            code: s.kind.code().to_owned(),
            due_on: s.due_on,
            days_late: s.days_late,
            at_risk: s.at_risk,
            blocked: s.blocked,
        }
    }
}

/// Assignments by derived status.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct StatusCounts {
    /// Completed on time.
    pub completed_on_time: i64,
    /// Completed late.
    pub completed_late: i64,
    /// In progress within the deadline.
    pub in_progress: i64,
    /// Not started, within the deadline.
    pub not_started: i64,
    /// Overdue.
    pub overdue: i64,
    /// Cancelled (left out of `total` and of the progress).
    pub cancelled: i64,
}

/// The figures of a set of assignments: counts by status and weighted progress.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Figures {
    /// Assignments, cancelled ones excepted.
    pub total: i64,
    /// Weighted progress, 0–100 (each task's progress is the mean of its assignments'; tasks weigh by their
    /// weight), one decimal.
    pub progress: f64,
    /// How many are at risk.
    pub at_risk: i64,
    /// How many are blocked.
    pub blocked: i64,
    /// How many in each status.
    pub counts: StatusCounts,
}

impl From<&Summary> for Figures {
    fn from(s: &Summary) -> Figures {
        Figures {
            total: s.total,
            progress: (s.progress * 10.0).round() / 10.0,
            at_risk: s.at_risk,
            blocked: s.blocked,
            counts: StatusCounts {
                completed_on_time: s.count(StatusKind::CompletedOnTime),
                completed_late: s.count(StatusKind::CompletedLate),
                in_progress: s.count(StatusKind::InProgress),
                not_started: s.count(StatusKind::NotStarted),
                overdue: s.count(StatusKind::Overdue),
                cancelled: s.count(StatusKind::Cancelled),
            },
        }
    }
}

/// A stored file's metadata (the file itself is served to signed-in sessions at `/files/{id}/{name}`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FileMeta {
    /// Id.
    pub id: i64,
    /// The name it was uploaded under.
    pub name: String,
    /// Its type, by content.
    pub content_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
}

impl From<Attachment> for FileMeta {
    fn from(a: Attachment) -> FileMeta {
        FileMeta { id: a.id, name: a.original_name, content_type: a.content_type, size: a.size, sha256: a.sha256 }
    }
}

/// A page of a list read in pages by the database (`total` the count of every match).
pub(crate) fn paged<T>(paging: Paging, items: Vec<T>, total: i64) -> ListPage<T> {
    answer(paging, items, usize::try_from(total).unwrap_or(0))
}
