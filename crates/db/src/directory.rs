//! The directory: organisations (with their place on the map and their successions), people and the
//! affiliations that link them. Lists are in Vietnamese alphabetical order (`sort_key`), filtered without
//! diacritics (`name_folded`), paged by offset with the total count.
//!
//! Validation of what users type is `tiendo_core::directory`; this module checks what needs the database
//! (a tax code already used, a parent that does not exist or would make a cycle) and reports it as field
//! issues too, so that forms and the API show it like any other field error.

mod organizations;
mod people;
mod succession;

use chrono::NaiveDate;
use serde::Serialize;
use tiendo_core::directory::FieldIssue;

use crate::error::DbError;

pub use self::organizations::{
    OrgFilter, OrgRef, Organization, OrganizationRecord, UnitPlace, children, create_organization, diff_organizations,
    list_organizations, organization, organization_by_name, provinces_with_organizations, update_organization,
};
pub use self::people::{
    Affiliation, Person, PersonFilter, PersonRecord, PersonSummary, add_affiliation, affiliation,
    affiliations_of_organization, affiliations_of_person, create_person, diff_people, end_affiliation, list_people,
    person, update_person,
};
pub use self::succession::{Moved, OrgSuccession, Succession, SuccessionPlan, record_succession, successions_of};

/// Why a directory change was not made.
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    /// Fields that the database shows to be wrong (a tax code already used, an unknown parent).
    #[error("invalid fields: {}", .0.iter().map(|i| format!("{} {}", i.field, i.code)).collect::<Vec<_>>().join(", "))]
    Invalid(Vec<FieldIssue>),
    /// The record to change does not exist.
    #[error("record not found")]
    NotFound,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl DirectoryError {
    fn field(field: &'static str, code: &'static str) -> DirectoryError {
        DirectoryError::Invalid(vec![FieldIssue::new(field, code)])
    }
}

/// A page of a list: from the `offset`-th item, at most `limit` items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Items to skip.
    pub offset: i64,
    /// Items to return (at least 1).
    pub limit: i64,
}

impl Page {
    /// The first `limit` items.
    pub fn first(limit: i64) -> Page {
        Page { offset: 0, limit }
    }
}

/// Some items of a list and how many match in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listed<T> {
    /// The items of the page.
    pub items: Vec<T>,
    /// How many items match the filter.
    pub total: i64,
}

impl<T> Listed<T> {
    /// The offset of the next page, if there is one.
    pub fn next_offset(&self, page: Page) -> Option<i64> {
        let next = page.offset + self.items.len() as i64;
        (next < self.total && !self.items.is_empty()).then_some(next)
    }
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether a period `[from, to)` contains `day`.
fn in_period(from: Option<NaiveDate>, to: Option<NaiveDate>, day: NaiveDate) -> bool {
    from.is_none_or(|f| f <= day) && to.is_none_or(|t| day < t)
}
