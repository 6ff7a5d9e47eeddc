//! How the pages of S&T tasks show codes and figures: a state, an action, a route by their messages; a
//! deadline in Vietnam's time; money in đồng.

use chrono::{DateTime, Utc};
use tiendo_app::Tr;
use tiendo_core::lang::Lang;
use tiendo_core::sci_tech::CallPhase;

/// The label of a state.
pub fn state(tr: &Tr, code: &str) -> String {
    tr.t(&format!("st-state-{code}"))
}

/// The label of an action (a button, a line of the timeline).
pub fn action(tr: &Tr, code: &str) -> String {
    tr.t(&format!("st-action-{code}"))
}

/// The label of a route.
pub fn route(tr: &Tr, code: &str) -> String {
    tr.t(&format!("st-route-{code}"))
}

/// The label of a regime.
pub fn regime(tr: &Tr, code: &str) -> String {
    tr.t(&format!("st-regime-{code}"))
}

/// The label of a call's phase.
pub fn phase(tr: &Tr, phase: CallPhase) -> String {
    tr.t(&format!("st-phase-{}", phase.code()))
}

/// An instant as `17:00 ngày 30/04/2020` in Vietnam's time.
pub fn instant(tr: &Tr, at: DateTime<Utc>) -> String {
    let local = tiendo_core::time::to_vietnam(at);
    tr.t_with(
        "st-instant",
        &[
            ("time", &local.format("%H:%M").to_string()),
            ("date", &tiendo_core::fmt::date(tiendo_core::time::vietnam_date(at))),
        ],
    )
}

/// An amount in đồng in the reader's language.
pub fn money(lang: Lang, amount: Option<i64>) -> String {
    amount.map(|a| tiendo_core::fmt::money(a, lang)).unwrap_or_default()
}

/// A line of a list or a select: (value, label).
pub fn choices(tr: &Tr, prefix: &str, codes: &[&str]) -> Vec<crate::forms::fields::Choice> {
    codes.iter().map(|c| crate::forms::fields::Choice::new(*c, tr.t(&format!("{prefix}{c}")))).collect()
}
