//! The yearly report of a certified enterprise: the year's figures, the conditions of the certificate's
//! legal basis re-checked on them, and a warning (on the certificate and on the leaders' dashboard) when
//! they no longer hold.

use chrono::NaiveDate;
use tiendo_core::certificates::{CertificateStatus, Check, Conditions, LegalBasis, YearDraft};
use tiendo_db::certificates as stored;

use super::certs::open_certificate;
use super::entity;
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session};

/// What a report found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportOutcome {
    /// The report's id.
    pub id: i64,
    /// Whether the conditions still hold.
    pub holds: bool,
    /// The conditions evaluated.
    pub checks: Vec<Check>,
}

/// Records the yearly report of a certificate in force, sent by the enterprise (or the staff), replacing
/// an earlier one of the same year. `Forbidden` unless the actor acts for the enterprise or is the staff;
/// `Conflict` `certificate_not_in_force`; `Invalid` naming the figures at fault (`negative`,
/// `exceeds_total`).
pub async fn submit_report(app: &App, session: &Session, id: i64, figures: &YearDraft) -> Result<ReportOutcome> {
    let opened = open_certificate(app, session, id).await?;
    let staff = super::access::open_application(app, session, opened.certificate.application_id)
        .await
        .is_ok_and(|a| a.powers.officer);
    if !(opened.owner || staff) {
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
    let fields = draft.validate_draft().map_err(|i| Error::Invalid(i.into_iter().map(FieldError::from).collect()))?;
    let Some(year) = fields.years.first().cloned() else {
        return Err(Error::invalid("years[0].year", "required"));
    };
    let application = stored::application(app.db(), cert.application_id).await?.ok_or(Error::NotFound)?;
    let mut all = vec![year.clone()];
    all.extend(application.fields.years.iter().filter(|y| y.year != year.year).cloned());
    let mut facts = application.fields.facts();
    facts.figures = &all;
    facts.results = cert.results.iter().filter(|r| r.has_evidence()).count();
    facts.products = cert.products.len();
    let basis = LegalBasis::from_code(&cert.basis).unwrap_or(LegalBasis::Nd268_2025);
    let on = NaiveDate::from_ymd_opt(year.year + 1, 1, 1).unwrap_or_else(|| app.today());
    let checks = Conditions::standard().evaluate(basis, &facts, on);
    let holds = Conditions::all_hold(&checks);
    let summary: Vec<String> = checks.iter().map(|c| format!("{}={}", c.code, c.outcome.code())).collect();
    let tx = app.begin().await?;
    let report_id =
        stored::put_report(&tx, cert.id, &year, holds, &summary.join(" "), session.user_id(), app.now(), true).await?;
    let entry = Entry::new("cert_report", entity::CERTIFICATE, cert.id, "audit-cert-report")
        .arg("number", &cert.number)
        .arg("year", year.year)
        .change("holds", None::<bool>, holds);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(ReportOutcome { id: report_id, holds, checks })
}
