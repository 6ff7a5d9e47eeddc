//! The periodic reporting part of the reference story: a yearly S&T statistics report (a subset of the S&T
//! statistics forms: organisations, personnel, expenditure, tasks, enterprises) assigned to thị xã Quảng
//! Yên and thành phố Hạ Long, which filled it for 2017–2020, and to every commune-level unit of Quảng Ninh;
//! the new wards that took over their territory filled it for 2025 (all but phường Hà An, whose report is
//! left for the demo's ward officer to fill). Every report sent is approved, so the province's totals from
//! 2017 to 2025 can be compared on today's map, the old units' figures attributed to their successors.
//!
//! The template is written for the demo; every number is invented and stored as sample data.

use std::collections::HashMap;

use anyhow::{Context, anyhow};
use chrono::{Duration, NaiveDate};
use tiendo_app::reporting::decisions::{self, Decision};
use tiendo_app::reporting::forms::{self, FormDefinition, FormSaved, TargetRequest};
use tiendo_app::reporting::reports::{self, Input, OpenReport, SaveValues};
use tiendo_app::{App, Session};
use tiendo_core::authz::Actor;
use tiendo_core::lang::Lang;
use tiendo_core::reporting::{Period, TemplateDef};
use tiendo_db::{Db, Exec, Query};

use super::story::{account, at, unit_officer};

/// The template's definition, as an administrator would write it.
pub const TEMPLATE: &str = include_str!("reporting_template.toml");

/// The ward whose 2025 report is left to fill.
const LEFT_TO_FILL: &str = "UBND phường Hà An";

/// The numbers of one report: organisations, personnel, doctors, allocated and spent (đồng), tasks under way
/// and accepted, S&T enterprises.
#[derive(Debug, Clone, Copy)]
struct Figures {
    orgs: i64,
    staff: i64,
    phd: i64,
    allocated: i64,
    spent: i64,
    tasks: i64,
    accepted: i64,
    enterprises: i64,
}

impl Figures {
    /// The values as the unit types them on the form.
    fn values(&self, def: &TemplateDef, notes: &str) -> HashMap<String, Input> {
        let n = |x: i64| Input::Number(x as f64);
        def.fields()
            .map(|f| {
                let value = match f.code.as_str() {
                    "orgs" => n(self.orgs),
                    "staff" => n(self.staff),
                    "staff_phd" => n(self.phd),
                    "allocated" => n(self.allocated),
                    "spent" => n(self.spent),
                    "tasks" => n(self.tasks),
                    "tasks_accepted" => n(self.accepted),
                    "enterprises" => n(self.enterprises),
                    "notes" => Input::Typed(notes.to_owned()),
                    _ => Input::Empty,
                };
                (f.code.clone(), value)
            })
            .collect()
    }
}

/// Thị xã Quảng Yên in year `i` after 2017 (invented).
fn quang_yen_figures(i: i64) -> Figures {
    let allocated = 4_500_000_000 + 350_000_000 * i;
    Figures {
        orgs: 3 + i / 2,
        staff: 185 + 14 * i,
        phd: 6 + i,
        allocated,
        spent: allocated / 100 * (86 + 3 * i),
        tasks: 6 + i,
        accepted: 2 + i,
        enterprises: i / 2,
    }
}

/// Thành phố Hạ Long in year `i` after 2017 (invented).
fn ha_long_figures(i: i64) -> Figures {
    let allocated = 18_000_000_000 + 1_600_000_000 * i;
    Figures {
        orgs: 14 + i,
        staff: 1_160 + 65 * i,
        phd: 48 + 5 * i,
        allocated,
        spent: allocated / 100 * (88 + 2 * i),
        tasks: 19 + 2 * i,
        accepted: 7 + i,
        enterprises: 3 + i,
    }
}

/// The `k`-th new ward in 2025 (invented, about a tenth of a district each).
fn ward(k: i64) -> Figures {
    let allocated = 1_900_000_000 + 170_000_000 * (k % 7);
    Figures {
        orgs: 1 + k % 3,
        staff: 95 + 13 * (k % 9),
        phd: 2 + k % 4,
        allocated,
        spent: allocated / 100 * (84 + k % 12),
        tasks: 2 + k % 4,
        accepted: 1 + k % 2,
        enterprises: k % 3 / 2,
    }
}

struct Seeder<'a> {
    app: &'a App,
    def: TemplateDef,
    leader: &'a Session,
}

impl Seeder<'_> {
    /// One report, opened twelve days before `sent`, filled, submitted on `sent` and approved four days
    /// later by the leader: each step through the use case of the pages, on its day.
    async fn approved(&self, org: (i64, &str), year: i32, figures: Figures, sent: NaiveDate) -> anyhow::Result<i64> {
        let period = Period::Year(year);
        let unit = unit_officer(org.0, org.1);
        let opened = sent - Duration::days(12);
        let open = OpenReport { form: self.def.code.clone(), organization: org.0, period: period.code(), sample: true };
        let report = reports::open(&self.app.at(at(opened)), &unit, &open).await?.report;
        let values = figures.values(&self.def, &format!("Số liệu mẫu năm {year} của {}.", org.1));
        let mut save = SaveValues { version: report.version, values, submit: false, files: Vec::new(), lang: Lang::Vi };
        let saved = reports::save(&self.app.at(at(opened)), &unit, report.id, save.clone()).await?;
        save.version = saved.report.version;
        save.submit = true;
        reports::save(&self.app.at(at(sent)), &unit, report.id, save).await?;
        let decided = sent + Duration::days(4);
        decisions::decide(&self.app.at(at(decided)), self.leader, report.id, Decision::Approve).await?;
        Ok(report.id)
    }
}

async fn org_named(db: &Db, name: &str) -> anyhow::Result<i64> {
    let found: Option<(i64,)> = db
        .fetch_optional(Query::new("SELECT id FROM organizations WHERE name = $1 ORDER BY id LIMIT 1").bind(name))
        .await?;
    found.map(|(id,)| id).ok_or_else(|| anyhow!("the demo directory has no organisation named {name}"))
}

/// Loads the form, its assignment and the approved reports (after the directory and the accounts), each
/// through the use cases of the pages on the day it happened; then the aggregates are recomputed on
/// today's map, as after the 2025 reform.
pub async fn seed(app: &App) -> anyhow::Result<()> {
    let db = app.db();
    let def = TemplateDef::parse(TEMPLATE).map_err(|p| anyhow!("the demo report template: {p:?}"))?;
    let quang_yen = org_named(db, "UBND thị xã Quảng Yên").await?;
    let ha_long = org_named(db, "UBND thành phố Hạ Long").await?;
    let admin = account(db, "quantri").await?;
    let leader = account(db, "lanhdao").await?;
    let wards: Vec<(i64, String)> = db
        .fetch_all(Query::new(
            "SELECT id, name FROM organizations WHERE kind = 'commune_committee' AND valid_to IS NULL ORDER BY sort_key",
        ))
        .await?;

    let created = app.at(at(NaiveDate::from_ymd_opt(2017, 11, 20).expect("a valid date")));
    let draft = FormDefinition { text: TEMPLATE.to_owned(), based_on: None, editing: None, sample: true };
    let FormSaved::Saved(_) = forms::save(&created, &admin, &draft).await.context("the demo report form")? else {
        return Err(anyhow!("the demo report form exists"));
    };
    for target in [
        TargetRequest { org_id: quang_yen.to_string(), ..TargetRequest::default() },
        TargetRequest { org_id: ha_long.to_string(), ..TargetRequest::default() },
        TargetRequest { org_kind: "commune_committee".into(), province_code: "22".into(), ..TargetRequest::default() },
    ] {
        forms::add_target(&created, &admin, &def.code, &target).await.context("assign the demo report form")?;
    }
    let s = Seeder { app, def, leader: &leader };
    for year in 2017..=2020 {
        let i = i64::from(year - 2017);
        let jan = |d: u32| NaiveDate::from_ymd_opt(year + 1, 1, d).expect("a valid date");
        s.approved((quang_yen, "UBND thị xã Quảng Yên"), year, quang_yen_figures(i), jan(20 + (year as u32 % 3)))
            .await
            .with_context(|| format!("Quảng Yên {year}"))?;
        // Hạ Long sent its 2018 report late (due 31/01/2019).
        let sent = if year == 2018 { NaiveDate::from_ymd_opt(2019, 2, 6).expect("a valid date") } else { jan(25) };
        s.approved((ha_long, "UBND thành phố Hạ Long"), year, ha_long_figures(i), sent)
            .await
            .with_context(|| format!("Hạ Long {year}"))?;
    }
    for (k, (id, name)) in wards.iter().filter(|(_, n)| n != LEFT_TO_FILL).enumerate() {
        let sent = NaiveDate::from_ymd_opt(2026, 1, 12 + (k as u32 % 15)).expect("a valid date");
        s.approved((*id, name), 2025, ward(k as i64), sent).await.with_context(|| format!("{name} 2025"))?;
    }
    // The old units' figures were approved on the map of their time; after the reform they count for
    // their successors, as the job queued by a map change recomputes them.
    tiendo_app::reporting::aggregates::rebuild(app, &Session::system(Actor::default()), app.today())
        .await
        .context("the demo's aggregates on today's map")?;
    Ok(())
}
