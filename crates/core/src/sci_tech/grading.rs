//! Acceptance grading (xếp loại nghiệm thu) as data: what an acceptance council rates about a finished
//! task ([`Ratings`]: each ordered product's criteria, the summary report, a total score, how late the
//! dossier came) and the rule sets that turn those ratings into a grade ([`RuleSet`], read from
//! `grading.toml`). Rules differ by issuer (TT 11/2014/TT-BKHCN, TT 26/2018/TT-BTNMT, a ministry's
//! 100-point sheet, a province's own regulation), so none is written in code: a rule set grades either by
//! the ratings of the criteria or by score bands, and says how lateness weighs.
//!
//! A grade comes with the rules that decided it ([`Reason`]) so that the minutes can say why, and a grade
//! the council proposes is checked against it ([`RuleSet::check_proposed`]).

use std::sync::OnceLock;

use chrono::{Days, NaiveDate};
use serde::Deserialize;

use super::Issue;
use super::council::Fraction;

code_enum! {
    /// How the council rates one criterion of a product, or the summary report.
    Rating {
        /// Xuất sắc: exceeds what was ordered (the report: complete and up to standard).
        Excellent => "excellent",
        /// Đạt: meets it (the report: to be amended, but can be completed).
        Pass => "pass",
        /// Không đạt: does not.
        Fail => "fail",
    }
}

impl Rating {
    /// Whether it meets what was ordered (Đạt or better).
    pub fn passes(self) -> bool {
        self != Rating::Fail
    }
}

code_enum! {
    /// The grade of a task at acceptance (xếp loại), best first.
    Grade {
        /// Xuất sắc.
        Excellent => "excellent",
        /// Khá (not in TT 11/2014; added by many provinces and ministries).
        Good => "good",
        /// Đạt.
        Pass => "pass",
        /// Không đạt: the funds are recovered unless the failure is accepted as a risk.
        Fail => "fail",
    }
}

impl Grade {
    /// Its rank, higher is better (Không đạt 0, Xuất sắc 3), to compare grades.
    pub fn rank(self) -> u8 {
        match self {
            Grade::Excellent => 3,
            Grade::Good => 2,
            Grade::Pass => 1,
            Grade::Fail => 0,
        }
    }

    /// The worse of two grades.
    pub fn at_most(self, cap: Grade) -> Grade {
        if self.rank() <= cap.rank() { self } else { cap }
    }
}

code_enum! {
    /// What a product criterion measures.
    CriterionKind {
        /// Số lượng, khối lượng: how much was delivered against the order.
        Quantity => "quantity",
        /// Chất lượng, chủng loại: whether what was delivered is what was ordered.
        Quality => "quality",
    }
}

/// The council's rating of one criterion of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CriterionRating {
    /// What it measures.
    pub kind: CriterionKind,
    /// The rating.
    pub rating: Rating,
    /// For a quantity criterion rated Không đạt, the share of the ordered amount reached, in percent
    /// (80 for 80%); the council records it because a small shortfall may still pass. Ignored otherwise.
    pub reached_percent: Option<u32>,
}

/// The council's ratings of one ordered product (sản phẩm).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductRating {
    /// Its name as the contract orders it.
    pub name: String,
    /// Its criteria, usually one of each kind.
    pub criteria: Vec<CriterionRating>,
}

/// Everything a council judges about a finished task. A rule set reads what it needs: a criteria rule
/// set the products and the report, a points rule set the score; both the lateness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ratings {
    /// The ordered products.
    pub products: Vec<ProductRating>,
    /// The summary report (báo cáo tổng hợp).
    pub report: Rating,
    /// The total score on 100, for points rule sets.
    pub score: Option<u32>,
    /// How many days after its due date the dossier came ([`RuleSet::days_late`]); 0 when on time.
    pub days_late: u32,
}

/// A rule that decided a grade, with the message's arguments; the UI translates the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// `all_products_excellent`, `score_band`, `late_beyond_limit`, …
    pub code: &'static str,
    /// Arguments of the message (`days` and `limit` for a late dossier).
    pub args: Vec<(&'static str, String)>,
}

impl Reason {
    fn new(code: &'static str) -> Reason {
        Reason { code, args: Vec::new() }
    }

    fn arg(mut self, name: &'static str, value: impl ToString) -> Reason {
        self.args.push((name, value.to_string()));
        self
    }
}

/// A grade and the rules that decided it, ratings first, lateness last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graded {
    /// The grade.
    pub grade: Grade,
    /// Why.
    pub reasons: Vec<Reason>,
}

/// How a late dossier weighs on the grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LatePolicy {
    /// Days late that still count as on time.
    pub grace_days: u32,
    /// The best grade a dossier late beyond the grace can get; none when lateness within the limit costs
    /// nothing.
    pub cap: Option<Grade>,
    /// Late by more than this many days, the task fails; none when lateness alone never fails it.
    pub fail_after_days: Option<u32>,
}

/// The thresholds of a rule set grading by the ratings of the criteria (TT 11/2014 and its copies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CriteriaRule {
    /// Đạt needs at least this share of the quantity criteria rated Đạt or better (3/4).
    pub pass_quantity_share: Fraction,
    /// … and every quantity criterion that misses reaching at least this percent of the ordered amount.
    pub pass_reached_min_percent: u32,
    /// Khá needs every criterion Đạt or better and at least this share Xuất sắc; present exactly when the
    /// rule set has Khá.
    pub good_excellent_share: Option<Fraction>,
}

/// A score band: the least total on 100 that gets its grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Band {
    /// The grade.
    pub grade: Grade,
    /// The least score.
    pub min: u32,
}

/// How a rule set grades.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    /// By the ratings of the product criteria and the report.
    Criteria(CriteriaRule),
    /// By the total score: bands best first with strictly falling minima; below the last, Không đạt.
    Points(Vec<Band>),
}

/// A rule set: the grades it gives, when the dossier is due, how lateness weighs and how it grades.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSet {
    code: String,
    source: String,
    grades: Vec<Grade>,
    dossier_due_days: u32,
    late: LatePolicy,
    method: Method,
    application_report_years: u32,
}

/// The highest total score.
pub const SCORE_MAX: u32 = 100;

impl RuleSet {
    /// Its stable code (`tt11_2014`).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The document it follows, as its number and symbol (`TT 11/2014/TT-BKHCN`), not translated.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The grades it gives, best first.
    pub fn grades(&self) -> &[Grade] {
        &self.grades
    }

    /// Days after the end of the contract within which the acceptance dossier is due.
    pub fn dossier_due_days(&self) -> u32 {
        self.dossier_due_days
    }

    /// For how many years after the recognition of the results the host reports yearly on their application
    /// (0: no such reports).
    pub fn application_report_years(&self) -> u32 {
        self.application_report_years
    }

    /// How lateness weighs.
    pub fn late_policy(&self) -> LatePolicy {
        self.late
    }

    /// How it grades.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The day the acceptance dossier is due: `contract_end` is the last day of the contract, extensions
    /// included.
    pub fn dossier_due(&self, contract_end: NaiveDate) -> NaiveDate {
        contract_end + Days::new(u64::from(self.dossier_due_days))
    }

    /// How many days after its due date a dossier submitted on `submitted_on` came; 0 on or before it.
    pub fn days_late(&self, contract_end: NaiveDate, submitted_on: NaiveDate) -> u32 {
        let late = (submitted_on - self.dossier_due(contract_end)).num_days();
        u32::try_from(late.max(0)).unwrap_or(u32::MAX)
    }

    /// The grade the ratings get, with the rules that decided it; or what in the ratings this rule set
    /// cannot judge: a points rule set without a score (`score_required`) or with one above 100
    /// (`score_range`), a criteria rule set without products (`products_required`), a product without
    /// criteria (`criteria_required`), a failed quantity criterion without its reached share
    /// (`reached_share_required`), a reached share above 100 (`reached_share_range`).
    pub fn grade(&self, ratings: &Ratings) -> Result<Graded, Vec<Issue>> {
        let mut graded = match &self.method {
            Method::Criteria(rule) => grade_by_criteria(rule, ratings)?,
            Method::Points(bands) => grade_by_points(bands, ratings)?,
        };
        self.apply_lateness(&mut graded, ratings.days_late);
        Ok(graded)
    }

    /// Checks the grade the council proposes against the rules: refused with `grade_not_in_rule_set` when
    /// this rule set has no such grade, with `grade_not_allowed` (argument `grade`, the grade the rules
    /// give) when the rules give another; the issues of [`RuleSet::grade`] when the ratings cannot be
    /// judged. Every issue names the field `grade` except those about the ratings.
    pub fn check_proposed(&self, ratings: &Ratings, proposed: Grade) -> Result<Graded, Vec<Issue>> {
        let not_in_rule_set = Issue::new("grade", "grade_not_in_rule_set");
        match self.grade(ratings) {
            Err(mut issues) => {
                if !self.grades.contains(&proposed) {
                    issues.insert(0, not_in_rule_set);
                }
                Err(issues)
            }
            Ok(_) if !self.grades.contains(&proposed) => Err(vec![not_in_rule_set]),
            Ok(graded) if graded.grade != proposed => {
                Err(vec![Issue::new("grade", "grade_not_allowed").arg("grade", graded.grade.code())])
            }
            Ok(graded) => Ok(graded),
        }
    }

    fn apply_lateness(&self, graded: &mut Graded, days_late: u32) {
        let late = self.late;
        if let Some(limit) = late.fail_after_days
            && days_late > limit
        {
            graded.grade = Grade::Fail;
            graded.reasons.push(Reason::new("late_beyond_limit").arg("days", days_late).arg("limit", limit));
            return;
        }
        if let Some(cap) = late.cap
            && days_late > late.grace_days
            && graded.grade.at_most(cap) != graded.grade
        {
            graded.grade = cap;
            graded.reasons.push(Reason::new("late_capped").arg("days", days_late).arg("cap", cap.code()));
        }
    }
}

fn grade_by_criteria(rule: &CriteriaRule, ratings: &Ratings) -> Result<Graded, Vec<Issue>> {
    let mut issues = Vec::new();
    if ratings.products.is_empty() {
        issues.push(Issue::new("products", "products_required"));
    }
    for (i, product) in ratings.products.iter().enumerate() {
        if product.criteria.is_empty() {
            issues.push(Issue::new(format!("products[{i}].criteria"), "criteria_required"));
        }
        for (j, c) in product.criteria.iter().enumerate() {
            let field = format!("products[{i}].criteria[{j}].reached_percent");
            match c.reached_percent {
                Some(p) if p > 100 => issues.push(Issue::new(field, "reached_share_range").arg("max", 100)),
                None if c.kind == CriterionKind::Quantity && c.rating == Rating::Fail => {
                    issues.push(Issue::new(field, "reached_share_required"));
                }
                _ => {}
            }
        }
    }
    if !issues.is_empty() {
        return Err(issues);
    }

    let all = || ratings.products.iter().flat_map(|p| p.criteria.iter());
    let total = all().count();
    let excellent = all().filter(|c| c.rating == Rating::Excellent).count();
    let every_passes = all().all(|c| c.rating.passes());
    let report_passes = ratings.report.passes();

    // Each grade's conditions imply the next one's, so the first that holds is the grade, and improving a
    // rating never lowers it.
    if excellent == total && report_passes {
        return Ok(Graded { grade: Grade::Excellent, reasons: vec![Reason::new("all_products_excellent")] });
    }
    if let Some(share) = rule.good_excellent_share
        && every_passes
        && report_passes
        && at_least(share, excellent, total)
    {
        let reason =
            Reason::new("excellent_share_met").arg("excellent", excellent).arg("total", total).arg("share", share);
        return Ok(Graded { grade: Grade::Good, reasons: vec![reason] });
    }

    let mut failed = Vec::new();
    if !report_passes {
        failed.push(Reason::new("report_failed"));
    }
    let quality_failed = all().filter(|c| c.kind == CriterionKind::Quality && !c.rating.passes()).count();
    if quality_failed > 0 {
        failed.push(Reason::new("quality_failed").arg("count", quality_failed));
    }
    let quantity = all().filter(|c| c.kind == CriterionKind::Quantity).count();
    let quantity_met = all().filter(|c| c.kind == CriterionKind::Quantity && c.rating.passes()).count();
    if !at_least(rule.pass_quantity_share, quantity_met, quantity) {
        failed.push(
            Reason::new("quantity_share_too_low")
                .arg("met", quantity_met)
                .arg("total", quantity)
                .arg("share", rule.pass_quantity_share),
        );
    }
    for product in &ratings.products {
        for c in &product.criteria {
            let reached = c.reached_percent.unwrap_or(0);
            if c.kind == CriterionKind::Quantity && c.rating == Rating::Fail && reached < rule.pass_reached_min_percent
            {
                failed.push(
                    Reason::new("quantity_reached_too_low")
                        .arg("product", &product.name)
                        .arg("reached", reached)
                        .arg("min", rule.pass_reached_min_percent),
                );
            }
        }
    }
    if failed.is_empty() {
        let reason = Reason::new("criteria_met").arg("met", quantity_met).arg("total", quantity);
        Ok(Graded { grade: Grade::Pass, reasons: vec![reason] })
    } else {
        Ok(Graded { grade: Grade::Fail, reasons: failed })
    }
}

/// Whether `count` of `of` is at least the share (0 of 0 is).
fn at_least(share: Fraction, count: usize, of: usize) -> bool {
    count * share.den as usize >= share.num as usize * of
}

fn grade_by_points(bands: &[Band], ratings: &Ratings) -> Result<Graded, Vec<Issue>> {
    let score = match ratings.score {
        None => return Err(vec![Issue::new("score", "score_required")]),
        Some(s) if s > SCORE_MAX => return Err(vec![Issue::new("score", "score_range").arg("max", SCORE_MAX)]),
        Some(s) => s,
    };
    let mut max = SCORE_MAX;
    for band in bands {
        if score >= band.min {
            let reason = Reason::new("score_band").arg("score", score).arg("min", band.min).arg("max", max);
            return Ok(Graded { grade: band.grade, reasons: vec![reason] });
        }
        max = band.min - 1;
    }
    let reason = Reason::new("score_band").arg("score", score).arg("min", 0).arg("max", max);
    Ok(Graded { grade: Grade::Fail, reasons: vec![reason] })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LateDef {
    #[serde(default)]
    grace_days: u32,
    cap: Option<String>,
    fail_after_days: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CriteriaDef {
    pass_quantity_share: Fraction,
    pass_reached_min_percent: u32,
    good_excellent_share: Option<Fraction>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BandDef {
    grade: String,
    min: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSetDef {
    code: String,
    source: String,
    grades: Vec<String>,
    dossier_due_days: u32,
    late: Option<LateDef>,
    #[serde(default = "default_application_report_years")]
    application_report_years: u32,
    criteria: Option<CriteriaDef>,
    bands: Option<Vec<BandDef>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    default: String,
    rule_sets: Vec<RuleSetDef>,
}

/// The years after acceptance during which the host reports yearly on the application of the results, when
/// a rule set does not say.
pub const DEFAULT_APPLICATION_REPORT_YEARS: u32 = 3;

fn default_application_report_years() -> u32 {
    DEFAULT_APPLICATION_REPORT_YEARS
}

fn grade_of(code: &str) -> Result<Grade, String> {
    Grade::from_code(code).ok_or_else(|| format!("unknown grade {code}"))
}

impl RuleSetDef {
    fn check(self) -> Result<RuleSet, String> {
        let mut grades = Vec::new();
        for code in &self.grades {
            let grade = grade_of(code)?;
            if grades.contains(&grade) {
                return Err(format!("grade {code} twice"));
            }
            grades.push(grade);
        }
        if !grades.contains(&Grade::Pass) || !grades.contains(&Grade::Fail) {
            return Err("every rule set has the grades pass and fail".into());
        }
        grades.sort_by_key(|g| std::cmp::Reverse(g.rank()));

        let late = match self.late {
            None => LatePolicy::default(),
            Some(l) => {
                let cap = l.cap.as_deref().map(grade_of).transpose()?;
                if cap.is_some_and(|c| !grades.contains(&c)) {
                    return Err("the late cap is not one of the grades".into());
                }
                if l.fail_after_days.is_some_and(|f| f < l.grace_days) {
                    return Err("a dossier fails for lateness only after its grace".into());
                }
                LatePolicy { grace_days: l.grace_days, cap, fail_after_days: l.fail_after_days }
            }
        };

        let method = match (self.criteria, self.bands) {
            (Some(c), None) => {
                if c.pass_reached_min_percent > 100 {
                    return Err("the reached share is a percent".into());
                }
                if c.good_excellent_share.is_some() != grades.contains(&Grade::Good) {
                    return Err("good_excellent_share is given exactly when the grade good exists".into());
                }
                Method::Criteria(CriteriaRule {
                    pass_quantity_share: c.pass_quantity_share,
                    pass_reached_min_percent: c.pass_reached_min_percent,
                    good_excellent_share: c.good_excellent_share,
                })
            }
            (None, Some(defs)) => {
                let mut bands: Vec<Band> = Vec::new();
                for b in defs {
                    let grade = grade_of(&b.grade)?;
                    if grade == Grade::Fail || !grades.contains(&grade) {
                        return Err(format!("band {} is not a passing grade of the rule set", b.grade));
                    }
                    if b.min == 0 || b.min > SCORE_MAX {
                        return Err(format!("band {} starts within 1–100", b.grade));
                    }
                    if bands.last().is_some_and(|prev| prev.grade.rank() <= grade.rank() || prev.min <= b.min) {
                        return Err(format!("band {} is not below the one before", b.grade));
                    }
                    bands.push(Band { grade, min: b.min });
                }
                if grades.iter().any(|g| *g != Grade::Fail && !bands.iter().any(|b| b.grade == *g)) {
                    return Err("every grade but fail has a band".into());
                }
                Method::Points(bands)
            }
            _ => return Err("a rule set has either criteria or bands".into()),
        };

        Ok(RuleSet {
            code: self.code,
            source: self.source,
            grades,
            dossier_due_days: self.dossier_due_days,
            late,
            method,
            application_report_years: self.application_report_years,
        })
    }
}

/// The rule sets to choose from, one of them the default.
#[derive(Debug, Clone)]
pub struct RuleSets {
    sets: Vec<RuleSet>,
    default: usize,
}

impl RuleSets {
    /// The rule sets of `grading.toml`.
    ///
    /// # Panics
    /// Never for the file shipped (a test parses it); a broken edit of it fails at the first use.
    pub fn standard() -> &'static RuleSets {
        static SETS: OnceLock<RuleSets> = OnceLock::new();
        SETS.get_or_init(|| RuleSets::parse(include_str!("grading.toml")).expect("grading.toml holds valid rule sets"))
    }

    /// Reads and checks rule sets: distinct codes, known grades with pass and fail among them, either
    /// criteria or score bands (falling, each a grade of the set, every passing grade with one), a late
    /// cap among the grades and failing no sooner than the grace ends, the default among them.
    pub fn parse(text: &str) -> Result<RuleSets, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut sets: Vec<RuleSet> = Vec::new();
        for def in file.rule_sets {
            let code = def.code.clone();
            if sets.iter().any(|s| s.code == code) {
                return Err(format!("rule set {code} twice"));
            }
            sets.push(def.check().map_err(|e| format!("{code}: {e}"))?);
        }
        let default = sets
            .iter()
            .position(|s| s.code == file.default)
            .ok_or_else(|| format!("the default {} is not a rule set", file.default))?;
        Ok(RuleSets { sets, default })
    }

    /// Every rule set, in the order of the file.
    pub fn all(&self) -> &[RuleSet] {
        &self.sets
    }

    /// A rule set by its code.
    pub fn get(&self, code: &str) -> Option<&RuleSet> {
        self.sets.iter().find(|s| s.code == code)
    }

    /// The rule set used when none is chosen (TT 11/2014 as shipped).
    pub fn default_rule_set(&self) -> &RuleSet {
        &self.sets[self.default]
    }
}

#[cfg(test)]
mod tests;
