//! The yearly reports of certified enterprises through the reporting engine (issue 18 item 4): the form
//! `DN-KHCN` (`tiendo_core::certificates::yearly`), installed the first time a certificate is issued; an
//! enterprise is assigned it when its certificate is issued and released from it when its last
//! certificate in force ends, so the engine gives the report its due day, reminders, workflow and
//! dashboards; when the department approves such a report, the conditions of the enterprise's
//! certificate are re-checked on the approved figures in the same transaction ([`on_report_approved`],
//! called where approvals happen, `reporting::decisions::decide`), and taken back when the report is
//! unlocked ([`on_report_unlocked`]).

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use tiendo_core::certificates::yearly::{FORM_CODE, figures, form_source};
use tiendo_core::certificates::{CertificateStatus, Check, Conditions, LegalBasis, YearFigures};
use tiendo_core::reporting::{TemplateDef, Value};
use tiendo_db::Tx;
use tiendo_db::audit::Who;
use tiendo_db::certificates::{self as stored, Certificate, NewReport};
use tiendo_db::reporting::forms::{self, NewTarget};
use tiendo_db::reporting::reports::Report;

use super::entity;
use crate::audit::{self, Entry};
use crate::{App, Error, Result, Session};

/// The audit entity of report forms (as `reporting::forms` records them).
const FORM_ENTITY: &str = crate::reporting::forms::AUDIT_ENTITY;

/// Installs the yearly form when no version of it exists yet (an administrator may have changed or
/// retired it since: both are kept). Its versions are the program's, saved as the system.
async fn ensure_form(app: &App, tx: &Tx, session: &Session) -> Result<()> {
    if !forms::versions(tx, FORM_CODE).await?.is_empty() {
        return Ok(());
    }
    let text = form_source();
    let def = TemplateDef::parse(text).map_err(|p| Error::Internal(format!("{FORM_CODE}: {p:?}").into()))?;
    if forms::save_version(tx, &def, text, None, false, &Who::system(), app.now()).await?.is_none() {
        // Installed by another transaction meanwhile.
        return Ok(());
    }
    let entry = Entry::new("create", FORM_ENTITY, FORM_CODE, "audit-cert-form-installed")
        .arg("name", &def.name)
        .arg("code", FORM_CODE)
        .change("version", None::<i64>, 1);
    audit::record(app, tx, session, entry).await?;
    Ok(())
}

/// The name of the yearly form's version in force.
async fn form_name(tx: &Tx) -> Result<String> {
    Ok(forms::in_force(tx, FORM_CODE).await?.map(|f| f.name).unwrap_or_else(|| FORM_CODE.to_owned()))
}

/// Assigns the yearly form to an enterprise whose certificate was just issued (nothing when it is
/// assigned already), in the issuing transaction.
pub(crate) async fn assign(app: &App, tx: &Tx, session: &Session, org_id: i64, org_name: &str) -> Result<()> {
    ensure_form(app, tx, session).await?;
    if forms::add_target(tx, FORM_CODE, &NewTarget::Organization(org_id), session.user_id(), app.now()).await? {
        let entry = Entry::new("assign_template", FORM_ENTITY, FORM_CODE, "audit-report-form-assigned-org")
            .arg("name", form_name(tx).await?)
            .arg("org", org_name);
        audit::record(app, tx, session, entry).await?;
    }
    Ok(())
}

/// Releases an enterprise from the yearly form when it no longer holds a certificate in force (the one
/// ending was its last), in the ending transaction. Reports already opened stay.
pub(crate) async fn release(app: &App, tx: &Tx, session: &Session, org_id: i64) -> Result<()> {
    let still = stored::certificates_of_org(tx, org_id).await?.iter().any(|c| c.status == CertificateStatus::InForce);
    if still {
        return Ok(());
    }
    let targets = forms::targets(tx, FORM_CODE).await?;
    let Some(target) = targets.iter().find(|t| t.org_id == Some(org_id)) else { return Ok(()) };
    if let Some(removed) = forms::remove_target(tx, FORM_CODE, target.id).await? {
        let entry = Entry::new("unassign_template", FORM_ENTITY, FORM_CODE, "audit-report-form-unassigned")
            .arg("name", form_name(tx).await?)
            .arg("target", removed.org_name.unwrap_or_default());
        audit::record(app, tx, session, entry).await?;
    }
    Ok(())
}

/// The conditions of a certificate re-checked on a year's figures: the figures of the other years come
/// from the dossier, the results and products from the certificate, the regime is the certificate's, and
/// the year is judged as an application made on 1 January of the next year would be.
pub fn recheck(application: &stored::Application, certificate: &Certificate, year: &YearFigures) -> Vec<Check> {
    let mut all = vec![year.clone()];
    all.extend(application.fields.years.iter().filter(|y| y.year != year.year).cloned());
    let mut facts = application.fields.facts();
    facts.figures = &all;
    facts.results = certificate.results.iter().filter(|r| r.has_evidence()).count();
    facts.products = certificate.products.len();
    let basis = LegalBasis::from_code(&certificate.basis).unwrap_or(LegalBasis::Nd268_2025);
    let on = NaiveDate::from_ymd_opt(year.year + 1, 1, 1).unwrap_or(NaiveDate::MAX);
    Conditions::standard().evaluate(basis, &facts, on)
}

/// The checks as stored: `code=outcome` pairs separated by spaces.
fn summary(checks: &[Check]) -> String {
    checks.iter().map(|c| format!("{}={}", c.code, c.outcome.code())).collect::<Vec<_>>().join(" ")
}

/// The certificate a yearly report of an enterprise is about: the version in force, else the latest
/// (a report approved after the certificate ended is still recorded against it).
async fn certificate_of(tx: &Tx, org_id: i64) -> Result<Option<Certificate>> {
    let held = stored::certificates_of_org(tx, org_id).await?;
    Ok(held.iter().find(|c| c.status == CertificateStatus::InForce).or_else(|| held.first()).cloned())
}

/// Re-checks the conditions of the enterprise's certificate on an approved yearly report (a report of any
/// other form is left alone), in the approving transaction: records the re-check against the report,
/// replacing the year's earlier one, and audits it. The certificate's page and the leaders' dashboard warn
/// when the conditions no longer hold.
pub(crate) async fn on_report_approved(app: &App, tx: &Tx, session: &Session, report: &Report) -> Result<()> {
    if report.template_code != FORM_CODE {
        return Ok(());
    }
    let Some(certificate) = certificate_of(tx, report.org_id).await? else { return Ok(()) };
    let numbers: HashMap<String, f64> = tiendo_db::reporting::reports::values(tx, report.id)
        .await?
        .into_iter()
        .filter_map(|(code, v)| match v {
            Value::Number(n) => Some((code, n)),
            Value::Text(_) => None,
        })
        .collect();
    let Some(year) = figures(report.period_end.year(), &numbers) else { return Ok(()) };
    let application = stored::application(tx, certificate.application_id)
        .await?
        .ok_or_else(|| Error::Internal("a certificate without its application".into()))?;
    let checks = recheck(&application, &certificate, &year);
    let holds = Conditions::all_hold(&checks);
    let sender = tiendo_db::reporting::reports::sender(tx, report.id).await?;
    let new = NewReport {
        certificate_id: certificate.id,
        figures: &year,
        holds,
        checks: &summary(&checks),
        by: sender,
        report_id: Some(report.id),
    };
    stored::put_report(tx, &new, app.now()).await?;
    let entry = Entry::new("cert_report", entity::CERTIFICATE, certificate.id, "audit-cert-report")
        .arg("number", &certificate.number)
        .arg("year", year.year)
        .change("holds", None::<bool>, holds);
    audit::record(app, tx, session, entry).await?;
    Ok(())
}

/// Takes back the re-check recorded on a yearly report that is unlocked, in the unlocking transaction.
pub(crate) async fn on_report_unlocked(app: &App, tx: &Tx, session: &Session, report: &Report) -> Result<()> {
    if report.template_code != FORM_CODE {
        return Ok(());
    }
    let Some((certificate_id, year)) = stored::remove_for_report(tx, report.id).await? else { return Ok(()) };
    let number = stored::certificate(tx, certificate_id).await?.map(|c| c.number).unwrap_or_default();
    let entry = Entry::new("cert_report_unlock", entity::CERTIFICATE, certificate_id, "audit-cert-report-unlocked")
        .arg("number", number)
        .arg("year", year)
        .change("report_id", Some(report.id), None::<i64>);
    audit::record(app, tx, session, entry).await?;
    Ok(())
}
