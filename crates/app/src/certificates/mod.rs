//! S&T enterprise certificates (issue 18): an enterprise's application moved through the machine of
//! `tiendo_core::certificates::Machine` under the statutory clock, the certificate issued, amended,
//! re-issued or ended, and the yearly reports with the conditions re-checked.
//!
//! Every write is one function here over ([`crate::App`], [`crate::Session`]) that the pages, the API and
//! the demo share. What an actor may do with an application is `tiendo_core::certificates::Powers`,
//! computed once per application by [`open_application`]. Storage is `tiendo_db::certificates`.

mod access;
mod applications;
pub mod appraisal;
mod certs;
mod files;
pub mod paper;
mod reports;
mod results;
mod steps;
pub mod work;
pub mod yearly;

pub use access::{OpenedApplication, clock_of, may_read_file, open_application, pauses_of};
pub use applications::{create_application, delete_application, draft_of, list_applications, save_application};
pub use certs::{CertificateStep, amend, end_certificate, lookup, open_certificate, reissue};
pub use files::{add_file, remove_file};
pub use paper::export_certificate;
pub use reports::{ReportOutcome, submit_report};
pub use results::{OrgResult, ResultSource, results_of_org};
pub use steps::step;

/// The entity types of the audit trail.
pub mod entity {
    /// An application.
    pub const APPLICATION: &str = "cert_application";
    /// A certificate.
    pub const CERTIFICATE: &str = "certificate";
}
