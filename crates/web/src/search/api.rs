//! `GET /api/v1/search`: the same search as the page, as JSON. Public: a caller without a token finds
//! public records only; with one, what its account may open.

use axum::Json;
use serde::{Deserialize, Serialize};
use tiendo_app::search::{self, FacetValue, SearchQuery};
use utoipa::{IntoParams, ToSchema};

use crate::api::extract::ApiQuery;
use crate::api::paging::invalid;
use crate::error::{AppError, Problem};
use crate::layout::Ctx;

/// The parameters of a search. Lists are comma-separated; a value that names nothing gives an empty
/// result.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// The words (with or without diacritics, abbreviations such as `KH&CN` or `UBND`, document symbols such as
    /// `07-NQ/TU`, "quoted phrases"); at most 500 characters. May be empty when a filter is given.
    pub q: Option<String>,
    /// Types of record: `legal_document`, `plan`, `task`, `assignment`, `progress_update`, `report`,
    /// `visit`, `conclusion`, `directive`, `article`, `organization`, `person`.
    pub kind: Option<String>,
    /// Organisation ids.
    pub organization: Option<String>,
    /// Administrative unit codes (of the old or the new map).
    pub unit: Option<String>,
    /// Years.
    pub year: Option<String>,
    /// Status codes.
    pub status: Option<String>,
    /// The page, from 1 (a page past the end is empty).
    #[param(minimum = 1)]
    pub page: Option<i64>,
    /// Hits per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub per_page: Option<i64>,
    /// Whether to count the facets (default true).
    pub facets: Option<bool>,
}

/// One hit.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHit {
    /// The type of record (as in the `kind` parameter).
    pub kind: String,
    /// The name of the type in the request's language.
    pub kind_name: String,
    /// The record's id in its type.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// The title as HTML, escaped, the matched words in `<mark>`.
    pub title_html: String,
    /// The number and symbol of a document ("07-NQ/TU").
    pub symbol: Option<String>,
    /// The best fragment of its text as HTML, escaped, the matched words in `<mark>`.
    pub snippet_html: Option<String>,
    /// The page of the record in the application (`/plans/3#task-12`).
    pub url: String,
    /// Its year.
    pub year: Option<i32>,
    /// Its status code.
    pub status: Option<String>,
}

/// One value of a facet.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchFacetValue {
    /// The value, as the matching parameter takes it.
    pub value: String,
    /// Its name (an organisation's, a unit's, a type's or a status's in the request's language).
    pub name: String,
    /// How many visible hits have it.
    pub count: u64,
    /// Whether the search filters by it.
    pub selected: bool,
}

/// The facets of a search, counted over the hits the caller may open.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchFacets {
    /// Types of record.
    pub kind: Vec<SearchFacetValue>,
    /// Organisations.
    pub organization: Vec<SearchFacetValue>,
    /// Administrative units (old and new map).
    pub unit: Vec<SearchFacetValue>,
    /// Years.
    pub year: Vec<SearchFacetValue>,
    /// Statuses.
    pub status: Vec<SearchFacetValue>,
}

/// The answer to a search.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchResponse {
    /// The hits of this page, best first.
    pub items: Vec<SearchHit>,
    /// The hits the caller may open, in all.
    pub total: u64,
    /// This page.
    pub page: u64,
    /// Hits per page.
    pub per_page: u64,
    /// The number of pages.
    pub pages: u64,
    /// When nothing was found: a query one or two letters away per word that finds something.
    pub did_you_mean: Option<String>,
    /// The facets (empty lists when `facets=false`).
    pub facets: SearchFacets,
}

fn list(value: Option<&str>) -> Vec<String> {
    value.unwrap_or_default().split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect()
}

/// Searches every record the caller may open: documents, plans, tasks, assignments, progress updates,
/// reports, visits with their conclusions and directives, articles, organisations, people. Diacritics are
/// optional, abbreviations and spelling variants are understood, one typo per long word is forgiven.
#[utoipa::path(get, path = "/search", tag = "search", operation_id = "search",
    params(SearchParams),
    responses(
        (status = 200, description = "The hits the caller may open, with facets", body = SearchResponse),
        (status = 400, description = "A bad parameter (`invalid_query`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No words and no filter (`search_empty`), or more than 500 characters (`too_long`), on the field `q`",
            body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "The search index is being rebuilt (`search_rebuilding`) or unavailable (`search_unavailable`); everything else works",
            body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn search(ctx: Ctx, ApiQuery(p): ApiQuery<SearchParams>) -> Result<Json<SearchResponse>, AppError> {
    let page = match p.page {
        None => 1,
        Some(page) => u64::try_from(page).ok().filter(|p| *p >= 1).ok_or_else(|| invalid("page: from 1".into()))?,
    };
    let per_page = match p.per_page {
        None => 20,
        Some(n) => u64::try_from(n)
            .ok()
            .filter(|n| (1..=search::MAX_PER_PAGE).contains(n))
            .ok_or_else(|| invalid(format!("per_page: between 1 and {}", search::MAX_PER_PAGE)))?,
    };
    let query = SearchQuery {
        text: p.q.unwrap_or_default(),
        kinds: list(p.kind.as_deref()),
        organizations: list(p.organization.as_deref()),
        units: list(p.unit.as_deref()),
        years: list(p.year.as_deref()),
        statuses: list(p.status.as_deref()),
        page,
        per_page,
        facets: p.facets.unwrap_or(true),
    };
    let found = search::search(ctx.state.app(), ctx.auth.session(), &query).await?;
    let tr = &ctx.tr;
    let named = |values: &[FacetValue], name: &dyn Fn(&FacetValue) -> String| -> Vec<SearchFacetValue> {
        values
            .iter()
            .map(|v| SearchFacetValue { value: v.value.clone(), name: name(v), count: v.count, selected: v.selected })
            .collect()
    };
    let own = |v: &FacetValue| v.name.clone().unwrap_or_else(|| v.value.clone());
    let facets = SearchFacets {
        kind: named(&found.facets.kinds, &|v| super::kind_label(tr, &v.value)),
        organization: named(&found.facets.organizations, &own),
        unit: named(&found.facets.units, &own),
        year: named(&found.facets.years, &own),
        status: named(&found.facets.statuses, &|v| super::status_label(tr, &v.value)),
    };
    let items = found
        .hits
        .into_iter()
        .map(|h| SearchHit {
            kind: h.kind.code().to_owned(),
            kind_name: super::kind_label(tr, h.kind.code()),
            id: h.id,
            title: h.title,
            title_html: h.title_html,
            symbol: h.symbol,
            snippet_html: h.snippet_html,
            url: h.path,
            year: h.year,
            status: h.status,
        })
        .collect();
    Ok(Json(SearchResponse {
        items,
        total: found.total,
        page: found.page,
        per_page: found.per_page,
        pages: found.pages,
        did_you_mean: found.did_you_mean,
        facets,
    }))
}
