//! Access control inside the query (issue 15 item 4): every demo role against every record type. Hits,
//! totals and facets must be exactly what the role may open, computed here independently of the index
//! from each record's readers and the role's grants.

mod common;
mod judged;

use std::collections::{BTreeMap, BTreeSet};

use tiendo_core::authz::{AccessScope, Actor, Grant, Role, Scope};
use tiendo_search::{Access, DocKind, Filters, Reader, SearchDoc, SearchIndex, SearchRequest};

/// The demo's people, one per role (organisation ids as in the corpus).
fn actors() -> Vec<(&'static str, Actor)> {
    let user = |id, grants: &[(Role, Scope)]| {
        Actor::user(id, grants.iter().map(|(role, scope)| Grant { role: *role, scope: *scope }).collect())
    };
    vec![
        ("public", Actor::public()),
        ("signed-in, no role", user(50, &[])),
        ("applicant (Minh Hàn)", user(30, &[(Role::Applicant, Scope::Organization(5))])),
        ("locality officer, Quảng Yên", user(41, &[(Role::LocalityOfficer, Scope::Organization(3))])),
        ("locality officer, Hà An", user(42, &[(Role::LocalityOfficer, Scope::Organization(10))])),
        ("partner officer, the Institute", user(43, &[(Role::PartnerOfficer, Scope::Organization(2))])),
        ("partner officer, Minh Hàn", user(44, &[(Role::PartnerOfficer, Scope::Organization(5))])),
        ("department officer", user(45, &[(Role::DepartmentOfficer, Scope::Province)])),
        ("department leader", user(46, &[(Role::DepartmentLeader, Scope::Province)])),
        ("administrator", user(47, &[(Role::Administrator, Scope::Province)])),
        ("editor", user(48, &[(Role::Editor, Scope::Province)])),
        ("moderator", user(49, &[(Role::Moderator, Scope::Province)])),
        ("expert", user(51, &[(Role::Expert, Scope::Province)])),
    ]
}

/// Whether the actor may open the record, from the record's readers and the actor's grants.
fn may_open(actor: &Actor, doc: &SearchDoc) -> bool {
    doc.visibility.readers().iter().any(|reader| match reader {
        Reader::Public => true,
        Reader::SignedIn => actor.user_id.is_some(),
        Reader::Role(role) => actor.grants.iter().any(|g| g.role == *role),
        Reader::RoleOver(role, org) => actor.grants.iter().any(|g| {
            g.role == *role
                && match g.scope {
                    Scope::Province => true,
                    Scope::Organization(id) | Scope::Subtree(id) => id == *org,
                }
        }),
        Reader::User(id) => actor.user_id == Some(*id),
    })
}

fn access(actor: &Actor) -> Access {
    Access::from_scope(&AccessScope::of(actor, |id| vec![id]))
}

/// Every hit of a search, page after page.
fn all_hits(index: &SearchIndex, request: &SearchRequest, access: &Access) -> (u64, BTreeSet<(DocKind, i64)>) {
    let mut request = request.clone();
    request.per_page = 100;
    let mut keys = BTreeSet::new();
    let mut total = 0;
    for page in 1.. {
        request.page = page;
        let results = index.search(&request, access).expect("a search");
        total = results.total;
        if results.hits.is_empty() {
            break;
        }
        keys.extend(results.hits.iter().map(|h| (h.kind, h.id)));
    }
    (total, keys)
}

#[test]
fn every_role_sees_exactly_the_records_it_may_open_of_every_type() {
    let docs = common::corpus();
    let index = common::indexed(&docs);
    let mut seen_by_someone_not_all = 0;
    for (label, actor) in actors() {
        let access = access(&actor);
        for kind in DocKind::ALL {
            let expected: BTreeSet<(DocKind, i64)> =
                docs.iter().filter(|d| d.kind == *kind && may_open(&actor, d)).map(|d| (d.kind, d.id)).collect();
            let mut request = SearchRequest::new("");
            request.filters = Filters { kinds: vec![*kind], ..Filters::default() };
            let (total, got) = all_hits(&index, &request, &access);
            assert_eq!(got, expected, "{label}, {kind:?}");
            assert_eq!(total, expected.len() as u64, "{label}, {kind:?}");
            let all_of_kind = docs.iter().filter(|d| d.kind == *kind).count();
            if !expected.is_empty() && expected.len() < all_of_kind {
                seen_by_someone_not_all += 1;
            }
        }
    }
    // The corpus really restricts: many (role, type) pairs see part of a type.
    assert!(seen_by_someone_not_all >= 30, "{seen_by_someone_not_all}");
}

#[test]
fn word_searches_totals_and_facets_count_only_what_the_reader_may_open() {
    let docs = common::corpus();
    let by_key: BTreeMap<(DocKind, i64), &SearchDoc> = docs.iter().map(|d| ((d.kind, d.id), d)).collect();
    let index = common::indexed(&docs);
    for judged in judged::queries() {
        let request = SearchRequest::new(&judged.query);
        let (_, everything) = all_hits(&index, &request, &Access::unrestricted());
        assert!(
            judged.relevant.iter().any(|k| everything.contains(k)),
            "{} ({}): no relevant record found at all",
            judged.query,
            judged.category
        );
        for (label, actor) in actors() {
            let access = access(&actor);
            let expected: BTreeSet<(DocKind, i64)> =
                everything.iter().filter(|k| may_open(&actor, by_key[k])).copied().collect();
            let (total, got) = all_hits(&index, &request, &access);
            assert_eq!(got, expected, "{label}: {}", judged.query);
            assert_eq!(total, expected.len() as u64, "{label}: {}", judged.query);
            let facets = index.search(&request, &access).expect("a search").facets;
            let mut kinds: BTreeMap<DocKind, u64> = BTreeMap::new();
            let mut years: BTreeMap<i32, u64> = BTreeMap::new();
            for key in &expected {
                *kinds.entry(key.0).or_default() += 1;
                if let Some(y) = by_key[key].year {
                    *years.entry(y).or_default() += 1;
                }
            }
            assert_eq!(facets.kinds.into_iter().collect::<BTreeMap<_, _>>(), kinds, "{label}: {}", judged.query);
            assert_eq!(facets.years.into_iter().collect::<BTreeMap<_, _>>(), years, "{label}: {}", judged.query);
        }
    }
}

#[test]
fn the_public_sees_public_records_only_and_no_suggestion_from_hidden_ones() {
    let docs = common::corpus();
    let index = common::indexed(&docs);
    let public = Access::public();
    let (_, got) = all_hits(&index, &SearchRequest::new("Hà An"), &public);
    assert!(!got.is_empty());
    for key in &got {
        let doc = docs.iter().find(|d| (d.kind, d.id) == *key).unwrap();
        assert!(doc.visibility.is_public(), "{key:?}");
    }
    // "lợi nhuận" is only in a progress update of Đầm Hà, which the public may not open: a misspelling
    // finds nothing and suggests nothing, while the department's staff find it.
    let hidden = index.search(&SearchRequest::new("nhuậnnn"), &public).unwrap();
    assert_eq!(hidden.total, 0);
    assert_eq!(hidden.did_you_mean, None, "a suggestion must not reveal a hidden record");
    let leader = access(&actors().into_iter().find(|(l, _)| *l == "department leader").unwrap().1);
    let staff = index.search(&SearchRequest::new("nhuậnnn"), &leader).unwrap();
    assert_eq!(staff.did_you_mean.as_deref(), Some("nhuan"));
    assert_eq!(index.search(&SearchRequest::new("nhuận"), &leader).unwrap().total, 1);
}
