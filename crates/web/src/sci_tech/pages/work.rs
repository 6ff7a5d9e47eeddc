//! The part of `/work` that S&T tasks give: what the proposing side must do next (drafts to send before
//! the deadline, revisions asked, the calls it may answer, the latest decisions), and the steps waiting for
//! the staff and the leaders.

use tiendo_app::sci_tech::work::StWork;

use super::views;
use crate::layout::Ctx;

/// A proposal line of the part.
#[derive(Debug, Clone)]
pub struct PendingLine {
    /// Id.
    pub id: i64,
    /// Name.
    pub title: String,
    /// Its call.
    pub call: String,
    /// The deadline, or the state reached.
    pub detail: String,
}

/// A call line.
#[derive(Debug, Clone)]
pub struct CallLine {
    /// Id.
    pub id: i64,
    /// Title.
    pub title: String,
    /// Its deadline.
    pub deadline: String,
}

/// A count of proposals waiting at a step.
#[derive(Debug, Clone)]
pub struct WaitingLine {
    /// The state's code (the list's filter).
    pub state: String,
    /// Its label.
    pub label: String,
    /// How many.
    pub count: i64,
}

/// The part as shown.
#[derive(Debug, Clone, Default)]
pub struct StWorkView {
    /// Whether the actor proposes.
    pub proposes: bool,
    /// Drafts.
    pub drafts: Vec<PendingLine>,
    /// Revisions asked.
    pub revising: Vec<PendingLine>,
    /// Calls receiving.
    pub open_calls: Vec<CallLine>,
    /// Latest decisions.
    pub decided: Vec<PendingLine>,
    /// Steps waiting for the staff.
    pub waiting: Vec<WaitingLine>,
    /// Whether the staff part is shown.
    pub staff: bool,
    /// The councils the actor sits on: (id, name, state's label).
    pub seats: Vec<(i64, String, String)>,
    /// Applications for the certificate awaiting the actor's opinion: (id, the enterprise's name).
    pub opinions: Vec<(i64, String)>,
    /// Tasks under contract with deadlines past: (id, title, what is late).
    pub late_contracts: Vec<(i64, String, String)>,
    /// The periodic reports the host owes soon or overdue: (link, report, task, due, overdue).
    pub reports_owed: Vec<(String, String, String, String, bool)>,
    /// The periodic reports waiting for the staff: (link, report, task, submitted).
    pub reports_submitted: Vec<(String, String, String, String)>,
}

/// The part of the work page.
pub fn view(ctx: &Ctx, work: &StWork) -> StWorkView {
    let pending = |list: &Option<Vec<tiendo_db::sci_tech::Pending>>, deadline: bool| {
        list.as_deref()
            .unwrap_or_default()
            .iter()
            .map(|p| PendingLine {
                id: p.id,
                title: p.title.clone(),
                call: p.call_title.clone(),
                detail: if deadline {
                    ctx.tr.t_with("st-work-deadline", &[("deadline", &views::instant(&ctx.tr, p.closes_at))])
                } else {
                    views::state(&ctx.tr, &p.state)
                },
            })
            .collect::<Vec<_>>()
    };
    StWorkView {
        proposes: work.drafts.is_some(),
        drafts: pending(&work.drafts, true),
        revising: pending(&work.revising, false),
        decided: pending(&work.decided, false),
        open_calls: work
            .open_calls
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(|c| CallLine { id: c.id, title: c.title.clone(), deadline: views::instant(&ctx.tr, c.closes_at) })
            .collect(),
        waiting: work
            .waiting
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(|(state, count)| WaitingLine {
                state: state.clone(),
                label: views::state(&ctx.tr, state),
                count: *count,
            })
            .collect(),
        staff: work.waiting.is_some(),
        seats: work
            .seats
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(|(id, name, state)| (*id, name.clone(), ctx.tr.t(&format!("st-council-state-{state}"))))
            .collect(),
        opinions: work.opinions.clone().unwrap_or_default(),
        reports_owed: work
            .task_reports_owed
            .iter()
            .map(|r| {
                let (link, name) = report_link(ctx, r.contract_id, &r.kind, r.seq);
                let overdue = r.due_on < tiendo_core::time::vietnam_date(work.now);
                (link, name, format!("{} – {}", r.number, r.title), tiendo_core::fmt::date(r.due_on), overdue)
            })
            .collect(),
        reports_submitted: work
            .task_reports_submitted
            .iter()
            .map(|r| {
                let (link, name) = report_link(ctx, r.contract_id, &r.kind, r.seq);
                (link, name, format!("{} – {}", r.number, r.title), crate::reporting::show_instant(r.submitted_at))
            })
            .collect(),
        late_contracts: work
            .late_contracts
            .iter()
            .map(|r| {
                let mut what = Vec::new();
                if r.late_milestones > 0 {
                    let line = ctx.tr.t_count("st-portfolio-late-milestones", "count", r.late_milestones);
                    what.push(match r.next_due {
                        Some(d) => format!("{line} ({} {})", ctx.tr.t("st-work-since"), tiendo_core::fmt::date(d)),
                        None => line,
                    });
                }
                if r.late_instalments > 0 {
                    what.push(ctx.tr.t_count("st-portfolio-late-instalments-n", "count", r.late_instalments));
                }
                if r.late_reports > 0 {
                    what.push(ctx.tr.t_count("st-portfolio-late-reports-n", "count", r.late_reports));
                }
                (r.id, r.title.clone(), what.join(" · "))
            })
            .collect(),
    }
}

/// A periodic report of a task as the work page links it: (its page, its name).
fn report_link(ctx: &Ctx, contract_id: i64, kind: &str, seq: i64) -> (String, String) {
    use tiendo_core::sci_tech::task_report::TaskReportKind;
    let kind = TaskReportKind::from_code(kind).unwrap_or(TaskReportKind::Progress);
    let name = ctx.tr.t_with(&format!("st-report-name-{}", kind.code()), &[("seq", &seq.to_string())]);
    (tiendo_app::sci_tech::task_reports::link(contract_id, kind, seq), name)
}
