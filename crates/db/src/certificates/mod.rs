//! Storage of S&T enterprise certificates (issue 18): applications with their dossier in the state of the
//! machine (`tiendo_core::certificates::Machine`), the timeline of their processing, the files of the
//! checklist, the certificates with their versions and ends, and the yearly reports. The rules are
//! `tiendo_core::certificates`, the use cases `tiendo_app::certificates`.

mod applications;
pub mod appraisal;
mod certs;
mod events;
mod reports;

pub use applications::{
    AppFile, Application, ApplicationFilter, ApplicationRecord, ApplicationScope, ApplicationSummary, add_file,
    application, applications_using_attachment, count_by_state, create_application, delete_application, file, files,
    move_state, of_org, open_applications, page, remove_file, set_decided, update_application,
};
pub use certs::{
    Certificate, CertificateFilter, NewCertificate, certificate, certificate_of_application, certificates_of_org,
    create_certificate, end_certificate, next_version, public_page, supersede, versions,
};
pub use events::{Event, NewEvent, add_event, events, events_of};
pub use reports::{Lapsed, NewReport, StoredReport, lapsed, put_report, remove_for_report, reports};

/// Reads a JSON column written by this module.
fn from_json<T: serde::de::DeserializeOwned>(column: &str, text: &str) -> Result<T, crate::DbError> {
    serde_json::from_str(text).map_err(|e| crate::DbError::Corrupt(format!("{column}: {e}")))
}

/// Writes a JSON column.
fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_owned())
}

/// The active accounts acting for an enterprise: those whose applicant role covers the organisation at the
/// end of `org_path`, (user id, e-mail), each once.
pub async fn applicants_of(
    ex: &impl crate::Exec,
    org_path: &[i64],
) -> Result<Vec<(i64, Option<String>)>, crate::DbError> {
    let Some(org) = org_path.last() else { return Ok(Vec::new()) };
    let mut q = crate::Query::new(
        "SELECT DISTINCT u.id, u.email FROM users u WHERE u.status = 'active' AND u.id IN (SELECT g.user_id \
         FROM role_grants g WHERE g.role = 'applicant' AND ((g.scope_kind = 'organization' AND g.organization_id = ",
    );
    q.push_bind(*org).push(") OR (g.scope_kind = 'subtree' AND g.organization_id IN (");
    crate::monitoring::push_ids(&mut q, org_path);
    q.push(")))) ORDER BY u.id");
    crate::Exec::fetch_all(ex, q).await
}

/// The organisations of the directory bearing a tax code whose head office's ten digits are `head`:
/// (id, tax code).
pub async fn organizations_with_tax_code(
    ex: &impl crate::Exec,
    head: &str,
) -> Result<Vec<(i64, String)>, crate::DbError> {
    crate::Exec::fetch_all(
        ex,
        crate::Query::new("SELECT id, tax_code FROM organizations WHERE tax_code = $1 OR tax_code LIKE $2 ORDER BY id")
            .bind(head)
            .bind(format!("{head}-%")),
    )
    .await
}

/// Records that a reminder of the clock went out; `false` when it already had.
pub async fn claim_reminder(
    ex: &impl crate::Exec,
    application_id: i64,
    kind: &str,
    deadline: chrono::NaiveDate,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<bool, crate::DbError> {
    let n = crate::Exec::execute(
        ex,
        crate::Query::new(
            "INSERT INTO cert_reminders_sent (application_id, kind, deadline, sent_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (application_id, kind, deadline) DO NOTHING",
        )
        .bind(application_id)
        .bind(kind)
        .bind(deadline)
        .bind(at),
    )
    .await?;
    Ok(n == 1)
}

/// The active accounts of the department's staff (officers and leaders, any scope): (user id, e-mail).
pub async fn staff_accounts(ex: &impl crate::Exec) -> Result<Vec<(i64, Option<String>)>, crate::DbError> {
    crate::Exec::fetch_all(
        ex,
        crate::Query::new(
            "SELECT DISTINCT u.id, u.email FROM users u JOIN role_grants g ON g.user_id = u.id WHERE u.status = 'active' \
             AND g.role IN ('department_leader', 'department_officer') ORDER BY u.id",
        ),
    )
    .await
}

/// Every application in these states (the reminders' job, acting for the system), received first first.
pub async fn all_in_states(
    ex: &impl crate::Exec,
    states: &[String],
) -> Result<Vec<ApplicationSummary>, crate::DbError> {
    let mut q = crate::Query::new(
        "SELECT a.id, a.enterprise_name, a.tax_code, a.state, a.received_on, a.decided_on, a.decided_late, a.updated_at \
         FROM cert_applications a WHERE a.state IN (",
    );
    for (i, s) in states.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.push_bind(s.clone());
    }
    if states.is_empty() {
        q.push("NULL");
    }
    q.push(") ORDER BY a.received_on, a.id");
    crate::Exec::fetch_all(ex, q).await
}
