//! Document templates: the administrator pages, the API, and the function the modules call to produce a
//! document with the active template.

use std::io::Read;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tiendo_core::authz::{Role, Scope};
use tiendo_db::document_templates as templates;
use tiendo_db::{audit, identity};
use tiendo_export::kinds::DocumentKind;
use tiendo_export::sample::{sample_frame, sample_record};
use tiendo_web::documents::{self, Format};
use tiendo_web::{AppError, AppState, PdfFonts, Settings};

use crate::harness::{TestApp, TestResponse, logs_of};

struct Fixture {
    app: TestApp,
    ward: i64,
}

async fn fixture_with(site: Settings) -> Fixture {
    let app = TestApp::with_settings(site).await;
    let province = app.org("UBND tỉnh Quảng Ninh", None).await;
    let dept = app.org("Sở Khoa học và Công nghệ tỉnh Quảng Ninh", Some(province)).await;
    let ward = app.org("UBND phường Hà An", Some(province)).await;
    app.user("quantri", Some(dept), &[(Role::Administrator, Scope::Province)]).await;
    app.user("chuyenvien", Some(dept), &[(Role::DepartmentOfficer, Scope::Province)]).await;
    app.user("qt.haan", Some(ward), &[(Role::Administrator, Scope::Organization(ward))]).await;
    Fixture { app, ward }
}

async fn fixture() -> Fixture {
    fixture_with(Settings::default()).await
}

/// The report's default template with one more paragraph before the closing line.
fn report_with(extra: &str) -> String {
    let default = documents::default_source(DocumentKind::Report);
    let (body, last) = default.rsplit_once("\n\n").unwrap();
    format!("{body}\n\n{extra}\n\n{last}")
}

/// The text of the editor in a page, as the browser would submit it again.
fn editor_text(page: &str) -> String {
    let start = page.find("<textarea").expect("an editor");
    let open_end = start + page[start..].find('>').unwrap() + 1;
    let close = open_end + page[open_end..].find("</textarea>").unwrap();
    // The template writes a newline after the tag, which HTML parsers drop.
    let raw = page[open_end..close].strip_prefix('\n').unwrap_or(&page[open_end..close]);
    unescape(raw)
}

/// Decodes the character references askama writes (`&#60;`, `&#x27;`, `&amp;`...).
fn unescape(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after.find(';').filter(|e| *e <= 8);
        let decoded = end.and_then(|e| match &after[..e] {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            n if n.starts_with("#x") => u32::from_str_radix(&n[2..], 16).ok().and_then(char::from_u32),
            n if n.starts_with('#') => n[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of `word/document.xml` of a DOCX, tags removed.
fn docx_text(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a DOCX is a ZIP package");
    let mut xml = String::new();
    archive.by_name("word/document.xml").expect("the main part").read_to_string(&mut xml).unwrap();
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&")
}

async fn render_docx(state: &AppState, kind: DocumentKind) -> Result<String, AppError> {
    let file = documents::render(state, kind, &sample_record(kind), sample_frame(7), Format::Docx).await?;
    assert_eq!(file.content_type, Format::Docx.content_type());
    Ok(docx_text(&file.bytes))
}

#[tokio::test]
async fn a_template_with_an_unknown_field_is_refused_naming_the_field_and_line_with_the_text_kept() {
    let f = fixture().await;
    let admin = f.app.sign_in("quantri").await;
    let typed = "summary: Kết luận của {{chair.title}} tại {{host.name}}\r\nrecipient: Lưu: VT.\r\n---\r\n\r\nNgày {{visit.dat}}, đoàn làm việc <b>&</b> \"trao đổi\".\r\n";
    let res = admin.post("/admin/templates/conclusion_notice", &[("source", typed), ("base_version", "0")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let error = res.body.split("id=\"source-error\">").nth(1).expect("the field error").split("</p>").next().unwrap();
    assert!(error.contains("Dòng 5") && error.contains("«visit.dat»"), "{error}");
    assert!(error.contains("Có phải ý bạn là «visit.date»?"), "{error}");
    assert!(res.body.contains("aria-invalid=\"true\""));
    assert_eq!(editor_text(&res.body), typed, "the text comes back exactly as typed");
    assert_eq!(templates::count(f.app.db.db(), "conclusion_notice").await.unwrap(), 0);
    assert!(audit::history(f.app.db.db(), "document_template", "conclusion_notice", 5).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_syntax_mistake_is_refused_with_its_line_in_the_users_language() {
    let f = fixture().await;
    let admin = f.app.sign_in("quantri").await;
    let typed = "---\n{{#each results as r}}\n- {{r.text}}\n";
    let vi = admin.post("/admin/templates/report", &[("source", typed)]).await;
    assert_eq!(vi.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(vi.body.contains("Dòng 2") && vi.body.contains("chưa được đóng bằng «{{/each}}»"), "{}", vi.body);
    let en = admin.post("/admin/templates/report?lang=en", &[("source", typed)]).await;
    assert!(en.body.contains("Line 2") && en.body.contains("never closed"), "{}", en.body);
}

#[tokio::test]
async fn a_saved_template_becomes_a_version_and_changes_the_rendered_document() {
    let f = fixture().await;
    let state = f.app.state();
    let before = render_docx(&state, DocumentKind::Report).await.unwrap();
    assert!(!before.contains("Đây là đoạn do quản trị viên thêm"));

    let admin = f.app.sign_in("quantri").await;
    let text = report_with("Đây là đoạn do quản trị viên thêm cho {{org.name}}.");
    let res = admin.post("/admin/templates/report", &[("source", &text), ("base_version", "0")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.header("location"), "/admin/templates/report?saved=1");

    let after = render_docx(&state, DocumentKind::Report).await.unwrap();
    assert!(after.contains("Đây là đoạn do quản trị viên thêm cho Sở Khoa học và Công nghệ."), "{after}");
    let page = admin.get("/admin/templates/report?saved=1").await;
    assert!(page.body.contains("Đã lưu phiên bản 1"));
    assert!(page.body.contains("Đang dùng phiên bản 1, do quantri lưu lúc"));
    assert!(page.body.contains("Đây là đoạn do quản trị viên thêm cho Sở Khoa học và Công nghệ."), "the preview");
    let list = admin.get("/admin/templates").await;
    assert!(list.body.contains("Phiên bản 1") && list.body.contains("quantri"));

    let active = templates::active(f.app.db.db(), "report").await.unwrap().unwrap();
    assert_eq!((active.version, active.created_by_label.as_str()), (1, "quantri"));
    let events = audit::history(f.app.db.db(), "document_template", "report", 5).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].action, "update");
    let changes = events[0].change_list();
    let source = changes.iter().find(|c| c.field == "source").unwrap();
    assert_eq!(source.before, serde_json::json!(""), "no line removed");
    let added = source.after.as_str().unwrap();
    assert_eq!(added.trim(), "Đây là đoạn do quản trị viên thêm cho {{org.name}}.", "only the new lines");
}

#[tokio::test]
async fn restoring_a_version_and_the_default_makes_new_versions_and_records_them() {
    let f = fixture().await;
    let state = f.app.state();
    let admin = f.app.sign_in("quantri").await;
    let first = report_with("Đoạn của phiên bản một.");
    let second = report_with("Đoạn của phiên bản hai.");
    assert_eq!(admin.post("/admin/templates/report", &[("source", &first)]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(admin.post("/admin/templates/report", &[("source", &second)]).await.status, StatusCode::SEE_OTHER);
    assert!(render_docx(&state, DocumentKind::Report).await.unwrap().contains("phiên bản hai"));

    let res = admin.post("/admin/templates/report/restore", &[("version", "1")]).await;
    assert_eq!((res.status, res.header("location")), (StatusCode::SEE_OTHER, "/admin/templates/report?restored=3"));
    let text = render_docx(&state, DocumentKind::Report).await.unwrap();
    assert!(text.contains("phiên bản một") && !text.contains("phiên bản hai"));

    let res = admin.post("/admin/templates/report/default", &[]).await;
    assert_eq!((res.status, res.header("location")), (StatusCode::SEE_OTHER, "/admin/templates/report?default=4"));
    let text = render_docx(&state, DocumentKind::Report).await.unwrap();
    assert!(!text.contains("phiên bản một"));
    let active = templates::active(f.app.db.db(), "report").await.unwrap().unwrap();
    assert!(active.is_default() && active.version == 4);

    // Restoring the default again changes nothing.
    let res = admin.post("/admin/templates/report/default", &[]).await;
    assert_eq!(res.header("location"), "/admin/templates/report?unchanged=1");
    assert_eq!(templates::count(f.app.db.db(), "report").await.unwrap(), 4);

    let actions: Vec<String> = audit::history(f.app.db.db(), "document_template", "report", 10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["restore_default", "restore", "update", "update"]);
    let page = admin.get("/admin/templates/report?default=4").await;
    assert!(page.body.contains("Đã khôi phục mẫu mặc định (phiên bản 4)"));
    assert!(page.body.contains("Khôi phục phiên bản 1") && page.body.contains("Mẫu mặc định của chương trình"));
    assert!(page.body.contains("Khôi phục mẫu mặc định của Báo cáo (phiên bản 4)"), "the history panel");
    assert!(!page.body.contains("id=\"restore-default\""), "nothing to restore while the default is in use");
    // An earlier version opens in the editor without being saved.
    let opened = admin.get("/admin/templates/report?version=2").await;
    assert!(editor_text(&opened.body).contains("Đoạn của phiên bản hai."));
    assert_eq!(admin.get("/admin/templates/report?version=9").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn saving_the_text_in_use_makes_no_version_and_a_stale_save_keeps_the_text() {
    let f = fixture().await;
    let admin = f.app.sign_in("quantri").await;
    let default = documents::default_source(DocumentKind::Decision);
    let same = admin.post("/admin/templates/decision", &[("source", &default.replace('\n', "\r\n"))]).await;
    assert_eq!(same.header("location"), "/admin/templates/decision?unchanged=1");
    assert_eq!(templates::count(f.app.db.db(), "decision").await.unwrap(), 0);

    // Another administrator saves while this one edits version 0.
    f.app.user("quantri2", None, &[(Role::Administrator, Scope::Province)]).await;
    let other = f.app.sign_in("quantri2").await;
    other.post("/admin/templates/decision", &[("source", &format!("{default}\nThêm một dòng."))]).await;
    let mine = format!("{default}\nDòng của tôi.");
    let res = admin.post("/admin/templates/decision", &[("source", &mine), ("base_version", "0")]).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(res.body.contains("quantri2 đã lưu phiên bản 1"), "{}", res.body);
    assert_eq!(editor_text(&res.body), mine);
    assert!(res.body.contains("name=\"base_version\" value=\"1\""), "saving again overwrites knowingly");
    let again = admin.post("/admin/templates/decision", &[("source", &mine), ("base_version", "1")]).await;
    assert_eq!(again.header("location"), "/admin/templates/decision?saved=2");
}

#[tokio::test]
async fn the_preview_shows_the_draft_without_saving_as_a_page_a_fragment_or_a_file() {
    let f = fixture().await;
    let admin = f.app.sign_in("quantri").await;
    let draft = report_with("Đoạn chỉ để xem trước.");
    let page = admin.post("/admin/templates/report/preview", &[("source", &draft), ("format", "html")]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<!doctype html>") && page.body.contains("Đoạn chỉ để xem trước."));
    assert_eq!(editor_text(&page.body), draft);
    assert!(page.body.contains("Số: 01/BC-SKHCN") && page.body.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));

    let fragment = f
        .app
        .send(
            Request::post("/admin/templates/report/preview")
                .header("cookie", &admin.cookie)
                .header("content-type", "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .header("x-fragment", "1")
                .body(Body::from(format!(
                    "_csrf={}&source={}",
                    admin.csrf,
                    tiendo_web::forms::url_encode("---\nChào {{org.nam}}")
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(fragment.status, StatusCode::OK);
    assert!(fragment.body.trim_start().starts_with("<section id=\"template-preview\""), "{}", fragment.body);
    assert!(fragment.body.contains("id=\"preview-error\"") && fragment.body.contains("«org.nam»"));

    let docx = admin.post("/admin/templates/report/preview", &[("source", &draft), ("format", "docx")]).await;
    assert_eq!(docx.status, StatusCode::OK);
    assert_eq!(docx.header("content-type"), Format::Docx.content_type());
    assert_eq!(docx.header("content-disposition"), "attachment; filename=\"bao-cao-so-01-bc-skhcn.docx\"");
    let invalid = admin.post("/admin/templates/report/preview", &[("source", "---\n{{x}}"), ("format", "docx")]).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(invalid.body.contains("id=\"source-error\""));
    assert_eq!(templates::count(f.app.db.db(), "report").await.unwrap(), 0, "previews save nothing");
}

/// Whether the PDF fonts are installed; skips (or fails in CI) otherwise, like the export tests.
fn pdf_fonts_installed() -> bool {
    match tiendo_export::pdf::FontSet::load_system() {
        Ok(_) => true,
        Err(e) => {
            let required = std::env::var("TIENDO_REQUIRE_LIBREOFFICE").is_ok_and(|v| v == "1");
            assert!(!required, "{e}");
            eprintln!("NOTICE: {e}; PDF test skipped");
            false
        }
    }
}

#[tokio::test]
async fn with_the_fonts_installed_the_preview_downloads_as_pdf() {
    if !pdf_fonts_installed() {
        return;
    }
    let f = fixture().await;
    let admin = f.app.sign_in("quantri").await;
    let page = admin.get("/admin/templates/minutes").await;
    assert!(!page.body.contains("id=\"pdf-problem\""));
    let draft = editor_text(&page.body);
    let pdf = admin.post("/admin/templates/minutes/preview", &[("source", &draft), ("format", "pdf")]).await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
    assert_eq!(pdf.header("content-type"), "application/pdf");
    assert!(pdf.body.starts_with("%PDF-"));
    let file = documents::render(
        &f.app.state(),
        DocumentKind::Minutes,
        &sample_record(DocumentKind::Minutes),
        sample_frame(3),
        Format::Pdf,
    )
    .await
    .unwrap();
    assert_eq!(file.file_name, "bien-ban-so-03-bb-skhcn.pdf");
}

#[tokio::test]
async fn without_fonts_pdf_gives_the_engines_message_and_docx_still_works() {
    let empty = tempfile::tempdir().unwrap();
    let site = Settings { pdf_fonts: PdfFonts::Dirs(vec![empty.path().to_owned()]), ..Settings::default() };
    let f = fixture_with(site.clone()).await;
    let admin = f.app.sign_in("quantri").await;
    let page = admin.get("/admin/templates/decision").await;
    assert_eq!(page.status, StatusCode::OK);
    let notice = page.body.split("id=\"pdf-problem\"").nth(1).expect("the PDF notice").split("</div>").next().unwrap();
    assert!(notice.contains("fonts-liberation2") && notice.contains(&empty.path().display().to_string()), "{notice}");
    let draft = editor_text(&page.body);
    let pdf = admin.post("/admin/templates/decision/preview", &[("source", &draft), ("format", "pdf")]).await;
    assert_eq!(pdf.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(pdf.body.contains("Chưa cài phông chữ cho PDF") && pdf.body.contains("missing font: Liberation Serif"));
    let docx = admin.post("/admin/templates/decision/preview", &[("source", &draft), ("format", "docx")]).await;
    assert_eq!(docx.status, StatusCode::OK);

    let state = AppState::new(f.app.db.db().clone(), site);
    let record = sample_record(DocumentKind::Decision);
    let err =
        documents::render(&state, DocumentKind::Decision, &record, sample_frame(1), Format::Pdf).await.unwrap_err();
    assert_eq!((err.status(), err.code()), (StatusCode::SERVICE_UNAVAILABLE, "pdf_font_missing"));
    assert!(documents::render(&state, DocumentKind::Decision, &record, sample_frame(1), Format::Docx).await.is_ok());
}

#[tokio::test]
async fn on_a_machine_without_times_metric_fonts_pdfs_use_the_embedded_family_and_the_log_names_it() {
    let empty = tempfile::tempdir().unwrap();
    let site = Settings { pdf_fonts: PdfFonts::Search(vec![empty.path().to_owned()]), ..Settings::default() };
    let f = fixture_with(site.clone()).await;
    let state = AppState::new(f.app.db.db().clone(), site);
    let logs = logs_of(async {
        let fonts = state.pdf_fonts().expect("the embedded family");
        assert!(fonts.is_fallback());
    })
    .await;
    for expected in ["WARN", "Libertinus Serif", "typst-assets", "fonts-liberation2", "Times New Roman"] {
        assert!(logs.contains(expected), "{expected} in the log: {logs}");
    }
    assert!(logs.contains(&empty.path().display().to_string()), "where it looked: {logs}");
    // The first PDF of a newcomer works: the preview and a module's document.
    let admin = f.app.sign_in("quantri").await;
    let page = admin.get("/admin/templates/decision").await;
    assert!(!page.body.contains("id=\"pdf-problem\""), "no font problem shown");
    let draft = editor_text(&page.body);
    let pdf = admin.post("/admin/templates/decision/preview", &[("source", &draft), ("format", "pdf")]).await;
    assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
    assert!(pdf.body.starts_with("%PDF-"));
    let record = sample_record(DocumentKind::Decision);
    let file = documents::render(&state, DocumentKind::Decision, &record, sample_frame(1), Format::Pdf).await.unwrap();
    assert!(file.bytes.starts_with(b"%PDF-"));
}

#[tokio::test]
async fn every_kind_renders_its_sample_record_with_the_active_template() {
    let f = fixture().await;
    let state = f.app.state();
    for kind in DocumentKind::ALL {
        let text = render_docx(&state, kind).await.unwrap();
        assert!(text.contains(kind.title()), "{}: {text}", kind.id());
        let doc = tiendo_export::sample::sample_document(kind).unwrap();
        assert!(text.contains(&doc.summary), "{}", kind.id());
    }
}

#[tokio::test]
async fn a_value_too_long_for_its_field_is_refused_naming_the_field() {
    let f = fixture().await;
    let record = sample_record(DocumentKind::Certificate).text("enterprise.code", "5701234567-001-XYZ");
    let err = documents::render(&f.app.state(), DocumentKind::Certificate, &record, sample_frame(7), Format::Docx)
        .await
        .unwrap_err();
    let AppError::Validation(fields) = &err else { panic!("{err:?}") };
    assert_eq!((fields[0].field.as_str(), fields[0].code.as_str()), ("enterprise.code", "document_value_too_long"));
    let message =
        tiendo_web::errors_render::field_message(&fields[0], &tiendo_app::i18n::Tr::new(tiendo_core::lang::Lang::Vi));
    assert_eq!(message, "Trường «enterprise.code» dài 18 ký tự; loại văn bản này chỉ cho phép tối đa 14 ký tự.");
}

#[tokio::test]
async fn a_saved_template_that_no_longer_fits_the_kind_falls_back_to_the_default() {
    let f = fixture().await;
    // As if an older program had saved a field this one no longer declares.
    f.app.db.fixtures().template_version("certificate", "---\nSố vốn: {{enterprise.capital}}").create().await;
    let text = render_docx(&f.app.state(), DocumentKind::Certificate).await.unwrap();
    assert!(text.contains("Công ty TNHH thủy sản Minh Hàn") && !text.contains("Số vốn"));
    let admin = f.app.sign_in("quantri").await;
    let page = admin.get("/admin/templates/certificate").await;
    let alert = page.body.split("id=\"template-fallback\"").nth(1).expect("the alert").split("</div>").next().unwrap();
    assert!(alert.contains("«enterprise.capital»"), "{alert}");
    assert!(page.body.contains("id=\"restore-default\""), "the default can be restored to clear the alert");
    assert!(admin.get("/admin/templates").await.body.contains("Không còn hợp lệ"));
    let restore = admin.post("/admin/templates/certificate/restore", &[("version", "1")]).await;
    assert_eq!(restore.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(restore.body.contains("Không khôi phục được phiên bản 1"));
}

#[tokio::test]
async fn only_province_wide_administrators_open_or_change_templates() {
    let f = fixture().await;
    let anonymous = f.app.get("/admin/templates").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.header("location").starts_with("/login"));
    for username in ["chuyenvien", "qt.haan"] {
        let user = f.app.sign_in(username).await;
        assert_eq!(user.get("/admin/templates").await.status, StatusCode::FORBIDDEN, "{username}");
        assert_eq!(user.get("/admin/templates/report").await.status, StatusCode::FORBIDDEN, "{username}");
        let save = user.post("/admin/templates/report", &[("source", "---\nx")]).await;
        assert_eq!(save.status, StatusCode::FORBIDDEN, "{username}");
        assert_eq!(user.post("/admin/templates/report/default", &[]).await.status, StatusCode::FORBIDDEN);
        let hub = user.get("/admin").await;
        assert!(!hub.body.contains("href=\"/admin/templates\""), "{username} has no entry for templates");
    }
    assert_eq!(templates::count(f.app.db.db(), "report").await.unwrap(), 0);
    let admin = f.app.sign_in("quantri").await;
    assert!(admin.get("/").await.body.contains("href=\"/admin\""), "the menu leads to administration");
    assert!(admin.get("/admin").await.body.contains("href=\"/admin/templates\""));
    assert_eq!(admin.get("/admin/templates/invoice").await.status, StatusCode::NOT_FOUND);
    let _ = f.ward;
}

async fn token(app: &TestApp, username: &str) -> String {
    let (user, _) = identity::user_for_login(app.db.db(), username).await.unwrap().unwrap();
    let token = tiendo_app::secret::new_api_token();
    let digest = tiendo_app::secret::digest(&token);
    identity::create_token(app.db.db(), user.id, "test", &digest, &token[..10], None, chrono::Utc::now())
        .await
        .unwrap();
    token
}

async fn api(app: &TestApp, method: &str, uri: &str, token: &str, body: Option<serde_json::Value>) -> TestResponse {
    let mut builder = Request::builder().method(method).uri(uri).header("authorization", format!("Bearer {token}"));
    if body.is_some() {
        builder = builder.header("content-type", "application/json");
    }
    app.send(builder.body(body.map_or_else(Body::empty, |b| Body::from(b.to_string()))).unwrap()).await
}

#[tokio::test]
async fn the_api_lists_shows_and_saves_templates() {
    let f = fixture().await;
    assert_eq!(f.app.get("/api/v1/document-templates").await.status, StatusCode::UNAUTHORIZED);
    let admin = token(&f.app, "quantri").await;
    let list = api(&f.app, "GET", "/api/v1/document-templates", &admin, None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let list = list.json();
    assert_eq!(list["total"], 5);
    assert_eq!(list["items"][1]["kind"], "conclusion_notice");
    assert_eq!(list["items"][1]["name"], "Thông báo kết luận");
    assert_eq!(
        (list["items"][1]["version"].clone(), list["items"][1]["uses_default"].clone()),
        (0.into(), true.into())
    );

    let one = api(&f.app, "GET", "/api/v1/document-templates/conclusion_notice", &admin, None).await.json();
    assert_eq!(one["source"], documents::default_source(DocumentKind::ConclusionNotice));
    let directives = one["fields"].as_array().unwrap().iter().find(|f| f["path"] == "directives").unwrap();
    assert_eq!(directives["kind"], "list");
    assert_eq!(directives["items"][2]["path"], "deadline");
    assert_eq!(directives["items"][2]["max_len"], 60);

    let text = format!("{}\nMột dòng mới.", one["source"].as_str().unwrap());
    let put = api(
        &f.app,
        "PUT",
        "/api/v1/document-templates/conclusion_notice",
        &admin,
        Some(serde_json::json!({ "source": text, "base_version": 0 })),
    )
    .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    let saved = put.json();
    assert_eq!((saved["version"].clone(), saved["uses_default"].clone()), (1.into(), false.into()));
    assert_eq!(saved["updated_by"], "quantri");
    assert_eq!(saved["versions"][0]["version"], 1);
    let again = api(
        &f.app,
        "PUT",
        "/api/v1/document-templates/conclusion_notice",
        &admin,
        Some(serde_json::json!({ "source": text })),
    )
    .await;
    assert_eq!((again.status, again.json()["version"].clone()), (StatusCode::OK, 1.into()), "unchanged: no version");
}

#[tokio::test]
async fn the_api_refuses_an_unknown_field_a_stale_base_an_unknown_kind_and_non_administrators() {
    let f = fixture().await;
    let admin = token(&f.app, "quantri").await;
    let put = |kind: &'static str, body: serde_json::Value| {
        let admin = admin.clone();
        let app = &f.app;
        async move { api(app, "PUT", &format!("/api/v1/document-templates/{kind}"), &admin, Some(body)).await }
    };
    let bad =
        put("minutes", serde_json::json!({ "source": "summary: Họp\n---\nHội đồng họp ngày {{meeting.day}}." })).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.header("content-type"), "application/problem+json");
    let problem = bad.json();
    assert_eq!(problem["code"], "validation_failed");
    let error = &problem["errors"][0];
    assert_eq!((error["field"].as_str(), error["code"].as_str()), (Some("source"), Some("unknown_field")));
    assert_eq!(error["params"]["name"], "meeting.day");
    assert_eq!(error["params"]["line"], "3");
    assert_eq!(error["params"]["suggestion"], "meeting.date");
    assert!(error["detail"].as_str().unwrap().contains("«meeting.day»"));

    let default = documents::default_source(DocumentKind::Minutes);
    assert_eq!(put("minutes", serde_json::json!({ "source": format!("{default}\nA") })).await.status, StatusCode::OK);
    let stale = put("minutes", serde_json::json!({ "source": format!("{default}\nB"), "base_version": 0 })).await;
    assert_eq!((stale.status, stale.json()["code"].clone()), (StatusCode::CONFLICT, "stale_template".into()));
    let unknown = put("invoice", serde_json::json!({ "source": "---\nx" })).await;
    assert_eq!(
        (unknown.status, unknown.json()["code"].clone()),
        (StatusCode::NOT_FOUND, "unknown_document_kind".into())
    );

    for username in ["chuyenvien", "qt.haan"] {
        let other = token(&f.app, username).await;
        let res = api(&f.app, "GET", "/api/v1/document-templates", &other, None).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{username}");
        let res = api(
            &f.app,
            "PUT",
            "/api/v1/document-templates/minutes",
            &other,
            Some(serde_json::json!({ "source": format!("{default}\nC") })),
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{username}");
    }
    assert_eq!(templates::count(f.app.db.db(), "minutes").await.unwrap(), 1);
}
