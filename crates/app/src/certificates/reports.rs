//! The yearly report of a certified enterprise sent from its certificate (the API's
//! `POST /certificates/{id}/reports`): the year's figures checked as the dossier's are, then sent as the
//! enterprise's report of the reporting engine's form `DN-KHCN` for that year (opened if need be, and
//! submitted). The department approves it as any report, and the approval re-checks the certificate's
//! conditions (`yearly::on_report_approved`); what is returned here is the same re-check on the figures
//! sent, as a preview.

use std::collections::HashMap;

use tiendo_core::certificates::yearly::{FORM_CODE, fields};
use tiendo_core::certificates::{CertificateStatus, Check, Conditions, YearDraft};
use tiendo_core::lang::Lang;
use tiendo_core::reporting::Value;
use tiendo_db::certificates as stored;

use super::certs::open_certificate;
use super::yearly::recheck;
use crate::reporting::reports::{self as engine, Input, OpenReport, SaveValues};
use crate::{App, Error, FieldError, Result, Session};

/// What sending a yearly report did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportOutcome {
    /// The report of the reporting engine it was sent as.
    pub report_id: i64,
    /// Its state now (`submitted`).
    pub status: String,
    /// Whether the conditions hold on the figures sent (recorded when the department approves the report).
    pub holds: bool,
    /// The conditions evaluated on them.
    pub checks: Vec<Check>,
}

/// The form's field of a figure and the name the certificate's form and API give it.
const FIGURES: [(&str, &str); 4] = [
    (fields::TOTAL_REVENUE, "years[0].total_revenue"),
    (fields::ST_REVENUE, "years[0].st_revenue"),
    (fields::NET_REVENUE, "years[0].net_revenue"),
    (fields::RD_SPENDING, "years[0].rd_spending"),
];

/// The engine's field errors under the names of the certificate's form (`period` is the year).
fn renamed(errors: Vec<FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|mut e| {
            if e.field == "period" || e.field == "template" {
                e.field = "years[0].year".to_owned();
            } else if let Some((_, name)) = FIGURES.iter().find(|(code, _)| e.field == *code) {
                e.field = (*name).to_owned();
            }
            e
        })
        .collect()
}

/// Sends the yearly report of the enterprise of a certificate in force, for the year of `figures`: the
/// enterprise's report of the form `DN-KHCN` for that year, opened if need be, its figures saved (the
/// form's other fields kept) and submitted to the department. `NotFound`; `Forbidden` unless the actor
/// fills the enterprise's reports; `Conflict` `certificate_not_in_force`, `report_locked` (the year's
/// report was sent already), `report_stale`; `Invalid` naming the figures at fault (`negative`,
/// `exceeds_total`, a year not yet begun), nothing written.
pub async fn submit_report(app: &App, session: &Session, id: i64, figures: &YearDraft) -> Result<ReportOutcome> {
    let opened = open_certificate(app, session, id).await?;
    if !opened.owner {
        return Err(Error::FORBIDDEN);
    }
    let cert = &opened.certificate;
    if cert.status != CertificateStatus::InForce {
        return Err(Error::Conflict {
            code: "certificate_not_in_force",
            args: vec![("status", format!("msg:cert-status-{}", cert.status.code()))],
        });
    }
    let draft = tiendo_core::certificates::ApplicationDraft { years: vec![figures.clone()], ..Default::default() };
    let checked = draft.validate_draft().map_err(|i| Error::Invalid(i.into_iter().map(FieldError::from).collect()))?;
    let Some(year) = checked.years.first().cloned() else {
        return Err(Error::invalid("years[0].year", "required"));
    };
    // A certificate issued before the yearly form existed is assigned it now.
    if !tiendo_db::reporting::forms::is_target(app.db(), FORM_CODE, cert.org_id).await? {
        let tx = app.begin().await?;
        super::yearly::assign(app, &tx, session, cert.org_id, &cert.enterprise_name).await?;
        tx.commit().await?;
    }
    let request = OpenReport {
        form: FORM_CODE.to_owned(),
        organization: cert.org_id,
        period: year.year.to_string(),
        sample: false,
    };
    let report = match engine::open(app, session, &request).await {
        Ok(opened) => opened.report,
        Err(Error::Invalid(errors)) => return Err(Error::Invalid(renamed(errors))),
        Err(e) => return Err(e),
    };
    let mut values: HashMap<String, Input> = tiendo_db::reporting::reports::values(app.db(), report.id)
        .await?
        .into_iter()
        .map(|(code, v)| {
            let input = match v {
                Value::Number(n) => Input::Number(n),
                Value::Text(t) => Input::Typed(t),
            };
            (code, input)
        })
        .collect();
    let given = [Some(year.total_revenue), year.st_revenue, year.net_revenue, year.rd_spending];
    for ((code, _), amount) in FIGURES.iter().zip(given) {
        #[expect(clippy::cast_precision_loss, reason = "amounts below 10^15 đồng are exact in an f64")]
        let input = amount.map_or(Input::Empty, |n| Input::Number(n as f64));
        values.insert((*code).to_owned(), input);
    }
    let save = SaveValues { version: report.version, values, submit: true, files: Vec::new(), lang: Lang::Vi };
    let sent = match engine::save(app, session, report.id, save).await {
        Ok(sent) => sent,
        Err(Error::Invalid(errors)) => return Err(Error::Invalid(renamed(errors))),
        Err(e) => return Err(e),
    };
    let application = stored::application(app.db(), cert.application_id).await?.ok_or(Error::NotFound)?;
    let checks = recheck(&application, cert, &year);
    Ok(ReportOutcome {
        report_id: sent.report.id,
        status: sent.report.status.clone(),
        holds: Conditions::all_hold(&checks),
        checks,
    })
}
