//! The relevance corpus (`tests/relevance/corpus.txt`), read for the tests.

use tiendo_core::authz::Role;
use tiendo_core::geo::AdminUnitCode;
use tiendo_search::{DocKind, Reader, SearchDoc, SearchIndex, Visibility};

pub const CORPUS: &str = include_str!("../relevance/corpus.txt");

fn reader(token: &str) -> Reader {
    let token = token.trim();
    match token {
        "public" => Reader::Public,
        "signed_in" => Reader::SignedIn,
        _ => {
            if let Some(id) = token.strip_prefix("user:") {
                return Reader::User(id.parse().expect("a user id"));
            }
            let role_part = token.strip_prefix("role:").unwrap_or_else(|| panic!("unknown reader {token:?}"));
            match role_part.split_once('@') {
                Some((role, org)) => Reader::RoleOver(
                    Role::from_code(role).unwrap_or_else(|| panic!("unknown role {role}")),
                    org.parse().expect("an organisation id"),
                ),
                None => Reader::Role(Role::from_code(role_part).unwrap_or_else(|| panic!("unknown role {role_part}"))),
            }
        }
    }
}

/// Every record of the corpus.
pub fn corpus() -> Vec<SearchDoc> {
    let mut docs: Vec<SearchDoc> = Vec::new();
    let mut last_key: Option<&str> = None;
    for line in CORPUS.lines() {
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            last_key = None;
            continue;
        }
        if let Some((kind, id)) = line.split_once(' ')
            && !kind.contains(':')
            && let (Some(kind), Ok(id)) = (DocKind::from_code(kind), id.parse::<i64>())
        {
            docs.push(SearchDoc::new(kind, id, ""));
            continue;
        }
        let doc = docs.last_mut().expect("a record header first");
        let Some((key, value)) = line.split_once(": ") else {
            // A continuation of the previous field.
            assert_eq!(last_key, Some("body"), "only the body continues: {line:?}");
            doc.body.push('\n');
            doc.body.push_str(line);
            continue;
        };
        last_key = Some(match key {
            "title" => {
                doc.title = value.to_owned();
                "title"
            }
            "symbol" => {
                doc.symbol = Some(value.to_owned());
                "symbol"
            }
            "places" => {
                doc.places = value.split(';').map(|p| p.trim().to_owned()).collect();
                "places"
            }
            "units" => {
                doc.units = value.split_whitespace().map(|c| AdminUnitCode::parse(c).expect("a unit code")).collect();
                "units"
            }
            "orgs" => {
                doc.organizations = value.split_whitespace().map(|o| o.parse().expect("an id")).collect();
                "orgs"
            }
            "year" => {
                doc.year = Some(value.parse().expect("a year"));
                "year"
            }
            "status" => {
                doc.status = Some(value.to_owned());
                "status"
            }
            "visibility" => {
                doc.visibility = value.split(',').fold(Visibility::nobody(), |v, t| v.with(reader(t)));
                "visibility"
            }
            "body" => {
                doc.body = value.to_owned();
                "body"
            }
            other => panic!("unknown field {other:?} in {line:?}"),
        });
    }
    docs
}

/// An index in memory holding the whole corpus.
pub fn indexed(docs: &[SearchDoc]) -> SearchIndex {
    let index = SearchIndex::in_memory();
    let mut writer = index.writer(1, 32 * 1024 * 1024).expect("a writer");
    for doc in docs {
        writer.upsert(doc).expect("indexed");
    }
    writer.commit().expect("committed");
    index
}
