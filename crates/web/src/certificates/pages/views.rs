//! How the certificate pages name codes and figures: states, actions, statuses, conditions, the clock.

use tiendo_app::Tr;
use tiendo_core::certificates::{Check, ClockState};
use tiendo_core::lang::Lang;

/// A state's label.
pub fn state(tr: &Tr, code: &str) -> String {
    tr.t(&format!("cert-state-{code}"))
}

/// An action's label.
pub fn action(tr: &Tr, code: &str) -> String {
    tr.t(&format!("cert-action-{code}"))
}

/// A certificate status's label.
pub fn status(tr: &Tr, code: &str) -> String {
    tr.t(&format!("cert-status-{code}"))
}

/// An amount of đồng, or nothing.
pub fn money(lang: Lang, amount: Option<i64>) -> String {
    amount.map(|a| tiendo_core::fmt::money(a, lang)).unwrap_or_default()
}

/// A condition evaluated, as the checklist shows it.
#[derive(Debug, Clone)]
pub struct CheckView {
    /// The condition.
    pub label: String,
    /// The outcome's code (for the badge's colour).
    pub outcome: String,
    /// The outcome with its figures.
    pub text: String,
}

/// The checklist as shown.
pub fn checks(tr: &Tr, checks: &[Check]) -> Vec<CheckView> {
    checks
        .iter()
        .map(|c| {
            let args: Vec<(&str, &str)> = c.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let mut text = tr.t_with(&format!("cert-outcome-{}", c.outcome.code()), &args);
            let detail = format!("cert-rule-{}-detail", c.code);
            if c.args.iter().any(|(k, _)| *k == "percent") && tr.has(&detail) {
                text = format!("{text} {}", tr.t_with(&detail, &args));
            }
            CheckView { label: tr.t(&format!("cert-rule-{}", c.code)), outcome: c.outcome.code().to_owned(), text }
        })
        .collect()
}

/// The clock as shown: the days left (or overdue, or paused) and the last day.
pub fn clock(tr: &Tr, clock: &ClockState) -> (String, &'static str) {
    let days = clock.days_left;
    let deadline = clock.deadline.map(tiendo_core::fmt::date).unwrap_or_default();
    if clock.paused {
        (tr.t_with("cert-clock-paused", &[("days", &days.to_string())]), "paused")
    } else if days < 0 {
        (tr.t_with("cert-clock-overdue", &[("days", &(-days).to_string()), ("deadline", &deadline)]), "overdue")
    } else if days <= i64::from(tiendo_core::certificates::Machine::standard().clock().warn_days) {
        (tr.t_with("cert-clock-near", &[("days", &days.to_string()), ("deadline", &deadline)]), "near")
    } else {
        (tr.t_with("cert-clock-left", &[("days", &days.to_string()), ("deadline", &deadline)]), "ok")
    }
}

/// An S&T result of an enterprise as its page in the directory lists it.
#[derive(Debug, Clone)]
pub struct OrgResultLine {
    /// The result's name.
    pub title: String,
    /// Its evidence: the kind, the number, the issuer, the day.
    pub evidence: String,
    /// The page it is listed from.
    pub href: String,
    /// That page in words ("Giấy chứng nhận số 01/2020/DNKHCN", "Hồ sơ đang kiểm tra hợp lệ").
    pub source: String,
}

/// The results of an enterprise as its page lists them.
pub fn org_results(tr: &Tr, results: &[tiendo_app::certificates::OrgResult]) -> Vec<OrgResultLine> {
    use tiendo_app::certificates::ResultSource;
    results
        .iter()
        .map(|r| {
            let mut evidence = vec![tr.t(&format!("cert-result-{}", r.result.kind))];
            evidence.extend(r.result.reference.clone());
            evidence.extend(r.result.issuer.clone());
            evidence.extend(r.result.issued_on.map(tiendo_core::fmt::date));
            let (href, source) = match &r.source {
                ResultSource::Certificate { id, number } => {
                    (format!("/certificates/{id}"), format!("{} {number}", tr.t("cert-certificate")))
                }
                ResultSource::Application { id, state } => (
                    format!("/certificates/applications/{id}"),
                    tr.t_with("cert-org-result-application", &[("state", &tr.t(&format!("cert-state-{state}")))]),
                ),
            };
            OrgResultLine { title: r.result.title.clone(), evidence: evidence.join(", "), href, source }
        })
        .collect()
}
