//! `GET /search`: the search form, the hits with their highlighted titles and snippets, the facets (type,
//! organisation, unit, year, status) as links that add or remove a value, "did you mean" and pages. Bad
//! input is a message on the page (an empty query is the empty form), never an error page; only a search
//! index being rebuilt is (503 `search_rebuilding`).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use tiendo_app::search::{self, FacetValue, Results, SearchQuery};

use crate::error::AppError;
use crate::forms::{parse_urlencoded, url_encode};
use crate::layout::{Ctx, Layout};

/// The query parameters of a facet, in the order the page shows them.
const FACETS: [(&str, &str); 5] = [
    ("kind", "search-facet-kind"),
    ("org", "search-facet-organization"),
    ("unit", "search-facet-unit"),
    ("year", "search-facet-year"),
    ("status", "search-facet-status"),
];

/// A facet value as a link.
struct FacetLink {
    label: String,
    count: u64,
    selected: bool,
    href: String,
}

/// A facet with its values.
struct FacetView {
    title: String,
    values: Vec<FacetLink>,
}

/// A hit as shown.
struct HitView {
    kind: String,
    title_html: String,
    snippet_html: String,
    path: String,
    details: Vec<String>,
}

#[derive(Template)]
#[template(path = "search/results.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    /// Whether a search was run (there are hits or a message to show).
    searched: bool,
    message: String,
    summary: String,
    did_you_mean: Option<(String, String)>,
    facets: Vec<FacetView>,
    hits: Vec<HitView>,
    previous: Option<String>,
    next: Option<String>,
    page_label: String,
    public: bool,
}

/// The parameters of the page's address: (name, value) pairs as sent.
fn params(ctx: &Ctx) -> Vec<(String, String)> {
    parse_urlencoded(ctx.uri.query().unwrap_or_default().as_bytes())
}

fn values(params: &[(String, String)], name: &str) -> Vec<String> {
    params.iter().filter(|(k, v)| k == name && !v.trim().is_empty()).map(|(_, v)| v.clone()).collect()
}

/// The address of the page with these parameters (the language kept by its cookie).
fn href(params: &[(String, String)]) -> String {
    let query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={}", url_encode(v))).collect();
    format!("/search?{}", query.join("&"))
}

/// The parameters with `page` set (or removed for the first page).
fn with_page(params: &[(String, String)], page: u64) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = params.iter().filter(|(k, _)| k != "page" && k != "lang").cloned().collect();
    if page > 1 {
        out.push(("page".to_owned(), page.to_string()));
    }
    out
}

/// The parameters with one facet value added or removed, back on the first page.
fn toggled(params: &[(String, String)], name: &str, value: &str) -> Vec<(String, String)> {
    let mut out = with_page(params, 1);
    let before = out.len();
    out.retain(|(k, v)| !(k == name && v == value));
    if out.len() == before {
        out.push((name.to_owned(), value.to_owned()));
    }
    out
}

/// `GET /search?q=…&kind=…&org=…&unit=…&year=…&status=…&page=…`.
pub async fn search(ctx: Ctx) -> Result<Response, AppError> {
    let params = params(&ctx);
    let q = params.iter().find(|(k, _)| k == "q").map(|(_, v)| v.clone()).unwrap_or_default();
    let page = params.iter().find(|(k, _)| k == "page").and_then(|(_, v)| v.trim().parse::<u64>().ok()).unwrap_or(1);
    let query = SearchQuery {
        text: q.clone(),
        kinds: values(&params, "kind"),
        organizations: values(&params, "org"),
        units: values(&params, "unit"),
        years: values(&params, "year"),
        statuses: values(&params, "status"),
        page: page.max(1),
        per_page: 20,
        facets: true,
    };
    let public = ctx.auth.user.is_none();
    let layout = if q.trim().is_empty() {
        ctx.layout("search-title")
    } else {
        ctx.layout_titled(format!("{} · {}", ctx.tr.t("search-title"), shorten(&q)))
    };
    let mut page_view = SearchPage {
        layout,
        q: q.clone(),
        searched: false,
        message: String::new(),
        summary: String::new(),
        did_you_mean: None,
        facets: Vec::new(),
        hits: Vec::new(),
        previous: None,
        next: None,
        page_label: String::new(),
        public,
    };
    let nothing_asked = q.trim().is_empty()
        && query.kinds.is_empty()
        && query.organizations.is_empty()
        && query.units.is_empty()
        && query.years.is_empty()
        && query.statuses.is_empty();
    if nothing_asked {
        return render(&page_view);
    }
    page_view.searched = true;
    match search::search(ctx.state.app(), ctx.auth.session(), &query).await {
        Ok(results) => fill(&ctx, &params, &results, &mut page_view),
        Err(tiendo_app::Error::Invalid(errors)) => {
            page_view.message = errors
                .iter()
                .map(|e| match e.code.as_str() {
                    "search_empty" => ctx.tr.t("search-empty"),
                    _ => crate::errors_render::field_message(e, &ctx.tr),
                })
                .collect::<Vec<_>>()
                .join(" ");
        }
        Err(err) => return Err(err.into()),
    }
    render(&page_view)
}

fn render(page: &SearchPage) -> Result<Response, AppError> {
    let html = page.render().map_err(AppError::internal)?;
    Ok((StatusCode::OK, Html(html)).into_response())
}

/// The first 60 characters of a query, for the page's title.
fn shorten(q: &str) -> String {
    let mut short: String = q.chars().take(60).collect();
    if q.chars().count() > 60 {
        short.push('…');
    }
    short
}

fn fill(ctx: &Ctx, params: &[(String, String)], results: &Results, view: &mut SearchPage) {
    let tr = &ctx.tr;
    view.summary = if results.total == 0 {
        tr.t("search-no-hits")
    } else {
        tr.t_count("search-hits", "count", i64::try_from(results.total).unwrap_or(i64::MAX))
    };
    if results.total > 0 && results.hits.is_empty() {
        view.message = tr.t("search-page-past-end");
        view.previous = Some(href(&with_page(params, 1)));
    }
    if let Some(suggestion) = &results.did_you_mean {
        let mut p: Vec<(String, String)> = with_page(params, 1).into_iter().filter(|(k, _)| k != "q").collect();
        p.insert(0, ("q".to_owned(), suggestion.clone()));
        view.did_you_mean = Some((suggestion.clone(), href(&p)));
    }
    let facets = [
        &results.facets.kinds,
        &results.facets.organizations,
        &results.facets.units,
        &results.facets.years,
        &results.facets.statuses,
    ];
    for ((name, title), values) in FACETS.iter().zip(facets) {
        if values.is_empty() {
            continue;
        }
        let label = |v: &FacetValue| match *name {
            "kind" => super::kind_label(tr, &v.value),
            "status" => super::status_label(tr, &v.value),
            _ => v.name.clone().unwrap_or_else(|| v.value.clone()),
        };
        view.facets.push(FacetView {
            title: tr.t(title),
            values: values
                .iter()
                .map(|v| FacetLink {
                    label: label(v),
                    count: v.count,
                    selected: v.selected,
                    href: href(&toggled(params, name, &v.value)),
                })
                .collect(),
        });
    }
    view.hits = results
        .hits
        .iter()
        .map(|h| {
            let mut details = Vec::new();
            if let Some(symbol) = &h.symbol {
                details.push(symbol.clone());
            }
            if let Some(year) = h.year {
                details.push(year.to_string());
            }
            if let Some(status) = &h.status {
                details.push(super::status_label(tr, status));
            }
            HitView {
                kind: super::kind_label(tr, h.kind.code()),
                title_html: h.title_html.clone(),
                snippet_html: h.snippet_html.clone().unwrap_or_default(),
                path: h.path.clone(),
                details,
            }
        })
        .collect();
    if results.pages > 1 || results.page > 1 {
        view.page_label =
            tr.t_with("search-page-of", &[("page", &results.page.to_string()), ("pages", &results.pages.to_string())]);
        if results.page > 1 && results.page <= results.pages {
            view.previous = Some(href(&with_page(params, results.page - 1)));
        }
        if results.page < results.pages {
            view.next = Some(href(&with_page(params, results.page + 1)));
        }
    }
}
