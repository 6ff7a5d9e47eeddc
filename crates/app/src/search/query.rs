//! Searching as the session may: the one read function of search. The reader's [`AccessScope`]
//! (`Session::scope`) becomes the index's access clause, so hits, the total, the facet counts and "did you
//! mean" only ever count what the reader may open; the public only ever sees public records.
//!
//! [`AccessScope`]: tiendo_core::authz::AccessScope

use tiendo_core::geo::AdminUnitCode;
use tiendo_search::{Access, DocKind, Filters, QueryProblem, SearchError, SearchRequest};

use crate::{App, Error, FieldError, Result, Session};

/// The most hits per page.
pub const MAX_PER_PAGE: u64 = tiendo_search::MAX_PER_PAGE as u64;
/// The longest query, in characters.
pub const MAX_QUERY_CHARS: usize = tiendo_search::MAX_QUERY_CHARS;

/// What a reader asks for: the words and the facet values chosen, as typed or sent (a value that names
/// nothing gives an empty result, not an error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// The words.
    pub text: String,
    /// Types of record (`legal_document`, `plan`, …).
    pub kinds: Vec<String>,
    /// Organisation ids.
    pub organizations: Vec<String>,
    /// Administrative unit codes (either map).
    pub units: Vec<String>,
    /// Years.
    pub years: Vec<String>,
    /// Status codes.
    pub statuses: Vec<String>,
    /// The page, from 1.
    pub page: u64,
    /// Hits per page, 1 to [`MAX_PER_PAGE`].
    pub per_page: u64,
    /// Whether to count the facets (the search page does, the header's box and the portal do not need to).
    pub facets: bool,
}

impl SearchQuery {
    /// The first page of 20 hits for some words, with facets.
    pub fn new(text: impl Into<String>) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            kinds: Vec::new(),
            organizations: Vec::new(),
            units: Vec::new(),
            years: Vec::new(),
            statuses: Vec::new(),
            page: 1,
            per_page: 20,
            facets: true,
        }
    }
}

/// One hit, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The type of record.
    pub kind: DocKind,
    /// Its id.
    pub id: i64,
    /// The title as stored.
    pub title: String,
    /// The title as HTML, the matched words in `<mark>` (escaped).
    pub title_html: String,
    /// The number and symbol of a document.
    pub symbol: Option<String>,
    /// The best fragment of its text as HTML, the matched words in `<mark>` (escaped).
    pub snippet_html: Option<String>,
    /// The same fragment as plain text.
    pub snippet: Option<String>,
    /// Where it opens (`/plans/3#task-12`).
    pub path: String,
    /// Its year.
    pub year: Option<i32>,
    /// Its status code.
    pub status: Option<String>,
}

/// One value of a facet with the number of visible hits that have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacetValue {
    /// The value as filters take it (a code, an id, a year).
    pub value: String,
    /// Its name when the database knows it (organisations, units); kinds and statuses are translated by
    /// the interface from their codes.
    pub name: Option<String>,
    /// Visible hits with it.
    pub count: u64,
    /// Whether the query filters by it.
    pub selected: bool,
}

/// The facets of a search, each most frequent first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    /// Types of record.
    pub kinds: Vec<FacetValue>,
    /// Organisations.
    pub organizations: Vec<FacetValue>,
    /// Administrative units, old and new.
    pub units: Vec<FacetValue>,
    /// Years.
    pub years: Vec<FacetValue>,
    /// Statuses.
    pub statuses: Vec<FacetValue>,
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// The visible hits in all, not only this page's.
    pub total: u64,
    /// The page served (as asked, even past the end: then without hits).
    pub page: u64,
    /// Hits per page.
    pub per_page: u64,
    /// The number of pages (at least one).
    pub pages: u64,
    /// This page's hits, best first.
    pub hits: Vec<Hit>,
    /// The facets over every visible hit (empty unless asked for).
    pub facets: Facets,
    /// When nothing was found: a query a letter or two away that finds something the reader may open.
    pub did_you_mean: Option<String>,
}

impl Results {
    fn empty(query: &SearchQuery, per_page: u64) -> Results {
        Results {
            total: 0,
            page: query.page.max(1),
            per_page,
            pages: 1,
            hits: Vec::new(),
            facets: Facets::default(),
            did_you_mean: None,
        }
    }
}

/// The filters, or `None` when a value names nothing (the result is then empty).
fn filters(query: &SearchQuery) -> Option<Filters> {
    let kinds = query.kinds.iter().map(|k| DocKind::from_code(k.trim())).collect::<Option<Vec<_>>>()?;
    let organizations = query.organizations.iter().map(|o| o.trim().parse().ok()).collect::<Option<Vec<i64>>>()?;
    let units = query.units.iter().map(|u| AdminUnitCode::parse(u.trim()).ok()).collect::<Option<Vec<_>>>()?;
    let years = query.years.iter().map(|y| y.trim().parse().ok()).collect::<Option<Vec<i32>>>()?;
    let statuses = query.statuses.iter().map(|s| s.trim().to_owned()).collect();
    Some(Filters { kinds, organizations, units, years, statuses })
}

/// Searches every record the session may open. An empty query (or only punctuation) without a filter is
/// `Invalid` (`q`: `search_empty`), a query over [`MAX_QUERY_CHARS`] characters `Invalid` (`q`:
/// `too_long`); a page past the end, a facet value that names nothing or words found nowhere give an empty
/// result. While the index is rebuilt: `Unavailable` (`search_rebuilding`).
pub async fn search(app: &App, session: &Session, query: &SearchQuery) -> Result<Results> {
    let engine = app.search_engine();
    let index = engine.index()?;
    let per_page = query.per_page.clamp(1, MAX_PER_PAGE);
    let access = Access::from_scope(session.scope(app).await?);
    let Some(filters) = filters(query) else {
        if query.text.chars().count() > MAX_QUERY_CHARS {
            return Err(too_long());
        }
        return Ok(Results::empty(query, per_page));
    };
    let request = SearchRequest {
        query: query.text.clone(),
        filters: filters.clone(),
        page: usize::try_from(query.page.max(1)).unwrap_or(usize::MAX),
        per_page: usize::try_from(per_page).unwrap_or(20),
        facets: query.facets,
    };
    let found = tokio::task::spawn_blocking(move || index.search(&request, &access)).await.map_err(Error::internal)?;
    let found = match found {
        Ok(found) => found,
        Err(SearchError::Query(QueryProblem::Empty)) => {
            return Err(Error::Invalid(vec![FieldError::new("q", "search_empty")]));
        }
        Err(SearchError::Query(QueryProblem::TooLong { .. })) => return Err(too_long()),
        Err(err) if err.needs_rebuild() => {
            engine.damaged(&err.to_string());
            return Err(Error::Unavailable { code: "search_rebuilding" });
        }
        Err(err) => return Err(Error::internal(err)),
    };
    let facets = if query.facets { labelled(app, &found.facets, query).await? } else { Facets::default() };
    let hits = found
        .hits
        .iter()
        .map(|h| Hit {
            kind: h.kind,
            id: h.id,
            title_html: h.title_html(),
            title: h.title.clone(),
            symbol: h.symbol.clone(),
            snippet_html: h.snippet.as_ref().map(tiendo_search::Snippet::to_html),
            snippet: h.snippet.as_ref().map(|s| s.text.clone()),
            path: h.path.clone(),
            year: h.year,
            status: h.status.clone(),
        })
        .collect();
    Ok(Results {
        total: found.total,
        page: query.page.max(1),
        per_page,
        pages: found.pages() as u64,
        hits,
        facets,
        did_you_mean: found.did_you_mean,
    })
}

fn too_long() -> Error {
    Error::Invalid(vec![FieldError::new("q", "too_long").arg("max", MAX_QUERY_CHARS)])
}

/// The facets with the names of organisations and units, and which values are chosen.
async fn labelled(app: &App, facets: &tiendo_search::Facets, query: &SearchQuery) -> Result<Facets> {
    let chosen = |list: &[String], value: &str| list.iter().any(|v| v.trim() == value);
    let value = |list: &[String], v: String, name: Option<String>, count: u64| FacetValue {
        selected: chosen(list, &v),
        value: v,
        name,
        count,
    };
    let org_ids: Vec<i64> = facets.organizations.iter().map(|(id, _)| *id).collect();
    let org_names: std::collections::HashMap<i64, String> =
        tiendo_db::orgtree::names(app.db(), &org_ids).await?.into_iter().collect();
    let codes: Vec<String> = facets.units.iter().map(|(c, _)| c.clone()).collect();
    let unit_names: std::collections::HashMap<String, String> =
        tiendo_db::search::places::unit_names(app.db(), &codes).await?.into_iter().collect();
    Ok(Facets {
        kinds: facets.kinds.iter().map(|(k, n)| value(&query.kinds, k.code().to_owned(), None, *n)).collect(),
        organizations: facets
            .organizations
            .iter()
            .map(|(id, n)| value(&query.organizations, id.to_string(), org_names.get(id).cloned(), *n))
            .collect(),
        units: facets
            .units
            .iter()
            .map(|(code, n)| value(&query.units, code.clone(), unit_names.get(code).cloned(), *n))
            .collect(),
        years: facets.years.iter().map(|(y, n)| value(&query.years, y.to_string(), None, *n)).collect(),
        statuses: facets.statuses.iter().map(|(s, n)| value(&query.statuses, s.clone(), None, *n)).collect(),
    })
}
