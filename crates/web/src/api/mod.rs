//! The JSON API under `/api/v1`, its OpenAPI document and its reference page.
//!
//! Conventions (written down in `docs/api.md`): JSON bodies; lists answer `{"items", "total", "next"}`;
//! errors are `application/problem+json` with a stable `code`; every operation is declared with
//! `#[utoipa::path]`, so the OpenAPI document is generated from the code.

pub mod codes;
pub mod docs;
pub mod extract;
pub mod formats;
pub use crate::monitoring::api as monitoring;
pub mod paging;
pub mod responses;
pub mod visits;

// The portal's handlers live with the feature (`crate::portal::api`).
use crate::portal::api as portal;

use std::sync::OnceLock;

use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::policy::{Policy, PolicyMap};
use crate::certificates::api as cert;
use crate::directory::api::{organizations, people};
use crate::document_templates::api as templates;
use crate::error::{FieldProblem, Problem};
use crate::geo::api::{address, map_changes, units};
use crate::identity::api as identity;
use crate::notifications::api as notifications;
use crate::sci_tech::api as st;
use crate::state::AppState;
use crate::visits::api as visit_api;
use tiendo_core::authz::Role;

/// A page of a list: the items, how many there are in all, and the cursor of the next page.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListPage<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// How many items match in all.
    pub total: i64,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next: Option<String>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tiến Độ API",
        description = "The JSON API of Tiến Độ. Conventions: docs/api.md. Errors are application/problem+json (RFC 9457) with a stable `code`.",
        license(name = "AGPL-3.0-or-later")
    ),
    components(schemas(Problem, FieldProblem, identity::NewGrant, templates::TemplateUpdate)),
    modifiers(&BearerAuth),
    tags(
        (name = "meta", description = "About this instance"),
        (name = "identity", description = "Accounts, roles and the audit trail"),
        (name = "monitoring", description = "Resolution monitoring: documents, plans, targets, tasks, assignments, progress updates, dashboards. Access is checked as on the pages; statuses are derived, never typed in."),
        (name = "geography", description = "Administrative units with their history, and address resolution"),
        (name = "directory", description = "Organisations, people and their affiliations"),
        (name = "documents", description = "Templates of the official documents"),
        (name = "reporting", description = "Periodic reporting: report templates, reports and their values, approval, aggregates across the 2025 reform. Access is checked as on the pages."),
        (name = "notifications", description = "The caller's own notifications"),
        (name = "visits", description = "Working visits, their conclusions and the directives tracked from them"),
        (name = "portal", description = "News articles, their photos and comments, and the moderation queue"),
        (name = "search", description = "Search across every record the caller may open, Vietnamese-aware (diacritics optional, abbreviations, document symbols, typos)"),
        (name = "indicators", description = "Indicators (KPI): the catalogue with definitions as data, figures computed when read from approved reports and the modules' records (on today's map or the map of the time), the sources behind every figure, and the scorecard. Read and kept by the department's staff."),
        (name = "certificates", description = "S&T enterprise certificates: applications with their dossier, the statutory clock and the conditions evaluated, the steps of their processing, and the public register of certificates. Access is checked as on the pages."),
        (name = "sci_tech", description = "S&T tasks: calls, proposals and dossiers moved through the state machine (every step with its decision document), councils and their scores. Access is checked as on the pages.")
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A personal API token, created on the account page."))
                    .build(),
            ),
        );
    }
}

/// About this instance.
#[derive(Debug, Serialize, ToSchema)]
pub struct Status {
    /// Always `tiendo`.
    pub product: &'static str,
    /// The running version.
    pub version: &'static str,
    /// The API version of this path prefix.
    pub api_version: &'static str,
    /// The server's clock, UTC.
    pub server_time: DateTime<Utc>,
}

/// The running version and the server's clock.
#[utoipa::path(get, path = "/status", tag = "meta", operation_id = "get_status",
    responses((status = 200, description = "About this instance", body = Status)))]
async fn status() -> Json<Status> {
    Json(Status { product: "tiendo", version: env!("CARGO_PKG_VERSION"), api_version: "v1", server_time: Utc::now() })
}

/// The API routes with their OpenAPI declarations, relative to `/api/v1`.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(status))
        .routes(routes!(identity::me))
        .routes(routes!(identity::list_users))
        .routes(routes!(identity::get_user))
        .routes(routes!(identity::search_audit))
        .routes(routes!(identity::transition_user))
        .routes(routes!(identity::grant_role))
        .routes(routes!(identity::revoke_role))
        .routes(routes!(monitoring::legal_documents::list_documents, monitoring::legal_documents::create_document))
        .routes(routes!(monitoring::legal_documents::get_document, monitoring::legal_documents::update_document))
        .routes(routes!(monitoring::plans::list_plans, monitoring::plans::create_plan))
        .routes(routes!(monitoring::plans::get_plan, monitoring::plans::update_plan))
        .routes(routes!(monitoring::plans::get_plan_dashboard))
        .routes(routes!(monitoring::targets::create_target))
        .routes(routes!(monitoring::targets::record_target_value))
        .routes(routes!(monitoring::plans::create_task))
        .routes(routes!(monitoring::assignments::list_assignments))
        .routes(routes!(monitoring::assignments::get_assignment))
        .routes(routes!(monitoring::assignments::create_assignments))
        .routes(routes!(monitoring::assignments::set_assignment_flags))
        .routes(routes!(monitoring::updates::list_updates, monitoring::updates::create_update))
        .routes(routes!(monitoring::updates::get_update, monitoring::updates::edit_update))
        .routes(routes!(monitoring::updates::submit_update))
        .routes(routes!(monitoring::updates::decide_update))
        .routes(routes!(monitoring::dashboards::get_dashboard))
        .routes(routes!(monitoring::dashboards::list_overdue))
        .routes(routes!(units::list_admin_units))
        .routes(routes!(units::get_admin_unit))
        .routes(routes!(units::get_admin_unit_lineage))
        .routes(routes!(address::resolve_address))
        .routes(routes!(map_changes::create_admin_unit_change))
        .routes(routes!(organizations::list_organizations, organizations::create_organization))
        .routes(routes!(organizations::get_organization, organizations::update_organization))
        .routes(routes!(organizations::record_organization_succession))
        .routes(routes!(people::list_people, people::create_person))
        .routes(routes!(people::get_person, people::update_person))
        .routes(routes!(people::create_affiliation))
        .routes(routes!(people::end_affiliation_api))
        .routes(routes!(templates::list_document_templates))
        .routes(routes!(templates::get_document_template, templates::update_document_template))
        .routes(routes!(crate::reporting::api::forms::list_report_templates))
        .routes(routes!(crate::reporting::api::forms::get_report_template))
        .routes(routes!(crate::reporting::api::reports::list_reports, crate::reporting::api::reports::open_report))
        .routes(routes!(crate::reporting::api::reports::get_report))
        .routes(routes!(crate::reporting::api::reports::save_report_values))
        .routes(routes!(crate::reporting::api::reports::decide_report))
        .routes(routes!(crate::reporting::api::reports::get_report_history))
        .routes(routes!(crate::reporting::api::aggregates::get_report_aggregates))
        .routes(routes!(notifications::list_notifications))
        .routes(routes!(notifications::mark_notification_read))
        .routes(routes!(notifications::mark_all_notifications_read))
        .routes(routes!(visit_api::list_visits, visit_api::create_visit))
        .routes(routes!(visit_api::get_visit, visit_api::update_visit))
        .routes(routes!(visit_api::create_visit_conclusion))
        .routes(routes!(visit_api::create_visit_directive))
        .routes(routes!(visit_api::get_visit_notice))
        .routes(routes!(visits::create_visit_article))
        .routes(routes!(portal::list_articles, portal::create_article))
        .routes(routes!(portal::get_article, portal::update_article))
        .routes(routes!(portal::transition_article))
        .routes(routes!(portal::list_article_media, portal::upload_article_media))
        .routes(routes!(portal::list_article_comments, portal::post_article_comment))
        .routes(routes!(portal::list_comments))
        .routes(routes!(portal::decide_comments))
        .routes(routes!(crate::search::api::search))
        .routes(routes!(cert::list_cert_applications, cert::create_cert_application))
        .routes(routes!(cert::get_cert_application, cert::update_cert_application))
        .routes(routes!(cert::step_cert_application))
        .routes(routes!(cert::appraisal::ask_cert_experts))
        .routes(routes!(cert::appraisal::override_cert_expert))
        .routes(routes!(cert::appraisal::give_cert_opinion))
        .routes(routes!(cert::list_certificates))
        .routes(routes!(cert::get_certificate))
        .routes(routes!(cert::get_certificate_document))
        .routes(routes!(cert::end_certificate))
        .routes(routes!(cert::report_certificate))
        .routes(routes!(st::list_calls, st::create_call))
        .routes(routes!(st::get_call, st::update_call))
        .routes(routes!(st::publish_call))
        .routes(routes!(st::list_call_proposals, st::create_proposal))
        .routes(routes!(st::list_proposals))
        .routes(routes!(st::get_proposal, st::update_proposal, st::delete_proposal))
        .routes(routes!(st::transition_proposal))
        .routes(routes!(st::get_similar_proposals))
        .routes(routes!(st::contracts::list_contracts))
        .routes(routes!(st::contracts::get_contract))
        .routes(routes!(st::contracts::get_contract_document))
        .routes(routes!(st::contracts::sign_contract))
        .routes(routes!(st::contracts::change_contract))
        .routes(routes!(st::contracts::pay_contract))
        .routes(routes!(st::contracts::reach_milestone))
        .routes(routes!(st::contracts::inspect_contract))
        .routes(routes!(st::contracts::step_contract))
        .routes(routes!(st::contracts::submit_contract_dossier))
        .routes(routes!(st::contracts::evaluate_contract))
        .routes(routes!(st::contracts::close_contract))
        .routes(routes!(st::contracts::register_contract_results))
        .routes(routes!(st::contracts::add_contract_result_use))
        .routes(routes!(st::task_reports::get_task_report, st::task_reports::save_task_report))
        .routes(routes!(st::task_reports::decide_task_report))
        .routes(routes!(st::councils::list_councils, st::councils::create_council))
        .routes(routes!(st::councils::get_council))
        .routes(routes!(st::council_settings::set_council_settings))
        .routes(routes!(st::councils::set_council_members))
        .routes(routes!(st::councils::add_council_proposals))
        .routes(routes!(st::councils::add_council_applications))
        .routes(routes!(st::councils::declare_conflict))
        .routes(routes!(st::councils::override_conflict))
        .routes(routes!(st::councils::record_council_meeting))
        .routes(routes!(st::councils::score_proposal))
        .routes(routes!(st::councils::close_council))
        .routes(routes!(st::councils::get_council_paper))
        .routes(routes!(crate::indicators::api::list_indicators, crate::indicators::api::create_indicator))
        .routes(routes!(
            crate::indicators::api::get_indicator,
            crate::indicators::api::update_indicator,
            crate::indicators::api::delete_indicator
        ))
        .routes(routes!(crate::indicators::api::record_indicator_figure))
        .routes(routes!(crate::indicators::api::get_indicator_values))
        .routes(routes!(crate::indicators::api::get_indicator_sources))
        .routes(routes!(crate::indicators::api::get_scorecard))
}

/// The policy of every API operation, by operation id. An operation missing here is denied at run time,
/// and a test fails.
pub const POLICIES: &[(&str, Policy)] = &[
    ("get_status", Policy::Public),
    ("get_me", Policy::SignedIn),
    ("list_users", Policy::AnyRole(&[Role::Administrator])),
    ("get_user", Policy::AnyRole(&[Role::Administrator])),
    ("search_audit", Policy::AnyRole(&[Role::Administrator, Role::DepartmentLeader])),
    ("transition_user", Policy::AnyRole(&[Role::Administrator])),
    ("grant_role", Policy::AnyRole(&[Role::Administrator])),
    ("revoke_role", Policy::AnyRole(&[Role::Administrator])),
    // Monitoring: any signed-in user, as for the pages; each handler checks the record with the pages'
    // functions (visibility, reporting organisations, `authorize`), so a unit gets 404 for what it may not
    // see and 403 for what it may see but not change.
    ("list_documents", Policy::SignedIn),
    ("get_document", Policy::SignedIn),
    ("create_document", Policy::SignedIn),
    ("update_document", Policy::SignedIn),
    ("list_plans", Policy::SignedIn),
    ("get_plan", Policy::SignedIn),
    ("create_plan", Policy::SignedIn),
    ("update_plan", Policy::SignedIn),
    ("get_plan_dashboard", Policy::SignedIn),
    ("create_target", Policy::SignedIn),
    ("record_target_value", Policy::SignedIn),
    ("create_task", Policy::SignedIn),
    ("list_assignments", Policy::SignedIn),
    ("get_assignment", Policy::SignedIn),
    ("create_assignments", Policy::SignedIn),
    ("set_assignment_flags", Policy::SignedIn),
    ("list_updates", Policy::SignedIn),
    ("get_update", Policy::SignedIn),
    ("create_update", Policy::SignedIn),
    ("edit_update", Policy::SignedIn),
    ("submit_update", Policy::SignedIn),
    ("decide_update", Policy::SignedIn),
    ("get_dashboard", Policy::SignedIn),
    ("list_overdue", Policy::SignedIn),
    ("list_admin_units", Policy::Public),
    ("get_admin_unit", Policy::Public),
    ("get_admin_unit_lineage", Policy::Public),
    ("resolve_address", Policy::Public),
    ("create_admin_unit_change", Policy::SignedIn),
    ("list_organizations", Policy::SignedIn),
    ("create_organization", Policy::SignedIn),
    ("get_organization", Policy::SignedIn),
    ("update_organization", Policy::SignedIn),
    ("record_organization_succession", Policy::SignedIn),
    ("list_people", Policy::SignedIn),
    ("create_person", Policy::SignedIn),
    ("get_person", Policy::SignedIn),
    ("update_person", Policy::SignedIn),
    ("create_affiliation", Policy::SignedIn),
    ("end_affiliation", Policy::SignedIn),
    ("list_document_templates", Policy::AnyRole(&[Role::Administrator])),
    ("get_document_template", Policy::AnyRole(&[Role::Administrator])),
    ("update_document_template", Policy::AnyRole(&[Role::Administrator])),
    // Reporting: any signed-in user, as for the pages; each use case checks the report
    // (`tiendo_app::reporting`) or the statistics permission, so a unit gets 404 for another unit's report.
    ("list_report_templates", Policy::SignedIn),
    ("get_report_template", Policy::SignedIn),
    ("list_reports", Policy::SignedIn),
    ("open_report", Policy::SignedIn),
    ("get_report", Policy::SignedIn),
    ("save_report_values", Policy::SignedIn),
    ("decide_report", Policy::SignedIn),
    ("get_report_history", Policy::SignedIn),
    ("get_report_aggregates", Policy::SignedIn),
    ("list_notifications", Policy::SignedIn),
    ("mark_notification_read", Policy::SignedIn),
    ("mark_all_notifications_read", Policy::SignedIn),
    ("list_visits", Policy::SignedIn),
    ("create_visit", Policy::SignedIn),
    ("get_visit", Policy::SignedIn),
    ("update_visit", Policy::SignedIn),
    ("create_visit_conclusion", Policy::SignedIn),
    ("create_visit_directive", Policy::SignedIn),
    ("get_visit_notice", Policy::SignedIn),
    ("create_visit_article", Policy::SignedIn),
    ("list_articles", Policy::Public),
    ("get_article", Policy::Public),
    ("create_article", Policy::AnyRole(&[Role::Editor])),
    ("update_article", Policy::AnyRole(&[Role::Editor])),
    ("transition_article", Policy::AnyRole(&[Role::Editor, Role::DepartmentLeader])),
    ("list_article_media", Policy::Public),
    ("upload_article_media", Policy::AnyRole(&[Role::Editor])),
    ("list_article_comments", Policy::Public),
    ("post_article_comment", Policy::Public),
    ("list_comments", Policy::AnyRole(&[Role::Moderator])),
    ("decide_comments", Policy::AnyRole(&[Role::Moderator])),
    // Search: public; the use case searches as the caller may read (the public finds public records only).
    ("search", Policy::Public),
    // S&T tasks: calls are public once published (the use case shows the public only those); the rest is
    // for signed-in users, each use case checking the record (a proposal is its proposer's and, once sent,
    // the staff's).
    ("list_cert_applications", Policy::SignedIn),
    ("create_cert_application", Policy::SignedIn),
    ("get_cert_application", Policy::SignedIn),
    ("update_cert_application", Policy::SignedIn),
    ("step_cert_application", Policy::SignedIn),
    ("list_certificates", Policy::Public),
    ("get_certificate", Policy::Public),
    ("get_certificate_document", Policy::SignedIn),
    ("end_certificate", Policy::SignedIn),
    ("ask_cert_experts", Policy::SignedIn),
    ("override_cert_expert", Policy::SignedIn),
    ("give_cert_opinion", Policy::SignedIn),
    ("report_certificate", Policy::SignedIn),
    ("list_calls", Policy::Public),
    ("get_call", Policy::Public),
    ("create_call", Policy::SignedIn),
    ("update_call", Policy::SignedIn),
    ("publish_call", Policy::SignedIn),
    ("list_call_proposals", Policy::SignedIn),
    ("create_proposal", Policy::SignedIn),
    ("list_proposals", Policy::SignedIn),
    ("get_proposal", Policy::SignedIn),
    ("update_proposal", Policy::SignedIn),
    ("delete_proposal", Policy::SignedIn),
    ("transition_proposal", Policy::SignedIn),
    ("get_similar_proposals", Policy::SignedIn),
    // Tasks under contract: signed-in users; each use case checks the contract against the caller (the
    // staff read all and record, the leaders decide, a host organisation reads its own).
    ("list_contracts", Policy::SignedIn),
    ("get_contract", Policy::SignedIn),
    ("get_contract_document", Policy::SignedIn),
    ("sign_contract", Policy::SignedIn),
    ("change_contract", Policy::SignedIn),
    ("pay_contract", Policy::SignedIn),
    ("reach_milestone", Policy::SignedIn),
    ("inspect_contract", Policy::SignedIn),
    ("step_contract", Policy::SignedIn),
    ("submit_contract_dossier", Policy::SignedIn),
    ("evaluate_contract", Policy::SignedIn),
    ("close_contract", Policy::SignedIn),
    ("register_contract_results", Policy::SignedIn),
    ("add_contract_result_use", Policy::SignedIn),
    ("get_task_report", Policy::SignedIn),
    ("save_task_report", Policy::SignedIn),
    ("decide_task_report", Policy::SignedIn),
    ("list_councils", Policy::SignedIn),
    ("create_council", Policy::SignedIn),
    ("get_council", Policy::SignedIn),
    ("set_council_settings", Policy::SignedIn),
    ("set_council_members", Policy::SignedIn),
    ("add_council_proposals", Policy::SignedIn),
    ("add_council_applications", Policy::SignedIn),
    ("declare_conflict", Policy::SignedIn),
    ("override_conflict", Policy::SignedIn),
    ("record_council_meeting", Policy::SignedIn),
    ("score_proposal", Policy::SignedIn),
    ("close_council", Policy::SignedIn),
    ("get_council_paper", Policy::SignedIn),
    // Indicators: signed-in users; each use case checks the catalogue's permission (the department's staff
    // and administrators read it, the staff keep it) and lists the sources as the caller may see them.
    ("list_indicators", Policy::SignedIn),
    ("create_indicator", Policy::SignedIn),
    ("get_indicator", Policy::SignedIn),
    ("update_indicator", Policy::SignedIn),
    ("delete_indicator", Policy::SignedIn),
    ("record_indicator_figure", Policy::SignedIn),
    ("get_indicator_values", Policy::SignedIn),
    ("get_indicator_sources", Policy::SignedIn),
    ("get_scorecard", Policy::SignedIn),
];

/// The API router (mounted under `/api/v1`) and the policies of its routes.
pub fn router() -> (Router<AppState>, PolicyMap) {
    let (api_routes, doc) = routes().split_for_parts();
    let mut policies = PolicyMap::new();
    policies.insert((Method::GET, "/api/v1/openapi.json".to_owned()), Policy::Public);
    policies.insert((Method::HEAD, "/api/v1/openapi.json".to_owned()), Policy::Public);
    for (path, item) in &doc.paths.paths {
        for (method, operation_id) in operations_of(item) {
            if let Some((_, policy)) = POLICIES.iter().find(|(id, _)| *id == operation_id) {
                if method == Method::GET {
                    policies.insert((Method::HEAD, format!("/api/v1{path}")), *policy);
                }
                policies.insert((method, format!("/api/v1{path}")), *policy);
            }
        }
    }
    let router = Router::new()
        .route("/openapi.json", axum::routing::get(openapi_json))
        .merge(api_routes)
        // The largest body of the API is a photo (multipart); JSON bodies are limited by `ApiJson`.
        .layer(DefaultBodyLimit::max(crate::portal::MAX_BODY));
    (Router::new().nest("/api/v1", router), policies)
}

/// The (method, operation id) pairs of a path item.
pub fn operations_of(item: &utoipa::openapi::PathItem) -> Vec<(Method, String)> {
    [
        (Method::GET, &item.get),
        (Method::POST, &item.post),
        (Method::PUT, &item.put),
        (Method::PATCH, &item.patch),
        (Method::DELETE, &item.delete),
    ]
    .into_iter()
    .filter_map(|(m, op)| op.as_ref().map(|op| (m, op.operation_id.clone().unwrap_or_default())))
    .collect()
}

/// The OpenAPI document, generated from the route declarations once.
pub fn openapi_document() -> &'static utoipa::openapi::OpenApi {
    static DOC: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = routes().into_openapi();
        paging::declare(&mut doc);
        formats::declare(&mut doc);
        responses::declare(&mut doc);
        doc.servers = Some(vec![utoipa::openapi::Server::new("/api/v1")]);
        doc
    })
}

/// `GET /api/v1/openapi.json`.
pub async fn openapi_json() -> Response {
    static JSON: OnceLock<String> = OnceLock::new();
    let body = JSON.get_or_init(|| openapi_document().to_pretty_json().expect("the document serialises"));
    let mut response = body.clone().into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
