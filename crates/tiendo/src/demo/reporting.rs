//! The periodic reporting part of the reference story: a yearly S&T statistics report (a subset of the S&T
//! statistics forms: organisations, personnel, expenditure, tasks, enterprises) assigned to thị xã Quảng
//! Yên and thành phố Hạ Long, which filled it for 2017–2020, and to every commune-level unit of Quảng Ninh;
//! the new wards that took over their territory filled it for 2025 (all but phường Hà An, whose report is
//! left for the demo's ward officer to fill). Every report sent is approved, so the province's totals from
//! 2017 to 2025 can be compared on today's map, the old units' figures attributed to their successors.
//!
//! The template is written for the demo; every number is invented and stored as sample data.

use anyhow::{Context, anyhow};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use tiendo_core::reporting::{Period, ReportStatus, TemplateDef, Value};
use tiendo_db::audit::{self, Change, NewEvent, Who};
use tiendo_db::reporting::reports::{self, FieldValue, NewReport};
use tiendo_db::reporting::templates::{self, NewTarget};
use tiendo_db::reporting::{aggregates, attribution};
use tiendo_db::{Db, Exec, Query, Tx};

/// The template's definition, as an administrator would write it.
pub const TEMPLATE: &str = include_str!("reporting_template.toml");

/// The ward whose 2025 report is left to fill.
const LEFT_TO_FILL: &str = "UBND phường Hà An";

/// 9:00 in Vietnam on a day.
fn at(d: NaiveDate) -> DateTime<Utc> {
    let local = d.and_hms_opt(9, 0, 0).expect("a valid time");
    tiendo_core::time::vietnam_offset()
        .from_local_datetime(&local)
        .single()
        .map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc))
}

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
    fn fields(&self, def: &TemplateDef, notes: &str) -> Vec<FieldValue> {
        let n = |x: i64| Some(Value::Number(x as f64));
        def.fields()
            .map(|f| FieldValue {
                field_code: f.code.clone(),
                indicator_code: f.indicator.clone(),
                value: match f.code.as_str() {
                    "orgs" => n(self.orgs),
                    "staff" => n(self.staff),
                    "staff_phd" => n(self.phd),
                    "allocated" => n(self.allocated),
                    "spent" => n(self.spent),
                    "tasks" => n(self.tasks),
                    "tasks_accepted" => n(self.accepted),
                    "enterprises" => n(self.enterprises),
                    "notes" => Some(Value::Text(notes.to_owned())),
                    _ => None,
                },
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
    tx: &'a Tx,
    def: TemplateDef,
    template_id: i64,
    template_version: i64,
    leader: Option<i64>,
    today: NaiveDate,
}

impl Seeder<'_> {
    /// One report, filled, submitted on `sent` and approved four days later.
    async fn approved(&self, org: (i64, &str), year: i32, figures: Figures, sent: NaiveDate) -> anyhow::Result<i64> {
        let period = Period::Year(year);
        let unit = attribution::reported_unit(self.tx, org.0, period.end()).await?;
        let new = NewReport {
            template_id: self.template_id,
            template_code: self.def.code.clone(),
            template_version: self.template_version,
            org_id: org.0,
            period,
            due_on: self.def.due_on(period),
            unit: unit.map(|u| (u.code, u.name, u.province_code)),
            is_sample: true,
        };
        let opened = sent - Duration::days(12);
        let id = reports::create(self.tx, &new, None, at(opened))
            .await?
            .ok_or_else(|| anyhow!("the demo report of {} for {year} exists", org.1))?;
        let who = Who { user_id: None, label: format!("Cán bộ {}", org.1), ip: None, request_id: None };
        let report = reports::get(self.tx, id).await?.ok_or_else(|| anyhow!("report {id} vanished"))?;
        let notes = format!("Số liệu mẫu năm {year} của {}.", org.1);
        reports::save_values(self.tx, id, report.version, &figures.fields(&self.def, &notes), &who, at(opened))
            .await?
            .ok_or_else(|| anyhow!("report {id} changed meanwhile"))?;
        reports::transition(self.tx, id, &[ReportStatus::Draft], ReportStatus::Submitted, None, None, at(sent)).await?;
        let decided = sent + Duration::days(4);
        reports::transition(
            self.tx,
            id,
            &[ReportStatus::Submitted],
            ReportStatus::Approved,
            self.leader,
            None,
            at(decided),
        )
        .await?;
        aggregates::add_report(self.tx, id, self.today).await?;
        let name = format!("{} — {}", self.def.name, period.name(tiendo_core::lang::Lang::Vi));
        audit::append(
            self.tx,
            &Who::system(),
            &NewEvent::new("approve", "report", id, format!("Phê duyệt báo cáo {name} (dữ liệu mẫu)"))
                .with_changes(vec![Change::new("status", "submitted", "approved")]),
        )
        .await?;
        Ok(id)
    }
}

async fn org_named(db: &Db, name: &str) -> anyhow::Result<i64> {
    let found: Option<(i64,)> = db
        .fetch_optional(Query::new("SELECT id FROM organizations WHERE name = $1 ORDER BY id LIMIT 1").bind(name))
        .await?;
    found.map(|(id,)| id).ok_or_else(|| anyhow!("the demo directory has no organisation named {name}"))
}

/// Loads the template, its assignment and the approved reports (after the directory and the accounts).
pub async fn seed(db: &Db) -> anyhow::Result<()> {
    let def = TemplateDef::parse(TEMPLATE).map_err(|p| anyhow!("the demo report template: {p:?}"))?;
    let quang_yen = org_named(db, "UBND thị xã Quảng Yên").await?;
    let ha_long = org_named(db, "UBND thành phố Hạ Long").await?;
    let leader: Option<(i64,)> =
        db.fetch_optional(Query::new("SELECT id FROM users WHERE username = 'lanhdao'")).await?;
    let admin: Option<(i64,)> =
        db.fetch_optional(Query::new("SELECT id FROM users WHERE username = 'quantri'")).await?;
    let wards: Vec<(i64, String)> = db
        .fetch_all(Query::new(
            "SELECT id, name FROM organizations WHERE kind = 'commune_committee' AND valid_to IS NULL ORDER BY sort_key",
        ))
        .await?;

    let tx = db.begin().await?;
    let created = at(NaiveDate::from_ymd_opt(2017, 11, 20).expect("a valid date"));
    let who = Who { user_id: admin.map(|(id,)| id), label: "quantri".into(), ip: None, request_id: None };
    let template = templates::save_version(&tx, &def, TEMPLATE, None, true, &who, created)
        .await?
        .ok_or_else(|| anyhow!("the demo report template exists"))?;
    audit::append(&tx, &who, &NewEvent::new("create", "report_template", &def.code, format!("Biểu mẫu {}", def.name)))
        .await?;
    let by = admin.map(|(id,)| id);
    for target in [
        NewTarget::Organization(quang_yen),
        NewTarget::Organization(ha_long),
        NewTarget::Kind { kind: "commune_committee".into(), province_code: Some("22".into()) },
    ] {
        templates::add_target(&tx, &def.code, &target, by, created).await?;
    }
    let s = Seeder {
        tx: &tx,
        def,
        template_id: template.id,
        template_version: template.version,
        leader: leader.map(|(id,)| id),
        today: tiendo_core::time::vietnam_date(Utc::now()),
    };
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
    tx.commit().await?;
    Ok(())
}
