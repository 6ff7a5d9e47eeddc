//! The directory (danh bạ): organisations (cơ quan, đơn vị), people with their academic titles and degrees,
//! and the time-bounded roles that link them (affiliations). This module holds the kinds, the titles, the
//! tax code and the validation of what users type; storage is `tiendo_db::directory`.

pub mod input;
pub mod kind;
pub mod tax_code;
pub mod title;

pub use input::{AffiliationDraft, AffiliationFields, FieldIssue, OrganizationDraft, OrganizationFields, PersonDraft};
pub use input::{PersonFields, parse_date, split_expertise};
pub use kind::OrgKind;
pub use tax_code::{TaxCode, TaxCodeError};
pub use title::{AcademicRank, Degree, Honorific, HonorificError};
