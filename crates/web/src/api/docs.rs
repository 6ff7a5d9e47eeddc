//! `GET /api/docs`: a readable reference of the API, rendered on the server from the OpenAPI document,
//! with no external asset.

use askama::Template;
use axum::response::Response;
use serde_json::Value;

use crate::error::AppError;
use crate::layout::{Ctx, Layout, render};

/// A parameter of an operation.
#[derive(Debug)]
struct ParamView {
    name: String,
    location: String,
    required: bool,
    kind: String,
    description: String,
}

/// A response of an operation.
#[derive(Debug)]
struct ResponseView {
    status: String,
    description: String,
    schema: String,
}

/// One operation.
#[derive(Debug)]
struct OperationView {
    anchor: String,
    method: String,
    path: String,
    summary: String,
    description: String,
    secured: bool,
    params: Vec<ParamView>,
    body: Option<String>,
    responses: Vec<ResponseView>,
}

/// A property of a schema.
#[derive(Debug)]
struct PropertyView {
    name: String,
    kind: String,
    required: bool,
    description: String,
}

/// A schema of the components section.
#[derive(Debug)]
struct SchemaView {
    name: String,
    description: String,
    properties: Vec<PropertyView>,
}

/// A stable error code and its meaning.
#[derive(Debug)]
struct ErrorCodeView {
    code: String,
    title: String,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct ApiDocsPage {
    layout: Layout,
    title: String,
    version: String,
    description: String,
    operations: Vec<OperationView>,
    schemas: Vec<SchemaView>,
    error_codes: Vec<ErrorCodeView>,
}

/// A string field, with rustdoc link markup (`` [`Problem`] ``) reduced to plain words.
fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or_default().replace("[`", "").replace("`]", "").replace('`', "")
}

/// A short type description of a schema: `string`, `integer (int64)`, `Problem`, `array of Unit`.
fn type_name(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    if let Some(variants) = schema.get("oneOf").or_else(|| schema.get("anyOf")).and_then(Value::as_array) {
        let names: Vec<String> = variants.iter().map(type_name).filter(|n| n != "null").collect();
        return names.join(" | ");
    }
    let kind = match schema.get("type") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(kinds)) => {
            kinds.iter().filter_map(Value::as_str).filter(|k| *k != "null").collect::<Vec<_>>().join(" | ")
        }
        _ => String::new(),
    };
    if kind == "array"
        && let Some(items) = schema.get("items")
    {
        return format!("array of {}", type_name(items));
    }
    match schema.get("format").and_then(Value::as_str) {
        Some(format) => format!("{kind} ({format})"),
        None if kind.is_empty() => "object".to_owned(),
        None => kind,
    }
}

fn content_schema(content: Option<&Value>) -> String {
    content
        .and_then(Value::as_object)
        .and_then(|c| c.values().next())
        .and_then(|media| media.get("schema"))
        .map(type_name)
        .unwrap_or_default()
}

/// A response, or the shared response of the components it refers to.
fn resolve<'a>(doc: &'a Value, response: &'a Value) -> &'a Value {
    response
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/responses/"))
        .and_then(|name| doc.pointer("/components/responses")?.get(name))
        .unwrap_or(response)
}

fn operations(doc: &Value) -> Vec<OperationView> {
    let mut out = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            let Some(op) = item.get(method) else { continue };
            let params = op
                .get("parameters")
                .and_then(Value::as_array)
                .map(|ps| {
                    ps.iter()
                        .map(|p| ParamView {
                            name: text(p, "name"),
                            location: text(p, "in"),
                            required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                            kind: p.get("schema").map(type_name).unwrap_or_default(),
                            // A parameter whose schema is built in code carries its description there.
                            description: Some(text(p, "description"))
                                .filter(|d| !d.is_empty())
                                .or_else(|| p.get("schema").map(|s| text(s, "description")))
                                .unwrap_or_default(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let body = op.get("requestBody").map(|b| content_schema(b.get("content")));
            let responses = op
                .get("responses")
                .and_then(Value::as_object)
                .map(|rs| {
                    rs.iter()
                        .map(|(status, r)| (status, resolve(doc, r)))
                        .map(|(status, r)| ResponseView {
                            status: status.clone(),
                            description: text(r, "description"),
                            schema: content_schema(r.get("content")),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let operation_id = text(op, "operationId");
            out.push(OperationView {
                anchor: if operation_id.is_empty() { format!("{method}-{path}") } else { operation_id },
                method: method.to_uppercase(),
                path: format!("/api/v1{path}"),
                summary: text(op, "summary"),
                description: text(op, "description"),
                secured: op.get("security").is_some(),
                params,
                body,
                responses,
            });
        }
    }
    out
}

fn schemas(doc: &Value) -> Vec<SchemaView> {
    let Some(schemas) = doc.pointer("/components/schemas").and_then(Value::as_object) else {
        return Vec::new();
    };
    schemas
        .iter()
        .map(|(name, schema)| {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let properties = schema
                .get("properties")
                .and_then(Value::as_object)
                .map(|props| {
                    props
                        .iter()
                        .map(|(prop, s)| PropertyView {
                            name: prop.clone(),
                            kind: type_name(s),
                            required: required.contains(&prop.as_str()),
                            description: text(s, "description"),
                        })
                        .collect()
                })
                .unwrap_or_default();
            SchemaView { name: name.clone(), description: text(schema, "description"), properties }
        })
        .collect()
}

/// `GET /api/docs`.
pub async fn show(ctx: Ctx) -> Result<Response, AppError> {
    let doc = serde_json::to_value(super::openapi_document()).map_err(AppError::internal)?;
    let error_codes = tiendo_app::i18n::FILES
        .iter()
        .flat_map(|(_, vi, _)| tiendo_app::i18n::message_ids(vi))
        .filter_map(|id| id.strip_prefix("error-").filter(|c| !c.contains('.')).map(str::to_owned))
        .map(|code| ErrorCodeView { title: ctx.tr.t(&format!("error-{code}")), code })
        .collect();
    render(&ApiDocsPage {
        layout: ctx.layout("api-docs-title"),
        title: doc.pointer("/info/title").and_then(Value::as_str).unwrap_or_default().to_owned(),
        version: doc.pointer("/info/version").and_then(Value::as_str).unwrap_or_default().to_owned(),
        description: doc.pointer("/info/description").and_then(Value::as_str).unwrap_or_default().to_owned(),
        operations: operations(&doc),
        schemas: schemas(&doc),
        error_codes,
    })
}
