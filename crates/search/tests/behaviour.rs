//! What a reader sees: snippets that highlight what they typed in the text as written, pages with a
//! total, facets and filters, "did you mean", and bad input answered with a clear error or an empty
//! result, never a panic.

mod common;

use tiendo_core::geo::AdminUnitCode;
use tiendo_search::{
    Access, DocKind, Filters, MAX_QUERY_CHARS, QueryProblem, SearchDoc, SearchError, SearchIndex, SearchRequest,
    Visibility,
};

fn corpus_index() -> SearchIndex {
    common::indexed(&common::corpus())
}

fn search(index: &SearchIndex, query: &str) -> Result<tiendo_search::SearchResults, SearchError> {
    index.search(&SearchRequest::new(query), &Access::unrestricted())
}

#[test]
fn bad_input_gives_a_clear_error_or_an_empty_result() {
    let index = corpus_index();
    assert!(matches!(search(&index, ""), Err(SearchError::Query(QueryProblem::Empty))));
    assert!(matches!(search(&index, "   "), Err(SearchError::Query(QueryProblem::Empty))));
    assert!(matches!(search(&index, "!!! ... /// --- \"\""), Err(SearchError::Query(QueryProblem::Empty))));
    let long = "quảng yên ".repeat(1000);
    assert_eq!(long.chars().count(), 10_000);
    assert!(matches!(
        search(&index, &long),
        Err(SearchError::Query(QueryProblem::TooLong { max_chars: MAX_QUERY_CHARS }))
    ));
    for unbalanced in ["\"Quảng Yên", "Quảng Yên\"", "\"Quảng\" Yên\"", "“Quảng Yên"] {
        let results = search(&index, unbalanced).unwrap();
        assert!(results.total > 0, "{unbalanced}");
    }
    // A page far past the end: the total, no hits.
    let far = index.search(&SearchRequest::new("Quảng Yên").page(1_000_000_000), &Access::unrestricted()).unwrap();
    assert!(far.total > 0 && far.hits.is_empty());
    let mut huge = SearchRequest::new("Quảng Yên");
    huge.per_page = usize::MAX;
    huge.page = usize::MAX;
    assert!(index.search(&huge, &Access::unrestricted()).unwrap().hits.is_empty());
    // A facet value that does not exist narrows to nothing.
    let mut unknown = SearchRequest::new("Quảng Yên");
    unknown.filters.statuses = vec!["no_such_status".into()];
    unknown.filters.units = vec![AdminUnitCode::parse("99999").unwrap()];
    let results = index.search(&unknown, &Access::unrestricted()).unwrap();
    assert_eq!((results.total, results.hits.len()), (0, 0));
    assert_eq!(results.did_you_mean, None);
    // Words that are nothing like the index: no hits, no suggestion.
    let nothing = search(&index, "xyzzy qwfp").unwrap();
    assert_eq!((nothing.total, nothing.did_you_mean.clone()), (0, None));
}

#[test]
fn pages_cover_every_hit_once_with_the_total() {
    let index = corpus_index();
    let mut request = SearchRequest::new("Quảng Yên");
    request.per_page = 7;
    let first = index.search(&request, &Access::unrestricted()).unwrap();
    assert!(first.total > 14, "{}", first.total);
    assert_eq!(first.pages(), (first.total as usize).div_ceil(7));
    let mut seen = Vec::new();
    for page in 1..=first.pages() {
        let results = index.search(&request.clone().page(page), &Access::unrestricted()).unwrap();
        assert_eq!(results.total, first.total);
        assert!(results.hits.windows(2).all(|w| w[0].score >= w[1].score));
        seen.extend(results.hits.iter().map(|h| (h.kind, h.id)));
    }
    let unique: std::collections::BTreeSet<_> = seen.iter().collect();
    assert_eq!((seen.len(), unique.len()), (first.total as usize, first.total as usize));
    // Without facets (the search box): the same total and hits, no counts.
    let mut quick = request.clone();
    quick.facets = false;
    let quick = index.search(&quick, &Access::unrestricted()).unwrap();
    assert_eq!((quick.total, quick.hits.len()), (first.total, first.hits.len()));
    assert!(quick.facets.kinds.is_empty() && !first.facets.kinds.is_empty());
}

#[test]
fn filters_narrow_and_facets_count_the_narrowed_hits() {
    let index = corpus_index();
    let all = search(&index, "Quảng Yên").unwrap();
    let reports = all.facets.kinds.iter().find(|(k, _)| *k == DocKind::Report).map(|(_, n)| *n).unwrap();
    let mut request = SearchRequest::new("Quảng Yên");
    request.filters = Filters { kinds: vec![DocKind::Report], ..Filters::default() };
    let narrowed = index.search(&request, &Access::unrestricted()).unwrap();
    assert_eq!(narrowed.total, reports);
    assert!(narrowed.hits.iter().all(|h| h.kind == DocKind::Report));
    assert_eq!(narrowed.facets.kinds, [(DocKind::Report, reports)]);
    assert_eq!(narrowed.facets.years.iter().map(|(_, n)| n).sum::<u64>(), reports);
    // Several values of one facet: either; two facets: both.
    request.filters.kinds.push(DocKind::Article);
    request.filters.years = vec![2024];
    let both = index.search(&request, &Access::unrestricted()).unwrap();
    assert!(both.total > 0);
    assert!(both.hits.iter().all(|h| matches!(h.kind, DocKind::Report | DocKind::Article) && h.year == Some(2024)));
    // Organisations and units are facets too.
    let org = all.facets.organizations[0];
    let unit = all.facets.units[0].clone();
    assert!(org.1 > 0 && unit.1 > 0);
    let mut by_unit = SearchRequest::new("Quảng Yên");
    by_unit.filters.units = vec![AdminUnitCode::parse(&unit.0).unwrap()];
    assert_eq!(index.search(&by_unit, &Access::unrestricted()).unwrap().total, unit.1);
    // Filters alone list every visible record they select.
    let mut browse = SearchRequest::new("");
    browse.filters.statuses = vec!["published".into()];
    let published = index.search(&browse, &Access::public()).unwrap();
    assert!(published.total >= 14);
    assert!(published.hits.iter().all(|h| h.status.as_deref() == Some("published")));
}

#[test]
fn snippets_and_titles_highlight_what_was_typed_in_the_text_as_written() {
    let index = SearchIndex::in_memory();
    let mut writer = index.writer(1, 0).unwrap();
    let body_nfd = "Đoàn công tác làm việc với UBND thị xã Qua\u{309}ng Yên về Nghị quyết 07-NQ/TU; \
                    sau đó thăm Công ty TNHH thủy sản Minh Hàn tại thôn 3, xã Hoàng Tân."
        .to_owned();
    let mut doc = SearchDoc::new(DocKind::Visit, 1, "Làm việc với thị xã Quảng Yên");
    doc.body = format!("{} {body_nfd}", "Mở đầu dài dòng không liên quan. ".repeat(20));
    doc.visibility = Visibility::public();
    writer.upsert(&doc).unwrap();
    writer.commit().unwrap();
    for query in ["quang yen 07-NQ/TU", "Quảng Yên 07-NQ/TU", "QUANG YEN nq 07"] {
        let results = index.search(&SearchRequest::new(query), &Access::public()).unwrap();
        let hit = &results.hits[0];
        let snippet = hit.snippet.as_ref().unwrap();
        assert_eq!(&doc.body[snippet.offset..snippet.offset + snippet.text.len()], snippet.text);
        let marked: Vec<&str> = snippet.highlights.iter().map(|r| &snippet.text[r.clone()]).collect();
        assert!(marked.contains(&"Qua\u{309}ng") && marked.contains(&"Yên"), "{query}: {marked:?}");
        assert!(marked.contains(&"07-NQ/TU") || marked.contains(&"NQ"), "{query}: {marked:?}");
        assert!(snippet.cut_before, "{snippet:?}");
        let title: Vec<&str> = hit.title_highlights.iter().map(|r| &hit.title[r.clone()]).collect();
        assert_eq!(title, ["Quảng", "Yên"]);
        assert!(snippet.to_html().contains("<mark>Qua\u{309}ng</mark> <mark>Yên</mark>"));
    }
}

#[test]
fn a_query_without_hits_suggests_the_nearest_indexed_words() {
    let index = corpus_index();
    // Two letters too many: beyond one edit, so nothing is found, but the suggestion is.
    let results = search(&index, "Agritechhh").unwrap();
    assert_eq!(results.total, 0);
    assert_eq!(results.did_you_mean.as_deref(), Some("agritech"));
    let results = search(&index, "Quảng Yênnn").unwrap();
    assert_eq!(results.did_you_mean.as_deref(), Some("Quảng yen"));
    assert!(search(&index, results.did_you_mean.as_deref().unwrap()).unwrap().total > 0);
    // A query that finds something suggests nothing.
    assert_eq!(search(&index, "Quangr Yên").unwrap().did_you_mean, None);
}

#[test]
fn exact_spelling_ranks_above_the_same_word_without_diacritics() {
    let index = SearchIndex::in_memory();
    let mut writer = index.writer(1, 0).unwrap();
    for (id, title) in [(1, "Quang Yên Quàng"), (2, "Thị xã Quảng Yên"), (3, "Qua\u{309}ng Yên (viết kiểu NFD)")]
    {
        let mut doc = SearchDoc::new(DocKind::Article, id, title);
        doc.visibility = Visibility::public();
        writer.upsert(&doc).unwrap();
    }
    writer.commit().unwrap();
    let ids = |q: &str| -> Vec<i64> {
        index.search(&SearchRequest::new(q), &Access::public()).unwrap().hits.iter().map(|h| h.id).collect()
    };
    let accented = ids("\"Quảng Yên\"");
    assert_eq!(accented.len(), 3);
    assert_eq!(accented[2], 1, "{accented:?}");
    assert_eq!(ids("quang yen").len(), 3);
}
