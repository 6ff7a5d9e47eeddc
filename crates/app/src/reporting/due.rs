//! What a reporting unit owes: for each organisation the actor reports for, each form it must report and
//! each recent period that ended while it existed, the report opened for it (if any) and whether it is
//! overdue or was sent late. What "my reports" shows; the reports are read in one query.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use tiendo_core::reporting::{Period, Periodicity};
use tiendo_db::reporting::OrgScope;
use tiendo_db::reporting::forms;
use tiendo_db::reporting::reports::{self as stored, Report, ReportFilter};

use crate::{App, Result, Session};

/// A form and period an organisation must report, with where it stands.
#[derive(Debug, Clone)]
pub struct Owed {
    /// The form's code.
    pub form_code: String,
    /// The form's name.
    pub form_name: String,
    /// The organisation.
    pub org_id: i64,
    /// Its name.
    pub org_name: String,
    /// The period.
    pub period: Period,
    /// The due day.
    pub due_on: NaiveDate,
    /// The report, when opened.
    pub report: Option<Report>,
    /// Not sent and past its due day.
    pub overdue: bool,
    /// Sent after its due day.
    pub late: bool,
}

/// What "my reports" shows.
#[derive(Debug, Clone, Default)]
pub struct MyReports {
    /// The organisations the actor reports for: (id, name).
    pub orgs: Vec<(i64, String)>,
    /// What they owe, by organisation, form and latest period first.
    pub owed: Vec<Owed>,
    /// Their latest reports (at most 100).
    pub reports: Vec<Report>,
    /// The forms they must report: (code, name), each once.
    pub forms: Vec<(String, String)>,
}

/// The periods of a form a unit is asked about: the current one (if it has begun) and the three before it,
/// latest first.
fn recent_periods(periodicity: Periodicity, today: NaiveDate) -> Vec<Period> {
    let mut out = Period::ended(periodicity, today.year() - 3, today, 3);
    if let Some(next) = out.last().and_then(|p| p.next()).filter(|p| p.start() <= today) {
        out.push(next);
    }
    out.reverse();
    out
}

/// What the actor's units owe and have sent, as of the application's day. A unit owes the periods ending
/// while it exists, as the completeness figures count them (a ward formed on 01/07/2025 owes no report
/// for 2024).
pub async fn my_reports(app: &App, session: &Session) -> Result<MyReports> {
    let today = app.today();
    let scope = session.scope(app).await?;
    let units = OrgScope::reporting(scope);
    let ids = units.ids().unwrap_or_default().to_vec();
    let mut out = MyReports::default();
    let mut wanted: Vec<(String, String, i64, String, Period, NaiveDate)> = Vec::new();
    for org in &ids {
        let Some(found) = tiendo_db::directory::organization(app.db(), *org).await? else { continue };
        let exists_at = |day: NaiveDate| {
            found.valid_from.is_none_or(|from| from <= day) && found.valid_to.is_none_or(|to| to > day)
        };
        out.orgs.push((*org, found.name.clone()));
        for form in forms::forms_of_org(app.db(), *org).await? {
            if !out.forms.iter().any(|(code, _)| *code == form.code) {
                out.forms.push((form.code.clone(), form.name.clone()));
            }
            let def = form.def()?;
            for period in recent_periods(form.periodicity(), today).into_iter().filter(|p| exists_at(p.end())) {
                wanted.push((
                    form.code.clone(),
                    form.name.clone(),
                    *org,
                    found.name.clone(),
                    period,
                    def.due_on(period),
                ));
            }
        }
    }
    let mut codes: Vec<String> = wanted.iter().map(|w| w.4.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    let mut opened: HashMap<(String, i64, String), Report> = stored::of_orgs_for_periods(app.db(), &ids, &codes)
        .await?
        .into_iter()
        .map(|r| ((r.template_code.clone(), r.org_id, r.period_code.clone()), r))
        .collect();
    for (form_code, form_name, org_id, org_name, period, due_on) in wanted {
        let report = opened.remove(&(form_code.clone(), org_id, period.code()));
        let sent = report.as_ref().is_some_and(|r| r.state().is_sent());
        let late =
            report.as_ref().and_then(|r| r.submitted_at).is_some_and(|at| tiendo_core::time::vietnam_date(at) > due_on);
        out.owed.push(Owed {
            form_code,
            form_name,
            org_id,
            org_name,
            period,
            due_on,
            report,
            overdue: !sent && today > due_on,
            late,
        });
    }
    if !ids.is_empty() {
        out.reports = stored::list(app.db(), &ReportFilter::in_scope(units), 100).await?;
    }
    Ok(out)
}
