use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

use CriterionKind::{Quality, Quantity};
use Rating::{Excellent as XS, Fail as KD, Pass as D};

fn set(code: &str) -> &'static RuleSet {
    RuleSets::standard().get(code).unwrap_or_else(|| panic!("no rule set {code}"))
}

fn c(kind: CriterionKind, rating: Rating) -> CriterionRating {
    CriterionRating { kind, rating, reached_percent: None }
}

/// A quantity criterion rated Không đạt that reached `percent` of the order.
fn short(percent: u32) -> CriterionRating {
    CriterionRating { kind: Quantity, rating: KD, reached_percent: Some(percent) }
}

fn product(name: &str, criteria: &[CriterionRating]) -> ProductRating {
    ProductRating { name: name.to_owned(), criteria: criteria.to_vec() }
}

/// Four ordered products (a process, a model, a report series, a database) each with a quantity and a
/// quality criterion: `quantity[i]` and `quality[i]`.
fn four_products(quantity: [CriterionRating; 4], quality: [Rating; 4], report: Rating, days_late: u32) -> Ratings {
    let names = ["Quy trình nuôi hàu", "Mô hình trình diễn 2 ha", "Bộ tài liệu tập huấn", "Cơ sở dữ liệu"];
    let products = (0..4).map(|i| product(names[i], &[quantity[i], c(Quality, quality[i])])).collect();
    Ratings { products, report, score: None, days_late }
}

fn q(rating: Rating) -> CriterionRating {
    c(Quantity, rating)
}

fn points(score: u32, days_late: u32) -> Ratings {
    Ratings { products: Vec::new(), report: D, score: Some(score), days_late }
}

fn codes(graded: &Graded) -> Vec<&'static str> {
    graded.reasons.iter().map(|r| r.code).collect()
}

fn issue_codes(issues: &[Issue]) -> Vec<(&str, &'static str)> {
    issues.iter().map(|i| (i.field.as_str(), i.code)).collect()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn the_shipped_rule_sets_read_with_tt11_as_the_default() {
    let sets = RuleSets::standard();
    assert_eq!(sets.default_rule_set().code(), "tt11_2014");
    let codes: Vec<&str> = sets.all().iter().map(RuleSet::code).collect();
    assert_eq!(codes, ["tt11_2014", "tt26_2018_btnmt", "points_100"]);
    for s in sets.all() {
        assert_eq!(s.grades(), [Grade::Excellent, Grade::Good, Grade::Pass, Grade::Fail], "{}", s.code());
        assert_eq!(s.dossier_due_days(), 30);
    }
    assert!(matches!(set("tt11_2014").method(), Method::Criteria(_)));
    assert_eq!(set("tt26_2018_btnmt").late_policy().fail_after_days, Some(180));
    assert_eq!(set("points_100").late_policy(), LatePolicy::default());
}

#[test]
fn tt11_grades_the_products_and_the_report_at_every_boundary() {
    let s = set("tt11_2014");
    let cases: Vec<(&str, Ratings, Grade, Vec<&str>)> = vec![
        (
            "every criterion excellent, the report to amend",
            four_products([q(XS); 4], [XS; 4], D, 0),
            Grade::Excellent,
            vec!["all_products_excellent"],
        ),
        (
            "every criterion excellent but the report failed",
            four_products([q(XS); 4], [XS; 4], KD, 0),
            Grade::Fail,
            vec!["report_failed"],
        ),
        (
            "every criterion excellent, one day late",
            four_products([q(XS); 4], [XS; 4], XS, 1),
            Grade::Fail,
            vec!["all_products_excellent", "late_beyond_limit"],
        ),
        (
            "exactly half of the criteria excellent, the rest met (Khá, provincial)",
            four_products([q(XS), q(XS), q(D), q(D)], [XS, XS, D, D], D, 0),
            Grade::Good,
            vec!["excellent_share_met"],
        ),
        (
            "three of eight excellent",
            four_products([q(XS), q(XS), q(D), q(D)], [XS, D, D, D], XS, 0),
            Grade::Pass,
            vec!["criteria_met"],
        ),
        (
            "seven of eight excellent but one quantity short: not Khá",
            four_products([q(XS), q(XS), q(XS), short(90)], [XS; 4], XS, 0),
            Grade::Pass,
            vec!["criteria_met"],
        ),
        (
            "exactly 3/4 of the quantity met, the fourth at exactly 75%",
            four_products([q(D), q(D), q(D), short(75)], [D; 4], D, 0),
            Grade::Pass,
            vec!["criteria_met"],
        ),
        (
            "3/4 of the quantity met, the fourth at 74%",
            four_products([q(D), q(D), q(D), short(74)], [D; 4], D, 0),
            Grade::Fail,
            vec!["quantity_reached_too_low"],
        ),
        (
            "half of the quantity met, the others at 90%",
            four_products([q(D), q(D), short(90), short(90)], [D; 4], D, 0),
            Grade::Fail,
            vec!["quantity_share_too_low"],
        ),
        (
            "one quality criterion failed, everything else excellent",
            four_products([q(XS); 4], [XS, XS, XS, KD], XS, 0),
            Grade::Fail,
            vec!["quality_failed"],
        ),
        (
            "everything wrong at once",
            four_products([q(D), short(50), short(80), short(80)], [KD, D, D, D], KD, 3),
            Grade::Fail,
            vec![
                "report_failed",
                "quality_failed",
                "quantity_share_too_low",
                "quantity_reached_too_low",
                "late_beyond_limit",
            ],
        ),
    ];
    for (what, ratings, grade, reasons) in cases {
        let graded = s.grade(&ratings).unwrap_or_else(|e| panic!("{what}: {e:?}"));
        assert_eq!(graded.grade, grade, "{what}");
        assert_eq!(codes(&graded), reasons, "{what}");
    }
}

#[test]
fn tt11_counts_three_quarters_of_the_quantity_criteria_rounding_up() {
    let s = set("tt11_2014");
    let five = |met: usize| {
        let criteria: Vec<CriterionRating> = (0..5).map(|i| if i < met { q(D) } else { short(80) }).collect();
        Ratings { products: vec![product("Giống lúa", &criteria)], report: D, score: None, days_late: 0 }
    };
    // 3/4 of 5 is 3.75: four must be met.
    assert_eq!(s.grade(&five(4)).unwrap().grade, Grade::Pass);
    let graded = s.grade(&five(3)).unwrap();
    assert_eq!(graded.grade, Grade::Fail);
    assert_eq!(graded.reasons[0].args, [("met", "3".into()), ("total", "5".into()), ("share", "3/4".into())]);
}

#[test]
fn tt11_names_the_product_short_of_its_order() {
    let graded = set("tt11_2014").grade(&four_products([q(D), q(D), q(D), short(74)], [D; 4], D, 0)).unwrap();
    let reason = &graded.reasons[0];
    assert_eq!(
        reason.args,
        [("product", "Cơ sở dữ liệu".into()), ("reached", "74".into()), ("min", "75".into())],
        "{reason:?}"
    );
}

#[test]
fn tt26_grades_the_score_and_caps_a_late_dossier() {
    let s = set("tt26_2018_btnmt");
    let cases: &[(u32, u32, Grade, &[&str])] = &[
        (100, 0, Grade::Excellent, &["score_band"]),
        (85, 0, Grade::Excellent, &["score_band"]),
        (85, 1, Grade::Pass, &["score_band", "late_capped"]),
        (84, 0, Grade::Good, &["score_band"]),
        (70, 0, Grade::Good, &["score_band"]),
        (70, 30, Grade::Pass, &["score_band", "late_capped"]),
        (69, 0, Grade::Pass, &["score_band"]),
        (50, 0, Grade::Pass, &["score_band"]),
        (50, 180, Grade::Pass, &["score_band"]),
        (49, 0, Grade::Fail, &["score_band"]),
        (49, 10, Grade::Fail, &["score_band"]),
        (95, 180, Grade::Pass, &["score_band", "late_capped"]),
        (95, 181, Grade::Fail, &["score_band", "late_beyond_limit"]),
        (0, 0, Grade::Fail, &["score_band"]),
    ];
    for &(score, days, grade, reasons) in cases {
        let graded = s.grade(&points(score, days)).unwrap();
        assert_eq!((graded.grade, codes(&graded).as_slice()), (grade, reasons), "{score} points, {days} days late");
    }
}

#[test]
fn a_score_band_names_its_range() {
    let s = set("tt26_2018_btnmt");
    let args = |score| s.grade(&points(score, 0)).unwrap().reasons[0].args.clone();
    assert_eq!(args(84), [("score", "84".into()), ("min", "70".into()), ("max", "84".into())]);
    assert_eq!(args(12), [("score", "12".into()), ("min", "0".into()), ("max", "49".into())]);
    let late = s.grade(&points(90, 200)).unwrap();
    assert_eq!(late.reasons[1].args, [("days", "200".into()), ("limit", "180".into())]);
}

#[test]
fn points_100_grades_by_bands_and_ignores_lateness() {
    let s = set("points_100");
    let cases = [
        (100, Grade::Excellent),
        (91, Grade::Excellent),
        (90, Grade::Good),
        (76, Grade::Good),
        (75, Grade::Pass),
        (61, Grade::Pass),
        (60, Grade::Fail),
        (0, Grade::Fail),
    ];
    for (score, grade) in cases {
        assert_eq!(s.grade(&points(score, 0)).unwrap().grade, grade, "{score} points");
        assert_eq!(s.grade(&points(score, 400)).unwrap().grade, grade, "{score} points, 400 days late");
    }
}

#[test]
fn a_points_rule_set_needs_a_score_on_100() {
    let s = set("points_100");
    let none = Ratings { score: None, ..points(0, 0) };
    assert_eq!(issue_codes(&s.grade(&none).unwrap_err()), [("score", "score_required")]);
    let issues = s.grade(&points(101, 0)).unwrap_err();
    assert_eq!(issue_codes(&issues), [("score", "score_range")]);
    assert_eq!(issues[0].args, [("max", "100".to_owned())]);
}

#[test]
fn a_criteria_rule_set_needs_rated_products_and_reached_shares() {
    let s = set("tt11_2014");
    let empty = Ratings { products: Vec::new(), report: D, score: Some(90), days_late: 0 };
    assert_eq!(issue_codes(&s.grade(&empty).unwrap_err()), [("products", "products_required")]);

    let no_share = CriterionRating { kind: Quantity, rating: KD, reached_percent: None };
    let ratings = Ratings {
        products: vec![
            product("Quy trình", &[q(D), no_share]),
            product("Mô hình", &[]),
            product("Bản đồ", &[c(Quality, D), short(101)]),
        ],
        report: D,
        score: None,
        days_late: 0,
    };
    assert_eq!(
        issue_codes(&s.grade(&ratings).unwrap_err()),
        [
            ("products[0].criteria[1].reached_percent", "reached_share_required"),
            ("products[1].criteria", "criteria_required"),
            ("products[2].criteria[1].reached_percent", "reached_share_range"),
        ]
    );
    // A share recorded on a criterion that passed, or on a quality criterion, is not needed and not read.
    let extra = CriterionRating { kind: Quality, rating: KD, reached_percent: Some(10) };
    let ratings = Ratings { products: vec![product("Quy trình", &[q(D), extra])], ..empty };
    assert_eq!(s.grade(&ratings).unwrap().grade, Grade::Fail);
}

#[test]
fn a_proposed_grade_must_be_the_one_the_rules_give() {
    let s = set("tt11_2014");
    let pass = four_products([q(D), q(D), q(D), short(80)], [D; 4], D, 0);
    assert_eq!(s.check_proposed(&pass, Grade::Pass).unwrap().grade, Grade::Pass);

    let refused = s.check_proposed(&pass, Grade::Excellent).unwrap_err();
    assert_eq!(issue_codes(&refused), [("grade", "grade_not_allowed")]);
    assert_eq!(refused[0].args, [("grade", "pass".to_owned())]);

    let mut no_good = s.clone();
    no_good.grades.retain(|g| *g != Grade::Good);
    let good = four_products([q(XS), q(XS), q(D), q(D)], [XS, XS, D, D], D, 0);
    assert_eq!(
        issue_codes(&no_good.check_proposed(&good, Grade::Good).unwrap_err()),
        [("grade", "grade_not_in_rule_set")]
    );

    let unjudged = Ratings { products: Vec::new(), ..pass };
    assert_eq!(
        issue_codes(&no_good.check_proposed(&unjudged, Grade::Good).unwrap_err()),
        [("grade", "grade_not_in_rule_set"), ("products", "products_required"),]
    );
}

#[test]
fn the_dossier_is_due_thirty_days_after_the_contract_ends() {
    let s = set("tt11_2014");
    let end = d(2025, 12, 31);
    assert_eq!(s.dossier_due(end), d(2026, 1, 30));
    assert_eq!(s.days_late(end, d(2025, 11, 1)), 0, "early");
    assert_eq!(s.days_late(end, d(2026, 1, 30)), 0, "on the due day");
    assert_eq!(s.days_late(end, d(2026, 1, 31)), 1);
    assert_eq!(s.days_late(end, d(2026, 7, 29)), 180);
}

#[test]
fn broken_rule_sets_are_refused_with_the_reason() {
    let base = r#"
default = "x"
[[rule_sets]]
code = "x"
source = "QĐ 1/2020/QĐ-UBND"
grades = ["excellent", "pass", "fail"]
dossier_due_days = 30
"#;
    let ok = format!("{base}bands = [{{ grade = \"excellent\", min = 80 }}, {{ grade = \"pass\", min = 50 }}]");
    let sets = RuleSets::parse(&ok).unwrap();
    assert_eq!(sets.default_rule_set().grades(), [Grade::Excellent, Grade::Pass, Grade::Fail]);

    let broken = [
        ("", "either criteria or bands"),
        ("bands = [{ grade = \"pass\", min = 50 }, { grade = \"excellent\", min = 80 }]", "not below"),
        ("bands = [{ grade = \"excellent\", min = 50 }, { grade = \"pass\", min = 50 }]", "not below"),
        ("bands = [{ grade = \"good\", min = 70 }, { grade = \"pass\", min = 50 }]", "not a passing grade"),
        ("bands = [{ grade = \"pass\", min = 50 }]", "every grade but fail has a band"),
        ("bands = [{ grade = \"excellent\", min = 101 }, { grade = \"pass\", min = 50 }]", "within 1–100"),
        (
            "criteria = { pass_quantity_share = \"3/4\", pass_reached_min_percent = 75, good_excellent_share = \"1/2\" }",
            "good_excellent_share",
        ),
        ("criteria = { pass_quantity_share = \"3/4\", pass_reached_min_percent = 175 }", "percent"),
        ("criteria = { pass_quantity_share = \"5/4\", pass_reached_min_percent = 75 }", "share"),
        (
            "late = { cap = \"good\" }\nbands = [{ grade = \"excellent\", min = 80 }, { grade = \"pass\", min = 50 }]",
            "late cap",
        ),
        (
            "late = { grace_days = 10, fail_after_days = 5 }\nbands = [{ grade = \"excellent\", min = 80 }, { grade = \"pass\", min = 50 }]",
            "grace",
        ),
    ];
    for (tail, expected) in broken {
        let err = RuleSets::parse(&format!("{base}{tail}")).unwrap_err();
        assert!(err.contains(expected), "{tail}: {err}");
    }
    let unknown = ok.replace("\"excellent\", \"pass\"", "\"excellent\", \"very_good\", \"pass\"");
    assert!(RuleSets::parse(&unknown).unwrap_err().contains("unknown grade very_good"));
    let no_fail = ok.replace(", \"fail\"]", "]");
    assert!(RuleSets::parse(&no_fail).unwrap_err().contains("pass and fail"));
    let wrong_default = ok.replace("default = \"x\"", "default = \"y\"");
    assert!(RuleSets::parse(&wrong_default).unwrap_err().contains("default y"));
    let twice = format!("{ok}\n{}", ok.replace("default = \"x\"", ""));
    assert!(RuleSets::parse(&twice).unwrap_err().contains("rule set x twice"));
}

#[test]
fn codes_round_trip() {
    for g in Grade::ALL {
        assert_eq!(Grade::from_code(g.code()), Some(*g));
    }
    for r in Rating::ALL {
        assert_eq!(Rating::from_code(r.code()), Some(*r));
    }
    for k in CriterionKind::ALL {
        assert_eq!(CriterionKind::from_code(k.code()), Some(*k));
    }
    assert_eq!(Grade::from_code("average"), None);
}

fn rating() -> impl Strategy<Value = Rating> {
    prop_oneof![Just(XS), Just(D), Just(KD)]
}

fn criterion() -> impl Strategy<Value = CriterionRating> {
    (prop_oneof![Just(Quantity), Just(Quality)], rating(), 0u32..=100).prop_map(|(kind, rating, reached)| {
        // A failed quantity criterion always carries its share; others sometimes do (it is not read).
        let reached_percent = (rating == KD || reached.is_multiple_of(2)).then_some(reached);
        CriterionRating { kind, rating, reached_percent }
    })
}

fn ratings() -> impl Strategy<Value = Ratings> {
    let product = prop::collection::vec(criterion(), 1..5)
        .prop_map(|criteria| ProductRating { name: "Sản phẩm".to_owned(), criteria });
    // Most dossiers are on time or a few days late; some are many months late.
    let days_late = prop_oneof![2 => Just(0u32), 1 => 0u32..3, 1 => 0u32..400];
    (prop::collection::vec(product, 1..5), rating(), 0u32..=100, days_late)
        .prop_map(|(products, report, score, days_late)| Ratings { products, report, score: Some(score), days_late })
}

fn better(r: Rating) -> Rating {
    match r {
        KD => D,
        _ => XS,
    }
}

/// The ratings with one thing improved, chosen by `pick`: a criterion (its rating when `by` is even, its
/// reached share by `by` when odd), the report, the score or the lateness (by `by`).
fn improve(mut r: Ratings, pick: usize, by: u32) -> Ratings {
    let criteria: usize = r.products.iter().map(|p| p.criteria.len()).sum();
    match pick % (criteria + 3) {
        n if n < criteria => {
            let c = r.products.iter_mut().flat_map(|p| p.criteria.iter_mut()).nth(n).unwrap();
            if by.is_multiple_of(2) {
                c.rating = better(c.rating);
            } else if let Some(p) = c.reached_percent.as_mut() {
                *p = (*p + by).min(100);
            }
        }
        n if n == criteria => r.report = better(r.report),
        n if n == criteria + 1 => r.score = r.score.map(|s| (s + by).min(SCORE_MAX)),
        _ => r.days_late = r.days_late.saturating_sub(by),
    }
    r
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn improving_any_rating_never_lowers_the_grade(r in ratings(), by in 1u32..60) {
        let criteria: usize = r.products.iter().map(|p| p.criteria.len()).sum();
        for s in RuleSets::standard().all() {
            let before = s.grade(&r).unwrap().grade;
            // Each criterion's rating and share, the report, the score and the lateness in turn.
            for pick in 0..criteria + 3 {
                for step in [by, by + 1] {
                    let after = s.grade(&improve(r.clone(), pick, step)).unwrap().grade;
                    prop_assert!(after.rank() >= before.rank(), "{}: {before:?} then {after:?}", s.code());
                }
            }
        }
    }

    #[test]
    fn every_grade_given_is_one_of_the_rule_sets_grades(r in ratings()) {
        for s in RuleSets::standard().all() {
            let graded = s.grade(&r).unwrap();
            prop_assert!(s.grades().contains(&graded.grade), "{}: {:?}", s.code(), graded.grade);
            prop_assert!(!graded.reasons.is_empty());
            prop_assert_eq!(s.check_proposed(&r, graded.grade).unwrap(), graded);
        }
    }

    #[test]
    fn a_dossier_late_beyond_the_limit_fails_and_within_it_is_capped(r in ratings()) {
        for s in RuleSets::standard().all() {
            let grade = s.grade(&r).unwrap().grade;
            let late = s.late_policy();
            if late.fail_after_days.is_some_and(|limit| r.days_late > limit) {
                prop_assert_eq!(grade, Grade::Fail, "{}", s.code());
            }
            if let Some(cap) = late.cap && r.days_late > late.grace_days {
                prop_assert!(grade.rank() <= cap.rank(), "{}: {grade:?} although late", s.code());
            }
        }
    }

    #[test]
    fn a_late_tt11_dossier_always_fails_and_a_tt26_one_is_at_best_pass(r in ratings(), days in 1u32..=180) {
        let late = Ratings { days_late: days, ..r };
        prop_assert_eq!(set("tt11_2014").grade(&late).unwrap().grade, Grade::Fail);
        prop_assert!(set("tt26_2018_btnmt").grade(&late).unwrap().grade.rank() <= Grade::Pass.rank());
    }
}
