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
use crate::forms::fields::Choice;
use crate::layout::Ctx;

/// The organisations offered in the forms, those that ended marked with their end, as select options.
pub async fn org_choices(ctx: &Ctx) -> Result<Vec<Choice>, AppError> {
    let today = ctx.state.app().today();
    Ok(visits::org_choices(ctx.state.db()).await?.iter().map(|o| org_choice(ctx, o, today)).collect())
}

fn org_choice(ctx: &Ctx, o: &OrgChoice, today: chrono::NaiveDate) -> Choice {
    match o.valid_to {
        Some(to) if to <= today => Choice::new(
            o.id,
            format!("{} ({})", o.name, ctx.tr.t_with("org-ended", &[("date", &tiendo_core::fmt::date(to))])),
        ),
        _ => Choice::new(o.id, o.name.clone()),
    }
}
