//! Periodic reporting storage: report form versions and targets, saving with optimistic locking and
//! history, lists paged in SQL within the reader's scope, attribution across the 2025 reform, and aggregates
//! kept incrementally equal to a full rebuild.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use tiendo_core::authz::{AccessScope, Actor, Grant, Role, Scope};
use tiendo_core::reporting::{Period, ReportStatus, TemplateDef, Value};
use tiendo_db::Db;
use tiendo_db::audit::Who;
use tiendo_db::directory::Page;
use tiendo_db::reporting::aggregates::{self, BehindQuery, CellQuery, CellRow, Level, Map};
use tiendo_db::reporting::forms::{self as templates, NewTarget};
use tiendo_db::reporting::reports::ReportFilter;
use tiendo_db::reporting::reports::{self, FieldValue, NewReport};
use tiendo_db::reporting::{OrgScope, attribution, reminders};
use tiendo_db::testing::TestDb;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const TODAY: (i32, u32, u32) = (2026, 3, 1);

fn today() -> NaiveDate {
    d(TODAY.0, TODAY.1, TODAY.2)
}

const TEMPLATE: &str = r#"
code = "KHCN-NAM"
name = "Báo cáo thống kê KH&CN hằng năm"
periodicity = "yearly"
due_days = 32

[[indicator]]
code = "NL"
name = "Nhân lực KH&CN"
unit = "người"
aggregate = "sum"

[[indicator]]
code = "TL"
name = "Tỷ lệ đổi mới công nghệ"
unit = "%"
aggregate = "average"

[[indicator]]
code = "TC"
name = "Số tổ chức KH&CN"
aggregate = "latest"

[[indicator]]
code = "CHI"
name = "Chi cho KH&CN"
aggregate = "sum"

[[indicator]]
code = "TLCHI"
name = "Chi trên nhân lực"
aggregate = "ratio"
numerator = "CHI"
denominator = "NL"

[[section]]
title = "Số liệu"
[[section.field]]
code = "staff"
label = "Nhân lực"
type = "integer"
indicator = "NL"
[[section.field]]
code = "rate"
label = "Tỷ lệ"
type = "percent"
indicator = "TL"
[[section.field]]
code = "orgs"
label = "Tổ chức"
type = "integer"
indicator = "TC"
[[section.field]]
code = "spent"
label = "Chi"
type = "money"
indicator = "CHI"
[[section.field]]
code = "note"
label = "Ghi chú"
type = "text"
"#;

/// An organisation of `kind` located in the unit `code` as it was on `as_of`.
async fn org_in(db: &Db, name: &str, kind: &str, code: &str, as_of: NaiveDate, valid_to: Option<NaiveDate>) -> i64 {
    let org = tiendo_db::testing::fixtures::Fixtures::new(db).organization(name).kind(kind).in_unit(code, as_of);
    match valid_to {
        Some(day) => org.valid_to(day).create().await,
        None => org.create().await,
    }
}

async fn template(db: &Db, text: &str) -> templates::FormRow {
    let def = TemplateDef::parse(text).unwrap();
    let based_on = templates::in_force(db, &def.code).await.unwrap().map(|t| t.version);
    templates::save_version(db, &def, text, based_on, false, &Who::cli(), Utc::now()).await.unwrap().unwrap()
}

/// Opens, fills, submits and approves a report (adding it to the aggregates as the approval does).
async fn approved(db: &Db, t: &templates::FormRow, org: i64, year: i32, values: &[(&str, f64)]) -> i64 {
    let period = Period::Year(year);
    let unit =
        attribution::reported_unit(db, org, period.end()).await.unwrap().map(|u| (u.code, u.name, u.province_code));
    let new = NewReport {
        template_id: t.id,
        template_code: t.code.clone(),
        template_version: t.version,
        org_id: org,
        period,
        due_on: t.def().unwrap().due_on(period),
        unit,
        is_sample: false,
    };
    let id = reports::create(db, &new, None, Utc::now()).await.unwrap().unwrap();
    fill(db, t, id, values).await;
    let tx = db.begin().await.unwrap();
    assert!(
        reports::transition(&tx, id, &[ReportStatus::Draft], ReportStatus::Submitted, None, None, Utc::now())
            .await
            .unwrap()
    );
    assert!(
        reports::transition(&tx, id, &[ReportStatus::Submitted], ReportStatus::Approved, None, None, Utc::now())
            .await
            .unwrap()
    );
    aggregates::add_report(&tx, id, today()).await.unwrap();
    tx.commit().await.unwrap();
    id
}

async fn fill(db: &Db, t: &templates::FormRow, id: i64, values: &[(&str, f64)]) {
    let def = t.def().unwrap();
    let report = reports::get(db, id).await.unwrap().unwrap();
    let fields: Vec<FieldValue> = values
        .iter()
        .map(|(code, n)| FieldValue {
            field_code: (*code).to_owned(),
            indicator_code: def.field(code).and_then(|f| f.indicator.clone()),
            value: Some(Value::Number(*n)),
        })
        .collect();
    reports::save_values(db, id, report.version, &fields, &Who::cli(), Utc::now()).await.unwrap().expect("saved");
}

async fn unlock(db: &Db, id: i64) {
    let tx = db.begin().await.unwrap();
    aggregates::remove_report(&tx, id).await.unwrap();
    assert!(
        reports::transition(
            &tx,
            id,
            &[ReportStatus::Approved],
            ReportStatus::Draft,
            None,
            Some("Sửa số liệu"),
            Utc::now()
        )
        .await
        .unwrap()
    );
    tx.commit().await.unwrap();
}

async fn reapprove(db: &Db, id: i64) {
    let tx = db.begin().await.unwrap();
    reports::transition(&tx, id, &[ReportStatus::Draft], ReportStatus::Submitted, None, None, Utc::now())
        .await
        .unwrap();
    reports::transition(&tx, id, &[ReportStatus::Submitted], ReportStatus::Approved, None, None, Utc::now())
        .await
        .unwrap();
    aggregates::add_report(&tx, id, today()).await.unwrap();
    tx.commit().await.unwrap();
}

fn province_cells(cells: &[CellRow], map: &str, indicator: &str) -> HashMap<String, (f64, i64)> {
    cells
        .iter()
        .filter(|c| c.map == map && c.level == "province" && c.indicator_code == indicator)
        .map(|c| (c.period_code.clone(), (c.value_sum, c.value_count)))
        .collect()
}

fn same_cells(a: &[CellRow], b: &[CellRow]) {
    assert_eq!(a.len(), b.len(), "incremental {a:#?}\nrebuilt {b:#?}");
    for (x, y) in a.iter().zip(b) {
        let key = |c: &CellRow| {
            (c.indicator_code.clone(), c.map.clone(), c.level.clone(), c.unit_code.clone(), c.period_code.clone())
        };
        assert_eq!(key(x), key(y));
        assert_eq!((x.province_code.as_str(), x.value_count), (y.province_code.as_str(), y.value_count), "{x:?}");
        assert!((x.value_sum - y.value_sum).abs() < 1e-6, "{x:?} != {y:?}");
    }
}

#[tokio::test]
async fn a_new_version_needs_the_latest_as_its_base_and_indicators_follow_it() {
    let t = TestDb::new().await;
    let db = t.db();
    let first = template(db, TEMPLATE).await;
    assert_eq!(first.version, 1);
    let def = first.def().unwrap();
    let stale = templates::save_version(db, &def, TEMPLATE, None, false, &Who::cli(), Utc::now()).await.unwrap();
    assert!(stale.is_none(), "a second \"new\" template with the same code is refused");
    let renamed = TEMPLATE.replace("name = \"Nhân lực KH&CN\"", "name = \"Tổng số nhân lực KH&CN\"");
    let second = template(db, &renamed).await;
    assert_eq!(second.version, 2);
    let old_base = templates::save_version(db, &def, TEMPLATE, Some(1), false, &Who::cli(), Utc::now()).await.unwrap();
    assert!(old_base.is_none(), "saving over an older version is refused");
    assert_eq!(templates::in_force(db, "KHCN-NAM").await.unwrap().unwrap().version, 2);
    assert_eq!(templates::indicator(db, "NL").await.unwrap().unwrap().name, "Tổng số nhân lực KH&CN");
    assert_eq!(templates::versions(db, "KHCN-NAM").await.unwrap().len(), 2);
    assert!(templates::set_retired(db, "KHCN-NAM", true).await.unwrap());
    assert!(templates::list(db, false).await.unwrap().is_empty());
    assert_eq!(templates::list(db, true).await.unwrap().len(), 1);
}

#[tokio::test]
async fn every_commune_of_a_province_must_report_while_it_exists() {
    let t = TestDb::new().await;
    let db = t.db();
    let tpl = template(db, TEMPLATE).await;
    let ha_an = org_in(db, "UBND phường Hà An", "commune_committee", "07168", today(), None).await;
    let quang_yen_town =
        org_in(db, "UBND thị xã Quảng Yên", "district_committee", "206", d(2020, 1, 1), Some(d(2025, 7, 1))).await;
    let institute = org_in(db, "Viện Nghiên cứu và Phát triển Vùng", "research_institute", "01", today(), None).await;
    let elsewhere = org_in(db, "UBND phường Ba Đình", "commune_committee", "00004", today(), None).await;
    assert!(
        templates::add_target(
            db,
            &tpl.code,
            &NewTarget::Kind { kind: "commune_committee".into(), province_code: Some("22".into()) },
            None,
            Utc::now()
        )
        .await
        .unwrap()
    );
    assert!(
        templates::add_target(db, &tpl.code, &NewTarget::Organization(quang_yen_town), None, Utc::now()).await.unwrap()
    );
    assert!(
        !templates::add_target(db, &tpl.code, &NewTarget::Organization(quang_yen_town), None, Utc::now())
            .await
            .unwrap(),
        "once"
    );
    let for_2020: Vec<i64> =
        templates::expected_orgs(db, &tpl.code, d(2020, 12, 31)).await.unwrap().iter().map(|o| o.id).collect();
    assert!(for_2020.contains(&quang_yen_town) && for_2020.contains(&ha_an), "{for_2020:?}");
    assert!(!for_2020.contains(&institute) && !for_2020.contains(&elsewhere));
    let for_2025: Vec<i64> =
        templates::expected_orgs(db, &tpl.code, d(2025, 12, 31)).await.unwrap().iter().map(|o| o.id).collect();
    assert_eq!(for_2025, vec![ha_an], "the town ended with the district level");
    assert_eq!(templates::forms_of_org(db, ha_an).await.unwrap().len(), 1);
    assert!(templates::forms_of_org(db, institute).await.unwrap().is_empty());
    // Reminders are owed by those who have not sent.
    let owing = reminders::owing(db, &tpl.code, "2025", d(2025, 12, 31)).await.unwrap();
    assert_eq!(owing.len(), 1);
    assert!(reminders::claim(db, &tpl.code, ha_an, "2025", "report_overdue").await.unwrap());
    assert!(!reminders::claim(db, &tpl.code, ha_an, "2025", "report_overdue").await.unwrap(), "once");
}

#[tokio::test]
async fn the_second_of_two_saves_on_the_same_version_is_refused_and_history_keeps_every_change() {
    let t = TestDb::new().await;
    let db = t.db();
    let tpl = template(db, TEMPLATE).await;
    let ha_an = org_in(db, "UBND phường Hà An", "commune_committee", "07168", today(), None).await;
    let period = Period::Year(2025);
    let new = NewReport {
        template_id: tpl.id,
        template_code: tpl.code.clone(),
        template_version: 1,
        org_id: ha_an,
        period,
        due_on: d(2026, 2, 1),
        unit: None,
        is_sample: false,
    };
    let id = reports::create(db, &new, None, Utc::now()).await.unwrap().unwrap();
    assert!(reports::create(db, &new, None, Utc::now()).await.unwrap().is_none(), "one report per period");
    let value = |n: f64| {
        vec![FieldValue {
            field_code: "staff".into(),
            indicator_code: Some("NL".into()),
            value: Some(Value::Number(n)),
        }]
    };
    let who = Who { user_id: None, label: "haan".into(), ..Who::default() };
    let first = reports::save_values(db, id, 1, &value(12.0), &who, Utc::now()).await.unwrap().unwrap();
    assert_eq!(first.len(), 1);
    assert!(reports::save_values(db, id, 1, &value(15.0), &who, Utc::now()).await.unwrap().is_none(), "stale version");
    reports::save_values(db, id, 2, &value(15.0), &who, Utc::now()).await.unwrap().unwrap();
    let unchanged = reports::save_values(db, id, 3, &value(15.0), &who, Utc::now()).await.unwrap().unwrap();
    assert!(unchanged.is_empty(), "saving the same value records nothing");
    let history = reports::history(db, id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!((history[0].before(), history[0].after()), (Some(Value::Number(12.0)), Some(Value::Number(15.0))));
    assert_eq!((history[1].before(), history[1].after()), (None, Some(Value::Number(12.0))));
    assert_eq!(history[0].changed_by_label, "haan");
    // Submitted: no more saving.
    assert!(
        reports::transition(db, id, &[ReportStatus::Draft], ReportStatus::Submitted, None, None, Utc::now())
            .await
            .unwrap()
    );
    let version = reports::get(db, id).await.unwrap().unwrap().version;
    assert!(reports::save_values(db, id, version, &value(1.0), &who, Utc::now()).await.unwrap().is_none());
    assert!(
        !reports::transition(db, id, &[ReportStatus::Draft], ReportStatus::Submitted, None, None, Utc::now())
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn a_towns_reports_count_for_its_own_unit_then_and_for_the_ward_named_after_it_today() {
    let t = TestDb::new().await;
    let db = t.db();
    let tpl = template(db, TEMPLATE).await;
    let town =
        org_in(db, "UBND thị xã Quảng Yên", "district_committee", "206", d(2020, 1, 1), Some(d(2025, 7, 1))).await;
    let report = approved(db, &tpl, town, 2019, &[("staff", 40.0)]).await;
    let stored = reports::get(db, report).await.unwrap().unwrap();
    assert_eq!((stored.unit_code.as_deref(), stored.unit_name.as_deref()), (Some("206"), Some("Thị xã Quảng Yên")));
    let targets = attribution::recorded(db, report).await.unwrap();
    assert_eq!(targets.len(), 1);
    assert_eq!((targets[0].unit_code.as_str(), targets[0].unit_name.as_str()), ("07132", "Phường Quảng Yên"));
    let behind = aggregates::reports_behind(
        db,
        &BehindQuery {
            map: Map::Current,
            indicator: "NL".into(),
            province_code: None,
            unit_code: Some("07132".into()),
            from: d(2017, 1, 1),
            to: d(2025, 12, 31),
            scope: OrgScope::All,
        },
    )
    .await
    .unwrap();
    assert_eq!(behind.len(), 1);
    assert_eq!(behind[0].unit_name.as_deref(), Some("Thị xã Quảng Yên"));
    assert_eq!(behind[0].current_name.as_deref(), Some("Phường Quảng Yên"));
    let ward = aggregates::cells(
        db,
        &CellQuery {
            map: Map::Current,
            level: Level::Unit,
            province_code: Some("22".into()),
            unit_code: Some("07132".into()),
            indicators: None,
            from: d(2019, 1, 1),
            to: d(2019, 12, 31),
        },
    )
    .await
    .unwrap();
    assert_eq!(ward.len(), 1);
    assert_eq!(ward[0].value_sum, 40.0);
}

#[tokio::test]
async fn incremental_aggregates_equal_a_rebuild_on_a_mixed_data_set() {
    let t = TestDb::new().await;
    let db = t.db();
    let tpl = template(db, TEMPLATE).await;
    let town =
        org_in(db, "UBND thị xã Quảng Yên", "district_committee", "206", d(2020, 1, 1), Some(d(2025, 7, 1))).await;
    let city =
        org_in(db, "UBND thành phố Hạ Long", "district_committee", "193", d(2020, 1, 1), Some(d(2025, 7, 1))).await;
    let ha_an = org_in(db, "UBND phường Hà An", "commune_committee", "07168", today(), None).await;
    let ward_qy = org_in(db, "UBND phường Quảng Yên", "commune_committee", "07132", today(), None).await;
    let department = org_in(db, "Sở Khoa học và Công nghệ", "department", "22", today(), None).await;
    // Hạ Long's values go 60/40 to Bãi Cháy and Hồng Gai.
    attribution::set_shares(db, "193", &[("06673".into(), 0.6), ("06685".into(), 0.4)], None, Utc::now())
        .await
        .unwrap();

    let r1 =
        approved(db, &tpl, town, 2019, &[("staff", 40.0), ("rate", 10.0), ("orgs", 3.0), ("spent", 1_000.0)]).await;
    approved(db, &tpl, town, 2020, &[("staff", 44.0), ("rate", 20.0), ("orgs", 4.0)]).await;
    let r3 =
        approved(db, &tpl, city, 2019, &[("staff", 100.0), ("rate", 30.0), ("orgs", 9.0), ("spent", 5_000.0)]).await;
    approved(db, &tpl, city, 2020, &[("staff", 110.0), ("rate", 40.0)]).await;
    approved(db, &tpl, ha_an, 2025, &[("staff", 7.0), ("rate", 15.0), ("orgs", 1.0)]).await;
    let r6 = approved(db, &tpl, ward_qy, 2025, &[("staff", 9.0), ("rate", 25.0)]).await;
    approved(db, &tpl, department, 2025, &[("staff", 50.0)]).await;

    // One unlocked, corrected and approved again; one unlocked and left unlocked; one unlocked twice over.
    unlock(db, r1).await;
    fill(db, &tpl, r1, &[("staff", 42.0)]).await;
    reapprove(db, r1).await;
    unlock(db, r3).await;
    unlock(db, r6).await;
    reapprove(db, r6).await;

    let cells = aggregates::all_cells(db).await.unwrap();
    let staff = province_cells(&cells, "current", "NL");
    assert_eq!(staff.get("2019"), Some(&(42.0, 1)), "Hạ Long 2019 was unlocked: only Quảng Yên counts");
    assert_eq!(staff.get("2020"), Some(&(154.0, 2)));
    assert_eq!(staff.get("2025"), Some(&(66.0, 3)));
    let rate = province_cells(&cells, "current", "TL");
    assert_eq!(rate.get("2020"), Some(&(60.0, 2)), "an average counts each report once in its province");
    let city_2020: Vec<&CellRow> = cells
        .iter()
        .filter(|c| c.map == "current" && c.level == "unit" && c.period_code == "2020" && c.indicator_code == "NL")
        .collect();
    let split: HashMap<&str, f64> = city_2020.iter().map(|c| (c.unit_code.as_str(), c.value_sum)).collect();
    assert_eq!(split.get("06673"), Some(&66.0), "{split:?}");
    assert_eq!(split.get("06685"), Some(&44.0));
    assert_eq!(split.get("07132"), Some(&44.0));
    let reported = province_cells(&cells, "reported", "NL");
    assert_eq!(reported.get("2020"), Some(&(154.0, 2)));

    let tx = db.begin().await.unwrap();
    let done = aggregates::rebuild(&tx, today()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(done.reports, 6);
    same_cells(&cells, &aggregates::all_cells(db).await.unwrap());
    // Unlocking after a rebuild takes back what the rebuild attributed.
    unlock(db, r6).await;
    let after = province_cells(&aggregates::all_cells(db).await.unwrap(), "current", "NL");
    assert_eq!(after.get("2025"), Some(&(57.0, 2)));
    let ward_cells = aggregates::cells(
        db,
        &CellQuery {
            map: Map::Current,
            level: Level::Unit,
            province_code: Some("22".into()),
            unit_code: Some("07132".into()),
            indicators: Some(vec!["NL".into()]),
            from: d(2025, 1, 1),
            to: d(2025, 12, 31),
        },
    )
    .await
    .unwrap();
    assert!(ward_cells.is_empty(), "an emptied cell is not shown: {ward_cells:?}");
}

#[tokio::test]
async fn a_page_of_reports_is_cut_in_sql_with_the_total_and_within_the_readers_scope() {
    let t = TestDb::new().await;
    let db = t.db();
    let fixtures = t.fixtures();
    let province = fixtures.organization("UBND tỉnh Quảng Ninh").create().await;
    let mut wards = Vec::new();
    for name in ["UBND phường Hà An", "UBND phường Hoành Bồ", "UBND phường Quảng Yên"] {
        wards.push(fixtures.organization(name).kind("commune_committee").parent(province).create().await);
    }
    let form = fixtures.report_form(TEMPLATE).target_kind("commune_committee", None).create().await;
    for ward in &wards {
        for year in 2022..=2025 {
            fixtures.report(&form, *ward, Period::Year(year)).status(ReportStatus::Submitted).create().await;
        }
    }
    let everyone = ReportFilter::in_scope(OrgScope::All);
    let first = reports::page(db, &everyone, Page { offset: 0, limit: 5 }).await.unwrap();
    assert_eq!((first.items.len(), first.total), (5, 12));
    let last = reports::page(db, &everyone, Page { offset: 10, limit: 5 }).await.unwrap();
    assert_eq!((last.items.len(), last.total), (2, 12));
    assert_eq!(first.items[0].period_code, "2025", "the latest periods first");
    let beyond = reports::page(db, &everyone, Page { offset: 40, limit: 5 }).await.unwrap();
    assert_eq!((beyond.items.len(), beyond.total), (0, 12));

    // A ward's officer lists its own; the department's officer over the province every one.
    let officer_of = |role: Role, scope: Scope| {
        let actor = Actor::user(1, vec![Grant { role, scope }]);
        AccessScope::of(&actor, |root| {
            if root == province { vec![province, wards[0], wards[1], wards[2]] } else { vec![root] }
        })
    };
    let ward = ReportFilter::readable(&officer_of(Role::LocalityOfficer, Scope::Organization(wards[1])));
    let own = reports::page(db, &ward, Page { offset: 0, limit: 50 }).await.unwrap();
    assert_eq!(own.total, 4);
    assert!(own.items.iter().all(|r| r.org_id == wards[1]));
    let staff = ReportFilter::readable(&officer_of(Role::DepartmentOfficer, Scope::Subtree(province)));
    assert_eq!(reports::page(db, &staff, Page { offset: 0, limit: 1 }).await.unwrap().total, 12);
    let editor = ReportFilter::readable(&officer_of(Role::Editor, Scope::Province));
    assert_eq!(reports::page(db, &editor, Page { offset: 0, limit: 50 }).await.unwrap().total, 0);
    assert_eq!(OrgScope::reporting(&officer_of(Role::LocalityOfficer, Scope::Province)), OrgScope::Orgs(Vec::new()));

    // The organisations' paths, in one query.
    let paths = tiendo_db::orgtree::paths(db, &[wards[0], wards[2], province, 999_999]).await.unwrap();
    assert_eq!(paths.get(&wards[0]), Some(&vec![province, wards[0]]));
    assert_eq!(paths.get(&wards[2]), Some(&vec![province, wards[2]]));
    assert_eq!(paths.get(&province), Some(&vec![province]));
    assert_eq!(paths.get(&999_999), None);
    let found = reports::of_orgs_for_periods(db, &[wards[0]], &["2024".to_owned(), "2025".to_owned()]).await.unwrap();
    assert_eq!(found.len(), 2);
}
