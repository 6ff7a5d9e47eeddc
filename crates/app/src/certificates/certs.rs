//! A certificate after its issue: read by everyone (the public register), amended (a new version with the
//! changed content) or re-issued (a new version, the same content) by the department's leaders, revoked,
//! cancelled or terminated with a reason and a decision.

use tiendo_core::certificates::{
    CertificateStatus, EndAction, StProduct, StepDraft, StepInput, VersionKind, check_certificate_step,
};
use tiendo_core::text::normalize_input;
use tiendo_db::certificates::{self as stored, Certificate, CertificateFilter, NewCertificate};
use tiendo_db::directory::{Listed, Page};

use super::access::open_application;
use super::entity;
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session};

/// A certificate with what the actor may do with it.
#[derive(Debug, Clone)]
pub struct OpenedCertificate {
    /// The version asked for.
    pub certificate: Certificate,
    /// Every version, the latest first.
    pub versions: Vec<Certificate>,
    /// Whether the actor may amend, re-issue and end it (the department's leaders).
    pub may_change: bool,
    /// Whether the actor acts for the enterprise (yearly reports).
    pub owner: bool,
    /// Whether the actor may download the certificate as a document (whoever may open its application:
    /// the enterprise, the department's staff, administrators).
    pub may_download: bool,
}

/// Opens a certificate: everyone reads it (it is public); the powers come from its application.
pub async fn open_certificate(app: &App, session: &Session, id: i64) -> Result<OpenedCertificate> {
    let certificate = stored::certificate(app.db(), id).await?.ok_or(Error::NotFound)?;
    let versions = stored::versions(app.db(), certificate.application_id).await?;
    let (may_change, owner, may_download) = match open_application(app, session, certificate.application_id).await {
        Ok(opened) => (opened.powers.leader, opened.powers.owner, opened.powers.view),
        Err(Error::NotFound) => (false, false, false),
        Err(e) => return Err(e),
    };
    Ok(OpenedCertificate { certificate, versions, may_change, owner, may_download })
}

/// The public register and lookup: the latest version of every certificate matching the filter.
pub async fn lookup(app: &App, filter: &CertificateFilter, page: Page) -> Result<Listed<Certificate>> {
    Ok(stored::public_page(app.db(), filter, page).await?)
}

/// What amending records: the changed content, the note (the changes) and the decision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertificateStep {
    /// The note and decision (and, for an end, nothing else).
    pub step: StepDraft,
    /// The enterprise's name (an amendment; blank keeps it).
    pub enterprise_name: String,
    /// Its head office (an amendment; blank keeps it).
    pub address: String,
    /// The products, one per line (an amendment; blank keeps them).
    pub products: String,
}

async fn open_in_force(app: &App, session: &Session, id: i64) -> Result<OpenedCertificate> {
    let opened = open_certificate(app, session, id).await?;
    if !opened.may_change {
        return Err(Error::FORBIDDEN);
    }
    if opened.certificate.status != CertificateStatus::InForce {
        return Err(Error::Conflict {
            code: "certificate_not_in_force",
            args: vec![("status", format!("msg:cert-status-{}", opened.certificate.status.code()))],
        });
    }
    Ok(opened)
}

fn checked(draft: &StepDraft, decision_required: bool, app: &App) -> Result<StepInput> {
    check_certificate_step(draft, decision_required, app.today())
        .map_err(|issues| Error::Invalid(issues.into_iter().map(FieldError::from).collect()))
}

/// Issues a new version replacing the one in force; its id.
async fn new_version(
    app: &App,
    session: &Session,
    old: &Certificate,
    kind: VersionKind,
    input: &StepInput,
    changed: (String, Option<String>, Vec<StProduct>),
) -> Result<i64> {
    let (name, address, products) = changed;
    let issued_on = input.decision.as_ref().map_or_else(|| app.today(), |d| d.date);
    let tx = app.begin().await?;
    if !stored::supersede(&tx, old.id, app.now()).await? {
        return Err(Error::conflict("cert_stale"));
    }
    let version = stored::next_version(&tx, old.application_id).await?;
    let new = NewCertificate {
        application_id: old.application_id,
        org_id: old.org_id,
        number: &old.number,
        issued_on,
        version,
        kind,
        previous_id: Some(old.id),
        basis: &old.basis,
        enterprise_name: &name,
        tax_code: &old.tax_code,
        address: address.as_deref(),
        results: &old.results,
        products: &products,
        decision_symbol: input.decision.as_ref().map(|d| d.symbol.as_str()),
        signer: input.decision.as_ref().map(|d| d.signer.as_str()),
        note: input.note.as_deref(),
        is_sample: old.is_sample,
    };
    let id = stored::create_certificate(&tx, &new, app.now()).await?;
    let action = if kind == VersionKind::Reissue { "cert_reissue" } else { "cert_amend" };
    let entry = Entry::new(action, entity::CERTIFICATE, id, "audit-cert-version")
        .arg("number", &old.number)
        .arg("version", version)
        .change("version", old.version, version)
        .change("enterprise_name", &old.enterprise_name, &name)
        .change("products", &old.products, &products);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Amends a certificate in force (cấp thay đổi nội dung): a new version with the changed name, address
/// or products, the note saying what changed; its id. `Forbidden` unless a leader; `Conflict`
/// `certificate_not_in_force`; `Invalid` naming the note or the decision.
pub async fn amend(app: &App, session: &Session, id: i64, input: &CertificateStep) -> Result<i64> {
    let opened = open_in_force(app, session, id).await?;
    let step = checked(&input.step, false, app)?;
    let old = &opened.certificate;
    let name = Some(normalize_input(&input.enterprise_name)).filter(|n| !n.is_empty());
    let address = Some(normalize_input(&input.address)).filter(|a| !a.is_empty());
    let products: Vec<StProduct> = input
        .products
        .lines()
        .map(normalize_input)
        .filter(|l| !l.is_empty())
        .map(|name| StProduct { name, result: None })
        .collect();
    let products = if products.is_empty() { old.products.clone() } else { products };
    let changed =
        (name.unwrap_or_else(|| old.enterprise_name.clone()), address.or_else(|| old.address.clone()), products);
    new_version(app, session, old, VersionKind::Amendment, &step, changed).await
}

/// Re-issues a certificate in force (cấp lại, after loss or damage): a new version with the same content;
/// its id.
pub async fn reissue(app: &App, session: &Session, id: i64, input: &StepDraft) -> Result<i64> {
    let opened = open_in_force(app, session, id).await?;
    let step = checked(input, false, app)?;
    let old = &opened.certificate;
    let same = (old.enterprise_name.clone(), old.address.clone(), old.products.clone());
    new_version(app, session, old, VersionKind::Reissue, &step, same).await
}

/// Ends a certificate in force (thu hồi, hủy bỏ hiệu lực, chấm dứt) with the reason and the decision; an
/// enterprise left without a certificate in force is released from the yearly report's form.
/// `Forbidden` unless a leader; `Conflict` `certificate_not_in_force`; `Invalid` naming the reason or the
/// decision.
pub async fn end_certificate(
    app: &App,
    session: &Session,
    id: i64,
    action: EndAction,
    input: &StepDraft,
) -> Result<()> {
    let opened = open_in_force(app, session, id).await?;
    let step = checked(input, true, app)?;
    let (Some(reason), Some(decision)) = (&step.note, &step.decision) else {
        return Err(Error::invalid("note", "required"));
    };
    let status = action.status();
    let old = &opened.certificate;
    let tx = app.begin().await?;
    if !stored::end_certificate(&tx, old.id, status, decision.date, reason, &decision.symbol, app.now()).await? {
        return Err(Error::conflict("cert_stale"));
    }
    let code = match action {
        EndAction::Revoke => "cert_revoke",
        EndAction::Cancel => "cert_cancel",
        EndAction::Terminate => "cert_terminate",
    };
    let entry = Entry::new(code, entity::CERTIFICATE, old.id, "audit-cert-ended")
        .arg("number", &old.number)
        .named("status", crate::message::Value::Key(format!("cert-status-{}", status.code())))
        .change("status", old.status.code(), status.code())
        .change("end_reason", None::<String>, reason)
        .change("end_decision", None::<String>, &decision.symbol);
    audit::record(app, &tx, session, entry).await?;
    // Its last certificate ended, the enterprise no longer reports yearly.
    super::yearly::release(app, &tx, session, old.org_id).await?;
    tx.commit().await?;
    Ok(())
}
