use axum::http::{Method, StatusCode};
use tiendo_core::authz::{Role, Scope};

use crate::harness::TestApp;

#[tokio::test]
async fn the_openapi_document_matches_the_snapshot() {
    let app = TestApp::new().await;
    let res = app.get("/api/v1/openapi.json").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), "application/json");
    let mut doc = res.json();
    // The version changes with every release; the document's shape must not change unnoticed.
    doc["info"]["version"] = serde_json::Value::String("[version]".into());
    insta::assert_json_snapshot!("openapi", doc);
}

/// What OpenAPI 3.1 requires of parameters (a path parameter names a segment of its path, and is
/// required) and what the API promises every client: the problem responses that any operation of its
/// shape and policy can give. (`.ci/schemathesis` validates the whole document against the OpenAPI 3.1
/// schema and checks the server against it.)
#[test]
fn every_operation_declares_its_parameters_where_they_are_and_the_problems_it_can_give() {
    let doc = serde_json::to_value(tiendo_web::api::openapi_document()).unwrap();
    let public: Vec<&str> = tiendo_web::api::POLICIES
        .iter()
        .filter(|(_, p)| *p == tiendo_web::auth::policy::Policy::Public)
        .map(|(id, _)| *id)
        .collect();
    let mut problems = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap();
            let responses = op["responses"].as_object().unwrap();
            let mut expected: Vec<(&str, &str)> = Vec::new();
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            for param in &params {
                let name = param["name"].as_str().unwrap();
                match param["in"].as_str().unwrap() {
                    "path" if !path.contains(&format!("{{{name}}}")) || param["required"] != true => problems
                        .push(format!("{method} {path} ({id}): path parameter {name} is not a required segment")),
                    "path" => expected.push(("404", "it has a path parameter")),
                    "query" => expected.push(("400", "it has query parameters")),
                    _ => {}
                }
            }
            if op.get("requestBody").is_some() {
                for status in ["400", "413", "415"] {
                    expected.push((status, "it takes a body"));
                }
            }
            if !public.contains(&id) {
                expected.push(("401", "it is not public"));
                if op["security"] != serde_json::json!([{"bearer": []}]) {
                    problems.push(format!("{method} {path} ({id}): not public, but no bearer security"));
                }
            }
            if id != "get_status" {
                expected.push(("503", "it reads the database"));
            }
            for (status, why) in expected {
                if !responses.contains_key(status) {
                    problems.push(format!("{method} {path} ({id}): no {status} although {why}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn status_answers_json() {
    let app = TestApp::new().await;
    let res = app.get("/api/v1/status").await;
    assert_eq!(res.status, StatusCode::OK);
    let body = res.json();
    assert_eq!(body["product"], "tiendo");
    assert_eq!(body["api_version"], "v1");
}

#[tokio::test]
async fn an_unknown_api_path_is_a_problem_json_404() {
    let app = TestApp::new().await;
    let res = app.get("/api/v1/nothing-here").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(res.header("content-type"), "application/problem+json");
    let body = res.json();
    assert_eq!(body["code"], "not_found");
    assert_eq!(body["status"], 404);
    assert_eq!(body["instance"], "/api/v1/nothing-here");
    assert_eq!(body["type"], "/api/docs#error-not_found");
    assert!(body["detail"].as_str().unwrap().contains("/api/v1/nothing-here"));
    assert!(!body["request_id"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn api_errors_are_localised_by_accept_language() {
    let app = TestApp::new().await;
    let vi = app.get("/api/v1/nothing-here").await.json();
    assert_eq!(vi["title"], "Không tìm thấy trang");
    let en = app.get_with("/api/v1/nothing-here", &[("accept-language", "en-US,en;q=0.9")]).await.json();
    assert_eq!(en["title"], "Page not found");
}

#[tokio::test]
async fn a_wrong_method_is_a_problem_json_405() {
    let app = TestApp::new().await;
    let res = app.request(Method::DELETE, "/api/v1/status", None, Vec::new()).await;
    assert_eq!(res.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(res.header("content-type"), "application/problem+json");
    assert_eq!(res.json()["code"], "method_not_allowed");
    assert!(res.header("allow").contains("GET"));
}

#[tokio::test]
async fn an_id_that_does_not_parse_is_our_404_on_the_api_and_on_pages() {
    let app = TestApp::new().await;
    let token = app.token("quantri_api", None, &[(Role::Administrator, Scope::Province)]).await;
    for path in ["/api/v1/organizations/abc", "/api/v1/organizations/99999999999999999999"] {
        let res = app.api(Method::GET, path, Some(&token), None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(res.header("content-type"), "application/problem+json", "{path}");
        assert_eq!(res.json()["code"], "not_found", "{path}");
    }
    app.user("quantri", None, &[(Role::Administrator, Scope::Province)]).await;
    let admin = app.sign_in("quantri").await;
    for path in ["/documents/abc", "/files/abc/x", "/media/abc/x.jpg", "/plans/99999999999999999999"] {
        let res = admin.get(path).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!res.body.contains("Invalid URL") && !res.body.contains("Cannot parse"), "{path}: {}", res.body);
        assert!(!res.header("content-type").starts_with("text/plain"), "{path}: {}", res.header("content-type"));
    }
}

/// Every reference in the document leads somewhere: a schema that utoipa references but was never registered
/// (a parameter's enum, a type only named inside another) leaves a dangling `$ref` that the snapshot keeps
/// without complaint and that OpenAPI validators and client generators refuse.
#[test]
fn every_reference_in_the_openapi_document_resolves() {
    fn refs<'a>(value: &'a serde_json::Value, out: &mut Vec<&'a str>) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(r)) = map.get("$ref") {
                    out.push(r);
                }
                map.values().for_each(|v| refs(v, out));
            }
            serde_json::Value::Array(list) => list.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let doc = serde_json::to_value(tiendo_web::api::openapi_document()).unwrap();
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.len() > 100, "the document's references were not found: {}", found.len());
    let mut dangling: Vec<&str> = found
        .into_iter()
        .filter(|r| r.strip_prefix("#/").is_none_or(|path| doc.pointer(&format!("/{path}")).is_none()))
        .collect();
    dangling.sort_unstable();
    dangling.dedup();
    assert!(dangling.is_empty(), "references to nothing: {dangling:?}");
}

/// Every type of the API's schemas has a name of its own: utoipa keys the document's schemas by the type's
/// name, so a second type of the same name (in another module) silently replaces the first and the
/// document then describes one of the operations wrongly (found by schemathesis for the contracts' and the
/// certificates' `YearBody`). Read from the sources: once merged, the document cannot tell.
#[test]
fn no_two_api_schemas_share_a_name() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut seen: std::collections::BTreeMap<String, Vec<String>> = std::collections::BTreeMap::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let mut deriving = false;
            let mut renamed: Option<String> = None;
            for line in text.lines().map(str::trim) {
                if line.starts_with("#[derive(") && line.contains("ToSchema") {
                    deriving = true;
                } else if deriving && line.starts_with("#[schema(as = ") {
                    renamed = line.trim_start_matches("#[schema(as = ").split([')', ',']).next().map(str::to_owned);
                } else if deriving && !line.starts_with("#[") && !line.starts_with("///") {
                    let name = line
                        .split_whitespace()
                        .skip_while(|w| !matches!(*w, "struct" | "enum"))
                        .nth(1)
                        .map(|w| w.split(['<', '{', '(']).next().unwrap_or(w).to_owned());
                    if let Some(name) = renamed.take().or(name) {
                        let file = path.strip_prefix(&root).unwrap().display().to_string();
                        seen.entry(name).or_default().push(file);
                    }
                    deriving = false;
                }
            }
        }
    }
    assert!(seen.len() > 100, "the scan found the API's schemas: {}", seen.len());
    let twice: Vec<_> = seen.iter().filter(|(_, files)| files.len() > 1).collect();
    assert!(twice.is_empty(), "schemas of the same name (one hides the other in the OpenAPI document): {twice:?}");
}
