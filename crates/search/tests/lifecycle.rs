//! The index's life on disk: created, reopened, written and reloaded; missing, outdated and damaged
//! indexes are told apart so that the server can rebuild them while answering 503.

use tiendo_search::{
    Access, DocKind, Opened, SCHEMA_VERSION, SearchDoc, SearchError, SearchIndex, SearchRequest, VERSION_FILE,
    Visibility,
};

fn doc(id: i64, title: &str) -> SearchDoc {
    let mut d = SearchDoc::new(DocKind::Article, id, title);
    d.visibility = Visibility::public();
    d
}

fn hits(index: &SearchIndex, query: &str) -> Vec<i64> {
    index.search(&SearchRequest::new(query), &Access::public()).expect("a search").hits.iter().map(|h| h.id).collect()
}

#[test]
fn a_missing_index_is_reported_and_created_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("search");
    assert!(matches!(SearchIndex::open(&path), Err(SearchError::Missing(_))));
    let (index, opened) = SearchIndex::open_or_create(&path).unwrap();
    assert!(matches!(opened, Opened::Created { reason: SearchError::Missing(_) }), "{opened:?}");
    assert_eq!(index.num_docs(), 0);
    assert_eq!(std::fs::read_to_string(path.join(VERSION_FILE)).unwrap().trim(), SCHEMA_VERSION.to_string());
}

#[test]
fn committed_documents_survive_a_reopen_and_upserts_replace() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::create(dir.path()).unwrap();
    let mut writer = index.writer(1, 0).unwrap();
    writer.upsert(&doc(1, "Hàu Quảng Yên")).unwrap();
    writer.upsert(&doc(2, "Gốm Đông Triều")).unwrap();
    // Nothing is searchable before the commit.
    assert!(hits(&index, "quang yen").is_empty());
    writer.commit().unwrap();
    assert_eq!(hits(&index, "quang yen"), [1]);
    // A replacement and a deletion.
    writer.upsert(&doc(1, "Hàu Vân Đồn")).unwrap();
    writer.delete(DocKind::Article, 2);
    writer.commit().unwrap();
    assert!(hits(&index, "quang yen").is_empty());
    assert_eq!(hits(&index, "van don"), [1]);
    assert!(hits(&index, "dong trieu").is_empty());
    writer.finish().unwrap();
    drop(index);

    let (reopened, opened) = SearchIndex::open_or_create(dir.path()).unwrap();
    assert!(matches!(opened, Opened::Existing));
    assert_eq!(reopened.num_docs(), 1);
    assert_eq!(hits(&reopened, "van don"), [1]);
    reopened.verify().unwrap();
}

#[test]
fn totals_and_facets_leave_out_replaced_and_deleted_documents() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::create(dir.path()).unwrap();
    let mut writer = index.writer(1, 0).unwrap();
    for id in 1..=200 {
        let mut d = doc(id, &format!("Hàu Quảng Yên số {id}"));
        d.year = Some(2020 + i32::try_from(id % 3).unwrap());
        writer.upsert(&d).unwrap();
    }
    writer.commit().unwrap();
    // In the same segment: 50 replaced by records that no longer match, 50 deleted.
    for id in 1..=50 {
        writer.upsert(&doc(id, "Gốm Đông Triều")).unwrap();
        writer.delete(DocKind::Article, 50 + id);
    }
    writer.commit().unwrap();
    let found = index.search(&SearchRequest::new("hau quang yen"), &Access::public()).unwrap();
    assert_eq!(found.total, 100);
    assert_eq!(found.facets.kinds, vec![(DocKind::Article, 100)]);
    let by_year: u64 = found.facets.years.iter().map(|(_, n)| n).sum();
    assert_eq!(by_year, 100);
    let expected_2021 = (101..=200).filter(|id| id % 3 == 1).count() as u64;
    assert!(found.facets.years.contains(&(2021, expected_2021)), "{:?}", found.facets.years);
}

#[test]
fn a_second_writer_is_refused_while_the_first_holds_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::create(dir.path()).unwrap();
    let _first = index.writer(1, 0).unwrap();
    assert!(matches!(index.writer(1, 0), Err(SearchError::Locked)));
}

#[test]
fn an_index_of_another_version_is_outdated() {
    let dir = tempfile::tempdir().unwrap();
    drop(SearchIndex::create(dir.path()).unwrap());
    std::fs::write(dir.path().join(VERSION_FILE), "0\n").unwrap();
    let err = SearchIndex::open(dir.path()).unwrap_err();
    assert!(matches!(err, SearchError::Outdated { found: Some(ref v), .. } if v == "0"), "{err:?}");
    assert!(err.needs_rebuild());
    let (index, opened) = SearchIndex::open_or_create(dir.path()).unwrap();
    assert!(matches!(opened, Opened::Created { reason: SearchError::Outdated { .. } }));
    assert_eq!(index.num_docs(), 0);
}

#[test]
fn a_damaged_index_is_corrupt_and_rebuilt_empty() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::create(dir.path()).unwrap();
        let mut writer = index.writer(1, 0).unwrap();
        writer.upsert(&doc(1, "Hàu Quảng Yên")).unwrap();
        writer.commit().unwrap();
        writer.finish().unwrap();
    }
    // meta.json cut in half.
    let meta = dir.path().join("meta.json");
    let text = std::fs::read_to_string(&meta).unwrap();
    std::fs::write(&meta, &text[..text.len() / 2]).unwrap();
    let err = SearchIndex::open(dir.path()).unwrap_err();
    assert!(matches!(err, SearchError::Corrupt(_)), "{err:?}");
    assert!(err.needs_rebuild());
    let (index, opened) = SearchIndex::open_or_create(dir.path()).unwrap();
    assert!(matches!(opened, Opened::Created { reason: SearchError::Corrupt(_) }));
    assert_eq!(index.num_docs(), 0);
}

#[test]
fn a_missing_segment_file_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    {
        let index = SearchIndex::create(dir.path()).unwrap();
        let mut writer = index.writer(1, 0).unwrap();
        writer.upsert(&doc(1, "Hàu Quảng Yên")).unwrap();
        writer.commit().unwrap();
        writer.finish().unwrap();
    }
    let postings = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "idx"))
        .expect("a postings file");
    std::fs::remove_file(postings).unwrap();
    let err = SearchIndex::open(dir.path()).unwrap_err();
    assert!(matches!(err, SearchError::Corrupt(_)), "{err:?}");
}

#[test]
fn creating_refuses_to_empty_a_directory_that_holds_no_index() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tiendo.db"), "precious").unwrap();
    let err = SearchIndex::create(dir.path()).unwrap_err();
    assert!(matches!(err, SearchError::Index(_)), "{err:?}");
    assert!(!err.needs_rebuild());
    assert_eq!(std::fs::read_to_string(dir.path().join("tiendo.db")).unwrap(), "precious");
}
