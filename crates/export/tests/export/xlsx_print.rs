//! Every spreadsheet the crate writes prints as a clerk expects (A4, every column on one page
//! wide, the header repeated on each page, margins, page numbers), gives wrapped rows the height
//! their text needs, and never shows a reader a message key.

use tiendo_core::lang::Lang;
use tiendo_core::reporting::Period;
use tiendo_export::xlsx::{self, Column, ColumnKind, Value};
use tiendo_export::{sample, sample_reporting, write_aggregate_table, write_report_form};

use crate::support::zip_part;

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// Every XLSX producer of the crate, on its sample data: (name, bytes, the data sheet's name).
fn producers() -> Vec<(&'static str, Vec<u8>, String)> {
    let report = sample::sample_tabular_report();
    let heading = sample_reporting::sample_heading(Period::Year(2025));
    let def = sample_reporting::sample_template();
    let values = sample_reporting::sample_values();
    let aggregate = sample_reporting::sample_aggregate_table();
    vec![
        ("tabular report", xlsx::write(&report, sample::sample_rows(80)).unwrap(), report.sheet_name.clone()),
        ("aggregate table", write_aggregate_table(&aggregate, Lang::Vi).unwrap(), aggregate.sheet_name.clone()),
        ("report form", write_report_form(&def, &heading, &values, Lang::Vi).unwrap(), "Biểu mẫu".to_owned()),
    ]
}

/// The XML of the sheet named `name`, through the workbook's relationships.
fn sheet_xml(bytes: &[u8], name: &str) -> String {
    let workbook = zip_part(bytes, "xl/workbook.xml");
    let doc = roxmltree::Document::parse(&workbook).unwrap();
    let position = doc
        .descendants()
        .filter(|n| n.has_tag_name((MAIN, "sheet")))
        .position(|n| n.attribute("name") == Some(name))
        .unwrap_or_else(|| panic!("no sheet {name}"));
    zip_part(bytes, &format!("xl/worksheets/sheet{}.xml", position + 1))
}

#[test]
fn every_spreadsheet_prints_on_a4_one_page_wide_with_its_header_on_each_page_and_page_numbers() {
    for (what, bytes, sheet) in producers() {
        let xml = sheet_xml(&bytes, &sheet);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let setup = doc.descendants().find(|n| n.has_tag_name((MAIN, "pageSetup"))).unwrap_or_else(|| {
            panic!("{what}: no pageSetup in {xml}");
        });
        assert_eq!(setup.attribute("paperSize"), Some("9"), "{what}: A4");
        assert_eq!(setup.attribute("orientation"), Some("landscape"), "{what}: wider than a portrait page");
        assert_eq!(setup.attribute("fitToWidth"), None, "{what}: one page wide (the default of fitToWidth)");
        assert_eq!(setup.attribute("fitToHeight"), Some("0"), "{what}: as many pages down as needed");
        let fit = doc.descendants().find(|n| n.has_tag_name((MAIN, "pageSetUpPr")));
        assert_eq!(fit.and_then(|n| n.attribute("fitToPage")), Some("1"), "{what}: fit to page");
        let margins = doc.descendants().find(|n| n.has_tag_name((MAIN, "pageMargins"))).unwrap();
        assert_eq!(margins.attribute("left"), Some("0.79"), "{what}: margins set");
        let footer = doc.descendants().find(|n| n.has_tag_name((MAIN, "oddFooter"))).and_then(|n| n.text());
        assert!(footer.is_some_and(|f| f.contains("&P") && f.contains("&N")), "{what}: page numbers: {footer:?}");
        let workbook = zip_part(&bytes, "xl/workbook.xml");
        assert!(
            workbook.contains("_xlnm.Print_Titles") && workbook.contains(&format!("'{sheet}'!$")),
            "{what}: header rows repeated: {workbook}"
        );
    }
}

#[test]
fn the_notes_sheet_prints_on_a4_portrait() {
    for (what, bytes, _) in producers().into_iter().filter(|(w, _, _)| *w != "report form") {
        let xml = sheet_xml(&bytes, "Ghi chú");
        assert!(xml.contains(r#"paperSize="9""#) && xml.contains(r#"orientation="portrait""#), "{what}: {xml}");
    }
}

/// The rows of a sheet: (row number, custom height in points).
fn row_heights(xml: &str) -> Vec<(u32, Option<f64>)> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name((MAIN, "row")))
        .map(|n| {
            let height = n.attribute("customHeight").and(n.attribute("ht")).and_then(|h| h.parse().ok());
            (n.attribute("r").unwrap().parse().unwrap(), height)
        })
        .collect()
}

#[test]
fn a_row_with_wrapped_text_is_as_tall_as_its_lines() {
    let mut report = sample::sample_tabular_report();
    report.columns[1] = Column::new("Đơn vị", ColumnKind::Text, 28.0);
    let long = "Phòng Quản lý khoa học phối hợp với Viện Nghiên cứu và Phát triển Vùng xây dựng chương trình khung cho thị xã Quảng Yên";
    let mut rows: Vec<Vec<Value>> = sample::sample_rows(3).collect();
    rows[1][1] = Value::Text(long.into());
    let bytes = xlsx::write(&report, rows).unwrap();
    let heights = row_heights(&zip_part(&bytes, "xl/worksheets/sheet1.xml"));
    // Title (3 lines), a blank line, two header rows: data from row 7.
    let height = |r: u32| heights.iter().find(|(n, _)| *n == r).and_then(|(_, h)| *h);
    let tall = height(8).expect("the long row has its own height");
    // About 120 characters in a column of 28: five lines of 15.75 points.
    assert!((4.0 * 15.75..=6.0 * 15.75 + 2.0).contains(&tall), "{tall}");
    assert_eq!(height(7), None, "a row of one line keeps the default height");

    let aggregate = sample_reporting::sample_aggregate_table();
    let mut table = aggregate.clone();
    table.rows[1].label = long.into();
    let bytes = write_aggregate_table(&table, Lang::Vi).unwrap();
    let heights = row_heights(&zip_part(&bytes, "xl/worksheets/sheet1.xml"));
    let header_row = 2 + table.subtitle_lines.len() as u32 + 1;
    let tall = heights.iter().find(|(n, _)| *n == header_row + 2).and_then(|(_, h)| *h);
    assert!(tall.is_some_and(|h| h >= 3.0 * 15.75), "a long label in a column of 45: {tall:?}");
}

/// Whether a text looks like a message key (`export-col-no`).
fn looks_like_key(text: &str) -> bool {
    let t = text.trim();
    t.contains(['-', '_'])
        && !t.contains(' ')
        && t.starts_with(|c: char| c.is_ascii_alphabetic())
        && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The last row (1-based) repeated at the top of each printed page of `sheet`.
fn last_header_row(bytes: &[u8], sheet: &str) -> u32 {
    let workbook = zip_part(bytes, "xl/workbook.xml");
    let at = workbook.find(&format!("'{sheet}'!$")).unwrap_or_else(|| panic!("no print titles for {sheet}"));
    let range = workbook[at..].split('<').next().unwrap();
    range.rsplit('$').next().unwrap().parse().unwrap()
}

/// The text of the cells of `sheet` in rows up to `last_row`: its titles and its header.
fn heading_texts(bytes: &[u8], sheet: &str, last_row: u32) -> Vec<String> {
    // Constant-memory sheets write their strings inline, the others in the shared table.
    let shared: Vec<String> = if crate::support::zip_names(bytes).iter().any(|n| n == "xl/sharedStrings.xml") {
        let strings = zip_part(bytes, "xl/sharedStrings.xml");
        let doc = roxmltree::Document::parse(&strings).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name((MAIN, "si")))
            .map(|si| si.descendants().filter(|n| n.has_tag_name((MAIN, "t"))).filter_map(|t| t.text()).collect())
            .collect()
    } else {
        Vec::new()
    };
    let text = |c: roxmltree::Node| -> Option<String> {
        match c.attribute("t") {
            Some("s") => {
                let i: usize = c.children().find(|v| v.has_tag_name((MAIN, "v")))?.text()?.parse().ok()?;
                Some(shared[i].clone())
            }
            Some("inlineStr") => {
                Some(c.descendants().filter(|n| n.has_tag_name((MAIN, "t"))).filter_map(|t| t.text()).collect())
            }
            _ => None,
        }
    };
    let xml = sheet_xml(bytes, sheet);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name((MAIN, "row")))
        .filter(|r| r.attribute("r").and_then(|n| n.parse::<u32>().ok()).is_some_and(|n| n <= last_row))
        .flat_map(|r| r.children().filter(|c| c.has_tag_name((MAIN, "c"))).collect::<Vec<_>>())
        .filter_map(text)
        .collect()
}

#[test]
fn no_title_header_or_sheet_name_of_the_spreadsheets_is_a_message_key() {
    for (what, bytes, sheet) in producers() {
        let texts = heading_texts(&bytes, &sheet, last_header_row(&bytes, &sheet));
        assert!(texts.len() >= 4, "{what}: {texts:?}");
        let workbook = zip_part(&bytes, "xl/workbook.xml");
        let doc = roxmltree::Document::parse(&workbook).unwrap();
        let names = doc.descendants().filter(|n| n.has_tag_name((MAIN, "sheet")));
        let visible = names.filter(|n| n.attribute("state") != Some("hidden")).filter_map(|n| n.attribute("name"));
        for text in texts.iter().map(String::as_str).chain(visible) {
            assert!(!looks_like_key(text), "{what}: `{text}`");
        }
    }
}

#[test]
fn a_spreadsheet_whose_headings_are_untranslated_keys_is_refused() {
    let rows = || sample::sample_rows(2);
    let mut report = sample::sample_tabular_report();
    report.header.clear();
    report.columns[0].title = "export-col-no".into();
    assert!(xlsx::write(&report, rows()).is_err(), "a column header");
    let mut report = sample::sample_tabular_report();
    report.title_lines[1] = "EXPORT-ASSIGNMENTS-TITLE".into();
    assert!(xlsx::write(&report, rows()).is_err(), "a title");
    let mut report = sample::sample_tabular_report();
    report.sheet_name = "export-assignments-sheet".into();
    assert!(xlsx::write(&report, rows()).is_err(), "the sheet name");
    let mut report = sample::sample_tabular_report();
    report.notes.source = "export-source".into();
    assert!(xlsx::write(&report, rows()).is_err(), "the source note");
    let mut report = sample::sample_tabular_report();
    report.notes.filters.push(("export-filter-status".into(), "Quá hạn".into()));
    let err = xlsx::write(&report, rows()).unwrap_err();
    assert!(err.to_string().contains("export-filter-status"), "{err}");
    let mut table = sample_reporting::sample_aggregate_table();
    table.column_headers[0] = "export-col-year".into();
    assert!(write_aggregate_table(&table, Lang::Vi).is_err(), "an aggregate table's column");
}

#[test]
fn the_clerk_s_checks_pass_on_every_spreadsheet_and_catch_a_sheet_without_print_setup() {
    use tiendo_export::checks;
    for (what, bytes, _) in producers() {
        let problems = checks::xlsx::problems(&bytes);
        assert!(problems.is_empty(), "{what}: {problems:#?}");
    }
    // The same workbook without its print set-up, and a header left as a key.
    let (_, bytes, _) = producers().remove(0);
    let broken = crate::support::edit_part(&bytes, "xl/worksheets/sheet1.xml", |xml| {
        let start = xml.find("<pageSetup").unwrap();
        let end = start + xml[start..].find("/>").unwrap() + 2;
        format!("{}{}", &xml[..start], &xml[end..])
    });
    let problems = checks::xlsx::problems(&broken);
    assert!(problems.iter().any(|p| p.contains("A4")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("one page wide")), "{problems:?}");
}
