//! The judged queries of `tests/relevance/queries.txt`.

use tiendo_search::DocKind;

pub const QUERIES: &str = include_str!("../relevance/queries.txt");

/// A query of the relevance set.
#[derive(Debug, Clone)]
pub struct Judged {
    pub category: String,
    pub query: String,
    pub relevant: Vec<(DocKind, i64)>,
}

/// Every judged query.
pub fn queries() -> Vec<Judged> {
    QUERIES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let parts: Vec<&str> = line.splitn(3, " | ").collect();
            let [category, query, relevant] = parts[..] else { panic!("bad query line {line:?}") };
            let relevant = relevant
                .split_whitespace()
                .map(|k| {
                    let (kind, id) = k.split_once(':').expect("kind:id");
                    (DocKind::from_code(kind).expect("a kind"), id.parse().expect("an id"))
                })
                .collect();
            Judged { category: category.to_owned(), query: query.to_owned(), relevant }
        })
        .collect()
}
