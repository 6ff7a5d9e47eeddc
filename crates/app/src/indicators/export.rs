//! The scorecard's exports: a workbook (one line per indicator, the trend's years as columns, the target
//! and the status, the rule and the filters on the notes sheet) and the report "Báo cáo kết quả thực hiện
//! các chỉ số" for the upper level in the official format (DOCX, or PDF from the same model). Each export is
//! recorded in the audit trail.

use tiendo_core::authz::Action;
use tiendo_core::lang::Lang;
use tiendo_export::model::{Block, Cell, Document, PageSetup, Signature, Table};
use tiendo_export::official::{DocumentNumber, DocumentSystem};
use tiendo_export::xlsx::{Column, ColumnKind, Notes, TabularReport, Value};

use super::compute::Place;
use super::require;
use super::scorecard::{Scorecard, ScorecardRequest, scorecard};
use crate::audit::{self, Entry};
use crate::monitoring::official_documents::{Format, HEAD_POSITION, authority_of, head_of_operator};
use crate::{App, Error, Result, Session, Tr};

/// A figure as a report prints it (two decimals at most, Vietnamese separators).
pub fn number(v: f64, lang: Lang) -> String {
    let digits = if v.fract() == 0.0 { 0 } else { 2 };
    tiendo_core::fmt::decimal(v, digits, lang)
}

fn place_name(card: &Scorecard, tr: &Tr) -> String {
    match &card.place {
        Place::Province => tr.t("scorecard-province"),
        Place::Unit(code) => {
            card.units.iter().find(|(c, _)| c == code).map_or_else(|| code.clone(), |(_, n)| n.clone())
        }
    }
}

fn name_in(row: &tiendo_db::indicators::IndicatorRow, lang: Lang) -> String {
    match lang {
        Lang::En if !row.name_en.is_empty() => row.name_en.clone(),
        _ => row.name.clone(),
    }
}

async fn record(app: &App, session: &Session, year: i32) -> Result<()> {
    let tx = app.begin().await?;
    let entry = Entry::general("export", "export", "audit-indicator-scorecard-exported").arg("year", year);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The scorecard as a workbook in `tr`'s language.
pub async fn workbook(app: &App, session: &Session, tr: &Tr, request: &ScorecardRequest) -> Result<Vec<u8>> {
    require(session, Action::Export)?;
    let card = scorecard(app, session, request).await?;
    let t = |k: &str| tr.t(k);
    let mut columns = vec![
        Column::new(t("export-col-no"), ColumnKind::Integer, 6.0),
        Column::new(t("indicators-code"), ColumnKind::Text, 16.0),
        Column::new(t("scorecard-indicator"), ColumnKind::Text, 48.0),
        Column::new(t("indicators-unit"), ColumnKind::Text, 14.0),
    ];
    for year in card.first_year..=card.year {
        columns.push(Column::new(year.to_string(), ColumnKind::Decimal(2), 12.0));
    }
    columns.push(Column::new(t("scorecard-target"), ColumnKind::Decimal(2), 12.0));
    columns.push(Column::new(t("indicators-target-year"), ColumnKind::Integer, 10.0));
    columns.push(Column::new(t("scorecard-status"), ColumnKind::Text, 18.0));
    let filters = vec![
        (t("scorecard-place"), place_name(&card, tr)),
        (t("scorecard-map"), t(&format!("scorecard-map-{}", card.map.code()))),
        (t("scorecard-year"), card.year.to_string()),
        (t("scorecard-status"), t("scorecard-rule")),
    ];
    let report = TabularReport {
        sheet_name: t("scorecard-title"),
        title_lines: vec![
            tr.t_with("scorecard-report-title", &[("year", &card.year.to_string())]),
            app.settings().organization_vi.clone(),
        ],
        columns,
        header: Vec::new(),
        totals_label: None,
        notes: Notes { source: t("indicators-computed-on-read"), generated_at: app.now(), filters },
    };
    let lines: Vec<Vec<Value>> = card
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let mut row = vec![
                Value::from((i + 1) as i64),
                Value::from(line.indicator.code.clone()),
                Value::from(format!("{}{}", "    ".repeat(line.depth), name_in(&line.indicator, tr.lang()))),
                Value::from(line.indicator.unit.clone()),
            ];
            row.extend(line.trend.iter().map(|f| f.value.map_or(Value::Empty, Value::from)));
            row.push(line.target.as_ref().map_or(Value::Empty, |t| Value::from(t.target_value)));
            row.push(line.target.as_ref().map_or(Value::Empty, |t| Value::from(t.target_year)));
            row.push(Value::from(
                line.status
                    .map_or_else(|| t("scorecard-status-none"), |s| t(&format!("scorecard-status-{}", s.code()))),
            ));
            row
        })
        .collect();
    let bytes = tiendo_export::xlsx::write(&report, lines)?;
    record(app, session, card.year).await?;
    Ok(bytes)
}

/// The scorecard as the official report for the upper level (in Vietnamese, as official documents are).
pub async fn document(app: &App, session: &Session, request: &ScorecardRequest) -> Result<Document> {
    require(session, Action::Export)?;
    let card = scorecard(app, session, request).await?;
    let vi = Tr::new(Lang::Vi);
    let now = app.today();
    let mut body = vec![Block::heading(1, "KẾT QUẢ THỰC HIỆN CÁC CHỈ SỐ")];
    body.push(Block::paragraph(format!(
        "Địa bàn: {}. Số liệu năm {} được tính từ các báo cáo định kỳ đã phê duyệt, hồ sơ nhiệm vụ khoa học và \
         công nghệ, nhiệm vụ được giao và các số liệu được cập nhật trên hệ thống, tính đến ngày {}.",
        place_name(&card, &vi),
        card.year,
        tiendo_core::fmt::date(now)
    )));
    let mut table = Table {
        columns: vec![0.6, 3.2, 1.0, 1.3, 1.3, 1.3, 1.3],
        header: vec![vec![
            Cell::header("TT"),
            Cell::header("Chỉ số"),
            Cell::header("Đơn vị tính"),
            Cell::header(format!("Năm {}", card.year - 1)),
            Cell::header(format!("Năm {}", card.year)),
            Cell::header("Chỉ tiêu"),
            Cell::header("Đánh giá"),
        ]],
        rows: Vec::new(),
        caption: Some(format!("Bảng 1. Kết quả thực hiện các chỉ số năm {}", card.year)),
    };
    let mut sample = false;
    for (i, line) in card.lines.iter().enumerate() {
        sample |= line.indicator.is_sample;
        let shown = |f: Option<&super::compute::Figure>| {
            f.and_then(|f| f.value).map_or_else(|| "—".to_owned(), |v| number(v, Lang::Vi))
        };
        let previous = line.trend.len().checked_sub(2).and_then(|i| line.trend.get(i));
        let name = format!("{}{}", "- ".repeat(line.depth.min(1)), line.indicator.name);
        let name = if line.indicator.is_sample { format!("{name} (*)") } else { name };
        table.rows.push(vec![
            Cell::number((i + 1).to_string()).centered(),
            Cell::text(name),
            Cell::text(line.indicator.unit.clone()).centered(),
            Cell::number(shown(previous)),
            Cell::number(shown(line.trend.last())),
            Cell::number(line.target.as_ref().map_or_else(
                || "—".to_owned(),
                |t| format!("{} ({})", number(t.target_value, Lang::Vi), t.target_year),
            )),
            Cell::text(
                line.status
                    .map_or_else(|| vi.t("scorecard-status-none"), |s| vi.t(&format!("scorecard-status-{}", s.code()))),
            )
            .centered(),
        ]);
    }
    body.push(Block::Table(table));
    body.push(Block::heading(1, "CÁCH ĐÁNH GIÁ"));
    body.push(Block::paragraph(vi.t("scorecard-rule")));
    if sample {
        body.push(Block::paragraph("(*) Số liệu mẫu, dùng để trình diễn."));
    }
    let organization = &app.settings().organization_vi;
    let (authority, place) = authority_of(organization);
    let mut recipients = Vec::new();
    if !place.is_empty() {
        recipients.push(format!("UBND tỉnh {place} (để báo cáo);"));
    }
    recipients.push("Bộ Khoa học và Công nghệ (để báo cáo);".to_owned());
    recipients.push("Lưu: VT.".to_owned());
    let signer = head_of_operator(app, now).await?;
    Ok(Document {
        system: DocumentSystem::State,
        authority,
        number: DocumentNumber::new(0, "BC", "SKHCN"),
        place,
        date: now,
        kind_title: "BÁO CÁO".into(),
        summary: format!("Kết quả thực hiện các chỉ số năm {}", card.year),
        body,
        signature: Signature { mode: None, on_behalf_of: None, position: HEAD_POSITION.to_uppercase(), signer },
        secretary: None,
        recipients,
        annex: Vec::new(),
        page: PageSetup::default(),
    })
}

/// The official report as a file, written on the blocking pool; the export is recorded.
pub async fn export_document(
    app: &App,
    session: &Session,
    request: &ScorecardRequest,
    format: Format,
) -> Result<Vec<u8>> {
    let doc = document(app, session, request).await?;
    let year = request.year.unwrap_or_else(|| super::compute::this_year(app));
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
    record(app, session, year).await?;
    Ok(bytes)
}
