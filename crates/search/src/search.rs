//! Running a search: the request, the access clause and the filters, one pass for the page of hits, one
//! for the total and the facets, snippets, and "did you mean" when nothing is found.

use std::ops::Range;
use std::sync::Arc;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery, TermSetQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};
use tiendo_core::geo::AdminUnitCode;
use tiendo_core::text::analyze::typo_tolerant;

use crate::access::Access;
use crate::doc::DocKind;
use crate::error::{QueryProblem, SearchError, reading};
use crate::facets::{FacetCollector, Facets};
use crate::filter::{CachedTermsFilter, FilterCache};
use crate::index::SearchIndex;
use crate::query::{ParsedQuery, neighbours};
use crate::schema::Fields;
use crate::snippet::{Highlighter, Snippet};

/// The most hits on one page.
pub const MAX_PER_PAGE: usize = 100;
/// Hits beyond this rank are not served (a page past it is empty): deep pages cost memory and nobody
/// reads them.
pub const MAX_RESULT_WINDOW: usize = 10_000;

/// Narrowing to some values of the facets; an empty list does not narrow. A value that does not exist
/// narrows to nothing (an empty result, not an error).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Types of record.
    pub kinds: Vec<DocKind>,
    /// Organisation ids.
    pub organizations: Vec<i64>,
    /// Unit codes (on either map).
    pub units: Vec<AdminUnitCode>,
    /// Years.
    pub years: Vec<i32>,
    /// Status codes.
    pub statuses: Vec<String>,
}

impl Filters {
    /// Whether nothing is narrowed.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
            && self.organizations.is_empty()
            && self.units.is_empty()
            && self.years.is_empty()
            && self.statuses.is_empty()
    }
}

/// A search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    /// What the reader typed.
    pub query: String,
    /// Facet values chosen.
    pub filters: Filters,
    /// The page, from 1.
    pub page: usize,
    /// Hits per page (1 to [`MAX_PER_PAGE`]).
    pub per_page: usize,
    /// Whether to count the facets (the search page does; the search box in the header does not, and
    /// counting the total alone is several times cheaper on broad queries).
    pub facets: bool,
}

impl SearchRequest {
    /// The first page of 20 hits for a query, without filters.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest { query: query.into(), filters: Filters::default(), page: 1, per_page: 20, facets: true }
    }

    /// The same search, another page.
    #[must_use]
    pub fn page(mut self, page: usize) -> SearchRequest {
        self.page = page;
        self
    }
}

/// One hit.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The type of record.
    pub kind: DocKind,
    /// The record's id.
    pub id: i64,
    /// Relevance (higher first); comparable only within one search.
    pub score: f32,
    /// The title as stored.
    pub title: String,
    /// The words of the title to highlight (byte ranges).
    pub title_highlights: Vec<Range<usize>>,
    /// The symbol as stored.
    pub symbol: Option<String>,
    /// The best fragment of the body, highlighted; `None` when the record has no body.
    pub snippet: Option<Snippet>,
    /// Its year.
    pub year: Option<i32>,
    /// Its status code.
    pub status: Option<String>,
    /// Its organisations.
    pub organizations: Vec<i64>,
    /// Its units.
    pub units: Vec<String>,
    /// Where it opens ([`crate::SearchDoc::path`]).
    pub path: String,
}

impl Hit {
    /// The title as HTML: escaped, the matched words in `<mark>`.
    pub fn title_html(&self) -> String {
        Snippet {
            text: self.title.clone(),
            offset: 0,
            cut_before: false,
            cut_after: false,
            highlights: self.title_highlights.clone(),
        }
        .to_html()
    }
}

/// The answer to a search.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// Every visible hit, not only this page's.
    pub total: u64,
    /// The page served (as asked, even past the end).
    pub page: usize,
    /// Hits per page.
    pub per_page: usize,
    /// This page's hits, best first.
    pub hits: Vec<Hit>,
    /// Counts over every visible hit (empty when not asked for).
    pub facets: Facets,
    /// When nothing was found: a query, one or two letters away per word, that finds something the reader
    /// may open.
    pub did_you_mean: Option<String>,
}

impl SearchResults {
    /// The number of pages (at least one), capped by [`MAX_RESULT_WINDOW`].
    pub fn pages(&self) -> usize {
        let served = usize::try_from(self.total).unwrap_or(usize::MAX).min(MAX_RESULT_WINDOW);
        served.div_ceil(self.per_page).max(1)
    }
}

fn const_zero(query: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, 0.0))
}

/// Any of these terms, unscored.
fn any_term(terms: Vec<Term>) -> Box<dyn Query> {
    if terms.len() <= 16 {
        let clauses = terms
            .into_iter()
            .map(|t| (Occur::Should, Box::new(TermQuery::new(t, IndexRecordOption::Basic)) as Box<dyn Query>))
            .collect();
        const_zero(Box::new(BooleanQuery::new(clauses)))
    } else {
        const_zero(Box::new(TermSetQuery::new(terms)))
    }
}

/// The clauses every search carries: the reader's access (a cached bitset per segment) and the filters.
fn restrictions(
    fields: &Fields,
    cache: &Arc<FilterCache>,
    access: &Access,
    filters: &Filters,
) -> Vec<(Occur, Box<dyn Query>)> {
    let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if let Some(terms) = access.terms() {
        let terms = terms.iter().map(|t| Term::from_field_text(fields.acl, t)).collect();
        out.push((Occur::Must, Box::new(CachedTermsFilter::new(terms, cache.clone()))));
    }
    let mut narrow = |terms: Vec<Term>| {
        if !terms.is_empty() {
            out.push((Occur::Must, any_term(terms)));
        }
    };
    narrow(filters.kinds.iter().map(|k| Term::from_field_text(fields.kind, k.code())).collect());
    narrow(filters.organizations.iter().map(|o| Term::from_field_i64(fields.organization, *o)).collect());
    narrow(filters.units.iter().map(|u| Term::from_field_text(fields.unit, u.as_str())).collect());
    narrow(filters.years.iter().map(|y| Term::from_field_i64(fields.year, i64::from(*y))).collect());
    narrow(filters.statuses.iter().map(|s| Term::from_field_text(fields.status, s)).collect());
    out
}

impl SearchIndex {
    /// Searches as `access` may: hits, total, facets and suggestions only count what it may open. Bad
    /// input is a [`SearchError::Query`] (too long; empty without filters) or an empty result (a page past
    /// the end, a filter value that does not exist); a damaged index is [`SearchError::Corrupt`].
    pub fn search(&self, request: &SearchRequest, access: &Access) -> Result<SearchResults, SearchError> {
        let parsed = ParsedQuery::parse(&request.query)?;
        if parsed.is_empty() && request.filters.is_empty() {
            return Err(QueryProblem::Empty.into());
        }
        let searcher = self.inner.reader.searcher();
        let per_page = request.per_page.clamp(1, MAX_PER_PAGE);
        let page = request.page.max(1);
        let fields = &self.inner.fields;
        let (query, highlighter) = build(self, &searcher, &parsed, access, &request.filters);
        self.inner.columns.retain(&searcher);
        self.inner.filters.retain(&searcher);
        let offset = (page - 1).saturating_mul(per_page);
        let facet_collector = FacetCollector { columns: &self.inner.columns };
        let window = offset < MAX_RESULT_WINDOW;
        // Built only inside the window (the offset then stays small).
        let top = || TopDocs::with_limit(per_page.min(MAX_RESULT_WINDOW - offset)).and_offset(offset).order_by_score();
        // With facets and a page to show, one pass scores the hits and counts them (a pass for the facets
        // and another for the page would read every matching posting twice).
        let (total, facets, top_docs) = match (request.facets, window) {
            (true, true) => {
                let ((total, facets), top_docs) =
                    searcher.search(query.as_ref(), &(facet_collector, top())).map_err(reading)?;
                (total, facets, top_docs)
            }
            (true, false) => {
                let (total, facets) = searcher.search(query.as_ref(), &facet_collector).map_err(reading)?;
                (total, facets, Vec::new())
            }
            (false, true) => {
                let (total, top_docs) = searcher.search(query.as_ref(), &(Count, top())).map_err(reading)?;
                (total as u64, Facets::default(), top_docs)
            }
            (false, false) => {
                (searcher.search(query.as_ref(), &Count).map_err(reading)? as u64, Facets::default(), Vec::new())
            }
        };
        let mut hits = Vec::new();
        for (score, address) in top_docs {
            let doc: TantivyDocument = searcher.doc(address).map_err(reading)?;
            hits.push(hit(fields, &doc, score, &highlighter));
        }
        let did_you_mean = if total == 0 && !parsed.is_empty() {
            self.suggest(&searcher, &request.query, access, &request.filters)?
        } else {
            None
        };
        Ok(SearchResults { total, page, per_page, hits, facets, did_you_mean })
    }

    /// Why a record ranks as it does for a query (tantivy's score explanation as JSON), or `None` when
    /// the query does not match it: for tuning the weights, never shown to users.
    pub fn explain(&self, query: &str, kind: DocKind, id: i64) -> Result<Option<String>, SearchError> {
        let parsed = ParsedQuery::parse(query)?;
        let searcher = self.inner.reader.searcher();
        let fields = &self.inner.fields;
        let (query, _) = build(self, &searcher, &parsed, &Access::unrestricted(), &Filters::default());
        let key = Term::from_field_text(fields.key, &crate::doc::key(kind, id));
        let found = searcher
            .search(&TermQuery::new(key, IndexRecordOption::Basic), &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, address)) = found.first() else {
            return Ok(None);
        };
        match query.explain(&searcher, *address) {
            Ok(explanation) => Ok(Some(explanation.to_pretty_json())),
            Err(tantivy::TantivyError::InvalidArgument(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// A query with each unknown word replaced by the most frequent indexed word one or two edits away
    /// (one for words under five letters), if that query finds something visible.
    fn suggest(
        &self,
        searcher: &Searcher,
        raw: &str,
        access: &Access,
        filters: &Filters,
    ) -> Result<Option<String>, SearchError> {
        let fields = &self.inner.fields;
        let tokens = tiendo_core::text::analyze::analyze(raw);
        let mut suggestion = String::new();
        let mut changed = false;
        for token in tokens.iter().filter(|t| t.span.kind == tiendo_core::text::analyze::TokenKind::Part) {
            let known = crate::query::known(fields, searcher, &token.fold);
            let letters = token.fold.chars().filter(|c| c.is_alphabetic()).count();
            let replacement = if known || letters < 2 {
                None
            } else {
                let distance = if typo_tolerant(&token.fold) && letters >= 5 { 2 } else { 1 };
                neighbours(fields, searcher, &token.fold, distance, 1).into_iter().next()
            };
            if !suggestion.is_empty() {
                suggestion.push(' ');
            }
            match replacement {
                Some(word) => {
                    suggestion.push_str(&word);
                    changed = true;
                }
                None => suggestion.push_str(&raw[token.span.start..token.span.end]),
            }
        }
        if !changed {
            return Ok(None);
        }
        // The suggestion must find something visible as written, not through one more edit.
        let parsed = ParsedQuery::parse(&suggestion)?.without_typos();
        let (query, _) = build(self, searcher, &parsed, access, filters);
        let found = searcher.search(query.as_ref(), &Count).map_err(reading)?;
        Ok((found > 0).then_some(suggestion))
    }
}

/// The query with its restrictions, and what to highlight.
fn build(
    index: &SearchIndex,
    searcher: &Searcher,
    parsed: &ParsedQuery,
    access: &Access,
    filters: &Filters,
) -> (Box<dyn Query>, Highlighter) {
    let fields = &index.inner.fields;
    let mut clauses = restrictions(fields, &index.inner.filters, access, filters);
    let highlighter = if parsed.is_empty() {
        clauses.push((Occur::Must, const_zero(Box::new(AllQuery))));
        Highlighter::default()
    } else {
        let (words, typos) = parsed.to_query(fields, searcher);
        clauses.push((Occur::Must, words));
        parsed.highlighter(&typos)
    };
    (Box::new(BooleanQuery::new(clauses)), highlighter)
}

fn hit(fields: &Fields, doc: &TantivyDocument, score: f32, highlighter: &Highlighter) -> Hit {
    let text = |field| doc.get_first(field).and_then(|v| v.as_str().map(str::to_owned));
    let title = text(fields.title).unwrap_or_default();
    let body = text(fields.body).unwrap_or_default();
    Hit {
        kind: text(fields.kind).and_then(|k| DocKind::from_code(&k)).unwrap_or(DocKind::Article),
        id: doc.get_first(fields.id).and_then(|v| v.as_i64()).unwrap_or_default(),
        score,
        title_highlights: highlighter.ranges(&title),
        title,
        symbol: text(fields.symbol),
        snippet: highlighter.snippet(&body),
        year: doc.get_first(fields.year).and_then(|v| v.as_i64()).and_then(|y| i32::try_from(y).ok()),
        status: text(fields.status),
        organizations: doc.get_all(fields.organization).filter_map(|v| v.as_i64()).collect(),
        units: doc.get_all(fields.unit).filter_map(|v| v.as_str().map(str::to_owned)).collect(),
        path: text(fields.path).unwrap_or_default(),
    }
}
