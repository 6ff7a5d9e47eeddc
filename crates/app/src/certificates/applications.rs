//! Writing an application: a draft kept with whatever was typed (each value well formed), changed by the
//! enterprise while it is a draft or supplements are asked, deleted while a draft. Sending is a step
//! (`steps::step`, action `submit`), which checks the dossier as the legal basis asks.

use tiendo_core::authz::{Action, Resource, Role, authorize};
use tiendo_core::certificates::{ApplicationDraft, ApplicationFields, ProductDraft, ResultDraft, YearDraft};
use tiendo_db::audit::Diff;
use tiendo_db::certificates::{self as stored, Application, ApplicationFilter, ApplicationRecord, ApplicationSummary};
use tiendo_db::directory::{Listed, Page};

use super::access::open_application;
use super::entity;
use crate::audit::{self, Entry};
use crate::{App, Error, FieldError, Result, Session};

fn invalid(issues: Vec<tiendo_core::visits::Issue>) -> Error {
    Error::Invalid(issues.into_iter().map(FieldError::from).collect())
}

/// The enterprise the actor applies for: the account's organisation, when an applicant role covers it.
async fn own_enterprise(app: &App, session: &Session) -> Result<i64> {
    let scope = session.scope(app).await?;
    let org = session.user.as_ref().and_then(|u| u.organization_id);
    match org {
        Some(org) if scope.coverage(|r| r == Role::Applicant).covers(org) => Ok(org),
        _ => Err(Error::invalid("enterprise_name", "enterprise_missing")),
    }
}

/// `Invalid` `tax_code_other_org` when the tax code typed belongs to another organisation of the directory,
/// or differs from the one the directory holds for the enterprise.
pub(crate) async fn check_tax_code(app: &App, org_id: i64, fields: &ApplicationFields) -> Result<()> {
    let Some(code) = &fields.tax_code else { return Ok(()) };
    let holders = stored::organizations_with_tax_code(app.db(), code.head_office()).await?;
    let other = holders.iter().any(|(id, held)| *id != org_id && held == code.as_str());
    let own = tiendo_db::directory::organization(app.db(), org_id).await?.and_then(|o| o.tax_code);
    let differs = own.as_ref().is_some_and(|own| own != code);
    if other || differs {
        return Err(Error::Invalid(vec![FieldError::new("tax_code", "tax_code_other_org").arg("code", code.as_str())]));
    }
    Ok(())
}

/// Starts an application for the actor's enterprise; its id. `Forbidden` unless the actor is an applicant;
/// `Invalid` naming every field at fault (`enterprise_missing` for an account without an enterprise,
/// `tax_code_check_digit`, `tax_code_other_org`, `negative`, `exceeds_total`). Nothing is written when
/// anything is refused.
pub async fn create_application(app: &App, session: &Session, draft: &ApplicationDraft) -> Result<i64> {
    let may = Resource::CertApplication { owner_path: &[], submitted: false, actor_appraises: false };
    if !authorize(&session.actor, Action::Create, &may).is_allowed() {
        return Err(Error::FORBIDDEN);
    }
    let org_id = own_enterprise(app, session).await?;
    let fields = draft.validate_draft().map_err(invalid)?;
    check_tax_code(app, org_id, &fields).await?;
    let record = ApplicationRecord { org_id, fields, author_id: session.user_id(), is_sample: false };
    let tx = app.begin().await?;
    let id = stored::create_application(&tx, &record, app.now()).await?;
    let entry = Entry::new("create", entity::APPLICATION, id, "audit-cert-application-created")
        .arg("name", &record.fields.enterprise_name)
        .change("enterprise_name", None::<String>, &record.fields.enterprise_name)
        .change("tax_code", None::<String>, record.fields.tax_code.as_ref().map(|t| t.as_str().to_owned()));
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(id)
}

/// Saves the dossier of an application the enterprise may change (a draft, or supplements asked).
/// `NotFound`, `Forbidden` (someone else's, or not open to changes), `Invalid` naming every field at fault.
pub async fn save_application(app: &App, session: &Session, id: i64, draft: &ApplicationDraft) -> Result<()> {
    let opened = open_application(app, session, id).await?;
    if !(opened.powers.owner && opened.state.owner_edits) {
        return Err(Error::FORBIDDEN);
    }
    let fields = draft.validate_draft().map_err(invalid)?;
    check_tax_code(app, opened.application.org_id, &fields).await?;
    let before = &opened.application.fields;
    let tx = app.begin().await?;
    stored::update_application(&tx, id, &fields, app.now()).await?;
    let mut diff = Diff::new();
    diff.field("enterprise_name", &before.enterprise_name, &fields.enterprise_name)
        .field("tax_code", &before.tax_code, &fields.tax_code)
        .field("address", &before.address, &fields.address)
        .field("representative", &before.representative, &fields.representative)
        .field("established_on", &before.established_on, &fields.established_on)
        .field("size", &before.size.map(|s| s.code()), &fields.size.map(|s| s.code()))
        .field("results", &before.results, &fields.results)
        .field("products", &before.products, &fields.products)
        .field("years", &before.years, &fields.years);
    if !diff.is_empty() {
        let entry = Entry::new("update", entity::APPLICATION, id, "audit-cert-application-updated")
            .arg("name", &fields.enterprise_name)
            .changes(diff.into_changes());
        audit::record(app, &tx, session, entry).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Deletes a draft (with its files). `NotFound`; `Forbidden` unless it is the enterprise's own draft.
pub async fn delete_application(app: &App, session: &Session, id: i64) -> Result<()> {
    let opened = open_application(app, session, id).await?;
    if !(opened.powers.owner && opened.state.code == tiendo_core::certificates::DRAFT) {
        return Err(Error::FORBIDDEN);
    }
    let tx = app.begin().await?;
    if !stored::delete_application(&tx, id).await? {
        return Err(Error::conflict("cert_stale"));
    }
    let name = &opened.application.fields.enterprise_name;
    let entry = Entry::new("delete", entity::APPLICATION, id, "audit-cert-application-deleted")
        .arg("name", name)
        .change("enterprise_name", name, None::<String>);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// A page of the applications the actor may read.
pub async fn list_applications(
    app: &App,
    session: &Session,
    filter: &ApplicationFilter,
    page: Page,
) -> Result<Listed<ApplicationSummary>> {
    let scope = session.scope(app).await?;
    Ok(stored::page(app.db(), filter, scope, page).await?)
}

/// The dossier of a stored application as its form shows it (and as sending checks it).
pub fn draft_of(a: &Application) -> ApplicationDraft {
    let f = &a.fields;
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    let money = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
    ApplicationDraft {
        enterprise_name: f.enterprise_name.clone(),
        tax_code: f.tax_code.as_ref().map(|t| t.as_str().to_owned()).unwrap_or_default(),
        address: text(&f.address),
        representative: text(&f.representative),
        established_on: f.established_on.map(tiendo_core::fmt::date).unwrap_or_default(),
        size: f.size.map(|s| s.code().to_owned()).unwrap_or_default(),
        phone: text(&f.phone),
        email: text(&f.email),
        results: f
            .results
            .iter()
            .map(|r| ResultDraft {
                kind: r.kind.clone(),
                title: r.title.clone(),
                reference: text(&r.reference),
                issued_on: r.issued_on.map(tiendo_core::fmt::date).unwrap_or_default(),
                issuer: text(&r.issuer),
            })
            .collect(),
        products: f
            .products
            .iter()
            .map(|p| ProductDraft {
                name: p.name.clone(),
                result: p.result.map(|i| (i + 1).to_string()).unwrap_or_default(),
            })
            .collect(),
        years: f
            .years
            .iter()
            .map(|y| YearDraft {
                year: y.year.to_string(),
                total_revenue: y.total_revenue.to_string(),
                st_revenue: money(y.st_revenue),
                net_revenue: money(y.net_revenue),
                rd_spending: money(y.rd_spending),
            })
            .collect(),
    }
}
