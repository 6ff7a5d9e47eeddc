//! Change stamps: numbers the database moves whenever a set of data changes (migration 36), so that a figure
//! computed from that data can be kept between requests and reused, on every instance, until its stamp
//! moves. Triggers move them, so no write path can miss one; on PostgreSQL a stamp moves once per
//! transaction, at its commit, in the order transactions commit.
//!
//! A reader reads the stamp **before** the data: the data it then reads is at least as new as the stamp, so
//! keeping the two together can never pair a stamp with older data.

use crate::error::DbError;
use crate::query::{Exec, Query};

/// The facts of every assignment's status (`monitoring::assignments::StatusRow`): moved by any insert or
/// delete of an assignment, a change of one of those facts, or a change of a task's weight or plan.
pub const ASSIGNMENT_STATUS: &str = "assignment_status";

/// The current version of the stamp `name`.
pub async fn version(ex: &impl Exec, name: &str) -> Result<i64, DbError> {
    let (version,): (i64,) =
        ex.fetch_one(Query::new("SELECT version FROM change_stamps WHERE name = $1").bind(name)).await?;
    Ok(version)
}
