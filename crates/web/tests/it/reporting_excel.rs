//! Report forms in Excel over HTTP: the form downloaded pre-filled with the organisation, the period and
//! the draft; a filled form uploaded back, refused as a whole with every problem listed by sheet, row and
//! column in the user's language ("N/A" in a number, a broken rule, another period), or saved and
//! submitted even when its columns were moved; and the aggregated table downloaded.

use std::collections::HashMap;
use std::io::{Read, Write};

use axum::http::StatusCode;
use tiendo_core::lang::Lang;
use tiendo_core::reporting::{Period, TemplateDef, Value};
use tiendo_export::{FormHeading, FormTarget, read_report_form, write_report_form};

use crate::harness::Browser;
use crate::reporting::{Fixture, TEMPLATE, aggregate, fill, fixture, location, open, scalar, template};

const FORM_SHEET: &str = "xl/worksheets/sheet1.xml";

fn def() -> TemplateDef {
    TemplateDef::parse(TEMPLATE).unwrap()
}

fn target(org: i64, period: Period) -> FormTarget {
    FormTarget { template_version: 1, org_id: org.to_string(), period }
}

/// A form as the person filled it in Excel.
fn filled(org: i64, period: Period, values: &[(&str, Value)]) -> Vec<u8> {
    let heading = FormHeading { target: target(org, period), org_name: "UBND phường Hà An".into(), due_date: None };
    let values: HashMap<String, Value> = values.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
    write_report_form(&def(), &heading, &values, Lang::Vi).unwrap()
}

/// The workbook with the form sheet's columns moved: value and label swapped (C ↔ E), as when a person
/// unprotects the sheet and rearranges it.
fn with_moved_columns(bytes: &[u8]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        if name == FORM_SHEET {
            let xml = String::from_utf8(data).unwrap();
            data = xml
                .replace("<c r=\"C", "<c r=\"TMP")
                .replace("<c r=\"E", "<c r=\"C")
                .replace("<c r=\"TMP", "<c r=\"E")
                .into_bytes();
        }
        out.start_file(name, options).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

async fn upload(b: &Browser<'_>, id: i64, bytes: &[u8], action: &str) -> crate::harness::TestResponse {
    b.post_multipart(&format!("/reports/{id}/upload"), &[("action", action)], &[("workbook", "bao-cao.xlsx", bytes)])
        .await
}

async fn values_stored(f: &Fixture, id: i64) -> i64 {
    scalar(&f.app, &format!("SELECT COUNT(*) FROM report_values WHERE report_id = {id}")).await
}

#[tokio::test]
async fn the_downloaded_form_is_made_for_the_organisation_and_period_with_the_draft_in_it() {
    let f = fixture().await;
    template(&f).await;
    let unit = f.app.sign_in("haan").await;
    let id = open(&unit, f.ha_an, "2025").await;
    location(&fill(&unit, id, &[("staff", "1.234")], "save").await);
    let res = unit.get(&format!("/reports/{id}/form.xlsx")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(
        res.header("content-disposition").contains("bao-cao-khcn-nam-2025.xlsx"),
        "{}",
        res.header("content-disposition")
    );
    let form = read_report_form(&def(), &target(f.ha_an, Period::Year(2025)), &res.bytes).unwrap();
    assert_eq!(form.inputs.get("staff").map(String::as_str), Some("1.234"));
    // Another unit may not download it.
    let other = f.app.sign_in("hoanhbo").await;
    assert_eq!(other.get(&format!("/reports/{id}/form.xlsx")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_upload_with_na_in_a_number_and_moved_columns_is_refused_cell_by_cell_and_nothing_is_written() {
    let f = fixture().await;
    template(&f).await;
    let unit = f.app.sign_in("haan").await;
    let id = open(&unit, f.ha_an, "2025").await;
    let bytes = with_moved_columns(&filled(
        f.ha_an,
        Period::Year(2025),
        &[
            ("staff", Value::Text("N/A".into())),
            ("allocated", Value::Number(1_000_000.0)),
            ("spent", Value::Number(2_000_000.0)),
        ],
    ));
    let staff_cell = read_report_form(&def(), &target(f.ha_an, Period::Year(2025)), &bytes).unwrap().cell_of("staff");
    assert!(staff_cell.as_deref().is_some_and(|c| c.starts_with('C')), "the value column moved to C: {staff_cell:?}");
    let staff_row = staff_cell.unwrap()[1..].to_owned();

    let res = upload(&unit, id, &bytes, "submit").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("không có số liệu nào được ghi"), "{}", res.body);
    assert!(
        res.body.contains(&format!(
            "<tr><td>Biểu mẫu</td><td class=\"num\">{staff_row}</td><td>C</td><td>Tổng số nhân lực KH&#38;CN</td><td>“N/A” không phải là số."
        )),
        "the N/A cell is named by sheet, row and column: {}",
        res.body
    );
    assert!(res.body.contains("Kinh phí đã chi không vượt kinh phí được cấp."), "the rule's message: {}", res.body);
    assert!(res.body.contains("đã bị chuyển từ cột E sang cột C"), "the moved column is noticed: {}", res.body);
    assert_eq!(values_stored(&f, id).await, 0, "nothing written");
    assert_eq!(scalar(&f.app, &format!("SELECT COUNT(*) FROM reports WHERE id = {id} AND status = 'draft'")).await, 1);

    // The same problems in English for an English-speaking user.
    let res = unit
        .post_multipart(
            &format!("/reports/{id}/upload?lang=en"),
            &[("action", "submit")],
            &[("workbook", "f.xlsx", &bytes)],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("<th scope=\"col\">Sheet</th>"), "{}", res.body);
    assert!(res.body.contains("&#34;N/A&#34; is not a number"), "{}", res.body);
}

#[tokio::test]
async fn a_form_of_another_period_or_not_a_workbook_is_refused() {
    let f = fixture().await;
    template(&f).await;
    let unit = f.app.sign_in("haan").await;
    let id = open(&unit, f.ha_an, "2025").await;
    let res = upload(&unit, id, &filled(f.ha_an, Period::Year(2024), &[("staff", Value::Number(3.0))]), "save").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Tệp là biểu mẫu của kỳ 2024, không phải kỳ 2025."), "{}", res.body);
    let res = upload(&unit, id, b"STT;Ma so;Gia tri\n1;staff;12\n", "save").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Tệp không phải Excel .xlsx"), "{}", res.body);
    let res = unit.post_multipart(&format!("/reports/{id}/upload"), &[("action", "save")], &[]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Hãy chọn tệp Excel"), "{}", res.body);
    assert_eq!(values_stored(&f, id).await, 0);
}

#[tokio::test]
async fn a_valid_form_with_moved_columns_is_submitted_approved_and_counted_in_the_exported_table() {
    let f = fixture().await;
    template(&f).await;
    let unit = f.app.sign_in("haan").await;
    let id = open(&unit, f.ha_an, "2025").await;
    let bytes = with_moved_columns(&filled(
        f.ha_an,
        Period::Year(2025),
        &[
            ("staff", Value::Number(42.0)),
            ("allocated", Value::Number(5_000_000.0)),
            ("spent", Value::Number(3_000_000.0)),
        ],
    ));
    let res = upload(&unit, id, &bytes, "submit").await;
    assert_eq!(location(&res), format!("/reports/{id}?done=submitted"));
    assert_eq!(
        scalar(&f.app, &format!("SELECT COUNT(*) FROM reports WHERE id = {id} AND status = 'submitted'")).await,
        1
    );
    let audited = scalar(&f.app, &format!("SELECT COUNT(*) FROM audit_events WHERE entity_type = 'report' AND entity_id = '{id}' AND action = 'submit'")).await;
    assert_eq!(audited, 1);

    // A second upload of a submitted report is refused, naming who submitted it.
    let again = upload(&unit, id, &bytes, "submit").await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    let leader = f.app.sign_in("lanhdao").await;
    location(&leader.post(&format!("/reports/{id}/decide"), &[("decision", "approve")]).await);
    assert_eq!(aggregate(&f.app, "current", "province", "22", "NL.TONG", "2025").await, (42.0, 1));

    let table = leader.get("/reports/aggregates.xlsx?province=22&from=2025&to=2025").await;
    assert_eq!(table.status, StatusCode::OK, "{}", table.body);
    let mut reader = tiendo_export::xlsx_read::XlsxReader::open(&table.bytes).unwrap();
    let names: Vec<String> = reader.sheets().iter().map(|s| s.name.clone()).collect();
    let sheet = reader.sheet(&names[0]).unwrap().unwrap();
    let rows: Vec<Vec<String>> =
        (0..=sheet.last_row().unwrap()).map(|r| sheet.row(r).map(|(_, v)| format!("{v:?}")).collect()).collect();
    let staff =
        rows.iter().find(|r| r.iter().any(|c| c.contains("Tổng số nhân lực KH&CN"))).expect("the indicator's row");
    assert!(staff.iter().any(|c| c.contains("42")), "{staff:?}");
    // A reporting unit has no statistics.
    assert_eq!(unit.get("/reports/aggregates.xlsx").await.status, StatusCode::FORBIDDEN);
}
