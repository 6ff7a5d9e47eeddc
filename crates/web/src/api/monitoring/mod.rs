//! The JSON API of resolution monitoring: the document register, plans with their targets and tasks,
//! assignments, progress updates and the dashboards.
//!
//! Nothing here decides on its own: access is checked with the functions the pages use
//! ([`crate::monitoring::visibility`], [`crate::monitoring::service::assignments::visible`], `may_plan`, …),
//! and every write goes through the operations the pages use ([`crate::monitoring::service`]), so the
//! rules, the audit events and the notifications are the same on both surfaces.

pub mod assignments;
pub mod dashboard;
pub mod documents;
pub mod plans;
pub mod targets;
pub mod updates;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tiendo_core::monitoring::{Deadline, DerivedStatus, StatusKind};
use tiendo_db::files::Attachment;
use utoipa::ToSchema;

use super::ListPage;
use super::paging::Paging;
use crate::monitoring::dashboard::Summary;
use crate::monitoring::service::assignments::DeadlineDraft;

/// The page of a list held in memory (the lists filtered on the derived status), with the total and the
/// next cursor.
pub fn page_of<T>(paging: Paging, all: Vec<T>) -> ListPage<T> {
    let total = all.len();
    let offset = usize::try_from(paging.offset).unwrap_or(usize::MAX);
    let limit = usize::try_from(paging.limit).unwrap_or(0);
    let items: Vec<T> = all.into_iter().skip(offset).take(limit).collect();
    answer(paging, items, total)
}

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
        let kind = d.kind_code().to_owned();
        match d {
            Deadline::Fixed { date } => DeadlineBody { kind, due_on: Some(date), ..DeadlineBody::default() },
            Deadline::Yearly { month, day } => {
                DeadlineBody { kind, yearly_month: Some(month), yearly_day: Some(day), ..DeadlineBody::default() }
            }
            Deadline::Continuous => DeadlineBody { kind, ..DeadlineBody::default() },
            Deadline::Period { from, to } => {
                DeadlineBody { kind, period_start: Some(from), period_end: Some(to), ..DeadlineBody::default() }
            }
        }
    }
}

impl DeadlineBody {
    /// The draft the shared operation checks.
    pub fn draft(&self) -> DeadlineDraft {
        DeadlineDraft {
            kind: self.kind.clone(),
            due_on: self.due_on,
            period_start: self.period_start,
            period_end: self.period_end,
            yearly_month: self.yearly_month,
            yearly_day: self.yearly_day,
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_a_list_in_memory_say_where_the_next_begins() {
        let first = page_of(Paging::parse(Some(2), None).unwrap(), vec![1, 2, 3, 4, 5]);
        assert_eq!((first.items, first.total, first.next.as_deref()), (vec![1, 2], 5, Some("2")));
        let last = page_of(Paging::parse(Some(2), Some("4")).unwrap(), vec![1, 2, 3, 4, 5]);
        assert_eq!((last.items, last.next), (vec![5], None));
        let beyond = page_of(Paging::parse(None, Some("9")).unwrap(), vec![1]);
        assert!(beyond.items.is_empty() && beyond.next.is_none());
    }
}
