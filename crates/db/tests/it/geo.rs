use std::collections::BTreeMap;

use chrono::NaiveDate;
use tiendo_core::geo::address::ResolveOptions;
use tiendo_core::geo::{
    AdminUnit, AdminUnitCode, ChangeError, MapChange, NewSuccession, NewUnit, SuccessionKind, UnitKind, UnitLevel,
};
use tiendo_db::geo::{self, GeoError, UnitFilter};
use tiendo_db::testing::TestDb;
use tiendo_db::{Exec, Query};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn c(s: &str) -> AdminUnitCode {
    AdminUnitCode::parse(s).unwrap()
}

const BEFORE: &str = "2025-06-30";
const AFTER: &str = "2026-01-01";

fn quang_ninh(day: &str, level: UnitLevel) -> UnitFilter {
    UnitFilter { level: Some(level), province: Some(c("22")), ..UnitFilter::on(d(day)) }
}

fn kinds(units: &[AdminUnit]) -> BTreeMap<&'static str, usize> {
    let mut out = BTreeMap::new();
    for u in units {
        *out.entry(u.kind.as_str()).or_default() += 1;
    }
    out
}

fn names(units: &[AdminUnit]) -> Vec<String> {
    units.iter().map(AdminUnit::full_name).collect()
}

async fn old_commune(db: &tiendo_db::Db, name: &str, district: &str) -> AdminUnit {
    let district = geo::units_in_force(
        db,
        &UnitFilter { q: Some(district.to_owned()), ..quang_ninh(BEFORE, UnitLevel::District) },
    )
    .await
    .unwrap()
    .into_iter()
    .find(|u| u.full_name() == district)
    .unwrap();
    geo::units_in_force(db, &UnitFilter { q: Some(name.to_owned()), ..quang_ninh(BEFORE, UnitLevel::Commune) })
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.full_name() == name && u.parent_code.as_ref() == Some(&district.code))
        .unwrap_or_else(|| panic!("{name}"))
}

#[tokio::test]
async fn the_built_in_lists_are_loaded_with_both_maps() {
    let t = TestDb::new().await;
    let db = t.db();
    let count = |day: &'static str, level| async move {
        geo::units_in_force(db, &UnitFilter { level: Some(level), ..UnitFilter::on(d(day)) }).await.unwrap().len()
    };
    assert_eq!(count(BEFORE, UnitLevel::Province).await, 63);
    assert_eq!(count(BEFORE, UnitLevel::District).await, 696);
    assert_eq!(count(BEFORE, UnitLevel::Commune).await, 10_035);
    assert_eq!(count(AFTER, UnitLevel::Province).await, 34);
    assert_eq!(count(AFTER, UnitLevel::District).await, 0);
    assert_eq!(count(AFTER, UnitLevel::Commune).await, 3_321);
    let (successions,): (i64,) = db.fetch_one(Query::new("SELECT COUNT(*) FROM admin_unit_successions")).await.unwrap();
    assert_eq!(successions, 10_654);
}

#[tokio::test]
async fn quang_ninh_has_54_communes_now_and_13_districts_with_171_communes_before() {
    let t = TestDb::new().await;
    let now = geo::units_in_force(t.db(), &quang_ninh(AFTER, UnitLevel::Commune)).await.unwrap();
    assert_eq!(now.len(), 54);
    assert_eq!(kinds(&now), BTreeMap::from([("commune", 22), ("special_zone", 2), ("ward", 30)]));
    let districts = geo::units_in_force(t.db(), &quang_ninh(BEFORE, UnitLevel::District)).await.unwrap();
    assert_eq!(districts.len(), 13);
    assert_eq!(kinds(&districts), BTreeMap::from([("city", 5), ("rural_district", 7), ("town", 1)]));
    let communes = geo::units_in_force(t.db(), &quang_ninh(BEFORE, UnitLevel::Commune)).await.unwrap();
    assert_eq!(communes.len(), 171);
}

#[tokio::test]
async fn lists_filter_without_diacritics_and_sort_in_vietnamese_order() {
    let t = TestDb::new().await;
    let found = geo::units_in_force(t.db(), &UnitFilter { q: Some("hoanh bo".into()), ..UnitFilter::on(d(AFTER)) })
        .await
        .unwrap();
    assert_eq!(names(&found), ["Phường Hoành Bồ"]);
    assert_eq!(found[0].code.as_str(), "07030");
    // The same text with diacritics and another case; codes by their first digits.
    let by_accent =
        geo::units_in_force(t.db(), &UnitFilter { q: Some("PHƯỜNG HOÀNH BỒ".into()), ..UnitFilter::on(d(AFTER)) })
            .await
            .unwrap();
    assert_eq!(by_accent, found);
    let by_code =
        geo::units_in_force(t.db(), &UnitFilter { q: Some("0703".into()), ..UnitFilter::on(d(AFTER)) }).await.unwrap();
    assert!(by_code.iter().any(|u| u.code.as_str() == "07030"));
    // LIKE wildcards typed by a user are taken literally.
    let wildcard =
        geo::units_in_force(t.db(), &UnitFilter { q: Some("%".into()), ..UnitFilter::on(d(AFTER)) }).await.unwrap();
    assert!(wildcard.is_empty());

    let wards = geo::units_in_force(t.db(), &quang_ninh(AFTER, UnitLevel::Commune)).await.unwrap();
    let order: Vec<&str> = wards.iter().map(|u| u.name.as_str()).collect();
    let mut expected = order.clone();
    expected.sort_by_key(|n| tiendo_core::text::sort_key(n));
    assert_eq!(order, expected);
    // Đ after D, and "Móng Cái 2" before "Móng Cái 3" (numbers by value), Vân Đồn after Uông Bí.
    let position = |n: &str| order.iter().position(|x| *x == n).unwrap();
    assert!(position("Điền Xá") > position("Đầm Hà"));
    assert!(position("Móng Cái 2") < position("Móng Cái 3"));
    assert!(position("Vân Đồn") > position("Uông Bí"));

    let limited = geo::units_in_force(t.db(), &UnitFilter { limit: Some(5), ..quang_ninh(AFTER, UnitLevel::Commune) })
        .await
        .unwrap();
    assert_eq!(names(&limited), names(&wards[..5]));
}

#[tokio::test]
async fn one_code_names_the_old_and_the_new_hoanh_bo_depending_on_the_day() {
    let t = TestDb::new().await;
    let code = c("07030");
    let old = geo::unit_on(t.db(), &code, d(BEFORE)).await.unwrap().unwrap();
    let new = geo::unit_on(t.db(), &code, d("2025-07-01")).await.unwrap().unwrap();
    assert_eq!(old.parent_code, Some(c("193")));
    assert_eq!(old.valid_to, Some(d("2025-07-01")));
    assert_eq!(new.parent_code, Some(c("22")));
    assert_eq!(new.valid_from, Some(d("2025-07-01")));
    assert_eq!(new.legal_basis.as_deref(), Some("NQ 1679/NQ-UBTVQH15"));
    assert_eq!(geo::unit_versions(t.db(), &code).await.unwrap(), [old.clone(), new.clone()]);

    let successors = geo::successors(t.db(), &old).await.unwrap();
    assert_eq!(successors.len(), 1);
    assert_eq!(successors[0].unit, new);
    assert_eq!(successors[0].succession.kind, SuccessionKind::Merge);
    let today = geo::current_units(t.db(), &old, d(AFTER)).await.unwrap();
    assert_eq!(today.default, Some(new.clone()));
    assert_eq!(
        names(&geo::predecessors(t.db(), &new).await.unwrap().into_iter().map(|l| l.unit).collect::<Vec<_>>()),
        // Vietnamese order: Đ after D, before E.
        ["Xã Đồng Lâm", "Phường Hoành Bồ", "Xã Lê Lợi", "Xã Sơn Dương"]
    );
    // Unknown codes and days before any validity.
    assert!(geo::unit_on(t.db(), &c("99999"), d(AFTER)).await.unwrap().is_none());
    assert!(geo::unit_versions(t.db(), &c("99999")).await.unwrap().is_empty());
    assert!(geo::unit_on(t.db(), &c("07030"), d("2025-07-01")).await.unwrap().is_some());
}

#[tokio::test]
async fn hoang_tan_is_now_ha_an_and_a_split_commune_keeps_every_successor() {
    let t = TestDb::new().await;
    let hoang_tan = old_commune(t.db(), "Xã Hoàng Tân", "Thị xã Quảng Yên").await;
    let now = geo::current_units(t.db(), &hoang_tan, d(AFTER)).await.unwrap();
    assert_eq!(names(&now.all), ["Phường Hà An"]);
    assert_eq!(now.default.as_ref().map(AdminUnit::full_name).as_deref(), Some("Phường Hà An"));
    // Before the reform it is itself.
    let then = geo::current_units(t.db(), &hoang_tan, d("2020-02-27")).await.unwrap();
    assert_eq!(then.default, Some(hoang_tan.clone()));

    let lien_hoa = old_commune(t.db(), "Xã Liên Hòa", "Thị xã Quảng Yên").await;
    let links = geo::successors(t.db(), &lien_hoa).await.unwrap();
    assert_eq!(names(&links.iter().map(|l| l.unit.clone()).collect::<Vec<_>>()), ["Phường Hà An", "Phường Liên Hòa"]);
    assert!(links.iter().all(|l| l.succession.kind == SuccessionKind::Split));
    let defaults: Vec<String> = links.iter().filter(|l| l.succession.is_default).map(|l| l.unit.full_name()).collect();
    assert_eq!(defaults, ["Phường Liên Hòa"]);
    let now = geo::current_units(t.db(), &lien_hoa, d(AFTER)).await.unwrap();
    assert_eq!(now.all.len(), 2);
    assert_eq!(now.default.unwrap().full_name(), "Phường Liên Hòa");

    let ha_an = geo::unit_on(t.db(), &c("07168"), d(AFTER)).await.unwrap().unwrap();
    let origins = geo::origins(t.db(), &ha_an, d(BEFORE)).await.unwrap();
    let described: Vec<(String, bool)> = origins.iter().map(|o| (o.unit.full_name(), o.whole)).collect();
    assert_eq!(
        described,
        [
            ("Phường Hà An".to_owned(), true),
            ("Xã Hoàng Tân".to_owned(), true),
            ("Xã Liên Hòa".to_owned(), false),
            ("Phường Tân An".to_owned(), true),
        ]
    );
}

#[tokio::test]
async fn thi_xa_quang_yen_and_its_communes_became_the_six_wards() {
    let t = TestDb::new().await;
    let six = [
        "Phường Đông Mai",
        "Phường Hà An",
        "Phường Hiệp Hòa",
        "Phường Liên Hòa",
        "Phường Phong Cốc",
        "Phường Quảng Yên",
    ];
    let town = geo::unit_on(t.db(), &c("206"), d(BEFORE)).await.unwrap().unwrap();
    assert_eq!(town.full_name(), "Thị xã Quảng Yên");
    let now = geo::current_units(t.db(), &town, d(AFTER)).await.unwrap();
    assert!(now.via_children);
    assert_eq!(now.default, None);
    assert_eq!(names(&now.all), six);
    // The same through each of its 19 communes.
    let tree = geo::tree(t.db(), d(BEFORE), Some(&c("22"))).await.unwrap();
    let town_node = tree[0].children.iter().find(|n| n.unit.code == town.code).unwrap();
    assert_eq!(town_node.children.len(), 19);
    let mut reached = std::collections::BTreeSet::new();
    for commune in &town_node.children {
        for unit in geo::current_units(t.db(), &commune.unit, d(AFTER)).await.unwrap().all {
            reached.insert(unit.full_name());
        }
    }
    let mut expected: Vec<String> = six.iter().map(|s| (*s).to_owned()).collect();
    expected.sort();
    assert_eq!(reached.into_iter().collect::<Vec<_>>(), expected);
}

#[tokio::test]
async fn the_tree_has_districts_before_the_reform_and_none_after() {
    let t = TestDb::new().await;
    let before = geo::tree(t.db(), d(BEFORE), Some(&c("22"))).await.unwrap();
    assert_eq!(before.len(), 1);
    assert_eq!(before[0].unit.full_name(), "Tỉnh Quảng Ninh");
    assert_eq!(before[0].children.len(), 13);
    assert!(before[0].children.iter().all(|n| n.unit.level() == UnitLevel::District));
    assert_eq!(before[0].children.iter().map(|n| n.children.len()).sum::<usize>(), 171);
    let after = geo::tree(t.db(), d(AFTER), Some(&c("22"))).await.unwrap();
    assert_eq!(after[0].children.len(), 54);
    assert!(after[0].children.iter().all(|n| n.children.is_empty()));
    let country = geo::tree(t.db(), d(AFTER), None).await.unwrap();
    assert_eq!(country.len(), 34);
    assert_eq!(country.iter().map(|p| p.children.len()).sum::<usize>(), 3_321);
}

#[tokio::test]
async fn the_gazetteer_holds_every_unit_and_succession() {
    let t = TestDb::new().await;
    let g = geo::load_gazetteer(t.db()).await.unwrap();
    assert_eq!(g.len(), 63 + 23 + 696 + 10_035 + 3_321);
    assert_eq!(g.successions().len(), 10_654);
    let old = g.find(&c("07030"), d(BEFORE)).unwrap();
    let new = g.find(&c("07030"), d(AFTER)).unwrap();
    assert_eq!(g.successors_on(old, d(AFTER)).default, Some(new));
}

#[tokio::test]
async fn addresses_resolve_against_the_stored_units() {
    let t = TestDb::new().await;
    let index = geo::load_address_index(t.db()).await.unwrap();
    let options = ResolveOptions::new(d("2020-02-27"), d(AFTER)).with_default_province(c("22"));
    let got = index.resolve("Thôn 3, xã Hoàng Tân, TX Quảng Yên", &options);
    let best = got.best().unwrap();
    let g = index.gazetteer();
    assert_eq!(g.unit(best.unit).full_name(), "Xã Hoàng Tân");
    assert_eq!(best.detail, "Thôn 3");
    assert_eq!(g.unit(best.current.default.unwrap()).full_name(), "Phường Hà An");
}

fn merge_quang_yen_2026() -> MapChange {
    MapChange {
        effective: d("2026-04-30"),
        legal_basis: Some("NQ 237/NQ-UBTVQH16".into()),
        ending: vec![c("07168"), c("07132")],
        starting: vec![NewUnit {
            code: c("07132"),
            kind: UnitKind::Ward,
            name: "Quảng Yên".into(),
            parent_code: Some(c("22")),
        }],
        successions: vec![
            NewSuccession { from_code: c("07168"), to_code: c("07132"), is_default: true, share: None },
            NewSuccession { from_code: c("07132"), to_code: c("07132"), is_default: true, share: None },
        ],
    }
}

#[tokio::test]
async fn a_recorded_change_extends_the_lineage() {
    let t = TestDb::new().await;
    let plan = geo::record_change(t.db(), &merge_quang_yen_2026()).await.unwrap();
    assert_eq!(plan.successions.len(), 2);
    let new = geo::unit_on(t.db(), &c("07132"), d("2026-05-01")).await.unwrap().unwrap();
    assert_eq!(new.valid_from, Some(d("2026-04-30")));
    assert_eq!(new.legal_basis.as_deref(), Some("NQ 237/NQ-UBTVQH16"));
    assert!(geo::unit_on(t.db(), &c("07168"), d("2026-05-01")).await.unwrap().is_none());
    let ha_an_2025 = geo::unit_on(t.db(), &c("07168"), d(AFTER)).await.unwrap().unwrap();
    assert_eq!(ha_an_2025.valid_to, Some(d("2026-04-30")));

    // xã Hoàng Tân → phường Hà An (2025) → phường Quảng Yên (2026).
    let hoang_tan = old_commune(t.db(), "Xã Hoàng Tân", "Thị xã Quảng Yên").await;
    let in_2025 = geo::current_units(t.db(), &hoang_tan, d(AFTER)).await.unwrap();
    assert_eq!(names(&in_2025.all), ["Phường Hà An"]);
    let in_2026 = geo::current_units(t.db(), &hoang_tan, d("2026-05-01")).await.unwrap();
    assert_eq!(in_2026.default, Some(new.clone()));
    let origins = geo::origins(t.db(), &new, d(BEFORE)).await.unwrap();
    assert!(origins.iter().any(|o| o.unit == hoang_tan));
    let quang_ninh = geo::units_in_force(t.db(), &quang_ninh("2026-05-01", UnitLevel::Commune)).await.unwrap();
    assert_eq!(quang_ninh.len(), 53);
    // The in-memory history agrees.
    let g = geo::load_gazetteer(t.db()).await.unwrap();
    let id = g.find(&c("07168"), d(AFTER)).unwrap();
    assert_eq!(g.unit(g.successors_on(id, d("2026-05-01")).default.unwrap()), &new);
}

#[tokio::test]
async fn an_invalid_change_writes_nothing_and_says_why() {
    let t = TestDb::new().await;
    let mut change = merge_quang_yen_2026();
    // A code still in force cannot start again, and the split default is missing.
    change.starting.push(NewUnit {
        code: c("07030"),
        kind: UnitKind::Ward,
        name: "Hoành Bồ".into(),
        parent_code: Some(c("22")),
    });
    change.successions.push(NewSuccession {
        from_code: c("07168"),
        to_code: c("07030"),
        is_default: true,
        share: None,
    });
    let err = geo::record_change(t.db(), &change).await.unwrap_err();
    let GeoError::Invalid(errors) = err else { panic!("{err:?}") };
    assert!(errors.contains(&ChangeError::Overlap { code: c("07030") }), "{errors:?}");
    assert!(errors.contains(&ChangeError::DefaultCount { code: c("07168"), defaults: 2 }), "{errors:?}");
    let ha_an = geo::unit_on(t.db(), &c("07168"), d("2026-05-01")).await.unwrap().unwrap();
    assert_eq!(ha_an.valid_to, None);
    let (n,): (i64,) = t
        .db()
        .fetch_one(Query::new("SELECT COUNT(*) FROM admin_units WHERE valid_from = $1").bind(d("2026-04-30")))
        .await
        .unwrap();
    assert_eq!(n, 0);

    // The same change, once sound, is recorded; recording it twice is refused.
    geo::record_change(t.db(), &merge_quang_yen_2026()).await.unwrap();
    let again = geo::record_change(t.db(), &merge_quang_yen_2026()).await.unwrap_err();
    assert!(matches!(again, GeoError::Invalid(_)), "{again:?}");
}

#[tokio::test]
async fn a_change_can_start_a_province_and_its_communes_together() {
    let t = TestDb::new().await;
    // Cô Tô (đặc khu 07192) leaves Quảng Ninh for a new (fictional) province 99 created the same day.
    let change = MapChange {
        effective: d("2027-01-01"),
        legal_basis: None,
        ending: vec![c("07192")],
        starting: vec![
            NewUnit {
                code: c("07192"), kind: UnitKind::SpecialZone, name: "Cô Tô".into(), parent_code: Some(c("99"))
            },
            NewUnit { code: c("99"), kind: UnitKind::Province, name: "Thử Nghiệm".into(), parent_code: None },
        ],
        successions: vec![NewSuccession { from_code: c("07192"), to_code: c("07192"), is_default: false, share: None }],
    };
    let plan = geo::record_change(t.db(), &change).await.unwrap();
    assert_eq!(plan.successions[0].kind, SuccessionKind::Kept);
    assert!(plan.successions[0].is_default);
    let co_to = geo::units_in_force(t.db(), &UnitFilter { province: Some(c("99")), ..UnitFilter::on(d("2027-01-01")) })
        .await
        .unwrap();
    assert_eq!(names(&co_to), ["Đặc khu Cô Tô", "Tỉnh Thử Nghiệm"]);
}

#[tokio::test]
async fn unit_lists_page_with_the_total_in_vietnamese_order() {
    let t = TestDb::new().await;
    let filter = UnitFilter { limit: Some(20), ..quang_ninh(AFTER, UnitLevel::Commune) };
    let all = geo::units_in_force(t.db(), &UnitFilter { limit: None, ..filter.clone() }).await.unwrap();
    let (first, total) = geo::units_in_force_page(t.db(), &filter, 0).await.unwrap();
    let (last, _) = geo::units_in_force_page(t.db(), &filter, 40).await.unwrap();
    assert_eq!(total, 54);
    assert_eq!(first, all[..20]);
    assert_eq!(last, all[40..]);
    let (none, total) =
        geo::units_in_force_page(t.db(), &UnitFilter { q: Some("khong co".into()), ..filter }, 0).await.unwrap();
    assert_eq!((none.len(), total), (0, 0));
}

#[tokio::test]
async fn the_map_stamp_changes_when_a_change_is_recorded_and_only_then() {
    let t = TestDb::new().await;
    let before = geo::map_stamp(t.db()).await.unwrap();
    assert_eq!(before, geo::map_stamp(t.db()).await.unwrap());
    assert!(
        geo::record_change(t.db(), &MapChange { ending: vec![c("99999")], ..merge_quang_yen_2026() }).await.is_err()
    );
    assert_eq!(before, geo::map_stamp(t.db()).await.unwrap(), "a refused change leaves the map as it was");
    geo::record_change(t.db(), &merge_quang_yen_2026()).await.unwrap();
    assert_ne!(before, geo::map_stamp(t.db()).await.unwrap());
}
