//! The public registers of S&T tasks on the portal: the approved list of tasks (danh mục nhiệm vụ đặt hàng
//! đã phê duyệt), with its search and its spreadsheet, and the calls published. Everyone reads them.

use tiendo_core::lang::Lang;
use tiendo_core::sci_tech::Machine;
use tiendo_db::directory::{Listed, Page};
use tiendo_db::sci_tech::{self as stored, CallSummary, ListedTask, RegisterFilter};
use tiendo_export::xlsx::{Column, ColumnKind, Notes, TabularReport, Value};

use crate::audit::{self, Entry};
use crate::{App, Result, Session, Tr};

/// The listed states of the machine (the approved list).
fn listed_states() -> Vec<&'static str> {
    Machine::standard().states().iter().filter(|s| s.listed).map(|s| s.code.as_str()).collect()
}

/// A page of the approved list.
pub async fn approved_list(app: &App, filter: &RegisterFilter, page: Page) -> Result<Listed<ListedTask>> {
    Ok(stored::listed_page(app.db(), &listed_states(), filter, page).await?)
}

/// One task of the approved list; `None` when it is not in the list (not approved, or not yet).
pub async fn approved_task(app: &App, id: i64) -> Result<Option<ListedTask>> {
    Ok(stored::listed_task(app.db(), &listed_states(), id).await?)
}

/// A page of the published calls.
pub async fn published_calls(app: &App, q: Option<&str>, year: Option<i64>, page: Page) -> Result<Listed<CallSummary>> {
    Ok(stored::list_calls(app.db(), false, q, year, page).await?)
}

/// The most rows of the spreadsheet.
const XLSX_ROWS: i64 = 10_000;

/// The approved list as a spreadsheet in the reader's language (its data as recorded), with the filters
/// in its notes; the download is recorded in the audit trail.
pub async fn approved_list_xlsx(app: &App, session: &Session, lang: Lang, filter: &RegisterFilter) -> Result<Vec<u8>> {
    let tr = Tr::new(lang);
    let t = |k: &str| tr.t(k);
    let rows = approved_list(app, filter, Page { offset: 0, limit: XLSX_ROWS }).await?.items;
    let mut filters = Vec::new();
    if let Some(q) = filter.q.as_deref().filter(|q| !q.is_empty()) {
        filters.push((t("export-filter-q"), q.to_owned()));
    }
    if let Some(year) = filter.year {
        filters.push((t("st-call-year"), year.to_string()));
    }
    filters.push((t("export-as-of"), tiendo_core::fmt::date(app.today())));
    let organization = match lang {
        Lang::Vi => app.settings().organization_vi.clone(),
        Lang::En => app.settings().organization_en.clone(),
    };
    let report = TabularReport {
        sheet_name: t("st-register-sheet"),
        title_lines: vec![t("st-register-tasks-title").to_uppercase(), organization],
        columns: vec![
            Column::new(t("st-table-no"), ColumnKind::Integer, 6.0),
            Column::new(t("st-proposal-title"), ColumnKind::Text, 48.0),
            Column::new(t("st-proposal-field"), ColumnKind::Text, 20.0),
            Column::new(t("st-proposal-objectives"), ColumnKind::Text, 40.0),
            Column::new(t("st-products"), ColumnKind::Text, 40.0),
            Column::new(t("st-mode"), ColumnKind::Text, 18.0),
            Column::new(t("st-call-year"), ColumnKind::Integer, 10.0),
            Column::new(t("st-register-decision"), ColumnKind::Text, 18.0),
            Column::new(t("st-decision-date"), ColumnKind::Date, 14.0),
            Column::new(t("st-state"), ColumnKind::Text, 28.0),
        ],
        header: Vec::new(),
        totals_label: None,
        notes: Notes { source: t("st-register-source"), generated_at: app.now(), filters },
    };
    let lines: Vec<Vec<Value>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let products: Vec<String> =
                r.products().iter().map(|p| format!("{} {} {}", p.quantity_text(lang), p.unit, p.name)).collect();
            vec![
                Value::from(i64::try_from(i + 1).unwrap_or(i64::MAX)),
                Value::from(r.title.clone()),
                Value::from(r.field.clone().unwrap_or_default()),
                Value::from(r.objectives.clone().unwrap_or_default()),
                Value::from(products.join("; ")),
                Value::from(r.mode.as_deref().map(|m| t(&format!("st-mode-{m}"))).unwrap_or_default()),
                Value::from(r.year),
                Value::from(r.decision_symbol.clone().unwrap_or_default()),
                r.decision_date.map_or(Value::Empty, Value::Date),
                Value::from(t(&format!("st-state-{}", r.state))),
            ]
        })
        .collect();
    let bytes = tiendo_export::xlsx::write(&report, lines)?;
    let tx = app.begin().await?;
    let entry = Entry::general("export", "export", "audit-st-register-exported").arg("rows", rows.len());
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(bytes)
}
