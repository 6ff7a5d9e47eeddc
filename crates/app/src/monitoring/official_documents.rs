//! The official documents of monitoring (văn bản do hệ thống soạn, as DOCX or PDF) and its exports: the
//! report "Báo cáo kết quả thực hiện …" of a plan in the official format, and the assignments list as a
//! spreadsheet. Producing one is recorded in the audit trail.

use tiendo_core::lang::Lang;
use tiendo_core::monitoring::{StatusKind, derive_status};
use tiendo_db::monitoring::assignments::{self, AssignmentFilter, PageRequest};
use tiendo_db::monitoring::{plans, updates};
use tiendo_export::chart::{Chart, ChartKind, Series};
use tiendo_export::model::{Authority, Block, Cell, Document, Figure, PageSetup, Signature, Table};
use tiendo_export::official::{DocumentNumber, DocumentSystem};
use tiendo_export::xlsx::{Column, ColumnKind, Notes, TabularReport, Value};

use super::assignments::{ListFilter, deadline_words};
use super::dashboards::{assignment_progress, summarize};
use super::visibility;
use crate::audit::{self, Entry};
use crate::{App, Error, Result, Session, Tr};

/// The format of an official document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Word (Office Open XML).
    Docx,
    /// PDF with the serif family embedded.
    Pdf,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }
}

/// A status colour as a chart colour.
pub fn chart_color(hex: &str) -> tiendo_export::chart::Color {
    let (r, g, b) = tiendo_core::monitoring::colors::rgb(hex);
    tiendo_export::chart::Color(r, g, b)
}

/// Records an export in the audit trail: what, and how many rows.
async fn record_export(app: &App, session: &Session, what: &str, rows: usize) -> Result<()> {
    let tx = app.begin().await?;
    let entry = Entry::general("export", "export", "audit-monitoring-exported").arg("what", what).arg("rows", rows);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The authority block from the organisation's name: "Sở Khoa học và Công nghệ tỉnh Quảng Ninh" becomes
/// "UBND TỈNH QUẢNG NINH" over "SỞ KHOA HỌC VÀ CÔNG NGHỆ", and the place "Quảng Ninh".
pub fn authority_of(org: &str) -> (Authority, String) {
    match org.rsplit_once(" tỉnh ") {
        Some((name, province)) => (
            Authority { parent: Some(format!("UBND TỈNH {}", province.to_uppercase())), name: name.to_uppercase() },
            province.to_owned(),
        ),
        None => (Authority { parent: None, name: org.to_uppercase() }, String::new()),
    }
}

/// The office of the head of the organisation operating the instance, who signs its reports.
pub(crate) const HEAD_POSITION: &str = "Giám đốc";

/// A number of days as a report prints it: `2.166`.
fn days(n: i64) -> String {
    tiendo_core::fmt::integer(n, Lang::Vi)
}

/// The trích yếu of a plan's report: "Kết quả thực hiện" and the plan's title, without a second
/// "thực hiện" when the title begins with it, and naming the plan's document ("theo Kế hoạch số
/// 128/KH-UBND") only when the title does not already.
pub fn report_summary(title: &str, symbol: Option<&str>) -> String {
    const DOING: &str = "thực hiện ";
    let title = title.trim();
    let rest = match title.get(..DOING.len()) {
        Some(head) if head.to_lowercase() == DOING => &title[DOING.len()..],
        _ => title,
    };
    let mut summary = format!("Kết quả thực hiện {rest}");
    if let Some(symbol) = symbol.map(str::trim).filter(|s| !s.is_empty() && !title.contains(s)) {
        let kind = tiendo_core::monitoring::DocumentSymbol::parse(symbol)
            .ok()
            .and_then(|s| s.doc_type)
            .map_or("văn bản", |t| t.name_vi());
        summary.push_str(&format!(" theo {kind} số {symbol}"));
    }
    summary
}

/// The sentence that closes a report, before the signature: "Trên đây là báo cáo kết quả thực hiện …
/// của Sở Khoa học và Công nghệ tỉnh Quảng Ninh./." (NĐ 30 ends the content with "./.").
pub fn closing_sentence(summary: &str, organization: &str) -> String {
    let mut chars = summary.chars();
    let summary: String = chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default();
    format!("Trên đây là báo cáo {summary} của {organization}./.")
}

/// Who signs the reports of the organisation operating the instance on `day`: the name of whoever is
/// its Giám đốc that day in the directory; empty when nobody is (the document then prints that the
/// name is missing rather than a signature without one).
pub(crate) async fn head_of_operator(app: &App, day: chrono::NaiveDate) -> Result<String> {
    let db = app.db();
    let Some(org) = tiendo_db::directory::organization_by_name(db, &app.settings().organization_vi).await? else {
        return Ok(String::new());
    };
    let people = tiendo_db::directory::affiliations_of_organization(db, org.id, Some(day)).await?;
    Ok(people
        .into_iter()
        .find(|a| a.role.trim().to_lowercase() == HEAD_POSITION.to_lowercase())
        .map(|a| a.person_name)
        .unwrap_or_default())
}

/// Builds the report of a plan: the status of its assignments, its targets, the tasks, what is overdue,
/// and the difficulties and recommendations reported.
pub async fn plan_report(app: &App, session: &Session, plan_id: i64) -> Result<Document> {
    let plan = super::readable_plan(app, session, plan_id).await?;
    let vis = visibility(app, session).await?;
    let subtree = plans::subtree_ids(app.db(), plan_id).await?;
    let rows =
        assignments::list(app.db(), &AssignmentFilter { plans: Some(subtree), ..Default::default() }, &vis).await?;
    let now = app.today();
    let summary = summarize(&rows, now);
    let vi = Tr::new(Lang::Vi);
    let label = |k: StatusKind| vi.t(&format!("status-{}", k.code()));
    let mut body = vec![Block::heading(1, "TÌNH HÌNH CHUNG")];
    body.push(Block::paragraph(format!(
        "Tính đến ngày {}, có {} lượt nhiệm vụ được giao cho các cơ quan, đơn vị; tiến độ chung đạt {}%.",
        tiendo_core::fmt::date(now),
        summary.total,
        tiendo_core::fmt::decimal(summary.progress, 1, tiendo_core::lang::Lang::Vi)
    )));
    let kinds = [
        StatusKind::CompletedOnTime,
        StatusKind::CompletedLate,
        StatusKind::InProgress,
        StatusKind::NotStarted,
        StatusKind::Overdue,
    ];
    let mut table = Table {
        columns: vec![3.0, 1.2, 1.2],
        header: vec![vec![Cell::header("Tình trạng"), Cell::header("Số lượng"), Cell::header("Tỷ lệ (%)")]],
        rows: Vec::new(),
        caption: Some("Bảng 1. Tình hình thực hiện các nhiệm vụ được giao".into()),
    };
    for k in kinds {
        let n = summary.count(k);
        let share = if summary.total > 0 { n as f64 * 100.0 / summary.total as f64 } else { 0.0 };
        table.rows.push(vec![
            Cell::text(label(k)),
            Cell::number(n.to_string()),
            Cell::number(tiendo_core::fmt::decimal(share, 1, tiendo_core::lang::Lang::Vi)),
        ]);
    }
    table.rows.push(vec![
        Cell::text("Tổng cộng").bolded(),
        Cell::number(summary.total.to_string()).bolded(),
        Cell::number("100").bolded(),
    ]);
    body.push(Block::Table(table));
    if summary.total > 0 {
        let colors = super::status_colors::colors(app).await?;
        let mut chart = Chart::new(
            ChartKind::Donut,
            "Tình hình thực hiện nhiệm vụ",
            kinds.iter().map(|k| label(*k)).collect(),
            vec![Series {
                name: "Số nhiệm vụ".into(),
                values: kinds.iter().map(|k| summary.count(*k) as f64).collect(),
            }],
        );
        chart.colors = kinds
            .iter()
            .map(|k| {
                colors
                    .iter()
                    .find(|(c, _)| c == k)
                    .map_or(tiendo_export::chart::Color(0, 0, 0), |(_, h)| chart_color(h))
            })
            .collect();
        body.push(Block::Chart(Figure {
            content: chart,
            width_mm: 140.0,
            caption: Some("Hình 1. Tình hình thực hiện nhiệm vụ".into()),
        }));
    }
    let targets = super::dashboards::targets(app, plan_id).await?;
    if !targets.is_empty() {
        body.push(Block::heading(1, "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU"));
        let mut t = Table {
            columns: vec![3.0, 1.0, 1.4, 1.4, 1.2],
            header: vec![vec![
                Cell::header("Chỉ tiêu"),
                Cell::header("Đơn vị tính"),
                Cell::header("Mục tiêu"),
                Cell::header("Kết quả"),
                Cell::header("Đánh giá"),
            ]],
            rows: Vec::new(),
            caption: Some("Bảng 2. Kết quả thực hiện các chỉ tiêu".into()),
        };
        for standing in &targets {
            let target = &standing.target;
            let latest = standing.values.last();
            let met = standing.figures.met;
            t.rows.push(vec![
                Cell::text(target.name.clone()),
                Cell::text(target.unit.clone()).centered(),
                Cell::number(format!(
                    "{} ({})",
                    tiendo_core::fmt::decimal(target.target_value, 2, tiendo_core::lang::Lang::Vi),
                    target.target_year
                )),
                Cell::number(
                    latest
                        .map(|(y, v, _)| {
                            format!("{} ({y})", tiendo_core::fmt::decimal(*v, 2, tiendo_core::lang::Lang::Vi))
                        })
                        .unwrap_or_else(|| "—".into()),
                ),
                Cell::text(match met {
                    Some(true) => "Đạt",
                    Some(false) => "Chưa đạt",
                    None => "Chưa có số liệu",
                })
                .centered(),
            ]);
        }
        body.push(Block::Table(t));
    }
    body.push(Block::heading(1, "TÌNH HÌNH THỰC HIỆN CÁC NHIỆM VỤ"));
    let mut tasks = Table {
        columns: vec![0.6, 3.2, 2.0, 1.4, 1.5, 0.9],
        header: vec![vec![
            Cell::header("TT"),
            Cell::header("Nhiệm vụ"),
            Cell::header("Đơn vị chủ trì"),
            Cell::header("Thời hạn"),
            Cell::header("Tình trạng"),
            Cell::header("Tiến độ (%)"),
        ]],
        rows: Vec::new(),
        caption: Some("Bảng 3. Các nhiệm vụ được giao".into()),
    };
    for (i, r) in rows.iter().enumerate() {
        let s = derive_status(&r.facts(), now);
        if s.kind == StatusKind::Cancelled {
            continue;
        }
        let mut state = label(s.kind);
        if let (StatusKind::Overdue | StatusKind::CompletedLate, Some(d)) = (s.kind, s.days_late) {
            state.push_str(&format!(" ({} ngày)", days(d)));
        }
        tasks.rows.push(vec![
            Cell::number((i + 1).to_string()).centered(),
            Cell::text(format!("{}. {}", r.task_code, r.task_title)),
            Cell::text(r.lead_name.clone()),
            Cell::text(s.due_on.map(tiendo_core::fmt::date).unwrap_or_default()).centered(),
            Cell::text(state),
            Cell::number((assignment_progress(r, &s) as i64).to_string()),
        ]);
    }
    body.push(Block::Table(tasks));
    let overdue: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            let s = derive_status(&r.facts(), now);
            (s.kind == StatusKind::Overdue).then(|| {
                format!("{}: {} (quá hạn {} ngày);", r.lead_name, r.task_title, days(s.days_late.unwrap_or(0)))
            })
        })
        .collect();
    if !overdue.is_empty() {
        body.push(Block::heading(1, "CÁC NHIỆM VỤ QUÁ HẠN"));
        body.push(Block::dash_list(overdue));
    }
    let mut difficulties = Vec::new();
    let mut recommendations = Vec::new();
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let accepted = updates::latest_accepted(app.db(), &ids).await?;
    for r in &rows {
        if let Some(u) = accepted.get(&r.id).cloned() {
            if let Some(d) = u.difficulties {
                difficulties.push(format!("{}: {d}", r.lead_name));
            }
            if let Some(k) = u.recommendations {
                recommendations.push(format!("{}: {k}", r.lead_name));
            }
        }
    }
    body.push(Block::heading(1, "KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ"));
    if difficulties.is_empty() && recommendations.is_empty() {
        body.push(Block::paragraph("Các đơn vị không báo cáo khó khăn, vướng mắc hay kiến nghị."));
    } else {
        if !difficulties.is_empty() {
            body.push(Block::paragraph("Khó khăn, vướng mắc:"));
            body.push(Block::dash_list(difficulties));
        }
        if !recommendations.is_empty() {
            body.push(Block::paragraph("Kiến nghị:"));
            body.push(Block::dash_list(recommendations));
        }
    }
    let organization = &app.settings().organization_vi;
    let (authority, place) = authority_of(organization);
    let summary = report_summary(&plan.title, plan.document_symbol.as_deref());
    body.push(Block::paragraph(closing_sentence(&summary, organization)));
    let mut recipients = Vec::new();
    if !place.is_empty() {
        recipients.push(format!("UBND tỉnh {place} (để báo cáo);"));
    }
    recipients.push("Lưu: VT.".to_owned());
    let signer = head_of_operator(app, now).await?;
    Ok(Document {
        system: DocumentSystem::State,
        authority,
        number: DocumentNumber::new(0, "BC", "SKHCN"),
        place,
        date: now,
        kind_title: "BÁO CÁO".into(),
        summary,
        body,
        signature: Signature { mode: None, on_behalf_of: None, position: HEAD_POSITION.to_uppercase(), signer },
        secretary: None,
        recipients,
        annex: Vec::new(),
        page: PageSetup::default(),
    })
}

/// The report of a plan as a file, written on the blocking pool (PDF fonts are read once per process);
/// the export is recorded.
pub async fn export_plan_report(app: &App, session: &Session, plan_id: i64, format: Format) -> Result<Vec<u8>> {
    let doc = plan_report(app, session, plan_id).await?;
    let fonts = match format {
        Format::Docx => None,
        Format::Pdf => Some(app.clone()),
    };
    let bytes = tokio::task::spawn_blocking(move || match fonts {
        None => tiendo_export::docx(&doc),
        Some(app) => tiendo_export::pdf(&doc, &app.pdf_fonts()?),
    })
    .await
    .map_err(Error::internal)??;
    record_export(app, session, &format!("plan:{plan_id}:report.{}", format.extension()), 1).await?;
    Ok(bytes)
}

/// The assignments list as a spreadsheet, with the filters on screen (named on a notes sheet) and the
/// labels in `tr`'s language; the export is recorded.
pub async fn assignments_workbook(app: &App, session: &Session, tr: &Tr, filter: &ListFilter) -> Result<Vec<u8>> {
    let (rows, _) = super::assignments::list(app, session, filter, PageRequest::ALL).await?;
    let now = app.today();
    let t = |k: &str| tr.t(k);
    let status_label = |k: StatusKind| tr.t(&format!("status-{}", k.code()));
    let mut filters = Vec::new();
    if !filter.status.is_empty() {
        let label =
            StatusKind::from_code(&filter.status).map_or_else(|| t(&format!("status-{}", filter.status)), status_label);
        filters.push((t("export-filter-status"), label));
    }
    if let Some(p) = filter.plan
        && let Some(plan) = plans::get(app.db(), p).await?
    {
        filters.push((t("export-filter-plan"), plan.title));
    }
    for (key, value) in [("export-filter-lead", filter.lead), ("export-filter-org", filter.org)] {
        if let Some(id) = value
            && let Some(name) = tiendo_db::orgtree::name(app.db(), id).await?
        {
            filters.push((t(key), name));
        }
    }
    if !filter.q.is_empty() {
        filters.push((t("export-filter-q"), filter.q.clone()));
    }
    filters.push((t("export-as-of"), tiendo_core::fmt::date(now)));
    let report = TabularReport {
        sheet_name: t("export-assignments-sheet"),
        title_lines: vec![t("export-assignments-title").to_uppercase(), app.settings().organization_vi.clone()],
        columns: vec![
            Column::new(t("export-col-no"), ColumnKind::Integer, 6.0),
            Column::new(t("export-col-task"), ColumnKind::Text, 48.0),
            Column::new(t("export-col-plan"), ColumnKind::Text, 30.0),
            Column::new(t("export-col-lead"), ColumnKind::Text, 30.0),
            Column::new(t("export-col-deadline"), ColumnKind::Text, 22.0),
            Column::new(t("export-col-status"), ColumnKind::Text, 22.0),
            Column::new(t("export-col-days-late"), ColumnKind::Integer, 12.0),
            Column::new(t("export-col-progress"), ColumnKind::Percent, 12.0),
            Column::new(t("export-col-last-update"), ColumnKind::Date, 14.0),
        ],
        header: Vec::new(),
        totals_label: None,
        notes: Notes { source: t("export-source"), generated_at: app.now(), filters },
    };
    let lines: Vec<Vec<Value>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let s = derive_status(&r.facts(), now);
            vec![
                Value::from((i + 1) as i64),
                Value::from(format!("{}. {}", r.task_code, r.task_title)),
                Value::from(r.plan_title.clone()),
                Value::from(r.lead_name.clone()),
                Value::from(deadline_words(tr, &r.deadline())),
                Value::from(status_label(s.kind)),
                s.days_late.map_or(Value::Empty, Value::from),
                Value::from(assignment_progress(r, &s) / 100.0),
                r.last_update_at.map_or(Value::Empty, |t| Value::Date(tiendo_core::time::vietnam_date(t))),
            ]
        })
        .collect();
    let bytes = tiendo_export::xlsx::write(&report, lines)?;
    record_export(app, session, "assignments.xlsx", rows.len()).await?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_s_summary_says_thuc_hien_once_and_names_the_document_once() {
        assert_eq!(
            report_summary("Thực hiện Nghị quyết 07-NQ/TU về phát triển khoa học và công nghệ", Some("07-NQ/TU")),
            "Kết quả thực hiện Nghị quyết 07-NQ/TU về phát triển khoa học và công nghệ"
        );
        assert_eq!(
            report_summary(
                "Kế hoạch thực hiện Nghị quyết 57-NQ/TW tại các xã, phường, đặc khu năm 2025–2026",
                Some("128/KH-UBND")
            ),
            "Kết quả thực hiện Kế hoạch thực hiện Nghị quyết 57-NQ/TW tại các xã, phường, đặc khu năm 2025–2026 \
             theo Kế hoạch số 128/KH-UBND"
        );
        assert_eq!(report_summary("Chương trình chuyển đổi số", None), "Kết quả thực hiện Chương trình chuyển đổi số");
        assert_eq!(report_summary("Đề án A", Some("x")), "Kết quả thực hiện Đề án A theo văn bản số x");
    }

    #[test]
    fn a_report_closes_with_what_it_reported_and_who_reports_it() {
        assert_eq!(
            closing_sentence("Kết quả thực hiện Nghị quyết 07-NQ/TU", "Sở Khoa học và Công nghệ tỉnh Quảng Ninh"),
            "Trên đây là báo cáo kết quả thực hiện Nghị quyết 07-NQ/TU của Sở Khoa học và Công nghệ tỉnh Quảng Ninh./."
        );
    }

    #[test]
    fn days_have_a_thousands_separator() {
        assert_eq!(days(2166), "2.166");
        assert_eq!(days(12), "12");
    }
}
