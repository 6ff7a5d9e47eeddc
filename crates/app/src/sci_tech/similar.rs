//! Similar tasks and proposals, found by search as a proposal is typed: the monitoring tasks and the S&T
//! proposals the reader may open whose names share the proposal's key words. Search matches every word of
//! a query, so the name is cut into pairs of neighbouring key words (the little words of Vietnamese titles
//! left out), each pair searched, and the records found by the most pairs come first.

use std::collections::HashMap;

use tiendo_search::DocKind;

use crate::search::{SearchQuery, search};
use crate::{App, Result, Session};

/// Syllables too common in task names to tell tasks apart.
const COMMON: &[&str] = &[
    "cac", "cho", "cua", "va", "tai", "tren", "trong", "theo", "ve", "voi", "nhung", "mot", "de", "den", "tu", "o",
    "nam", "giai", "doan", "tinh", "xa", "phuong", "thi", "huyen", "thanh", "pho", "nghien", "cuu", "ung", "dung",
    "xay", "dung", "mo", "hinh", "phat", "trien", "nang", "cao", "hieu", "qua", "danh", "gia", "thuc", "hien", "nhiem",
    "vu", "khoa", "hoc", "cong", "nghe", "dia", "ban",
];

/// The most pairs searched.
const MAX_PAIRS: usize = 6;

/// A similar record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Similar {
    /// Its kind.
    pub kind: DocKind,
    /// Its id.
    pub id: i64,
    /// Its title.
    pub title: String,
    /// Where it opens.
    pub path: String,
    /// How many pairs of key words it shares.
    pub shared: usize,
}

/// The pairs of key words standing side by side in a name (a little word between two breaks the pair).
fn pairs(title: &str) -> Vec<String> {
    let mut runs: Vec<Vec<&str>> = vec![Vec::new()];
    for word in title.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if COMMON.contains(&tiendo_core::text::fold(word).as_str()) {
            runs.push(Vec::new());
        } else if let Some(run) = runs.last_mut() {
            run.push(word);
        }
    }
    let mut out: Vec<String> = Vec::new();
    for run in &runs {
        for w in run.windows(2) {
            let pair = format!("{} {}", w[0], w[1]);
            if !out.contains(&pair) {
                out.push(pair);
            }
        }
    }
    out.truncate(MAX_PAIRS);
    out
}

/// The tasks and proposals most like `title` that the reader may open, `except` the proposal itself;
/// empty when search is off or rebuilding (the form works without it).
pub async fn similar_to(
    app: &App,
    session: &Session,
    title: &str,
    except: Option<i64>,
    limit: usize,
) -> Result<Vec<Similar>> {
    let mut found: HashMap<(DocKind, i64), Similar> = HashMap::new();
    for pair in pairs(title) {
        let mut query = SearchQuery::new(pair);
        query.kinds = vec![DocKind::Task.code().to_owned(), DocKind::SciTechTask.code().to_owned()];
        query.per_page = 10;
        query.facets = false;
        let Ok(results) = search(app, session, &query).await else { return Ok(Vec::new()) };
        for hit in results.hits {
            if hit.kind == DocKind::SciTechTask && Some(hit.id) == except {
                continue;
            }
            found
                .entry((hit.kind, hit.id))
                .or_insert_with(|| Similar {
                    kind: hit.kind,
                    id: hit.id,
                    title: hit.title.clone(),
                    path: hit.path.clone(),
                    shared: 0,
                })
                .shared += 1;
        }
    }
    let mut out: Vec<Similar> = found.into_values().collect();
    out.sort_by(|a, b| b.shared.cmp(&a.shared).then(a.title.cmp(&b.title)));
    out.truncate(limit);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::pairs;

    #[test]
    fn a_name_is_cut_into_pairs_of_key_words() {
        assert_eq!(
            pairs("Ứng dụng công nghệ nuôi tôm tuần hoàn tại thị xã Quảng Yên"),
            ["nuôi tôm", "tôm tuần", "tuần hoàn", "Quảng Yên"]
        );
    }
}
