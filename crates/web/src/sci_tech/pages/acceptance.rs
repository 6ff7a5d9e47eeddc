//! The acceptance part of a task's page (`/contracts/{id}`): the dossier, the council's evaluation with
//! the grade the rules give and why, the closing decision with the settlement, the results registered and
//! their application; and the forms that record them. A refused form comes back as typed, each wrong field
//! named (the handlers are here, the page is `contracts::show_page`).

use axum::body::Bytes;
use axum::response::Response;
use tiendo_app::Tr;
use tiendo_app::sci_tech::acceptance as use_cases;
use tiendo_app::sci_tech::contracts::ContractPage;
use tiendo_core::lang::Lang;
use tiendo_core::sci_tech::DecisionDraft;
use tiendo_core::sci_tech::acceptance::{
    ClosingDraft, DossierDraft, EvaluationDraft, ProductRatingDraft, RegistrationDraft, UseDraft,
};
use tiendo_core::sci_tech::grading::{Grade, Rating, RuleSets};
use tiendo_core::sci_tech::implementation::ContractState;

use super::contracts::act;
use crate::error::AppError;
use crate::extract::Path;
use crate::forms::fields::{Choice, Submitted};
use crate::layout::Ctx;

/// One ordered product in the evaluation form, with what was typed.
#[derive(Debug, Clone)]
pub struct ProductLine {
    /// Its position.
    pub i: usize,
    /// Its name, quantity and unit as ordered.
    pub ordered: String,
    /// Quantity's rating typed.
    pub quantity: String,
    /// Share reached typed.
    pub reached: String,
    /// Quality's rating typed.
    pub quality: String,
}

/// A product's ratings as the council gave them.
#[derive(Debug, Clone)]
pub struct RatedLine {
    /// The product.
    pub name: String,
    /// Quantity's rating (with the share reached when it failed).
    pub quantity: String,
    /// Quality's rating.
    pub quality: String,
}

/// An application of the results as shown.
#[derive(Debug, Clone)]
pub struct UseLine {
    /// The organisation.
    pub org: String,
    /// Its page.
    pub org_id: i64,
    /// Where.
    pub place: String,
    /// Since.
    pub from: String,
    /// Scale.
    pub scale: String,
    /// Effects.
    pub effects: String,
}

/// What the acceptance part shows and offers.
#[derive(Debug, Clone, Default)]
pub struct AcceptanceView {
    /// Whether anything is shown (a dossier, or the form for one).
    pub shown: bool,
    /// The dossier's facts: (label, value).
    pub facts: Vec<(String, String)>,
    /// The grade's label and code.
    pub grade: Option<(String, String)>,
    /// Why the rules gave it.
    pub reasons: Vec<String>,
    /// The ratings.
    pub rated: Vec<RatedLine>,
    /// The report's rating.
    pub report: String,
    /// The closing: (label, value).
    pub closing: Vec<(String, String)>,
    /// The registration: (label, value).
    pub registration: Vec<(String, String)>,
    /// The applications.
    pub uses: Vec<UseLine>,
    /// Offer the dossier's form.
    pub dossier_form: bool,
    /// Offer the evaluation's form, with the products to rate.
    pub evaluation_form: Vec<ProductLine>,
    /// Offer the closing form; whether the task was accepted.
    pub closing_form: Option<bool>,
    /// Offer the registration's form.
    pub registration_form: bool,
    /// Offer the form of an application.
    pub use_form: bool,
    /// The rule sets.
    pub rule_sets: Vec<Choice>,
    /// The ratings' choices.
    pub ratings: Vec<Choice>,
    /// The grades' choices.
    pub grades: Vec<Choice>,
    /// The organisations.
    pub orgs: Vec<Choice>,
}

fn date(d: chrono::NaiveDate) -> String {
    tiendo_core::fmt::date(d)
}

/// The label of a reason the rules gave, its arguments in the reader's language (a grade's code becomes its
/// name).
fn reason(tr: &Tr, code: &str, args: &serde_json::Map<String, serde_json::Value>) -> String {
    let values: Vec<(String, String)> = args
        .iter()
        .map(|(k, v)| {
            let text = v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string());
            let text = match (k.as_str(), Grade::from_code(&text)) {
                ("cap" | "grade", Some(g)) => tr.t(&format!("st-grade-{}", g.code())),
                _ => text,
            };
            (k.clone(), text)
        })
        .collect();
    let refs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    tr.t_with(&format!("st-grade-reason-{code}"), &refs)
}

/// Builds the acceptance part of `page` for the reader, with what was typed in the form `open_form`.
pub async fn view(
    ctx: &Ctx,
    page: &ContractPage,
    open_form: &str,
    typed: &Submitted,
) -> Result<AcceptanceView, AppError> {
    let tr = &ctx.tr;
    let t = |k: &str| tr.t(k);
    let lang: Lang = tr.lang();
    let state = page.opened.state();
    let powers = page.opened.powers;
    let mut v = AcceptanceView {
        rule_sets: RuleSets::standard()
            .all()
            .iter()
            .map(|r| Choice::new(r.code(), t(&format!("st-rule-set-{}", r.code()))))
            .collect(),
        ratings: Rating::ALL.iter().map(|r| Choice::new(r.code(), t(&format!("st-rating-{}", r.code())))).collect(),
        grades: Grade::ALL.iter().map(|g| Choice::new(g.code(), t(&format!("st-grade-{}", g.code())))).collect(),
        ..AcceptanceView::default()
    };
    v.dossier_form = state == ContractState::UnderWay && powers.record;
    if let Some(a) = &page.acceptance {
        v.facts.push((
            t("st-acceptance-internal"),
            match &a.internal_minutes {
                Some(m) => format!("{} ({m})", date(a.internal_on)),
                None => date(a.internal_on),
            },
        ));
        v.facts.push((t("st-acceptance-submitted"), date(a.submitted_on)));
        v.facts.push((
            t("st-acceptance-late"),
            if a.days_late > 0 {
                tr.t_count("st-acceptance-days-late", "count", a.days_late)
            } else {
                t("st-acceptance-on-time")
            },
        ));
        v.facts.push((t("st-acceptance-rule-set"), t(&format!("st-rule-set-{}", a.rule_set))));
        if let (Some(on), Some(minutes)) = (a.council_on, &a.council_minutes) {
            v.facts.push((t("st-acceptance-council"), format!("{} ({minutes})", date(on))));
        }
        if let Some(g) = &a.grade {
            v.grade = Some((t(&format!("st-grade-{g}")), g.clone()));
        }
        if let Some(reasons) = a.reasons.as_deref().and_then(|r| serde_json::from_str::<serde_json::Value>(r).ok()) {
            for r in reasons.as_array().into_iter().flatten() {
                let code = r["code"].as_str().unwrap_or_default();
                let empty = serde_json::Map::new();
                v.reasons.push(reason(tr, code, r["args"].as_object().unwrap_or(&empty)));
            }
        }
        if let Some(ratings) = a.ratings.as_deref().and_then(|r| serde_json::from_str::<serde_json::Value>(r).ok()) {
            let label = |code: &serde_json::Value| t(&format!("st-rating-{}", code.as_str().unwrap_or_default()));
            for p in ratings["products"].as_array().into_iter().flatten() {
                let criteria = p["criteria"].as_array().cloned().unwrap_or_default();
                let of = |kind: &str| criteria.iter().find(|c| c["kind"] == kind).cloned().unwrap_or_default();
                let q = of("quantity");
                let quantity = match q["reached_percent"].as_u64() {
                    Some(pct) if q["rating"] == "fail" => format!("{} ({pct}%)", label(&q["rating"])),
                    _ => label(&q["rating"]),
                };
                v.rated.push(RatedLine {
                    name: p["name"].as_str().unwrap_or_default().to_owned(),
                    quantity,
                    quality: label(&of("quality")["rating"]),
                });
            }
            v.report = label(&ratings["report"]);
        }
        if let Some(symbol) = &a.decision_symbol {
            let signed = match (a.decision_date, &a.decision_signer) {
                (Some(d), Some(s)) => format!("{symbol} · {} · {s}", date(d)),
                _ => symbol.clone(),
            };
            v.closing.push((t("st-closing-decision"), signed));
            if let Some(spent) = a.spent {
                v.closing.push((t("st-closing-spent"), tiendo_core::fmt::money(spent, lang)));
            }
            if a.risk_accepted == Some(true) {
                v.closing.push((t("st-closing-risk"), t("st-closing-risk-yes")));
            }
            if let Some(r) = page.opened.contract.to_recover {
                v.closing.push((t("st-contract-to-recover"), tiendo_core::fmt::money(r, lang)));
            }
            if let Some(note) = &a.closing_note {
                v.closing.push((t("st-note"), note.clone()));
            }
        }
    }
    if state == ContractState::InAcceptance && powers.record {
        v.evaluation_form = page
            .opened
            .fields
            .products
            .iter()
            .enumerate()
            .map(|(i, p)| ProductLine {
                i,
                ordered: format!("{} {} {}", p.quantity_text(lang), p.unit, p.name),
                quantity: typed
                    .all("rating_quantity")
                    .get(i)
                    .cloned()
                    .filter(|_| open_form == "evaluation")
                    .unwrap_or_default(),
                reached: typed
                    .all("rating_reached")
                    .get(i)
                    .cloned()
                    .filter(|_| open_form == "evaluation")
                    .unwrap_or_default(),
                quality: typed
                    .all("rating_quality")
                    .get(i)
                    .cloned()
                    .filter(|_| open_form == "evaluation")
                    .unwrap_or_default(),
            })
            .collect();
    }
    if matches!(state, ContractState::Accepted | ContractState::NotAccepted) && powers.decide {
        v.closing_form = Some(state == ContractState::Accepted);
    }
    let passed = page.acceptance.as_ref().and_then(|a| a.grade.as_deref()).is_some_and(|g| g != "fail");
    match &page.registration {
        Some(r) => {
            v.registration.push((t("st-results-number"), r.number.clone()));
            v.registration.push((t("st-results-registered-on"), date(r.registered_on)));
            if let Some(h) = &r.rights_holder {
                v.registration.push((t("st-results-rights"), h.clone()));
            }
            v.use_form = powers.record;
        }
        None => v.registration_form = passed && powers.record,
    }
    v.uses = page
        .uses
        .iter()
        .map(|u| UseLine {
            org: u.org_name.clone(),
            org_id: u.org_id,
            place: u.place.clone().unwrap_or_default(),
            from: date(u.from_on),
            scale: u.scale.clone().unwrap_or_default(),
            effects: u.effects.clone(),
        })
        .collect();
    if v.use_form {
        v.orgs = tiendo_db::orgtree::options(ctx.state.db())
            .await?
            .into_iter()
            .map(|o| Choice::data(o.id, o.name))
            .collect();
    }
    v.shown = v.dossier_form || page.acceptance.is_some();
    Ok(v)
}

/// `POST /contracts/{id}/dossier`.
pub async fn dossier(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let draft = DossierDraft {
        internal_on: form.get("internal_on"),
        internal_minutes: form.get("internal_minutes"),
        submitted_on: form.get("submitted_on"),
        rule_set: form.get("rule_set"),
    };
    let result = use_cases::submit_dossier(ctx.state.app(), ctx.auth.session(), id, &draft).await;
    act(ctx, id, "dossier", form, "dossier", result).await
}

/// `POST /contracts/{id}/evaluation`.
pub async fn evaluation(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let (q, r, k) = (form.all("rating_quantity"), form.all("rating_reached"), form.all("rating_quality"));
    let at = |v: &Vec<String>, i: usize| v.get(i).cloned().unwrap_or_default();
    let draft = EvaluationDraft {
        products: (0..q.len().max(k.len()))
            .map(|i| ProductRatingDraft { quantity: at(&q, i), reached_percent: at(&r, i), quality: at(&k, i) })
            .collect(),
        report: form.get("report"),
        score: form.get("score"),
        grade: form.get("grade"),
        held_on: form.get("held_on"),
        minutes: form.get("minutes"),
    };
    let result = use_cases::evaluate(ctx.state.app(), ctx.auth.session(), id, &draft).await;
    act(ctx, id, "evaluation", form, "evaluated", result).await
}

/// `POST /contracts/{id}/closing`.
pub async fn closing(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let draft = ClosingDraft {
        decision: DecisionDraft {
            symbol: form.get("decision_symbol"),
            date: form.get("decision_date"),
            signer: form.get("decision_signer"),
        },
        spent: form.get("spent"),
        risk_accepted: form.has("risk_accepted"),
        to_recover: form.get("to_recover"),
        note: form.get("note"),
    };
    let result = use_cases::close(ctx.state.app(), ctx.auth.session(), id, &draft).await;
    act(ctx, id, "closing", form, "closed", result).await
}

/// `POST /contracts/{id}/results`.
pub async fn results(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let draft = RegistrationDraft {
        number: form.get("number"),
        registered_on: form.get("registered_on"),
        rights_holder: form.get("rights_holder"),
    };
    let result = use_cases::register_results(ctx.state.app(), ctx.auth.session(), id, &draft).await;
    act(ctx, id, "results", form, "registered", result).await
}

/// `POST /contracts/{id}/results/uses`.
pub async fn add_use(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = Submitted::parse(&body);
    let draft = UseDraft {
        org_id: form.get("org_id"),
        place: form.get("place"),
        from_on: form.get("from_on"),
        scale: form.get("scale"),
        effects: form.get("effects"),
    };
    let result = use_cases::add_use(ctx.state.app(), ctx.auth.session(), id, &draft).await.map(|_| ());
    act(ctx, id, "use", form, "applied", result).await
}
