//! Report forms in Excel (issue 7 item 6): the form of a report to download, pre-filled with the
//! organisation, the period and the values entered so far; a filled form uploaded back, every cell checked
//! before anything is written (each problem listed by sheet, row and column in the user's language), then
//! saved or submitted through `tiendo_app::reporting::reports::save` like the web form; and the aggregated
//! table of a province to download.

use std::collections::HashMap;

use crate::extract::Multipart;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tiendo_app::i18n::Tr;
use tiendo_app::reporting::aggregates::{self as table_service, unit_label};
use tiendo_app::reporting::reports::{self as service, Input, SaveValues};
use tiendo_core::reporting::TemplateDef;
use tiendo_core::reporting::workflow::ReportAction;
use tiendo_db::reporting::aggregates::{self, Map};
use tiendo_db::reporting::reports::{self, Report};
use tiendo_export::xlsx::Notes;
use tiendo_export::{
    AggregateRow, AggregateTable, FormHeading, FormTarget, UploadProblem, read_report_form, write_report_form,
};

use super::entry::{ReportLine, line, locked_message, stale_message};
use super::stats::{AggregateQuery, columns, require};
use crate::error::{AppError, FieldError};
use crate::errors_render::field_message;
use crate::extract::{Path, Query};
use crate::layout::{Ctx, Layout};
use crate::monitoring::export::download;
use crate::monitoring::uploads;
use crate::reporting::html;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// What a workbook of a report is for.
fn target_of(report: &Report) -> FormTarget {
    FormTarget {
        template_version: u32::try_from(report.template_version).unwrap_or(0),
        org_id: report.org_id.to_string(),
        period: report.period(),
    }
}

/// `GET /reports/{id}/form.xlsx`: the report's form to fill in Excel, with what was entered so far.
pub async fn download_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let report = service::visible(ctx.state.app(), ctx.auth.session(), id).await?.report;
    let (_, def) = service::definition(ctx.state.app(), &report).await?;
    let values = reports::values(ctx.state.db(), report.id).await?;
    let heading =
        FormHeading { target: target_of(&report), org_name: report.org_name.clone(), due_date: Some(report.due_on) };
    let lang = ctx.lang;
    let bytes = tokio::task::spawn_blocking(move || write_report_form(&def, &heading, &values, lang))
        .await
        .map_err(AppError::internal)??;
    let name = format!("bao-cao-{}-{}.xlsx", report.template_code, report.period_code).to_lowercase();
    Ok(download(bytes, XLSX, &name))
}

/// A problem of an upload as shown: where, which field, what.
#[derive(Debug, Clone)]
pub struct ProblemLine {
    /// The sheet ("" for the whole file).
    pub sheet: String,
    /// The row ("" when none).
    pub row: String,
    /// The column letter ("" when none).
    pub column: String,
    /// The field's label ("" when none).
    pub field: String,
    /// The message, in the user's language.
    pub message: String,
}

/// The message of an upload problem: the reader's own codes (`xlsx-<code>`), else core's value codes as
/// the web form says them, with what the cell says and the field's label.
pub fn problem_message(p: &UploadProblem, inputs: &HashMap<String, String>, def: &TemplateDef, tr: &Tr) -> String {
    let key = format!("xlsx-{}", p.code);
    let args: Vec<(&str, &str)> = p.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    if tr.has(&key) {
        return tr.t_with(&key, &args);
    }
    let field = p.field.clone().unwrap_or_default();
    let mut e = FieldError::new(field.clone(), p.code)
        .arg("value", inputs.get(&field).map(|s| s.trim().to_owned()).unwrap_or_default())
        .arg("label", def.field(&field).map(|f| f.label(tr.lang()).to_owned()).unwrap_or_default());
    for (k, v) in &p.args {
        e = e.arg(k, v.clone());
    }
    field_message(&e, tr)
}

fn problem_lines(
    problems: &[UploadProblem],
    inputs: &HashMap<String, String>,
    def: &TemplateDef,
    tr: &Tr,
) -> Vec<ProblemLine> {
    problems
        .iter()
        .map(|p| ProblemLine {
            sheet: p.sheet.clone().unwrap_or_default(),
            row: p.row.map(|r| r.to_string()).unwrap_or_default(),
            column: p.column.clone().unwrap_or_default(),
            field: p
                .field
                .as_deref()
                .and_then(|f| def.field(f))
                .map(|f| f.label(tr.lang()).to_owned())
                .unwrap_or_default(),
            message: problem_message(p, inputs, def, tr),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "reporting/upload.html")]
struct UploadPage {
    layout: Layout,
    report: ReportLine,
    report_id: i64,
    editable: bool,
    problems: Vec<ProblemLine>,
    notices: Vec<ProblemLine>,
    alert: String,
}

async fn upload_page(
    ctx: &Ctx,
    report: &Report,
    problems: Vec<ProblemLine>,
    notices: Vec<ProblemLine>,
    alert: String,
    status: StatusCode,
) -> Result<Response, AppError> {
    // The upload form is shown while the report can be changed; the save checks who may change it.
    let page = UploadPage {
        layout: ctx.layout_titled(ctx.tr.t_with("report-upload-title", &[("template", &report.template_name)])),
        report: line(ctx, report),
        report_id: report.id,
        editable: report.state().is_editable(),
        problems,
        notices,
        alert,
    };
    html(&page, status)
}

/// `GET /reports/{id}/upload`: the page to upload a filled form.
pub async fn upload_form(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let found = service::visible(ctx.state.app(), ctx.auth.session(), id).await?;
    if found.report.state().is_editable() && !found.may(ReportAction::Save) {
        return Err(AppError::Forbidden);
    }
    upload_page(&ctx, &found.report, Vec::new(), Vec::new(), String::new(), StatusCode::OK).await
}

/// `POST /reports/{id}/upload`: reads a filled form (`workbook`) and saves it as a draft, or submits it
/// (`action=submit`), only when every cell is valid; otherwise lists every problem and writes nothing.
pub async fn upload(ctx: Ctx, Path(id): Path<i64>, form: Multipart) -> Result<Response, AppError> {
    let app = ctx.state.app();
    let session = ctx.auth.session();
    let found = service::visible(app, session, id).await?;
    let report = found.report.clone();
    let (fields, files, _) = uploads::read_form(form, &["workbook"]).await?;
    let submit = uploads::field(&fields, "action") == "submit";
    let action = if submit { ReportAction::Submit } else { ReportAction::Save };
    if !found.may(action) {
        // A report already sent: say who sent it; otherwise the actor may not fill it.
        if !report.state().is_editable() {
            let alert = locked_message(&ctx, &report);
            return upload_page(&ctx, &report, Vec::new(), Vec::new(), alert, StatusCode::CONFLICT).await;
        }
        return Err(AppError::Forbidden);
    }
    let (_, def) = service::definition(app, &report).await?;
    let Some(file) = files.into_iter().next().filter(|f| !f.bytes.is_empty()) else {
        let missing = vec![ProblemLine {
            sheet: String::new(),
            row: String::new(),
            column: String::new(),
            field: String::new(),
            message: ctx.tr.t("xlsx-no-file"),
        }];
        return upload_page(&ctx, &report, missing, Vec::new(), String::new(), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let target = target_of(&report);
    let lang = ctx.lang;
    let checked_def = def.clone();
    let read = tokio::task::spawn_blocking(move || {
        let upload = read_report_form(&checked_def, &target, &file.bytes)?;
        let checked = upload.values(&checked_def, submit, lang);
        Ok::<_, tiendo_export::UploadError>((upload, checked))
    })
    .await
    .map_err(AppError::internal)?;
    let (upload, checked) = match read {
        Ok(found) => found,
        Err(e) => {
            let problems = problem_lines(&e.problems, &HashMap::new(), &def, &ctx.tr);
            return upload_page(&ctx, &report, problems, Vec::new(), String::new(), StatusCode::UNPROCESSABLE_ENTITY)
                .await;
        }
    };
    let notices = problem_lines(&upload.notices, &upload.inputs, &def, &ctx.tr);
    if let Err(e) = checked {
        let problems = problem_lines(&e.problems, &upload.inputs, &def, &ctx.tr);
        return upload_page(&ctx, &report, problems, notices, String::new(), StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let request = SaveValues {
        version: report.version,
        values: upload.inputs.iter().map(|(k, v)| (k.clone(), Input::Typed(v.clone()))).collect(),
        submit,
        files: Vec::new(),
        lang: ctx.lang,
    };
    match service::save(app, session, id, request).await {
        Ok(saved) => {
            let target = if submit {
                format!("/reports/{}?done=submitted", saved.report.id)
            } else {
                format!("/reports/{}/edit?done=saved", saved.report.id)
            };
            Ok(Redirect::to(&target).into_response())
        }
        Err(tiendo_app::Error::Invalid(errors)) => {
            // The same rules were checked on the cells; kept for safety, each placed on its cell.
            let problems = errors
                .iter()
                .map(|e| {
                    let cell = upload.cell_of(&e.field).unwrap_or_default();
                    let (column, row) = cell.split_at(cell.find(|c: char| c.is_ascii_digit()).unwrap_or(cell.len()));
                    ProblemLine {
                        sheet: upload.sheet.clone(),
                        row: row.to_owned(),
                        column: column.to_owned(),
                        field: def.field(&e.field).map(|f| f.label(ctx.lang).to_owned()).unwrap_or_default(),
                        message: field_message(e, &ctx.tr),
                    }
                })
                .collect();
            upload_page(&ctx, &report, problems, notices, String::new(), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(tiendo_app::Error::Conflict { code: "report_stale", .. }) => {
            let fresh = service::visible(app, session, id).await?.report;
            let alert = stale_message(&ctx, &fresh);
            upload_page(&ctx, &fresh, Vec::new(), notices, alert, StatusCode::CONFLICT).await
        }
        Err(tiendo_app::Error::Conflict { code: "report_locked", .. }) => {
            let fresh = service::visible(app, session, id).await?.report;
            let alert = locked_message(&ctx, &fresh);
            upload_page(&ctx, &fresh, Vec::new(), notices, alert, StatusCode::CONFLICT).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /reports/aggregates.xlsx`: the province's indicator table as on the page (same filters), with a
/// notes sheet naming the map, the filters and how figures of merged units were attributed.
pub async fn aggregates_xlsx(ctx: Ctx, Query(mut query): Query<AggregateQuery>) -> Result<Response, AppError> {
    require(&ctx)?;
    let app = ctx.state.app();
    let map = Map::from_code(&query.map).unwrap_or(Map::Current);
    query.map = map.code().to_owned();
    if query.province.trim().is_empty() {
        query.province = table_service::default_province(app, map).await?;
    }
    let cells = table_service::province_cells(app, map, &query.province).await?;
    let cols = columns(&query, &table_service::years_of(&cells)).map_err(|code| {
        AppError::Validation(vec![FieldError::new(if code == "period_format" { "period" } else { "from" }, code)])
    })?;
    let rows = table_service::table(app, &cells, &cols).await?;
    let names = aggregates::unit_names(ctx.state.db(), std::slice::from_ref(&query.province), app.today()).await?;
    let province = names.get(&query.province).cloned().unwrap_or_else(|| query.province.clone());
    let map_line = ctx.tr.t(if map == Map::Current { "aggregates-current-hint" } else { "aggregates-reported-hint" });
    let lang = ctx.lang;
    let table = AggregateTable {
        sheet_name: ctx.tr.t("aggregates-sheet"),
        title: ctx.tr.t_with("aggregates-xlsx-title", &[("province", &province)]),
        subtitle_lines: vec![map_line.clone()],
        row_header: ctx.tr.t("aggregates-indicator"),
        column_headers: cols.iter().map(|p| p.name(lang)).collect(),
        rows: rows
            .iter()
            .map(|r| AggregateRow {
                label: r.indicator.name_in(lang).to_owned(),
                unit: unit_label(&r.indicator),
                decimals: if r.indicator.aggregation == "sum" { 0 } else { 2 },
                level: 0,
                values: r.values.clone(),
            })
            .collect(),
        notes: Notes {
            source: ctx.tr.t("aggregates-xlsx-source"),
            generated_at: app.now(),
            filters: vec![(ctx.tr.t("aggregates-province"), province.clone()), (ctx.tr.t("aggregates-map"), map_line)],
        },
        remarks: vec![ctx.tr.t("aggregates-xlsx-attribution")],
    };
    let bytes = table_service::export_table(app, ctx.auth.session(), table, lang).await?;
    Ok(download(bytes, XLSX, &format!("tong-hop-{}-{}.xlsx", query.province, map.code())))
}
