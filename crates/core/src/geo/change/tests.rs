use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn c(s: &str) -> AdminUnitCode {
    AdminUnitCode::parse(s).unwrap()
}

fn unit(
    code: &str,
    kind: UnitKind,
    name: &str,
    parent: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
) -> AdminUnit {
    AdminUnit {
        code: c(code),
        kind,
        name: name.into(),
        parent_code: parent.map(c),
        valid_from: from.map(d),
        valid_to: to.map(d),
        legal_basis: None,
    }
}

/// Quảng Ninh around the 2025 reform: the province, thị xã Quảng Yên, xã Hoàng Tân before, and phường Hà
/// An, phường Quảng Yên, phường Hoành Bồ after.
fn world() -> Vec<AdminUnit> {
    vec![
        unit("22", UnitKind::Province, "Quảng Ninh", None, None, None),
        unit("206", UnitKind::Town, "Quảng Yên", Some("22"), None, Some("2025-07-01")),
        unit("07141", UnitKind::Commune, "Hoàng Tân", Some("206"), None, Some("2025-07-01")),
        unit("07168", UnitKind::Ward, "Hà An", Some("206"), None, Some("2025-07-01")),
        unit("07168", UnitKind::Ward, "Hà An", Some("22"), Some("2025-07-01"), None),
        unit("07132", UnitKind::Ward, "Quảng Yên", Some("22"), Some("2025-07-01"), None),
        unit("07030", UnitKind::Ward, "Hoành Bồ", Some("22"), Some("2025-07-01"), None),
    ]
}

fn new_unit(code: &str, kind: UnitKind, name: &str, parent: Option<&str>) -> NewUnit {
    NewUnit { code: c(code), kind, name: name.into(), parent_code: parent.map(c) }
}

fn link(from: &str, to: &str, is_default: bool) -> NewSuccession {
    NewSuccession { from_code: c(from), to_code: c(to), is_default, share: None }
}

/// A 2026 change: phường Hà An and phường Quảng Yên merge into a new phường Quảng Yên (code 07132).
fn merge_2026() -> MapChange {
    MapChange {
        effective: d("2026-04-30"),
        legal_basis: Some("NQ 237/NQ-UBTVQH16".into()),
        ending: vec![c("07168"), c("07132")],
        starting: vec![new_unit("07132", UnitKind::Ward, "Quảng Yên", Some("22"))],
        successions: vec![link("07168", "07132", true), link("07132", "07132", true)],
    }
}

#[test]
fn a_sound_merge_is_planned_with_derived_kinds_and_dates() {
    let plan = validate_change(&merge_2026(), &world()).unwrap();
    assert_eq!(plan.ending.len(), 2);
    assert_eq!(plan.starting[0].valid_from, Some(d("2026-04-30")));
    assert_eq!(plan.starting[0].legal_basis.as_deref(), Some("NQ 237/NQ-UBTVQH16"));
    assert!(plan.successions.iter().all(|s| s.kind == SuccessionKind::Merge && s.is_default));
    // The stored result obeys the two history rules.
    let mut after = world();
    for u in &mut after {
        if plan.ending.iter().any(|e| e == u) {
            u.valid_to = Some(plan.effective);
        }
    }
    after.extend(plan.starting.clone());
    assert!(check_no_overlap(&after).is_empty());
    for s in &plan.successions {
        let from = after.iter().find(|u| u.code == s.from_code && u.valid_to == Some(s.effective)).unwrap();
        let to = after.iter().find(|u| u.code == s.to_code && u.valid_from == Some(s.effective)).unwrap();
        assert_eq!(check_succession_link(from, to, s), Ok(()));
    }
}

#[test]
fn a_split_needs_exactly_one_default_and_renames_and_kept_units_are_recognised() {
    let split = |defaults: [bool; 2]| MapChange {
        effective: d("2026-04-30"),
        legal_basis: None,
        ending: vec![c("07030")],
        starting: vec![
            new_unit("07030", UnitKind::Ward, "Hoành Bồ", Some("22")),
            new_unit("07031", UnitKind::Commune, "Đồng Lâm", Some("22")),
        ],
        successions: vec![link("07030", "07030", defaults[0]), link("07030", "07031", defaults[1])],
    };
    let plan = validate_change(&split([true, false]), &world()).unwrap();
    assert!(plan.successions.iter().all(|s| s.kind == SuccessionKind::Split));
    assert_eq!(plan.successions.iter().filter(|s| s.is_default).count(), 1);
    for defaults in [[false, false], [true, true]] {
        let errors = validate_change(&split(defaults), &world()).unwrap_err();
        assert!(matches!(errors.as_slice(), [ChangeError::DefaultCount { .. }]), "{errors:?}");
    }

    let one_to_one = |name: &str| MapChange {
        effective: d("2026-04-30"),
        legal_basis: None,
        ending: vec![c("07030")],
        starting: vec![new_unit("07030", UnitKind::Ward, name, Some("22"))],
        // A sole successor is the default even when not marked.
        successions: vec![link("07030", "07030", false)],
    };
    let renamed = validate_change(&one_to_one("Hoành Bồ Mới"), &world()).unwrap();
    assert_eq!(renamed.successions[0].kind, SuccessionKind::Rename);
    assert!(renamed.successions[0].is_default);
    let kept = validate_change(&one_to_one("Hoành Bồ"), &world()).unwrap();
    assert_eq!(kept.successions[0].kind, SuccessionKind::Kept);
}

#[test]
fn broken_rules_are_each_reported() {
    type Edit = fn(&mut MapChange);
    let cases: Vec<(&str, Edit, ChangeError)> = vec![
        (
            "a new unit reuses a code still in force",
            |ch| {
                ch.starting.push(new_unit("07030", UnitKind::Ward, "Hoành Bồ", Some("22")));
                ch.successions.push(link("07168", "07030", false));
                ch.successions[0].is_default = true;
            },
            ChangeError::Overlap { code: c("07030") },
        ),
        (
            "ending a unit that is no longer in force",
            |ch| ch.ending.push(c("07141")),
            ChangeError::NotInForce { code: c("07141"), day: d("2026-04-29") },
        ),
        (
            "ending an unknown unit",
            |ch| ch.ending.push(c("99999")),
            ChangeError::NotInForce { code: c("99999"), day: d("2026-04-29") },
        ),
        ("a code listed twice", |ch| ch.ending.push(c("07168")), ChangeError::Duplicate { code: c("07168") }),
        (
            "a succession from a unit that does not end",
            |ch| ch.successions.push(link("07030", "07132", false)),
            ChangeError::FromNotEnding { code: c("07030") },
        ),
        (
            "a succession to a unit that does not start",
            |ch| ch.successions.push(link("07168", "07030", false)),
            ChangeError::ToNotStarting { code: c("07030") },
        ),
        (
            "a succession listed twice",
            |ch| ch.successions.push(link("07168", "07132", true)),
            ChangeError::DuplicateSuccession { from: c("07168"), to: c("07132") },
        ),
        (
            "an ending commune without successor",
            |ch| ch.successions.retain(|s| s.from_code.as_str() != "07168"),
            ChangeError::NoSuccessor { code: c("07168") },
        ),
        (
            "a starting commune without predecessor",
            |ch| ch.starting.push(new_unit("07200", UnitKind::Commune, "Mới", Some("22"))),
            ChangeError::NoPredecessor { code: c("07200") },
        ),
        (
            "a code that does not fit the kind",
            |ch| ch.starting[0].kind = UnitKind::Province,
            ChangeError::LevelMismatch { code: c("07132"), kind: UnitKind::Province },
        ),
        (
            "a new unit without a name",
            |ch| ch.starting[0].name = "  ".into(),
            ChangeError::EmptyName { code: c("07132") },
        ),
        (
            "a parent that is not in force",
            |ch| ch.starting[0].parent_code = Some(c("206")),
            ChangeError::BadParent { code: c("07132"), parent: Some(c("206")) },
        ),
        (
            "a commune without a parent",
            |ch| ch.starting[0].parent_code = None,
            ChangeError::BadParent { code: c("07132"), parent: None },
        ),
        (
            "a parent at the wrong level",
            |ch| ch.starting[0].parent_code = Some(c("07030")),
            ChangeError::BadParent { code: c("07132"), parent: Some(c("07030")) },
        ),
        (
            "a share above one",
            |ch| ch.successions[0].share = Some(1.5),
            ChangeError::BadShare { from: c("07168"), to: c("07132") },
        ),
    ];
    for (what, edit, expected) in cases {
        let mut change = merge_2026();
        edit(&mut change);
        let errors = validate_change(&change, &world()).unwrap_err();
        assert!(errors.contains(&expected), "{what}: {errors:?}");
    }
}

#[test]
fn a_unit_cannot_end_twice_nor_leave_its_children_without_parent() {
    let mut world = world();
    world[6].valid_to = Some(d("2027-01-01"));
    let change = MapChange {
        effective: d("2026-04-30"),
        legal_basis: None,
        ending: vec![c("07030"), c("22")],
        starting: vec![],
        successions: vec![],
    };
    let errors = validate_change(&change, &world).unwrap_err();
    assert!(errors.contains(&ChangeError::AlreadyEnds { code: c("07030"), valid_to: d("2027-01-01") }));
    assert!(errors.contains(&ChangeError::ChildLeftBehind { child: c("07168"), parent: c("22") }));
    assert!(errors.contains(&ChangeError::NoSuccessor { code: c("22") }));
    assert_eq!(validate_change(&MapChange { ending: vec![], ..change }, &world).unwrap_err(), vec![ChangeError::Empty]);
}

#[test]
fn overlapping_validity_is_found_per_code() {
    let mut units = world();
    assert!(check_no_overlap(&units).is_empty());
    units.push(unit("07168", UnitKind::Ward, "Hà An", Some("22"), Some("2025-06-01"), Some("2025-07-02")));
    units.push(unit("22", UnitKind::Province, "Quảng Ninh", None, Some("2030-01-01"), None));
    assert_eq!(
        check_no_overlap(&units),
        vec![ChangeError::Overlap { code: c("07168") }, ChangeError::Overlap { code: c("22") }]
    );
}

#[test]
fn a_succession_must_link_an_end_to_a_start_on_its_date() {
    let units = world();
    let succession = |from: &str, to: &str, effective: &str| Succession {
        from_code: c(from),
        to_code: c(to),
        effective: d(effective),
        kind: SuccessionKind::Merge,
        is_default: true,
        share: None,
        legal_basis: None,
    };
    let hoang_tan = &units[2];
    let ha_an_new = &units[4];
    let ha_an_old = &units[3];
    let cases = [
        (hoang_tan, ha_an_new, succession("07141", "07168", "2025-07-01"), true),
        // Wrong date.
        (hoang_tan, ha_an_new, succession("07141", "07168", "2025-06-30"), false),
        // The new unit is the old one: it does not start that day.
        (hoang_tan, ha_an_old, succession("07141", "07168", "2025-07-01"), false),
        // A unit that never ends.
        (&units[0], ha_an_new, succession("22", "07168", "2025-07-01"), false),
        // Codes that do not name these units.
        (hoang_tan, ha_an_new, succession("07141", "07132", "2025-07-01"), false),
    ];
    for (from, to, s, ok) in cases {
        assert_eq!(check_succession_link(from, to, &s).is_ok(), ok, "{s:?}");
    }
}
