//! Every kind of file the application generates, as the demo's users download it, checked the way a
//! clerk checks it (issue 13): each official document (DOCX and PDF) against Nghị định 30/2020
//! (signer named under room to sign, legal bases in italic, the signature kept with the closing
//! paragraph, the issuing authority broken only between word groups, numbers with their separators,
//! a draft with room for its number, minutes signed by the secretary and the chair), and each
//! spreadsheet for its print set-up and translated headings, in Vietnamese and in English.
//!
//! The kinds are found in the code, not listed by hand: every download route of the web crate (a path
//! ending in `.docx`, `.pdf` or `.xlsx`) and every template kind of the preview, and every place in
//! the application and the web crate that writes a file must be reached by a route the test fetches.
//! The PDFs are ours and LibreOffice's of the DOCX (skipped without LibreOffice and poppler-utils,
//! unless `TIENDO_REQUIRE_LIBREOFFICE=1`).

use std::path::{Path, PathBuf};
use std::process::Command;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tiendo_db::{Exec, Query};
use tiendo_export::checks;
use tiendo_export::kinds::DocumentKind;
use tower::ServiceExt;

/// Where the web crate's sources are.
fn web_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The download routes of the web crate: every route path literal ending in `.docx`, `.pdf` or
/// `.xlsx` (`/plans/{id}/report.pdf`).
fn download_routes() -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&web_src(), &mut files);
    let mut routes = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for line in text.lines().filter(|l| l.trim_start().starts_with(".get(\"")) {
            let path = line.split('"').nth(1).unwrap_or_default();
            if [".docx", ".pdf", ".xlsx"].iter().any(|e| path.ends_with(e)) {
                routes.push(path.to_owned());
            }
        }
    }
    routes.sort();
    routes
}

/// The files of the application and the web crate that write a DOCX, PDF or XLSX, with the routes
/// (or route prefix) whose downloads exercise each.
const PRODUCERS: &[(&str, &str)] = &[
    ("app/src/monitoring/official_documents.rs", "/plans/{id}/report."),
    ("app/src/monitoring/official_documents.rs", "/assignments.xlsx"),
    ("app/src/document_templates/render.rs", "/visits/{id}/notice."),
    ("app/src/visits/notice.rs", "/visits/{id}/stops/{stop}/notice."),
    ("app/src/reporting/aggregates.rs", "/reports/aggregates.xlsx"),
    ("web/src/reporting/pages/excel.rs", "/reports/{id}/form.xlsx"),
    ("web/src/documents.rs", "/admin/templates/{kind}/preview"),
    ("app/src/document_templates/render.rs", "/councils/{id}/minutes."),
    ("app/src/sci_tech/minutes.rs", "/councils/{id}/summary."),
    ("app/src/sci_tech/register.rs", "/registers/tasks.xlsx"),
    ("app/src/indicators/export.rs", "/scorecard."),
    ("app/src/certificates/paper.rs", "/certificates/{id}/certificate."),
    ("app/src/sci_tech/contract_paper.rs", "/contracts/{id}/contract."),
];

/// Calls that write a file.
const WRITERS: &[&str] = &[
    "tiendo_export::docx(",
    "tiendo_export::pdf(",
    "xlsx::write(",
    "write_aggregate_table(",
    "write_report_form(",
    "document_templates::render(",
    "document_templates::render_with(",
];

#[test]
fn every_place_that_writes_a_file_is_reached_by_a_download_this_test_checks() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for krate in ["app/src", "web/src", "tiendo/src"] {
        rust_files(&crates.join(krate), &mut files);
    }
    let mut unknown = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        let code = code.split("#[cfg(test)]").next().unwrap_or_default();
        if WRITERS.iter().any(|w| code.contains(w)) {
            let relative = file.strip_prefix(&crates).unwrap().to_string_lossy().replace('\\', "/");
            // The CLI's sample files are the engine's own samples, checked in the export crate.
            if relative != "tiendo/src/cli.rs" && !PRODUCERS.iter().any(|(f, _)| *f == relative) {
                unknown.push(relative);
            }
        }
    }
    assert!(unknown.is_empty(), "files that write documents but no download of theirs is checked: {unknown:?}");
}

struct Fetched {
    status: StatusCode,
    content_type: String,
    set_cookie: String,
    bytes: Vec<u8>,
}

async fn fetch(app: &axum::Router, method: &str, uri: &str, cookie: &str, body: String) -> Fetched {
    let mut request = Request::builder().method(method).uri(uri).header("sec-fetch-site", "same-origin");
    if !cookie.is_empty() {
        request = request.header(header::COOKIE, cookie);
    }
    if method == "POST" {
        request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    }
    let response = app.clone().oneshot(request.body(Body::from(body)).unwrap()).await.unwrap();
    let status = response.status();
    let text = |name| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let (content_type, set_cookie) = (text(header::CONTENT_TYPE), text(header::SET_COOKIE));
    let bytes = response.into_body().collect().await.unwrap().to_bytes().to_vec();
    Fetched { status, content_type, set_cookie, bytes }
}

async fn sign_in(app: &axum::Router, username: &str) -> String {
    let body = format!(
        "username={username}&password={}&next=%2F",
        tiendo_web::forms::url_encode(tiendo::demo::accounts::DEMO_PASSWORD)
    );
    let res = fetch(app, "POST", "/login", "", body).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "sign-in of {username}");
    let cookie = res.set_cookie.split(';').next().unwrap_or_default().to_owned();
    assert!(cookie.contains('='), "no session cookie for {username}");
    cookie
}

async fn ids(db: &tiendo_db::Db, sql: &'static str) -> Vec<i64> {
    db.fetch_all::<(i64,)>(Query::new(sql)).await.unwrap().into_iter().map(|(id,)| id).collect()
}

/// The addresses of a route in the demo: its placeholders filled with the demo's records.
async fn instances(db: &tiendo_db::Db, route: &str) -> Vec<String> {
    match route {
        "/plans/{id}/report.docx" | "/plans/{id}/report.pdf" => ids(db, "SELECT id FROM plans ORDER BY id")
            .await
            .into_iter()
            .map(|id| route.replace("{id}", &id.to_string()))
            .collect(),
        "/visits/{id}/notice.docx" | "/visits/{id}/notice.pdf" => ids(db, "SELECT id FROM visits ORDER BY id")
            .await
            .into_iter()
            .map(|id| route.replace("{id}", &id.to_string()))
            .collect(),
        "/visits/{id}/stops/{stop}/notice.docx" | "/visits/{id}/stops/{stop}/notice.pdf" => db
            .fetch_all::<(i64, i64)>(Query::new("SELECT visit_id, id FROM visit_stops ORDER BY id"))
            .await
            .unwrap()
            .into_iter()
            .map(|(visit, stop)| route.replace("{id}", &visit.to_string()).replace("{stop}", &stop.to_string()))
            .collect(),
        "/assignments.xlsx" => {
            let plan = ids(db, "SELECT id FROM plans ORDER BY id LIMIT 1").await[0];
            vec![route.to_owned(), format!("{route}?status=overdue"), format!("{route}?plan={plan}")]
        }
        "/reports/aggregates.xlsx" => vec![route.to_owned()],
        // The province's scorecard of this year and of the demo's 2025 on the map of the time, and a unit's.
        "/scorecard.docx" | "/scorecard.xlsx" => {
            vec![route.to_owned(), format!("{route}?map=reported&year=2025"), format!("{route}?unit=07168&year=2025")]
        }
        "/registers/tasks.xlsx" => vec![route.to_owned(), format!("{route}?q=t%C3%B4m")],
        // Form 1 of TT 14/2014: every task under contract, and those under way.
        "/contracts/form1.xlsx" => vec![route.to_owned(), format!("{route}?state=under_way")],
        // Form 12: every application of results (Minh Hàn's of the shrimp task).
        "/contracts/form12.xlsx" => vec![route.to_owned()],
        // One report of each form.
        "/reports/{id}/form.xlsx" => ids(db, "SELECT MIN(id) FROM reports GROUP BY template_code ORDER BY MIN(id)")
            .await
            .into_iter()
            .map(|id| route.replace("{id}", &id.to_string()))
            .collect(),
        "/councils/{id}/minutes.docx"
        | "/councils/{id}/minutes.pdf"
        | "/councils/{id}/summary.docx"
        | "/councils/{id}/summary.pdf" => ids(db, "SELECT id FROM st_councils WHERE state = 'closed' ORDER BY id")
            .await
            .into_iter()
            .map(|id| route.replace("{id}", &id.to_string()))
            .collect(),
        // The contract of every task under contract: the shrimp task extended, the greenhouses running, the
        // dryer terminated.
        "/contracts/{id}/contract.docx" | "/contracts/{id}/contract.pdf" => {
            ids(db, "SELECT id FROM st_contracts ORDER BY id")
                .await
                .into_iter()
                .map(|id| route.replace("{id}", &id.to_string()))
                .collect()
        }
        // Every version of every certificate: the originals, and the revoked one.
        "/certificates/{id}/certificate.docx" | "/certificates/{id}/certificate.pdf" => {
            ids(db, "SELECT id FROM certificates ORDER BY id")
                .await
                .into_iter()
                .map(|id| route.replace("{id}", &id.to_string()))
                .collect()
        }
        other => panic!("a download route this test does not know: {other}; add how to reach it in the demo"),
    }
}

/// A file downloaded, for messages and for LibreOffice.
struct Download {
    label: String,
    bytes: Vec<u8>,
}

/// The first of the demo accounts that may download `uri`, and the file.
async fn download(app: &axum::Router, cookies: &[(&str, String)], uri: &str, lang: &str) -> Download {
    let mut refused = Vec::new();
    for (who, cookie) in cookies {
        let res = fetch(app, "GET", uri, &format!("{cookie}; lang={lang}"), String::new()).await;
        if res.status == StatusCode::OK {
            assert!(!res.content_type.starts_with("text/html"), "{uri} answered a page");
            return Download { label: format!("{uri} ({lang}, {who})"), bytes: res.bytes };
        }
        refused.push(format!("{who}: {}", res.status));
    }
    panic!("nobody of the demo downloads {uri}: {refused:?}");
}

/// The CSRF token of a signed-in page.
async fn csrf(app: &axum::Router, cookie: &str, page: &str) -> String {
    let res = fetch(app, "GET", page, cookie, String::new()).await;
    let html = String::from_utf8_lossy(&res.bytes);
    html.split("name=\"_csrf\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("a CSRF token").to_owned()
}

fn have(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
}

fn tools_required() -> bool {
    std::env::var("TIENDO_REQUIRE_LIBREOFFICE").is_ok_and(|v| v == "1")
}

/// LibreOffice's PDFs of the DOCX files, in order; `None` without LibreOffice or poppler-utils.
fn libreoffice_pdfs(dir: &Path, files: &[(String, Vec<u8>)]) -> Option<Vec<PathBuf>> {
    if !(have("soffice") && have("pdftotext")) {
        assert!(!tools_required(), "LibreOffice and poppler-utils are required (TIENDO_REQUIRE_LIBREOFFICE=1)");
        eprintln!("NOTICE: LibreOffice or poppler-utils missing: DOCX layout not checked");
        return None;
    }
    let mut inputs = Vec::new();
    for (i, (_, bytes)) in files.iter().enumerate() {
        let input = dir.join(format!("doc-{i}.docx"));
        std::fs::write(&input, bytes).unwrap();
        inputs.push(input);
    }
    let profile = format!("-env:UserInstallation=file://{}/profile", dir.display());
    let out = Command::new("soffice")
        .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .args(&inputs)
        .output()
        .expect("soffice runs");
    let pdfs: Vec<PathBuf> = (0..files.len()).map(|i| dir.join(format!("doc-{i}.pdf"))).collect();
    for pdf in &pdfs {
        assert!(pdf.is_file(), "LibreOffice produced no {}: {}", pdf.display(), String::from_utf8_lossy(&out.stderr));
    }
    Some(pdfs)
}

#[tokio::test]
async fn every_document_and_spreadsheet_the_demo_downloads_keeps_nd30_and_prints() {
    let t = crate::demo_db().await;
    let settings = tiendo_app::Settings {
        organization_vi: tiendo::config::Config::default().organization_vi,
        ..tiendo_app::Settings::default()
    };
    let state = tiendo_web::AppState::with_files(t.db().clone(), settings, crate::demo_files());
    let pdf_works = state.pdf_fonts().is_ok();
    let app = tiendo_web::router(state);
    let mut cookies = Vec::new();
    for who in ["lanhdao", "chuyenvien", "quantri"] {
        cookies.push((who, sign_in(&app, who).await));
    }

    let routes = download_routes();
    for (_, route) in PRODUCERS {
        assert!(
            route.starts_with("/admin/templates/") || routes.iter().any(|r| r.starts_with(route)),
            "{route} is no longer a download route: {routes:?}"
        );
    }
    // Official documents: (label, DOCX, our PDF).
    let mut documents: Vec<(String, Vec<u8>, Option<Vec<u8>>)> = Vec::new();
    let mut spreadsheets: Vec<Download> = Vec::new();
    for route in routes.iter().filter(|r| !r.ends_with(".pdf")) {
        for uri in instances(t.db(), route).await {
            if uri.contains(".docx") {
                let docx = download(&app, &cookies, &uri, "vi").await;
                let pdf_uri = uri.replace(".docx", ".pdf");
                let pdf = if pdf_works && routes.contains(&route.replace(".docx", ".pdf")) {
                    Some(download(&app, &cookies, &pdf_uri, "vi").await.bytes)
                } else {
                    None
                };
                documents.push((docx.label, docx.bytes, pdf));
            } else {
                for lang in ["vi", "en"] {
                    spreadsheets.push(download(&app, &cookies, &uri, lang).await);
                }
            }
        }
    }
    // The sample of each template kind, as the administrator previews it.
    let (_, admin) = cookies.iter().find(|(who, _)| *who == "quantri").unwrap();
    for kind in DocumentKind::ALL {
        let page = format!("/admin/templates/{}", kind.id());
        let token = csrf(&app, admin, &page).await;
        let source = tiendo_web::forms::url_encode(&tiendo_app::document_templates::default_source(kind));
        let mut files = Vec::new();
        for format in ["docx", "pdf"] {
            let res = fetch(
                &app,
                "POST",
                &format!("{page}/preview"),
                admin,
                format!("_csrf={token}&source={source}&format={format}"),
            )
            .await;
            if format == "pdf" && !pdf_works {
                continue;
            }
            assert_eq!(res.status, StatusCode::OK, "{page} preview as {format}");
            files.push(res.bytes);
        }
        let docx = files.remove(0);
        documents.push((format!("{page}/preview (sample)"), docx, files.pop()));
    }
    let kinds_seen = documents.len();
    assert!(kinds_seen >= 5 + 3, "only {kinds_seen} documents");

    // TIENDO_DUMP_DOCUMENTS=<folder> keeps the files, to print and read them.
    if let Ok(out) = std::env::var("TIENDO_DUMP_DOCUMENTS") {
        let name = |label: &str| label.replace(['/', ' ', '?', '=', '(', ')', ','], "_");
        for (label, docx, pdf) in &documents {
            std::fs::write(Path::new(&out).join(format!("{}.docx", name(label))), docx).unwrap();
            if let Some(pdf) = pdf {
                std::fs::write(Path::new(&out).join(format!("{}.pdf", name(label))), pdf).unwrap();
            }
        }
        for sheet in &spreadsheets {
            std::fs::write(Path::new(&out).join(format!("{}.xlsx", name(&sheet.label))), &sheet.bytes).unwrap();
        }
    }
    let mut problems = Vec::new();
    let dir = tempfile::tempdir().unwrap();
    let mut facts = Vec::new();
    for (i, (label, docx, pdf)) in documents.iter().enumerate() {
        problems.extend(checks::docx::problems(docx).into_iter().map(|p| format!("{label}: {p}")));
        let f = match checks::docx::facts(docx) {
            Ok(f) => f,
            Err(e) => {
                problems.push(format!("{label}: {e}"));
                continue;
            }
        };
        if let Some(pdf) = pdf
            && have("pdftotext")
        {
            let path = dir.path().join(format!("ours-{i}.pdf"));
            std::fs::write(&path, pdf).unwrap();
            let pdf_label = label.replace(".docx", ".pdf");
            problems.extend(checks::pdf::problems(&path, &f).into_iter().map(|p| format!("{pdf_label}: {p}")));
        }
        facts.push(f);
    }
    let docx: Vec<(String, Vec<u8>)> = documents.iter().map(|(l, d, _)| (l.clone(), d.clone())).collect();
    if let Some(pdfs) = libreoffice_pdfs(dir.path(), &docx) {
        for (((label, _), path), f) in docx.iter().zip(&pdfs).zip(&facts) {
            let label = format!("{label} in LibreOffice");
            problems.extend(checks::pdf::problems(path, f).into_iter().map(|p| format!("{label}: {p}")));
        }
    }
    for sheet in &spreadsheets {
        problems.extend(checks::xlsx::problems(&sheet.bytes).into_iter().map(|p| format!("{}: {p}", sheet.label)));
    }
    assert!(spreadsheets.len() >= 2 * 4, "only {} spreadsheets", spreadsheets.len());
    assert!(problems.is_empty(), "{} problem(s):\n{}", problems.len(), problems.join("\n"));
}
