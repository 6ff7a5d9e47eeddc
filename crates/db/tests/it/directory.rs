use chrono::{NaiveDate, Utc};
use tiendo_core::directory::{AffiliationDraft, FieldIssue, OrgKind, OrganizationDraft, PersonDraft};
use tiendo_core::geo::{AdminUnit, AdminUnitCode, UnitLevel};
use tiendo_db::directory::{
    self, DirectoryError, OrgFilter, OrganizationRecord, Page, PersonFilter, PersonRecord, SuccessionPlan, UnitPlace,
};
use tiendo_db::geo::{self, UnitFilter};
use tiendo_db::testing::TestDb;
use tiendo_db::{Db, orgtree};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn unit(db: &Db, full_name: &str, day: &str) -> AdminUnit {
    let filter = UnitFilter {
        q: Some(full_name.to_owned()),
        province: Some(AdminUnitCode::parse("22").unwrap()),
        ..UnitFilter::on(d(day))
    };
    geo::units_in_force(db, &filter)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.full_name() == full_name)
        .unwrap_or_else(|| panic!("no unit {full_name} on {day}"))
}

fn org_record(kind: &str, name: &str, parent: Option<i64>) -> OrganizationRecord {
    let draft = OrganizationDraft {
        kind: kind.into(),
        name: name.into(),
        parent_id: parent.map(|p| p.to_string()).unwrap_or_default(),
        ..OrganizationDraft::default()
    };
    OrganizationRecord { fields: draft.validate().unwrap(), place: None, is_sample: false }
}

async fn create_org(db: &Db, kind: &str, name: &str, parent: Option<i64>) -> i64 {
    directory::create_organization(db, &org_record(kind, name, parent), Utc::now()).await.unwrap()
}

fn issues(err: DirectoryError) -> Vec<(&'static str, &'static str)> {
    match err {
        DirectoryError::Invalid(issues) => issues.iter().map(|i: &FieldIssue| (i.field, i.code)).collect(),
        other => panic!("expected field issues, got {other:?}"),
    }
}

fn names(listed: &directory::Listed<directory::Organization>) -> Vec<&str> {
    listed.items.iter().map(|o| o.name.as_str()).collect()
}

#[tokio::test]
async fn organisations_are_created_read_and_updated_with_their_unit() {
    let t = TestDb::new().await;
    let db = t.db();
    let province = create_org(db, "provincial_committee", "UBND tỉnh Quảng Ninh", None).await;
    let hoang_tan = unit(db, "Xã Hoàng Tân", "2025-06-30").await;
    let mut record = org_record("enterprise", "Công ty TNHH thủy sản Minh Hàn", None);
    record.fields.tax_code = Some(tiendo_core::directory::TaxCode::parse("5701234567").unwrap());
    record.fields.address = Some("Thôn 3, xã Hoàng Tân, thị xã Quảng Yên, tỉnh Quảng Ninh".into());
    record.place = Some(UnitPlace { unit: hoang_tan.clone(), detail: Some("Thôn 3".into()) });
    record.is_sample = true;
    let id = directory::create_organization(db, &record, Utc::now()).await.unwrap();

    let org = directory::organization(db, id).await.unwrap().unwrap();
    assert_eq!(org.kind, OrgKind::Enterprise);
    assert_eq!(org.unit.as_ref(), Some(&hoang_tan));
    assert_eq!(org.address_detail.as_deref(), Some("Thôn 3"));
    assert_eq!(org.tax_code.as_ref().map(|t| t.as_str()), Some("5701234567"));
    assert!(org.is_sample);
    assert_eq!(org.parent, None);

    record.fields.parent_id = Some(province);
    record.fields.name = "Công ty TNHH Thủy sản Minh Hàn".into();
    directory::update_organization(db, id, &record, Utc::now()).await.unwrap();
    let after = directory::organization(db, id).await.unwrap().unwrap();
    assert_eq!(after.parent.as_ref().map(|p| p.name.as_str()), Some("UBND tỉnh Quảng Ninh"));
    let changes = directory::diff_organizations(Some(&org), &after);
    let fields: Vec<&str> = changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["name", "parent"]);
    assert_eq!(directory::organization_by_name(db, "Công ty TNHH Thủy sản Minh Hàn").await.unwrap().unwrap().id, id);
    assert!(directory::organization(db, 9999).await.unwrap().is_none());
    assert!(matches!(
        directory::update_organization(db, 9999, &record, Utc::now()).await,
        Err(DirectoryError::NotFound)
    ));
}

#[tokio::test]
async fn a_tax_code_belongs_to_one_organisation_and_a_parent_must_exist_without_cycles() {
    let t = TestDb::new().await;
    let db = t.db();
    let mut a = org_record("enterprise", "Công ty A", None);
    a.fields.tax_code = Some(tiendo_core::directory::TaxCode::parse("5701234567").unwrap());
    let first = directory::create_organization(db, &a, Utc::now()).await.unwrap();
    // Another organisation may not take it, on create or on update; the same one keeps it.
    let mut b = a.clone();
    b.fields.name = "Công ty B".into();
    assert_eq!(
        issues(directory::create_organization(db, &b, Utc::now()).await.unwrap_err()),
        [("tax_code", "tax_code_taken")]
    );
    let second = create_org(db, "enterprise", "Công ty B", None).await;
    assert_eq!(
        issues(directory::update_organization(db, second, &b, Utc::now()).await.unwrap_err()),
        [("tax_code", "tax_code_taken")]
    );
    directory::update_organization(db, first, &a, Utc::now()).await.unwrap();

    let child = create_org(db, "division", "Phòng X", Some(first)).await;
    assert_eq!(
        issues(
            directory::create_organization(db, &org_record("other", "Y", Some(4242)), Utc::now()).await.unwrap_err()
        ),
        [("parent_id", "unknown_organization")]
    );
    // A cannot be put under its own child, nor under itself.
    let under_child = OrganizationRecord {
        fields: {
            let mut f = a.fields.clone();
            f.parent_id = Some(child);
            f
        },
        ..a.clone()
    };
    assert_eq!(
        issues(directory::update_organization(db, first, &under_child, Utc::now()).await.unwrap_err()),
        [("parent_id", "parent_cycle")]
    );
    let under_itself = OrganizationRecord {
        fields: {
            let mut f = a.fields.clone();
            f.parent_id = Some(first);
            f
        },
        ..a
    };
    assert_eq!(
        issues(directory::update_organization(db, first, &under_itself, Utc::now()).await.unwrap_err()),
        [("parent_id", "parent_cycle")]
    );
}

#[tokio::test]
async fn organisation_lists_filter_without_diacritics_sort_in_vietnamese_order_and_page() {
    let t = TestDb::new().await;
    let db = t.db();
    let province = create_org(db, "provincial_committee", "UBND tỉnh Quảng Ninh", None).await;
    for (kind, name) in [
        ("commune_committee", "UBND phường Hoành Bồ"),
        ("commune_committee", "UBND phường Hà An"),
        ("commune_committee", "UBND phường Đông Mai"),
        ("commune_committee", "UBND phường Đông Triều"),
        ("commune_committee", "UBND phường Hà Tu"),
    ] {
        create_org(db, kind, name, Some(province)).await;
    }
    create_org(db, "department", "Sở Khoa học và Công nghệ tỉnh Quảng Ninh", Some(province)).await;
    create_org(db, "enterprise", "Công ty CP phát triển Agritech", None).await;

    let all = directory::list_organizations(db, &OrgFilter::default(), Page::first(50)).await.unwrap();
    assert_eq!(all.total, 8);
    assert_eq!(
        names(&all),
        [
            "Công ty CP phát triển Agritech",
            "Sở Khoa học và Công nghệ tỉnh Quảng Ninh",
            // D < Đ < E < H: Đông before Hà; "Hà" before "Hoành"; "Hà An" before "Hà Tu".
            "UBND phường Đông Mai",
            "UBND phường Đông Triều",
            "UBND phường Hà An",
            "UBND phường Hà Tu",
            "UBND phường Hoành Bồ",
            "UBND tỉnh Quảng Ninh",
        ]
    );
    let folded = OrgFilter { q: Some("phuong ha".into()), ..OrgFilter::default() };
    let found = directory::list_organizations(db, &folded, Page::first(50)).await.unwrap();
    assert_eq!(names(&found), ["UBND phường Hà An", "UBND phường Hà Tu"]);
    let accented = OrgFilter { q: Some("ĐÔNG".into()), ..OrgFilter::default() };
    assert_eq!(directory::list_organizations(db, &accented, Page::first(50)).await.unwrap().total, 2);
    let wildcard = OrgFilter { q: Some("%".into()), ..OrgFilter::default() };
    assert_eq!(directory::list_organizations(db, &wildcard, Page::first(50)).await.unwrap().total, 0);

    let wards = OrgFilter { kind: Some(OrgKind::CommuneCommittee), parent_id: Some(province), ..OrgFilter::default() };
    let page1 = directory::list_organizations(db, &wards, Page { offset: 0, limit: 2 }).await.unwrap();
    assert_eq!((page1.total, names(&page1)), (5, vec!["UBND phường Đông Mai", "UBND phường Đông Triều"]));
    assert_eq!(page1.next_offset(Page { offset: 0, limit: 2 }), Some(2));
    let page3 = directory::list_organizations(db, &wards, Page { offset: 4, limit: 2 }).await.unwrap();
    assert_eq!(names(&page3), ["UBND phường Hoành Bồ"]);
    assert_eq!(page3.next_offset(Page { offset: 4, limit: 2 }), None);
    assert_eq!(directory::children(db, province).await.unwrap().len(), 6);
}

#[tokio::test]
async fn a_unit_filter_finds_organisations_registered_at_the_units_it_came_from() {
    let t = TestDb::new().await;
    let db = t.db();
    let hoang_tan = unit(db, "Xã Hoàng Tân", "2025-06-30").await;
    let ha_an = unit(db, "Phường Hà An", "2026-01-01").await;
    let hoanh_bo = unit(db, "Phường Hoành Bồ", "2026-01-01").await;
    let mut minh_han = org_record("enterprise", "Công ty TNHH thủy sản Minh Hàn", None);
    minh_han.place = Some(UnitPlace { unit: hoang_tan.clone(), detail: None });
    directory::create_organization(db, &minh_han, Utc::now()).await.unwrap();
    let mut ward = org_record("commune_committee", "UBND phường Hà An", None);
    ward.place = Some(UnitPlace { unit: ha_an.clone(), detail: None });
    directory::create_organization(db, &ward, Utc::now()).await.unwrap();
    let mut agritech = org_record("enterprise", "Công ty CP phát triển Agritech", None);
    agritech.place = Some(UnitPlace { unit: hoanh_bo.clone(), detail: None });
    directory::create_organization(db, &agritech, Utc::now()).await.unwrap();

    let in_unit = |u: &AdminUnit| OrgFilter { unit: Some(u.clone()), ..OrgFilter::default() };
    let today = directory::list_organizations(db, &in_unit(&ha_an), Page::first(50)).await.unwrap();
    assert_eq!(names(&today), ["Công ty TNHH thủy sản Minh Hàn", "UBND phường Hà An"]);
    let then = directory::list_organizations(db, &in_unit(&hoang_tan), Page::first(50)).await.unwrap();
    assert_eq!(names(&then), ["Công ty TNHH thủy sản Minh Hàn"]);
    let quang_ninh = unit(db, "Tỉnh Quảng Ninh", "2026-01-01").await;
    assert_eq!(quang_ninh.level(), UnitLevel::Province);
    assert_eq!(directory::list_organizations(db, &in_unit(&quang_ninh), Page::first(50)).await.unwrap().total, 3);
    let quang_yen = unit(db, "Thị xã Quảng Yên", "2025-06-30").await;
    let old_district = directory::list_organizations(db, &in_unit(&quang_yen), Page::first(50)).await.unwrap();
    assert_eq!(names(&old_district), ["Công ty TNHH thủy sản Minh Hàn"]);
}

fn person_record(name: &str, degree: &str, position: &str) -> PersonRecord {
    let draft = PersonDraft {
        full_name: name.into(),
        degree: degree.into(),
        position: position.into(),
        expertise: "Quản lý khoa học\nKinh tế biển".into(),
        ..PersonDraft::default()
    };
    PersonRecord { fields: draft.validate().unwrap(), is_sample: false }
}

#[tokio::test]
async fn people_are_listed_by_given_name_with_their_current_roles() {
    let t = TestDb::new().await;
    let db = t.db();
    let now = Utc::now();
    let dept = create_org(db, "department", "Sở Khoa học và Công nghệ tỉnh Quảng Ninh", None).await;
    let institute = create_org(db, "research_institute", "Viện Nghiên cứu và Phát triển Vùng", None).await;
    let nam = directory::create_person(db, &person_record("Hoàng Bá Nam", "", "Giám đốc"), now).await.unwrap();
    let minh = directory::create_person(db, &person_record("Nguyễn Đắc Bình Minh", "doctor", "Viện trưởng"), now)
        .await
        .unwrap();
    let an = directory::create_person(db, &person_record("Trần Thị Ân", "master", "Chuyên viên"), now).await.unwrap();
    let add = |org: i64, role: &str, from: &str, to: &str| AffiliationDraft {
        organization_id: org.to_string(),
        role: role.into(),
        valid_from: from.into(),
        valid_to: to.into(),
    };
    directory::add_affiliation(db, nam, &add(dept, "Giám đốc", "2019-01-01", "").validate().unwrap()).await.unwrap();
    directory::add_affiliation(db, minh, &add(institute, "Viện trưởng", "2018-05-01", "").validate().unwrap())
        .await
        .unwrap();
    let old = directory::add_affiliation(db, an, &add(dept, "Chuyên viên", "2015-01-01", "").validate().unwrap())
        .await
        .unwrap();

    let everyone = directory::list_people(db, &PersonFilter::default(), Page::first(50)).await.unwrap();
    let order: Vec<&str> = everyone.items.iter().map(|p| p.person.full_name.as_str()).collect();
    // By given name: Ân < Minh < Nam.
    assert_eq!(order, ["Trần Thị Ân", "Nguyễn Đắc Bình Minh", "Hoàng Bá Nam"]);
    assert_eq!(everyone.items[1].person.display_name(), "TS. Nguyễn Đắc Bình Minh");
    assert_eq!(everyone.items[1].roles[0].organization_name, "Viện Nghiên cứu và Phát triển Vùng");
    assert_eq!(everyone.items[1].person.expertise, ["Quản lý khoa học", "Kinh tế biển"]);

    let at_dept = PersonFilter { organization_id: Some(dept), ..PersonFilter::default() };
    assert_eq!(directory::list_people(db, &at_dept, Page::first(50)).await.unwrap().total, 2);
    let ended = directory::end_affiliation(db, old, d("2024-01-01")).await.unwrap();
    assert_eq!(ended.valid_to, Some(d("2024-01-01")));
    let at_dept = directory::list_people(db, &at_dept, Page::first(50)).await.unwrap();
    assert_eq!(at_dept.items.iter().map(|p| p.person.id).collect::<Vec<_>>(), [nam]);
    let q = PersonFilter { q: Some("dac binh".into()), ..PersonFilter::default() };
    assert_eq!(directory::list_people(db, &q, Page::first(50)).await.unwrap().items[0].person.id, minh);

    // Ending twice, or before it started, is refused with the field.
    assert_eq!(
        issues(directory::end_affiliation(db, old, d("2025-01-01")).await.unwrap_err()),
        [("valid_to", "already_ended")]
    );
    let current = directory::affiliations_of_person(db, nam).await.unwrap()[0].id;
    assert_eq!(
        issues(directory::end_affiliation(db, current, d("2018-12-31")).await.unwrap_err()),
        [("valid_to", "date_order")]
    );
    let unknown_org = add(4242, "Giám đốc", "", "").validate().unwrap();
    assert_eq!(
        issues(directory::add_affiliation(db, nam, &unknown_org).await.unwrap_err()),
        [("organization_id", "unknown_organization")]
    );
    assert!(matches!(directory::add_affiliation(db, 4242, &unknown_org).await, Err(DirectoryError::NotFound)));
    let of_dept = directory::affiliations_of_organization(db, dept, Some(d("2026-01-01"))).await.unwrap();
    assert_eq!(of_dept.iter().map(|a| a.person_id).collect::<Vec<_>>(), [nam]);
    assert_eq!(directory::affiliations_of_organization(db, dept, None).await.unwrap().len(), 2);

    let mut edit = person_record("Hoàng Bá Nam", "master", "Giám đốc Sở");
    edit.is_sample = true;
    let before = directory::person(db, nam).await.unwrap().unwrap();
    directory::update_person(db, nam, &edit, Utc::now()).await.unwrap();
    let after = directory::person(db, nam).await.unwrap().unwrap();
    let fields: Vec<String> = directory::diff_people(Some(&before), &after).into_iter().map(|c| c.field).collect();
    assert_eq!(fields, ["title", "position", "is_sample"]);
    assert!(matches!(directory::update_person(db, 4242, &edit, Utc::now()).await, Err(DirectoryError::NotFound)));
}

#[tokio::test]
async fn a_succession_ends_the_old_organisation_and_moves_what_it_owned_to_the_default_successor() {
    let t = TestDb::new().await;
    let db = t.db();
    let now = Utc::now();
    let province = create_org(db, "provincial_committee", "UBND tỉnh Quảng Ninh", None).await;
    let town = create_org(db, "district_committee", "UBND thị xã Quảng Yên", Some(province)).await;
    let office = create_org(db, "division", "Phòng Kinh tế thị xã Quảng Yên", Some(town)).await;
    let mut ha_an_record = org_record("commune_committee", "UBND phường Hà An", Some(province));
    ha_an_record.fields.valid_from = Some(d("2025-07-01"));
    let ha_an = directory::create_organization(db, &ha_an_record, now).await.unwrap();
    let mut dong_mai_record = org_record("commune_committee", "UBND phường Đông Mai", Some(province));
    dong_mai_record.fields.valid_from = Some(d("2025-07-01"));
    let dong_mai = directory::create_organization(db, &dong_mai_record, now).await.unwrap();
    let chair = directory::create_person(db, &person_record("Nguyễn Văn Chủ", "", "Chủ tịch"), now).await.unwrap();
    let role =
        AffiliationDraft { organization_id: town.to_string(), role: "Chủ tịch".into(), ..Default::default() };
    directory::add_affiliation(db, chair, &role.validate().unwrap()).await.unwrap();

    let plan = SuccessionPlan {
        effective: d("2025-07-01"),
        successors: vec![ha_an, dong_mai],
        default_successor: ha_an,
        move_children: true,
        move_affiliations: true,
    };
    let tx = db.begin().await.unwrap();
    let recorded = directory::record_succession(&tx, town, &plan, now).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!((recorded.moved().children, recorded.moved().affiliations), (1, 1));
    // What moved is returned for the use case to audit (`tiendo_app::directory`; the web tests check the
    // events).
    assert_eq!(recorded.moved_children, [office]);
    assert_eq!(recorded.moved_affiliations, [(chair, "Chủ tịch".to_owned())]);
    assert_eq!(recorded.default_name, "UBND phường Hà An");

    let old = directory::organization(db, town).await.unwrap().unwrap();
    assert_eq!(old.valid_to, Some(d("2025-07-01")));
    assert_eq!(old.successor.as_ref().map(|s| s.id), Some(ha_an));
    assert_eq!(orgtree::path(db, office).await.unwrap(), vec![province, ha_an, office]);
    let roles = directory::affiliations_of_person(db, chair).await.unwrap();
    assert_eq!(roles.len(), 2);
    assert_eq!((roles[0].organization_id, roles[0].valid_from), (ha_an, Some(d("2025-07-01"))));
    assert_eq!((roles[1].organization_id, roles[1].valid_to), (town, Some(d("2025-07-01"))));
    let (successors, predecessors) = directory::successions_of(db, town).await.unwrap();
    assert_eq!(
        successors.iter().map(|s| (s.other.name.as_str(), s.is_default)).collect::<Vec<_>>(),
        [("UBND phường Đông Mai", false), ("UBND phường Hà An", true)]
    );
    assert!(predecessors.is_empty());
    assert_eq!(directory::successions_of(db, ha_an).await.unwrap().1[0].other.id, town);

    // A second succession, a successor that did not exist yet, and a default outside the successors are
    // refused with their fields; nothing is written.
    let tx = db.begin().await.unwrap();
    let again = directory::record_succession(&tx, town, &plan, now).await.unwrap_err();
    assert_eq!(issues(again), [("successors", "already_succeeded")]);
    drop(tx);
    // An organisation already given an end may be succeeded on that day only.
    let mut ended = org_record("district_committee", "UBND huyện Hoành Bồ", Some(province));
    ended.fields.valid_to = Some(d("2019-01-01"));
    let ended = directory::create_organization(db, &ended, now).await.unwrap();
    let on_another_day = SuccessionPlan { successors: vec![province], default_successor: province, ..plan.clone() };
    let tx = db.begin().await.unwrap();
    let err = directory::record_succession(&tx, ended, &on_another_day, now).await.unwrap_err();
    assert_eq!(issues(err), [("effective", "ends_on_another_day")]);
    let that_day = SuccessionPlan { effective: d("2019-01-01"), ..on_another_day };
    directory::record_succession(&tx, ended, &that_day, now).await.unwrap();
    drop(tx);
    let other = create_org(db, "district_committee", "UBND thành phố Hạ Long", Some(province)).await;
    let bad = SuccessionPlan {
        effective: d("2025-06-01"),
        successors: vec![ha_an, other, 4242],
        default_successor: dong_mai,
        move_children: false,
        move_affiliations: false,
    };
    let tx = db.begin().await.unwrap();
    let err = directory::record_succession(&tx, other, &bad, now).await.unwrap_err();
    assert_eq!(
        issues(err),
        [
            ("successors", "successor_not_in_force"),
            ("successors", "succeeds_itself"),
            ("successors", "unknown_organization"),
            ("default_successor", "default_not_a_successor"),
        ]
    );
}
