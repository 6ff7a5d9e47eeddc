//! The S&T results of an enterprise for its page in the directory (issue 18 item 5): the results behind
//! its products, as its applications list them. Those of an issued application are read from its
//! certificate's latest version (public, as the register is); those of an application still in
//! processing, refused or withdrawn only by whoever may open it (the enterprise, the department's staff
//! once it is sent). A result named by several applications is listed once, under the first that names it
//! (certificates first).

use tiendo_core::certificates::StResult;
use tiendo_db::certificates as stored;

use super::access::open_application;
use crate::{App, Error, Result, Session};

/// Where a result is listed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResultSource {
    /// A certificate (its latest version): id and number.
    Certificate {
        /// The version's id.
        id: i64,
        /// Its number.
        number: String,
    },
    /// An application not issued: id and state's code.
    Application {
        /// The application's id.
        id: i64,
        /// Its state.
        state: String,
    },
}

/// A result of the enterprise and where it is listed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgResult {
    /// The result with its evidence.
    pub result: StResult,
    /// Where from.
    pub source: ResultSource,
}

fn same(a: &StResult, b: &StResult) -> bool {
    let key = |r: &StResult| (r.kind.clone(), tiendo_core::text::fold(&r.title), r.reference.clone());
    key(a) == key(b)
}

/// The S&T results of an enterprise the actor may read, those on its certificates first.
pub async fn results_of_org(app: &App, session: &Session, org_id: i64) -> Result<Vec<OrgResult>> {
    let mut certified = Vec::new();
    let mut pending = Vec::new();
    for (id, state) in stored::of_org(app.db(), org_id).await? {
        if let Some(c) = stored::certificate_of_application(app.db(), id).await? {
            let source = ResultSource::Certificate { id: c.id, number: c.number.clone() };
            certified.extend(c.results.into_iter().map(|result| OrgResult { result, source: source.clone() }));
            continue;
        }
        match open_application(app, session, id).await {
            Ok(opened) => {
                let source = ResultSource::Application { id, state };
                pending.extend(
                    opened
                        .application
                        .fields
                        .results
                        .into_iter()
                        .map(|result| OrgResult { result, source: source.clone() }),
                );
            }
            Err(Error::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    let mut out: Vec<OrgResult> = Vec::new();
    for r in certified.into_iter().chain(pending) {
        if !out.iter().any(|o| same(&o.result, &r.result)) {
            out.push(r);
        }
    }
    Ok(out)
}
