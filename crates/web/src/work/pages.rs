//! `/work`: what waits for the signed-in user, each part a table or a list linking to where the work is
//! done: the updates and reports waiting for review, the escalated directives, what a unit owes, its
//! updates not sent, the visits that involved it. Roles without any part see what they can open instead.

use askama::Template;
use axum::response::Response;
use tiendo_app::work::{self, ToDo};
use tiendo_db::monitoring::to_do::PendingUpdate;
use tiendo_db::visits::{OpenEscalation, VisitSummary};

use crate::error::AppError;
use crate::layout::{Ctx, Layout, render};
use crate::monitoring::pages::dashboards::{AssignmentLine, lines};
use crate::reporting::pages::entry::{ReportLine, line};

/// A progress update in a list of work.
#[derive(Debug, Clone)]
pub struct UpdateLine {
    /// The assignment it reports on.
    pub assignment_id: i64,
    /// Task code and title.
    pub task: String,
    /// The plan's title.
    pub plan: String,
    /// The lead organisation.
    pub lead: String,
    /// Progress, 0–100.
    pub percent: i64,
    /// Its state's label.
    pub status: String,
    /// When sent, or last changed for one not sent.
    pub when: String,
}

/// A list with its total.
#[derive(Debug, Clone)]
pub struct Part<T> {
    /// Whether the user's roles give this part.
    pub shown: bool,
    /// The first items.
    pub items: Vec<T>,
    /// How many there are.
    pub total: i64,
}

impl<T> Default for Part<T> {
    fn default() -> Self {
        Part { shown: false, items: Vec::new(), total: 0 }
    }
}

fn update_lines(ctx: &Ctx, counted: Option<work::Counted<PendingUpdate>>) -> Part<UpdateLine> {
    let Some(counted) = counted else { return Part::default() };
    let items = counted
        .items
        .into_iter()
        .map(|u| UpdateLine {
            assignment_id: u.assignment_id,
            task: format!("{}. {}", u.task_code, u.task_title),
            plan: u.plan_title,
            lead: u.lead_name,
            percent: u.percent,
            status: ctx.tr.t(&format!("update-status-{}", u.status)),
            when: tiendo_core::fmt::datetime(u.submitted_at.unwrap_or(u.updated_at)),
        })
        .collect();
    Part { shown: true, items, total: counted.total }
}

/// A directive escalated to the leaders.
#[derive(Debug, Clone)]
pub struct EscalationLine {
    /// The directive.
    pub assignment_id: i64,
    /// The conclusion.
    pub task: String,
    /// Its lead.
    pub lead: String,
    /// The visit.
    pub visit_id: i64,
    /// Its title.
    pub visit: String,
    /// The due date missed.
    pub due: String,
    /// When the leaders were told.
    pub escalated: String,
}

/// The escalated directives, formatted.
pub fn escalation_lines(list: &[OpenEscalation]) -> Vec<EscalationLine> {
    list.iter()
        .map(|e| EscalationLine {
            assignment_id: e.assignment_id,
            task: format!("{}. {}", e.task_code, e.task_title),
            lead: e.lead_name.clone(),
            visit_id: e.visit_id,
            visit: e.visit_title.clone(),
            due: tiendo_core::fmt::date(e.due_on),
            escalated: tiendo_core::fmt::date(tiendo_core::time::vietnam_date(e.sent_at)),
        })
        .collect()
}

/// A report a unit owes.
#[derive(Debug, Clone)]
pub struct OwedLine {
    /// The form's name.
    pub form: String,
    /// The unit.
    pub org: String,
    /// The period's name.
    pub period: String,
    /// The due day.
    pub due: String,
    /// Past its due day.
    pub overdue: bool,
    /// The report, when opened.
    pub report_id: Option<i64>,
    /// What opens it: (form code, organisation id, period code).
    pub open: (String, i64, String),
}

/// A visit that involved the user's organisation.
#[derive(Debug, Clone)]
pub struct VisitLine {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Its dates.
    pub dates: String,
    /// The organiser.
    pub organizer: String,
}

fn visit_lines(list: &[VisitSummary]) -> Vec<VisitLine> {
    list.iter()
        .map(|v| VisitLine {
            id: v.id,
            title: v.title.clone(),
            dates: tiendo_core::visits::dates_text(v.starts_on, v.ends_on),
            organizer: v.organizer_name.clone(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "work/index.html")]
struct WorkPage {
    layout: Layout,
    today: String,
    to_review: Part<UpdateLine>,
    reports_to_review: Part<ReportLine>,
    escalated: Part<EscalationLine>,
    articles_in_review: Option<i64>,
    due: Part<AssignmentLine>,
    unsent: Part<UpdateLine>,
    reports_due: Part<OwedLine>,
    visits: Part<VisitLine>,
    st: crate::sci_tech::pages::work::StWorkView,
    empty: bool,
}

fn part<T>(items: Option<Vec<T>>) -> Part<T> {
    match items {
        Some(items) => Part { shown: true, total: i64::try_from(items.len()).unwrap_or(i64::MAX), items },
        None => Part::default(),
    }
}

/// `GET /work`.
pub async fn show(ctx: Ctx) -> Result<Response, AppError> {
    let to_do: ToDo = work::to_do(ctx.state.app(), ctx.auth.session()).await?;
    let empty = to_do.is_empty();
    let today = to_do.today;
    let due = to_do.due.map(|list| {
        let rows: Vec<_> = list.into_iter().map(|(row, _)| row).collect();
        lines(&ctx, &rows, today)
    });
    let reports_due = to_do.reports_due.map(|owed| {
        owed.iter()
            .map(|o| OwedLine {
                form: o.form_name.clone(),
                org: o.org_name.clone(),
                period: o.period.name(ctx.lang),
                due: tiendo_core::fmt::date(o.due_on),
                overdue: o.overdue,
                report_id: o.report.as_ref().map(|r| r.id),
                open: (o.form_code.clone(), o.org_id, o.period.code()),
            })
            .collect()
    });
    let page = WorkPage {
        layout: ctx.layout("work-title"),
        today: tiendo_core::fmt::date(today),
        to_review: update_lines(&ctx, to_do.updates_to_review),
        reports_to_review: part(to_do.reports_to_review.map(|r| r.iter().map(|v| line(&ctx, &v.report)).collect())),
        escalated: part(to_do.escalated.as_deref().map(escalation_lines)),
        articles_in_review: to_do.articles_in_review,
        due: part(due),
        unsent: update_lines(&ctx, to_do.unsent),
        reports_due: part(reports_due),
        visits: part(to_do.visits.as_deref().map(visit_lines)),
        st: crate::sci_tech::pages::work::view(&ctx, &to_do.sci_tech),
        empty,
    };
    render(&page)
}
