//! The organisations and people of the reference story (DESIGN.md §2), recorded through the use cases of
//! the directory pages (`tiendo_app::directory`), with their addresses resolved through the address
//! resolver: the provincial Party Committee and People's Committee, the Sở KH&CN and
//! its divisions, the institute of the Ministry, the two town and city People's Committees that ended on
//! 30/06/2025 with their successions to the People's Committees of the new wards and communes, and the two
//! enterprises. Invented details (tax codes, telephone numbers, people beyond those named in the story)
//! are marked as sample data.
//!
//! The administrator recorded the organisations and people of the time on the day of the installation
//! (spring 2017), and the new wards and communes with their successions on 01/07/2025, the first day of
//! the new map.
//!
//! The demo accounts look organisations up by their exact names; keep these names.

use std::collections::BTreeMap;

use anyhow::anyhow;
use chrono::NaiveDate;
use tiendo_app::directory::organizations::{self, OrganizationInput, UnitChoice};
use tiendo_app::directory::people::{self, PersonInput};
use tiendo_app::{App, Session};
use tiendo_core::directory::{AffiliationDraft, OrganizationDraft, PersonDraft};
use tiendo_core::geo::{AdminUnit, AdminUnitCode};
use tiendo_db::directory::SuccessionPlan;

/// The day the district level ended: the first day of the new map.
const REFORM: (i32, u32, u32) = (2025, 7, 1);

fn reform() -> NaiveDate {
    NaiveDate::from_ymd_opt(REFORM.0, REFORM.1, REFORM.2).expect("a valid date")
}

/// What the seeding needs at hand: the application stopped on the day of the step, and the
/// administrator's session.
struct Seeder {
    app: App,
    session: Session,
}

/// An organisation of the story.
struct Org<'a> {
    kind: &'a str,
    name: &'a str,
    abbreviation: &'a str,
    parent: Option<i64>,
    address: &'a str,
    tax_code: &'a str,
    phone: &'a str,
    valid_from: Option<NaiveDate>,
    /// The day its address was written for, when not today.
    as_of: Option<NaiveDate>,
    is_sample: bool,
}

impl<'a> Org<'a> {
    fn new(kind: &'a str, name: &'a str, parent: Option<i64>, address: &'a str) -> Org<'a> {
        Org {
            kind,
            name,
            abbreviation: "",
            parent,
            address,
            tax_code: "",
            phone: "",
            valid_from: None,
            as_of: None,
            is_sample: false,
        }
    }
}

impl Seeder {
    async fn org(&self, o: Org<'_>) -> anyhow::Result<i64> {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let draft = OrganizationDraft {
            kind: o.kind.to_owned(),
            name: o.name.to_owned(),
            abbreviation: o.abbreviation.to_owned(),
            parent_id: o.parent.map(|p| p.to_string()).unwrap_or_default(),
            address: o.address.to_owned(),
            tax_code: o.tax_code.to_owned(),
            phone: o.phone.to_owned(),
            email: String::new(),
            website: String::new(),
            valid_from: date(o.valid_from),
            valid_to: String::new(),
        };
        // The address must settle on one unit (the demo is meant to show a clean resolution): an ambiguous
        // one is refused by the use case.
        let input = OrganizationInput { draft, unit: UnitChoice::FromAddress, as_of: o.as_of, is_sample: o.is_sample };
        organizations::create(&self.app, &self.session, &input)
            .await
            .map_err(|e| anyhow!("demo organisation {}: {e:?}", o.name))
    }

    async fn person(&self, draft: PersonDraft, is_sample: bool, roles: &[(i64, &str)]) -> anyhow::Result<i64> {
        let name = draft.full_name.clone();
        let id = people::create(&self.app, &self.session, &PersonInput { draft, is_sample })
            .await
            .map_err(|e| anyhow!("demo person {name}: {e:?}"))?;
        for (org, role) in roles {
            let draft =
                AffiliationDraft { organization_id: org.to_string(), role: (*role).to_owned(), ..Default::default() };
            people::add_affiliation(&self.app, &self.session, id, &draft)
                .await
                .map_err(|e| anyhow!("demo role {role}: {e:?}"))?;
        }
        Ok(id)
    }

    /// The commune-level units of today that received a part of an old district.
    async fn successors_of_district(&self, code: &str) -> anyhow::Result<Vec<AdminUnit>> {
        let code = AdminUnitCode::parse(code)?;
        let last_day = reform().pred_opt().expect("a valid date");
        let district = tiendo_db::geo::unit_on(self.app.db(), &code, last_day)
            .await?
            .ok_or_else(|| anyhow!("the built-in data lacks district {code}"))?;
        Ok(tiendo_db::geo::current_units(self.app.db(), &district, self.app.today()).await?.all)
    }
}

fn person(full_name: &str, degree: &str, position: &str, expertise: &str, phone: &str) -> PersonDraft {
    PersonDraft {
        full_name: full_name.to_owned(),
        degree: degree.to_owned(),
        position: position.to_owned(),
        expertise: expertise.to_owned(),
        phone: phone.to_owned(),
        ..PersonDraft::default()
    }
}

/// The name of the People's Committee of a commune-level unit: "UBND phường Hà An".
pub fn committee_name(unit: &AdminUnit) -> String {
    format!("UBND {} {}", unit.kind.prefix().to_lowercase(), unit.name)
}

/// Loads the organisations and people of the story, by the administrator: those of the time on
/// `installed`, the units of the new map on the day of the reform.
pub(super) async fn seed(app: &App, installed: NaiveDate) -> anyhow::Result<()> {
    let admin = super::story::account(app.db(), "quantri").await?;
    let reform = reform();
    let s = Seeder { app: app.at(super::story::at(installed)), session: admin.clone() };
    let new_map = Seeder { app: app.at(super::story::at(reform)), session: admin };

    s.org(Org::new("provincial_party_committee", "Tỉnh ủy Quảng Ninh", None, "tỉnh Quảng Ninh")).await?;
    let province = s
        .org(Org {
            abbreviation: "UBND",
            ..Org::new("provincial_committee", "UBND tỉnh Quảng Ninh", None, "tỉnh Quảng Ninh")
        })
        .await?;
    let so = s
        .org(Org {
            abbreviation: "SKHCN",
            ..Org::new("department", "Sở Khoa học và Công nghệ tỉnh Quảng Ninh", Some(province), "tỉnh Quảng Ninh")
        })
        .await?;
    let science =
        s.org(Org { is_sample: true, ..Org::new("division", "Phòng Quản lý khoa học", Some(so), "") }).await?;
    let finance =
        s.org(Org { is_sample: true, ..Org::new("division", "Phòng Kế hoạch - Tài chính", Some(so), "") }).await?;
    let office = s.org(Org { is_sample: true, ..Org::new("division", "Văn phòng Sở", Some(so), "") }).await?;
    let ministry = s
        .org(Org {
            abbreviation: "BKHCN",
            ..Org::new("ministry", "Bộ Khoa học và Công nghệ", None, "Thành phố Hà Nội")
        })
        .await?;
    let institute = s
        .org(Org::new("research_institute", "Viện Nghiên cứu và Phát triển Vùng", Some(ministry), "Thành phố Hà Nội"))
        .await?;

    // The district-level People's Committees, which ended with the district level (their succession below
    // records the end), and the People's Committees of the units that took over their territory.
    let ended = reform.pred_opt();
    let quang_yen = s
        .org(Org {
            as_of: ended,
            ..Org::new(
                "district_committee",
                "UBND thị xã Quảng Yên",
                Some(province),
                "thị xã Quảng Yên, tỉnh Quảng Ninh",
            )
        })
        .await?;
    let ha_long = s
        .org(Org {
            as_of: ended,
            ..Org::new(
                "district_committee",
                "UBND thành phố Hạ Long",
                Some(province),
                "thành phố Hạ Long, tỉnh Quảng Ninh",
            )
        })
        .await?;
    let minh_han = s
        .org(Org {
            tax_code: "5799990005",
            phone: "0203 3686 001",
            is_sample: true,
            ..Org::new(
                "enterprise",
                "Công ty TNHH thủy sản Minh Hàn",
                None,
                "Thôn 3, xã Hoàng Tân, thị xã Quảng Yên, tỉnh Quảng Ninh",
            )
        })
        .await?;
    let agritech = s
        .org(Org {
            tax_code: "5799990012",
            phone: "0203 3686 002",
            is_sample: true,
            ..Org::new(
                "enterprise",
                "Công ty CP phát triển Agritech",
                None,
                "Khu 5, phường Hoành Bồ, thành phố Hạ Long, tỉnh Quảng Ninh",
            )
        })
        .await?;

    // An enterprise certified in 2021 whose certificate was revoked (issue 18's demo).
    s.org(Org {
        tax_code: "5799990037",
        phone: "0203 3686 003",
        is_sample: true,
        ..Org::new(
            "enterprise",
            "Công ty TNHH công nghệ sinh học Hoàng Tân",
            None,
            "Thôn 5, xã Hoàng Tân, thị xã Quảng Yên, tỉnh Quảng Ninh",
        )
    })
    .await?;

    // The people named in the story, then invented ones (sample data) for the demo accounts.
    s.person(person("Hoàng Bá Nam", "", "Giám đốc Sở Khoa học và Công nghệ", "", ""), false, &[(so, "Giám đốc")])
        .await?;
    s.person(
        person(
            "Nguyễn Đắc Bình Minh",
            "doctor",
            "Viện trưởng",
            "Phát triển vùng\nQuy hoạch và phát triển địa phương",
            "",
        ),
        false,
        &[(institute, "Viện trưởng")],
    )
    .await?;
    let sample = [
        (
            person("Phạm Thu Trang", "master", "Chuyên viên", "Quản lý nhiệm vụ khoa học và công nghệ", "0912 000 101"),
            science,
            "Chuyên viên",
        ),
        (
            person("Ngô Đức Thắng", "master", "Trưởng phòng", "Quản lý khoa học", "0912 000 102"),
            science,
            "Trưởng phòng",
        ),
        (person("Bùi Thị Lan", "bachelor", "Trưởng phòng", "Tài chính công", "0912 000 103"), finance, "Trưởng phòng"),
        (person("Đỗ Thu Hà", "bachelor", "Biên tập viên", "Truyền thông", "0912 000 104"), office, "Biên tập viên"),
        (person("Vũ Quang Huy", "bachelor", "Chuyên viên", "Truyền thông", "0912 000 105"), office, "Chuyên viên"),
        (
            person(
                "Lê Minh Tuấn",
                "doctor",
                "Nghiên cứu viên chính",
                "Kinh tế biển\nNuôi trồng thủy sản",
                "0912 000 106",
            ),
            institute,
            "Nghiên cứu viên chính",
        ),
        (person("Nguyễn Thị Hằng", "", "Giám đốc", "", "0912 000 107"), minh_han, "Giám đốc"),
        (
            person("Đặng Văn Phúc", "engineer", "Tổng giám đốc", "Công nghệ nông nghiệp", "0912 000 108"),
            agritech,
            "Tổng giám đốc",
        ),
    ];
    for (draft, org, role) in sample {
        s.person(draft, true, &[(org, role)]).await?;
    }
    // The new map: the People's Committees of the units that took over the two towns' territory, and
    // the towns' succession.
    let mut committees: BTreeMap<String, i64> = BTreeMap::new();
    let mut successors: Vec<(i64, Vec<i64>, &str)> = Vec::new();
    for (old, district, default_name) in
        [(quang_yen, "206", "UBND phường Quảng Yên"), (ha_long, "193", "UBND phường Hạ Long")]
    {
        let mut ids = Vec::new();
        for unit in new_map.successors_of_district(district).await? {
            let name = committee_name(&unit);
            let id = match committees.get(&name) {
                Some(id) => *id,
                None => {
                    let address = format!("{} {}, tỉnh Quảng Ninh", unit.kind.prefix().to_lowercase(), unit.name);
                    let id = new_map
                        .org(Org {
                            valid_from: Some(reform),
                            ..Org::new("commune_committee", &name, Some(province), &address)
                        })
                        .await?;
                    committees.insert(name, id);
                    id
                }
            };
            ids.push(id);
        }
        successors.push((old, ids, default_name));
    }
    for (old, ids, default_name) in successors {
        let default = *committees.get(default_name).ok_or_else(|| anyhow!("no {default_name} among the successors"))?;
        let plan = SuccessionPlan {
            effective: reform,
            successors: ids,
            default_successor: default,
            move_children: true,
            move_affiliations: true,
        };
        organizations::succeed(&new_map.app, &new_map.session, old, &plan)
            .await
            .map_err(|e| anyhow!("demo succession: {e:?}"))?;
    }

    let ha_an = *committees.get("UBND phường Hà An").ok_or_else(|| anyhow!("no UBND phường Hà An"))?;
    new_map
        .person(
            person("Trần Văn Hải", "", "Công chức", "", "0912 000 109"),
            true,
            &[(ha_an, "Công chức văn hóa - xã hội")],
        )
        .await?;
    Ok(())
}
