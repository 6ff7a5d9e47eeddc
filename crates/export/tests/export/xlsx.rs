use tiendo_export::sample;
use tiendo_export::xlsx::{self, Value};

use crate::support::{zip_names, zip_part};

const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

/// `A1=value` lines for every non-empty cell of a sheet (inline and shared strings resolved).
fn cell_dump(bytes: &[u8], sheet: usize, max_rows: usize) -> String {
    let shared: Vec<String> = if zip_names(bytes).iter().any(|n| n == "xl/sharedStrings.xml") {
        let xml = zip_part(bytes, "xl/sharedStrings.xml");
        let doc = roxmltree::Document::parse(&xml).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name((MAIN, "si")))
            .map(|si| si.descendants().filter(|n| n.has_tag_name((MAIN, "t"))).filter_map(|t| t.text()).collect())
            .collect()
    } else {
        Vec::new()
    };
    let xml = zip_part(bytes, &format!("xl/worksheets/sheet{sheet}.xml"));
    let doc = roxmltree::Document::parse(&xml).expect("sheet XML is well-formed");
    let mut out = String::new();
    for row in doc.descendants().filter(|n| n.has_tag_name((MAIN, "row"))).take(max_rows) {
        for c in row.children().filter(|n| n.has_tag_name((MAIN, "c"))) {
            let r = c.attribute("r").unwrap();
            let child = |name: &str| c.children().find(|n| n.has_tag_name((MAIN, name)));
            let value = match c.attribute("t") {
                Some("inlineStr") => child("is")
                    .map(|is| is.descendants().filter(|n| n.is_text()).filter_map(|t| t.text()).collect::<String>()),
                Some("s") => {
                    child("v").and_then(|v| v.text()).and_then(|i| i.parse::<usize>().ok()).map(|i| shared[i].clone())
                }
                _ => match child("f") {
                    Some(f) => Some(format!(
                        "={} -> {}",
                        f.text().unwrap_or(""),
                        child("v").and_then(|v| v.text()).unwrap_or("")
                    )),
                    None => child("v").and_then(|v| v.text()).map(str::to_owned),
                },
            };
            if let Some(v) = value {
                out.push_str(&format!("{r}={v}\n"));
            }
        }
    }
    out
}

fn sample_xlsx(rows: usize) -> Vec<u8> {
    xlsx::write(&sample::sample_tabular_report(), sample::sample_rows(rows)).unwrap()
}

#[test]
fn xlsx_has_title_rows_merged_headers_frozen_panes_and_a_notes_sheet() {
    let bytes = sample_xlsx(12);
    let workbook = zip_part(&bytes, "xl/workbook.xml");
    assert!(workbook.contains("name=\"Biểu 01\"") && workbook.contains("name=\"Ghi chú\""), "{workbook}");
    let sheet = zip_part(&bytes, "xl/worksheets/sheet1.xml");
    for merge in ["A1:G1", "A2:G2", "A3:G3", "A5:A6", "B5:B6", "C5:C6", "D5:E5", "F5:F6", "G5:G6", "A19:C19"] {
        assert!(sheet.contains(&format!("<mergeCell ref=\"{merge}\"/>")), "merge {merge}");
    }
    assert!(sheet.contains("ySplit=\"6\"") && sheet.contains("topLeftCell=\"A7\""), "header rows frozen");
    assert!(sheet.contains("<col min=\"2\" max=\"2\" width=\"28.7109375\""), "column widths set");
    let styles = zip_part(&bytes, "xl/styles.xml");
    for code in ["#,##0", "dd/mm/yyyy", "#,##0 &quot;đ&quot;", "0.0%"] {
        assert!(styles.contains(&format!("formatCode=\"{code}\"")), "format {code}");
    }
}

#[test]
fn xlsx_cells_snapshot() {
    let bytes = sample_xlsx(12);
    insta::assert_snapshot!("xlsx_sheet1_cells", cell_dump(&bytes, 1, 40));
    insta::assert_snapshot!("xlsx_notes_cells", cell_dump(&bytes, 2, 40));
}

#[test]
fn totals_are_sum_formulas_with_cached_results() {
    let bytes = sample_xlsx(12);
    let dump = cell_dump(&bytes, 1, 40);
    let expected: f64 = sample::sample_rows(12)
        .map(|r| match r[3] {
            Value::Number(v) => v,
            _ => 0.0,
        })
        .sum();
    assert!(
        dump.contains(&format!("D19==SUM(D7:D18) -> {expected}"))
            || dump.contains(&format!("D19=SUM(D7:D18) -> {expected}")),
        "{dump}"
    );
}

#[test]
fn hundred_thousand_rows_stream_into_a_valid_workbook() {
    let bytes = sample_xlsx(100_000);
    let sheet = zip_part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<c r=\"B100006\""), "last data row written");
    assert!(sheet.contains("SUM(D7:D100006)"));
}
