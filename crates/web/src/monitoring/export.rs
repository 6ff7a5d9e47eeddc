//! Exports of monitoring: the assignments list as XLSX (with the filters on screen), and the report
//! "Báo cáo kết quả thực hiện …" of a plan as DOCX or PDF in the official format.

use axum::extract::{Path, Query};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use tiendo_core::monitoring::{StatusKind, derive_status};
use tiendo_db::audit::{self, NewEvent};
use tiendo_db::monitoring::assignments::{self, AssignmentFilter};
use tiendo_db::monitoring::{plans, updates};
use tiendo_export::chart::{Chart, ChartKind, Series};
use tiendo_export::model::{Authority, Block, Cell, Document, Figure, PageSetup, Signature, Table};
use tiendo_export::official::{DocumentNumber, DocumentSystem};
use tiendo_export::xlsx::{Column, ColumnKind, Notes, TabularReport, Value};

use super::assignments::{ListQuery, deadline_text, filtered};
use super::dashboard::{assignment_progress, summarize};
use super::status;
use super::{show_date, today, visibility};
use crate::error::AppError;
use crate::layout::Ctx;

/// A downloadable file response.
pub fn download(bytes: Vec<u8>, content_type: &'static str, file_name: &str) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    let disposition =
        format!("attachment; filename*=UTF-8''{}", crate::forms::url_encode(file_name).replace('+', "%20"));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}

/// `GET /assignments.xlsx`: the list as on screen (same filters), with a notes sheet naming them.
pub async fn assignments_xlsx(ctx: Ctx, Query(q): Query<ListQuery>) -> Result<Response, AppError> {
    let rows = filtered(&ctx, &q).await?;
    let now = today();
    let t = |k: &str| ctx.tr.t(k);
    let mut filters = Vec::new();
    if !q.status.is_empty() {
        let label = StatusKind::from_code(&q.status)
            .map_or_else(|| t(&format!("status-{}", q.status)), |k| status::label(&ctx.tr, k));
        filters.push((t("export-filter-status"), label));
    }
    if let Ok(p) = q.plan.parse::<i64>()
        && let Some(plan) = plans::get(ctx.state.db(), p).await?
    {
        filters.push((t("export-filter-plan"), plan.title));
    }
    for (key, value) in [("export-filter-lead", &q.lead), ("export-filter-org", &q.org)] {
        if let Ok(id) = value.parse::<i64>()
            && let Some(name) = tiendo_db::orgtree::name(ctx.state.db(), id).await?
        {
            filters.push((t(key), name));
        }
    }
    if !q.q.is_empty() {
        filters.push((t("export-filter-q"), q.q.clone()));
    }
    filters.push((t("export-as-of"), tiendo_core::fmt::date(now)));
    let report = TabularReport {
        sheet_name: t("export-assignments-sheet"),
        title_lines: vec![t("export-assignments-title").to_uppercase(), ctx.state.site().organization_vi.clone()],
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
        notes: Notes { source: t("export-source"), generated_at: Utc::now(), filters },
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
                Value::from(deadline_text(&ctx, &r.deadline())),
                Value::from(status::label(&ctx.tr, s.kind)),
                s.days_late.map_or(Value::Empty, Value::from),
                Value::from(assignment_progress(r, &s) / 100.0),
                r.last_update_at.map_or(Value::Empty, |t| Value::Date(tiendo_core::time::vietnam_date(t))),
            ]
        })
        .collect();
    let bytes = tiendo_export::xlsx::write(&report, lines)?;
    audit_export(&ctx, "assignments.xlsx", rows.len()).await?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("giao-viec-{}.xlsx", now.format("%Y%m%d")),
    ))
}

async fn audit_export(ctx: &Ctx, what: &str, rows: usize) -> Result<(), AppError> {
    let tx = ctx.state.db().begin().await?;
    let mut event = NewEvent::new("export", "export", what, format!("Xuất {what} ({rows} dòng)"));
    event.entity_id = None;
    audit::append(&tx, &ctx.auth.who(), &event).await?;
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

/// Builds the report of a plan: the status of its assignments, its targets, the tasks, what is overdue,
/// and the difficulties and recommendations reported.
pub async fn plan_report(ctx: &Ctx, plan_id: i64) -> Result<Document, AppError> {
    let plan = plans::get(ctx.state.db(), plan_id).await?.ok_or(AppError::NotFound)?;
    let vis = visibility(&ctx.state, &ctx.auth.actor).await?;
    let subtree = plans::subtree_ids(ctx.state.db(), plan_id).await?;
    let rows =
        assignments::list(ctx.state.db(), &AssignmentFilter { plans: Some(subtree), ..Default::default() }, &vis)
            .await?;
    let now = today();
    let summary = summarize(&rows, now);
    let vi = tiendo_app::i18n::Tr::new(tiendo_core::lang::Lang::Vi);
    let label = |k: StatusKind| status::label(&vi, k);
    let subject = match &plan.document_symbol {
        Some(s) => format!("{} {s}", plan.title),
        None => plan.title.clone(),
    };
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
        let colors = status::colors(&ctx.state).await?;
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
                    .map_or(tiendo_export::chart::Color(0, 0, 0), |(_, h)| status::chart_color(h))
            })
            .collect();
        body.push(Block::Chart(Figure {
            content: chart,
            width_mm: 140.0,
            caption: Some("Hình 1. Tình hình thực hiện nhiệm vụ".into()),
        }));
    }
    let targets = plans::targets(ctx.state.db(), plan_id).await?;
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
        for target in &targets {
            let values = plans::values(ctx.state.db(), target.id).await?;
            let latest = values.last();
            let met =
                latest.map(
                    |(_, v, _)| {
                        if target.higher_is_better { *v >= target.target_value } else { *v <= target.target_value }
                    },
                );
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
            state.push_str(&format!(" ({d} ngày)"));
        }
        tasks.rows.push(vec![
            Cell::number((i + 1).to_string()).centered(),
            Cell::text(format!("{}. {}", r.task_code, r.task_title)),
            Cell::text(r.lead_name.clone()),
            Cell::text(show_date(s.due_on)).centered(),
            Cell::text(state),
            Cell::number((assignment_progress(r, &s) as i64).to_string()),
        ]);
    }
    body.push(Block::Table(tasks));
    let overdue: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            let s = derive_status(&r.facts(), now);
            (s.kind == StatusKind::Overdue)
                .then(|| format!("{}: {} (quá hạn {} ngày);", r.lead_name, r.task_title, s.days_late.unwrap_or(0)))
        })
        .collect();
    if !overdue.is_empty() {
        body.push(Block::heading(1, "CÁC NHIỆM VỤ QUÁ HẠN"));
        body.push(Block::dash_list(overdue));
    }
    let mut difficulties = Vec::new();
    let mut recommendations = Vec::new();
    for r in &rows {
        if let Some(u) =
            updates::of_assignment(ctx.state.db(), r.id).await?.into_iter().find(|u| u.status == "accepted")
        {
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
    let (authority, place) = authority_of(&ctx.state.site().organization_vi);
    Ok(Document {
        system: DocumentSystem::State,
        authority,
        number: DocumentNumber::new(0, "BC", "SKHCN"),
        place,
        date: now,
        kind_title: "BÁO CÁO".into(),
        summary: format!("Kết quả thực hiện {subject}"),
        body,
        signature: Signature { mode: None, on_behalf_of: None, position: "GIÁM ĐỐC".into(), signer: String::new() },
        recipients: vec!["Như trên;".into(), "Lưu: VT.".into()],
        page: PageSetup::default(),
    })
}

/// The plan report as a file, written on the blocking pool (PDF fonts are read once per process).
async fn plan_report_file(ctx: &Ctx, id: i64, format: crate::documents::Format) -> Result<Response, AppError> {
    use crate::documents::Format;
    let doc = plan_report(ctx, id).await?;
    let state = ctx.state.clone();
    let bytes = tokio::task::spawn_blocking(move || match format {
        Format::Docx => tiendo_export::docx(&doc),
        Format::Pdf => tiendo_export::pdf(&doc, &state.pdf_fonts()?),
    })
    .await
    .map_err(AppError::internal)??;
    audit_export(ctx, &format!("plan:{id}:report.{}", format.extension()), 1).await?;
    Ok(download(bytes, format.content_type(), &format!("bao-cao-ke-hoach-{id}.{}", format.extension())))
}

/// `GET /plans/{id}/report.docx`: "Báo cáo kết quả thực hiện …" with the status table and charts.
pub async fn plan_report_docx(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    plan_report_file(&ctx, id, crate::documents::Format::Docx).await
}

/// `GET /plans/{id}/report.pdf`: the same report as PDF.
pub async fn plan_report_pdf(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    plan_report_file(&ctx, id, crate::documents::Format::Pdf).await
}
