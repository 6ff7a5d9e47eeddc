//! The demo's directory: the organisations and people of the reference story, with their addresses
//! resolved and the 2025 successions recorded.

use chrono::NaiveDate;
use tiendo_db::directory::{self, OrgFilter, Page, PersonFilter};

async fn org(db: &tiendo_db::Db, name: &str) -> directory::Organization {
    directory::organization_by_name(db, name).await.unwrap().unwrap_or_else(|| panic!("no {name} in the demo"))
}

#[tokio::test]
async fn the_demo_has_the_organisations_of_the_story_with_their_addresses_resolved() {
    let t = crate::demo_db().await;
    let db = t.db();
    // The names the demo accounts look up.
    for name in [
        "Sở Khoa học và Công nghệ tỉnh Quảng Ninh",
        "Viện Nghiên cứu và Phát triển Vùng",
        "UBND phường Hà An",
        "UBND phường Hoành Bồ",
        "Công ty TNHH thủy sản Minh Hàn",
        "Công ty CP phát triển Agritech",
        "UBND tỉnh Quảng Ninh",
        "Tỉnh ủy Quảng Ninh",
    ] {
        org(db, name).await;
    }
    let minh_han = org(db, "Công ty TNHH thủy sản Minh Hàn").await;
    let unit = minh_han.unit.as_ref().unwrap();
    assert_eq!((unit.full_name().as_str(), unit.code.as_str()), ("Xã Hoàng Tân", "07156"));
    assert_eq!(minh_han.address_detail.as_deref(), Some("Thôn 3"));
    assert!(minh_han.is_sample, "its tax code and telephone are invented");
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let now = tiendo_db::geo::current_units(db, unit, today).await.unwrap();
    assert_eq!(now.default.unwrap().full_name(), "Phường Hà An");
    let agritech = org(db, "Công ty CP phát triển Agritech").await;
    let unit = agritech.unit.as_ref().unwrap();
    assert_eq!((unit.code.as_str(), unit.valid_to), ("07030", NaiveDate::from_ymd_opt(2025, 7, 1)));
    assert_eq!(agritech.address_detail.as_deref(), Some("Khu 5"));
    let ward = org(db, "UBND phường Hoành Bồ").await;
    assert_eq!(ward.unit.as_ref().unwrap().valid_from, NaiveDate::from_ymd_opt(2025, 7, 1));

    // The tree: UBND tỉnh → Sở → its divisions; the institute under the Ministry.
    let so = org(db, "Sở Khoa học và Công nghệ tỉnh Quảng Ninh").await;
    assert_eq!(so.parent.as_ref().unwrap().name, "UBND tỉnh Quảng Ninh");
    let divisions: Vec<String> = directory::children(db, so.id).await.unwrap().into_iter().map(|o| o.name).collect();
    assert!(divisions.contains(&"Phòng Quản lý khoa học".to_owned()), "{divisions:?}");
    assert!(divisions.contains(&"Phòng Kế hoạch - Tài chính".to_owned()));
    let institute = org(db, "Viện Nghiên cứu và Phát triển Vùng").await;
    assert_eq!(institute.parent.unwrap().name, "Bộ Khoa học và Công nghệ");
    assert!(!institute.is_sample);

    // Ended on 30/06/2025 and succeeded by the People's Committees of the new units.
    let quang_yen = org(db, "UBND thị xã Quảng Yên").await;
    assert_eq!(quang_yen.valid_to, NaiveDate::from_ymd_opt(2025, 7, 1));
    assert_eq!(quang_yen.successor.unwrap().name, "UBND phường Quảng Yên");
    let (successors, _) = directory::successions_of(db, quang_yen.id).await.unwrap();
    let names: Vec<&str> = successors.iter().map(|s| s.other.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "UBND phường Đông Mai",
            "UBND phường Hà An",
            "UBND phường Hiệp Hòa",
            "UBND phường Liên Hòa",
            "UBND phường Phong Cốc",
            "UBND phường Quảng Yên"
        ]
    );
    let ha_long = org(db, "UBND thành phố Hạ Long").await;
    let (successors, _) = directory::successions_of(db, ha_long.id).await.unwrap();
    assert!(successors.iter().any(|s| s.other.name == "UBND phường Hoành Bồ"));
    assert!(successors.iter().any(|s| s.other.name == "UBND phường Hạ Long" && s.is_default));
    let active = OrgFilter { active_on: Some(today), ..OrgFilter::default() };
    let all = directory::list_organizations(db, &OrgFilter::default(), Page::first(500)).await.unwrap();
    let in_force = directory::list_organizations(db, &active, Page::first(500)).await.unwrap();
    assert_eq!(all.total - in_force.total, 2, "only the two district-level committees ended");
}

#[tokio::test]
async fn the_demo_has_the_people_of_the_story_and_marks_invented_ones_as_sample() {
    let t = crate::demo_db().await;
    let db = t.db();
    let people = directory::list_people(db, &PersonFilter::default(), Page::first(100)).await.unwrap();
    let find =
        |name: &str| people.items.iter().find(|p| p.person.full_name == name).unwrap_or_else(|| panic!("{name}"));
    let nam = find("Hoàng Bá Nam");
    assert!(!nam.person.is_sample);
    assert_eq!(nam.roles[0].role, "Giám đốc");
    assert_eq!(nam.roles[0].organization_name, "Sở Khoa học và Công nghệ tỉnh Quảng Ninh");
    let minh = find("Nguyễn Đắc Bình Minh");
    assert_eq!(minh.person.display_name(), "TS. Nguyễn Đắc Bình Minh");
    assert_eq!(minh.roles[0].role, "Viện trưởng");
    assert!(find("Phạm Thu Trang").person.is_sample);
    assert!(
        people.items.iter().filter(|p| !p.person.is_sample).count() == 2,
        "only the two named in the story are real"
    );
}

#[tokio::test]
async fn the_demo_reports_add_up_for_the_province_from_2017_to_2025_on_todays_map() {
    use tiendo_db::{Exec, Query};
    let t = crate::demo_db().await;
    let db = t.db();
    let staff = |map: &'static str, period: &'static str| {
        Query::new(
            "SELECT value_sum FROM report_aggregates WHERE map = $1 AND level = 'province' AND unit_code = '22' \
             AND indicator_code = 'KHCN.NL.TONG' AND period_code = $2",
        )
        .bind(map)
        .bind(period)
    };
    // 2017: Quảng Yên 185 and Hạ Long 1 160 people, on either map.
    for map in ["current", "reported"] {
        let (v,): (f64,) = db.fetch_one(staff(map, "2017")).await.unwrap();
        assert_eq!(v, 1_345.0, "{map}");
    }
    for year in ["2018", "2019", "2020", "2025"] {
        let (v,): (f64,) = db.fetch_one(staff("current", year)).await.unwrap();
        assert!(v > 1_000.0, "{year}: {v}");
    }
    // On today's map the old towns' figures count for the wards that took over their territory.
    let (wards,): (i64,) = db
        .fetch_one(Query::new(
            "SELECT COUNT(*) FROM report_aggregates WHERE map = 'current' AND level = 'unit' AND period_code = '2017' \
             AND indicator_code = 'KHCN.NL.TONG' AND value_count > 0",
        ))
        .await
        .unwrap();
    assert!(wards >= 2, "{wards}");
    // Every report is approved and sample data; Hà An's 2025 report is left to fill.
    let (open,): (i64,) = db
        .fetch_one(Query::new("SELECT COUNT(*) FROM reports WHERE status <> 'approved' OR NOT is_sample"))
        .await
        .unwrap();
    assert_eq!(open, 0);
    let (ha_an,): (i64,) = db
        .fetch_one(Query::new(
            "SELECT COUNT(*) FROM reports r JOIN organizations o ON o.id = r.org_id WHERE o.name = 'UBND phường Hà An'",
        ))
        .await
        .unwrap();
    assert_eq!(ha_an, 0);
}
