//! The province's NQ 57 indicators in the demo (issue 19): the strategic goals of Nghị quyết 57-NQ/TW with
//! the operational indicators under them, each defined as data. Those the system can compute are computed
//! from the demo's own work: S&T spending, funds spent, S&T enterprises, staff and doctorates from the
//! approved yearly statistics reports; the enterprises certified by the department from the certificates
//! register; proposals received and tasks approved from the S&T module; assigned
//! tasks completed on time and reports sent on time from monitoring and reporting. Those that come from
//! outside (R&D spending as a share of GRDP, patent applications, online public services, the digital
//! economy) are typed each January, invented and marked as sample data. Targets to 2030 sit on the plan
//! implementing Nghị quyết 57-NQ/TW (`current`), each referring to its indicator.

use anyhow::Context;
use tiendo_app::indicators::catalogue::{self, FigureDraft, IndicatorDraft};
use tiendo_app::monitoring::plans::{self as planning, TargetDraft};
use tiendo_db::{Exec, Query};

use super::story::{Story, at, day};

/// An indicator of the demo: (code, name, English name, unit, layer, parent code, numerator, denominator,
/// factor, over units); an empty numerator makes a typed indicator.
struct Kpi {
    code: &'static str,
    name: &'static str,
    name_en: &'static str,
    unit: &'static str,
    strategic: bool,
    parent: Option<&'static str>,
    numerator: &'static str,
    denominator: &'static str,
    factor: f64,
    average: bool,
    level_commune: bool,
}

const fn kpi(code: &'static str, name: &'static str, name_en: &'static str, unit: &'static str) -> Kpi {
    Kpi {
        code,
        name,
        name_en,
        unit,
        strategic: true,
        parent: None,
        numerator: "",
        denominator: "",
        factor: 1.0,
        average: false,
        level_commune: false,
    }
}

const fn under(k: Kpi, parent: &'static str) -> Kpi {
    Kpi { strategic: false, parent: Some(parent), ..k }
}

const fn formula(k: Kpi, numerator: &'static str, denominator: &'static str, factor: f64) -> Kpi {
    Kpi { numerator, denominator, factor, level_commune: true, ..k }
}

const KPIS: &[Kpi] = &[
    kpi(
        "NQ57.RD_GRDP",
        "Tỷ lệ chi cho nghiên cứu và phát triển (R&D) so với GRDP",
        "R&D spending as a share of GRDP",
        "%",
    ),
    under(
        formula(
            kpi("NQ57.CHI_KHCN", "Chi cho khoa học và công nghệ", "S&T expenditure", "đồng"),
            "KHCN.CHI.THUC",
            "",
            1.0,
        ),
        "NQ57.RD_GRDP",
    ),
    under(
        formula(
            kpi("NQ57.GIAI_NGAN", "Tỷ lệ giải ngân kinh phí khoa học và công nghệ", "Share of S&T funds spent", "%"),
            "KHCN.CHI.THUC",
            "KHCN.CHI.CAP",
            100.0,
        ),
        "NQ57.RD_GRDP",
    ),
    formula(
        kpi("NQ57.DN_KHCN", "Số doanh nghiệp khoa học và công nghệ", "S&T enterprises", "doanh nghiệp"),
        "KHCN.DN.SO",
        "",
        1.0,
    ),
    under(
        Kpi {
            level_commune: false,
            ..formula(
                kpi(
                    "NQ57.DN_GCN",
                    "Doanh nghiệp KH&CN do Sở cấp giấy chứng nhận, còn hiệu lực cuối năm",
                    "S&T enterprises certified by the department, in force at year end",
                    "doanh nghiệp",
                ),
                "@certified_enterprises",
                "",
                1.0,
            )
        },
        "NQ57.DN_KHCN",
    ),
    kpi("NQ57.NV", "Nhiệm vụ khoa học và công nghệ", "S&T tasks", "nhiệm vụ"),
    under(
        Kpi {
            level_commune: false,
            ..formula(
                kpi(
                    "NQ57.DX",
                    "Đề xuất nhiệm vụ KH&CN cấp tỉnh nhận được",
                    "Provincial S&T task proposals received",
                    "đề xuất",
                ),
                "@st_proposals_submitted",
                "",
                1.0,
            )
        },
        "NQ57.NV",
    ),
    under(
        Kpi {
            level_commune: false,
            ..formula(
                kpi(
                    "NQ57.NV_PD",
                    "Nhiệm vụ KH&CN cấp tỉnh được phê duyệt",
                    "Provincial S&T tasks approved",
                    "nhiệm vụ",
                ),
                "@st_tasks_approved",
                "",
                1.0,
            )
        },
        "NQ57.NV",
    ),
    under(
        formula(
            kpi("NQ57.NV_NT", "Nhiệm vụ KH&CN được nghiệm thu", "S&T tasks accepted", "nhiệm vụ"),
            "KHCN.NV.NT",
            "",
            1.0,
        ),
        "NQ57.NV",
    ),
    kpi("NQ57.SANG_CHE", "Số đơn đăng ký sáng chế", "Patent applications", "đơn"),
    kpi("NQ57.NL", "Nhân lực khoa học và công nghệ", "S&T personnel", "người"),
    under(
        formula(
            kpi("NQ57.NL_TONG", "Nhân lực khoa học và công nghệ", "S&T personnel", "người"),
            "KHCN.NL.TONG",
            "",
            1.0,
        ),
        "NQ57.NL",
    ),
    under(
        Kpi {
            average: true,
            ..formula(
                kpi(
                    "NQ57.NL_TS",
                    "Tỷ lệ tiến sĩ trong nhân lực KH&CN (trung bình các xã, phường)",
                    "Share of doctorates among S&T personnel (mean of the communes)",
                    "%",
                ),
                "KHCN.NL.TS",
                "KHCN.NL.TONG",
                100.0,
            )
        },
        "NQ57.NL",
    ),
    kpi("NQ57.CDS", "Chuyển đổi số và cải cách hành chính", "Digital transformation and administrative reform", "%"),
    under(
        kpi("NQ57.DVC_TT", "Tỷ lệ dịch vụ công trực tuyến toàn trình", "Share of public services fully online", "%"),
        "NQ57.CDS",
    ),
    under(kpi("NQ57.KTS", "Tỷ trọng kinh tế số trong GRDP", "Digital economy as a share of GRDP", "%"), "NQ57.CDS"),
    under(
        Kpi {
            level_commune: false,
            ..formula(
                kpi(
                    "NQ57.BC_DUNG_HAN",
                    "Tỷ lệ báo cáo định kỳ gửi đúng hạn",
                    "Share of periodic reports sent on time",
                    "%",
                ),
                "@reports_on_time",
                "@reports_due",
                100.0,
            )
        },
        "NQ57.CDS",
    ),
    under(
        Kpi {
            level_commune: false,
            ..formula(
                kpi(
                    "NQ57.NV_DUNG_HAN",
                    "Tỷ lệ nhiệm vụ được giao hoàn thành đúng hạn",
                    "Share of assigned tasks completed on time",
                    "%",
                ),
                "@directives_on_time",
                "@directives_due",
                100.0,
            )
        },
        "NQ57.CDS",
    ),
];

/// The typed figures (invented): code → (first year, figures from it on).
const TYPED: &[(&str, i32, &[f64])] = &[
    ("NQ57.RD_GRDP", 2020, &[0.42, 0.45, 0.51, 0.56, 0.63, 0.72]),
    ("NQ57.SANG_CHE", 2020, &[9.0, 11.0, 14.0, 13.0, 18.0, 23.0]),
    ("NQ57.DVC_TT", 2020, &[31.0, 38.5, 47.0, 55.2, 61.5, 68.0]),
    ("NQ57.KTS", 2020, &[8.1, 9.0, 10.4, 11.9, 13.1, 14.6]),
];

/// The targets to 2030: code → (baseline year, baseline, target).
const TARGETS: &[(&str, i64, f64, f64)] = &[
    ("NQ57.RD_GRDP", 2024, 0.63, 2.0),
    ("NQ57.GIAI_NGAN", 2024, 85.0, 95.0),
    ("NQ57.DN_KHCN", 2024, 20.0, 60.0),
    ("NQ57.NV_PD", 2024, 2.0, 10.0),
    ("NQ57.SANG_CHE", 2024, 18.0, 60.0),
    ("NQ57.DVC_TT", 2024, 61.5, 100.0),
    ("NQ57.KTS", 2024, 13.1, 30.0),
    ("NQ57.BC_DUNG_HAN", 2024, 80.0, 100.0),
    ("NQ57.NV_DUNG_HAN", 2024, 75.0, 95.0),
];

/// Loads the catalogue, its typed figures and the targets (after the current work).
pub(super) async fn seed(s: &Story) -> anyhow::Result<()> {
    let officer = s.officer().await?;
    let created = s.at(at(day(2025, 1, 10)))?;
    let mut ids: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
    for (i, k) in KPIS.iter().enumerate() {
        let draft = IndicatorDraft {
            code: k.code.to_owned(),
            name: k.name.to_owned(),
            name_en: k.name_en.to_owned(),
            unit: k.unit.to_owned(),
            direction: "higher".into(),
            periodicity: "yearly".into(),
            level: if k.level_commune { "commune" } else { "province" }.into(),
            layer: if k.strategic { "strategic" } else { "operational" }.into(),
            parent_id: k.parent.and_then(|p| ids.get(p).copied()),
            kind: if k.numerator.is_empty() { "typed" } else { "formula" }.into(),
            numerator: k.numerator.to_owned(),
            denominator: k.denominator.to_owned(),
            factor: Some(k.factor),
            over_units: if k.average { "average" } else { "total" }.into(),
            first_year: Some(2017),
            last_year: Some(2030),
            note: Some("Bộ chỉ số thực hiện Nghị quyết 57-NQ/TW của tỉnh (dữ liệu mẫu).".to_owned()),
            sort_order: Some(i64::try_from(i).unwrap_or_default()),
            is_sample: true,
            unreadable: Vec::new(),
        };
        let id =
            catalogue::save(&created, &officer, None, &draft).await.with_context(|| format!("indicator {}", k.code))?;
        ids.insert(k.code, id);
    }
    // Each year's typed figure is recorded on 20 January of the next year, if that day has come.
    for (code, first, figures) in TYPED {
        for (year, value) in (*first..).zip(figures.iter()) {
            let recorded = day(year + 1, 1, 20);
            if recorded > s.today {
                continue;
            }
            let draft = FigureDraft {
                year: Some(i64::from(year)),
                unit_code: None,
                value: Some(*value),
                source: Some("Cục Thống kê tỉnh, Sở Thông tin và Truyền thông (dữ liệu mẫu)".to_owned()),
            };
            catalogue::record_figure(&s.at(at(recorded))?, &officer, ids[code], &draft)
                .await
                .with_context(|| format!("figure {code} {year}"))?;
        }
    }
    let title = super::current::plan_title(s.today);
    let plan: Option<(i64,)> =
        s.app.db().fetch_optional(Query::new("SELECT id FROM plans WHERE title = $1").bind(title.as_str())).await?;
    let Some((plan,)) = plan else { return Ok(()) };
    let planned = s.today;
    for (code, base_year, base, target) in TARGETS {
        let draft = TargetDraft {
            baseline_value: Some(*base),
            baseline_year: Some(*base_year),
            target_value: Some(*target),
            target_year: Some(2030),
            higher_is_better: true,
            indicator_id: Some(ids[code]),
            ..TargetDraft::default()
        };
        planning::add_target(&s.at(at(planned))?, &officer, plan, &draft)
            .await
            .with_context(|| format!("target {code}"))?;
    }
    Ok(())
}
