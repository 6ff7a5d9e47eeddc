//! Reading submitted forms (repeated fields included) and what the forms and lists of every feature share:
//! selects, page links.

use axum::body::Bytes;

use super::{parse_urlencoded, url_encode};

/// A submitted `application/x-www-form-urlencoded` form.
#[derive(Debug, Clone, Default)]
pub struct Submitted {
    pairs: Vec<(String, String)>,
}

impl Submitted {
    /// Reads a body.
    pub fn parse(body: &Bytes) -> Submitted {
        Submitted { pairs: parse_urlencoded(body) }
    }

    /// The first value of a field, or the empty string.
    pub fn get(&self, name: &str) -> String {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// Every value of a field, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }

    /// Whether a checkbox was ticked (or a button with this name pressed).
    pub fn has(&self, name: &str) -> bool {
        self.pairs.iter().any(|(k, v)| k == name && !v.is_empty())
    }
}

/// An option of a select (rendered by the `options` macro of `_fields.html`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The submitted value.
    pub value: String,
    /// The label shown.
    pub label: String,
    /// Whether the label is data (a unit's, a person's name), marked `lang="vi"`, rather than interface text.
    pub data: bool,
    /// The label of the group (`<optgroup>`) this option opens, if it opens one.
    pub group_start: Option<String>,
    /// Whether this option closes its group.
    pub group_end: bool,
}

impl Choice {
    /// An option whose label is interface text (a translated name).
    pub fn new(value: impl ToString, label: impl Into<String>) -> Choice {
        Choice { value: value.to_string(), label: label.into(), data: false, group_start: None, group_end: false }
    }

    /// An option whose label is data (a record's name or title).
    pub fn data(value: impl ToString, label: impl Into<String>) -> Choice {
        Choice { data: true, ..Choice::new(value, label) }
    }
}

/// Options in groups: the ungrouped first, then each group (its label, its options) as an `<optgroup>`.
pub fn grouped(ungrouped: Vec<Choice>, groups: Vec<(String, Vec<Choice>)>) -> Vec<Choice> {
    let mut out = ungrouped;
    for (label, mut choices) in groups.into_iter().filter(|(_, c)| !c.is_empty()) {
        if let Some(first) = choices.first_mut() {
            first.group_start = Some(label);
        }
        if let Some(last) = choices.last_mut() {
            last.group_end = true;
        }
        out.extend(choices);
    }
    out
}

/// Links to the previous and next pages of a list.
#[derive(Debug, Clone, Default)]
pub struct Pager {
    /// "Từ 1 đến 50 trong 120".
    pub range: String,
    /// The previous page, if any.
    pub previous: Option<String>,
    /// The next page, if any.
    pub next: Option<String>,
}

/// The page links of a list at `path` with the filters `params` (already non-empty ones only), showing
/// page `page` (from 1) of `per_page` items out of `total`.
pub fn pager(
    tr: &tiendo_app::i18n::Tr,
    path: &str,
    params: &[(&str, String)],
    page: i64,
    per_page: i64,
    total: i64,
    shown: usize,
) -> Pager {
    let href = |p: i64| {
        let mut query: Vec<String> =
            params.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", url_encode(v))).collect();
        if p > 1 {
            query.push(format!("page={p}"));
        }
        if query.is_empty() { path.to_owned() } else { format!("{path}?{}", query.join("&")) }
    };
    let from = (page - 1) * per_page + 1;
    let to = from + shown as i64 - 1;
    Pager {
        range: if shown == 0 {
            String::new()
        } else {
            tr.t_with(
                "dir-page-of",
                &[("from", &from.to_string()), ("to", &to.to_string()), ("total", &total.to_string())],
            )
        },
        previous: (page > 1).then(|| href(page - 1)),
        next: (to < total).then(|| href(page + 1)),
    }
}

/// The page number of a list query (from 1; anything else is 1).
pub fn page_number(raw: Option<&str>) -> i64 {
    raw.and_then(|p| p.trim().parse::<i64>().ok()).filter(|p| *p >= 1 && *p <= 100_000).unwrap_or(1)
}
