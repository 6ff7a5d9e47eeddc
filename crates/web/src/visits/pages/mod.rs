//! The HTML pages of working visits: thin handlers that read the form, call one use case of
//! `tiendo_app::visits`, and render.

pub mod calendar;
pub mod conclusions;
pub mod files;
pub mod form;
pub mod notice;
pub mod org_section;
pub mod show;

use tiendo_db::visits::{self, OrgChoice};

use crate::error::AppError;
use crate::forms::fields::{Choice, grouped};
use crate::layout::Ctx;

/// The organisations offered in the forms as select options: the current ones, then those that ended, in a
/// group per end date ("Ended on 01/07/2025").
pub async fn org_choices(ctx: &Ctx) -> Result<Vec<Choice>, AppError> {
    let today = ctx.state.app().today();
    Ok(grouped_by_end(ctx, &visits::org_choices(ctx.state.db()).await?, today))
}

fn grouped_by_end(ctx: &Ctx, orgs: &[OrgChoice], today: chrono::NaiveDate) -> Vec<Choice> {
    let mut current = Vec::new();
    let mut ended: std::collections::BTreeMap<chrono::NaiveDate, Vec<Choice>> = std::collections::BTreeMap::new();
    for o in orgs {
        match o.valid_to {
            Some(to) if to <= today => ended.entry(to).or_default().push(Choice::data(o.id, o.name.clone())),
            _ => current.push(Choice::data(o.id, o.name.clone())),
        }
    }
    let groups = ended
        .into_iter()
        .map(|(to, choices)| (ctx.tr.t_with("org-ended", &[("date", &tiendo_core::fmt::date(to))]), choices))
        .collect();
    grouped(current, groups)
}
