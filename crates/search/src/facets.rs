//! Facet counts (type, organisation, unit, year, status) over the documents a query matches, read from
//! fast fields in one pass that also counts the total. The query carries the access clause, so only
//! visible documents are counted.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::doc::DocKind;

/// Counts per value, largest first (ties by value).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Facets {
    /// Per type of record.
    pub kinds: Vec<(DocKind, u64)>,
    /// Per organisation id.
    pub organizations: Vec<(i64, u64)>,
    /// Per unit code.
    pub units: Vec<(String, u64)>,
    /// Per year.
    pub years: Vec<(i32, u64)>,
    /// Per status code.
    pub statuses: Vec<(String, u64)>,
}

/// How many values of each facet are returned at most (the most frequent).
pub const MAX_FACET_VALUES: usize = 50;

/// The total and the facet counts of a query's matches.
pub(crate) struct FacetCollector;

/// Counts of one segment: per term ordinal for strings, per value for numbers.
pub(crate) struct SegmentCounts {
    total: u64,
    kind: Option<StrColumn>,
    kind_counts: Vec<u64>,
    status: Option<StrColumn>,
    status_counts: Vec<u64>,
    unit: Option<StrColumn>,
    unit_counts: Vec<u64>,
    organization: Column<i64>,
    organization_counts: HashMap<i64, u64>,
    year: Column<i64>,
    year_counts: HashMap<i64, u64>,
}

/// The fruit of one segment: counts by value.
#[derive(Default)]
pub(crate) struct Counts {
    total: u64,
    kinds: HashMap<String, u64>,
    statuses: HashMap<String, u64>,
    units: HashMap<String, u64>,
    organizations: HashMap<i64, u64>,
    years: HashMap<i64, u64>,
}

fn str_counts(column: &Option<StrColumn>) -> Vec<u64> {
    vec![0; column.as_ref().map_or(0, |c| c.dictionary().num_terms())]
}

impl Collector for FacetCollector {
    type Fruit = (u64, Facets);
    type Child = SegmentCounts;

    fn for_segment(&self, _segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<SegmentCounts> {
        let fast = reader.fast_fields();
        let kind = fast.str("kind")?;
        let status = fast.str("status")?;
        let unit = fast.str("unit")?;
        Ok(SegmentCounts {
            total: 0,
            kind_counts: str_counts(&kind),
            status_counts: str_counts(&status),
            unit_counts: str_counts(&unit),
            kind,
            status,
            unit,
            organization: fast.i64("organization")?,
            organization_counts: HashMap::new(),
            year: fast.i64("year")?,
            year_counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Counts>) -> tantivy::Result<(u64, Facets)> {
        let mut all = Counts::default();
        for fruit in fruits {
            all.total += fruit.total;
            for (k, v) in fruit.kinds {
                *all.kinds.entry(k).or_default() += v;
            }
            for (k, v) in fruit.statuses {
                *all.statuses.entry(k).or_default() += v;
            }
            for (k, v) in fruit.units {
                *all.units.entry(k).or_default() += v;
            }
            for (k, v) in fruit.organizations {
                *all.organizations.entry(k).or_default() += v;
            }
            for (k, v) in fruit.years {
                *all.years.entry(k).or_default() += v;
            }
        }
        let facets = Facets {
            kinds: ranked(all.kinds.into_iter().filter_map(|(k, v)| Some((DocKind::from_code(&k)?, v))).collect()),
            organizations: ranked(all.organizations.into_iter().collect()),
            units: ranked(all.units.into_iter().collect()),
            years: ranked(all.years.into_iter().filter_map(|(y, v)| Some((i32::try_from(y).ok()?, v))).collect()),
            statuses: ranked(all.statuses.into_iter().collect()),
        };
        Ok((all.total, facets))
    }
}

/// Most frequent first, ties by value; at most [`MAX_FACET_VALUES`].
fn ranked<T: Ord>(mut counts: Vec<(T, u64)>) -> Vec<(T, u64)> {
    counts.sort_by(|(a, x), (b, y)| y.cmp(x).then_with(|| a.cmp(b)));
    counts.truncate(MAX_FACET_VALUES);
    counts
}

fn count_ords(column: &Option<StrColumn>, counts: &mut [u64], doc: DocId) {
    if let Some(column) = column {
        for ord in column.term_ords(doc) {
            if let Some(c) = usize::try_from(ord).ok().and_then(|o| counts.get_mut(o)) {
                *c += 1;
            }
        }
    }
}

fn harvest_ords(column: &Option<StrColumn>, counts: &[u64]) -> HashMap<String, u64> {
    let mut out = HashMap::new();
    let Some(column) = column else {
        return out;
    };
    let mut text = String::new();
    for (ord, count) in counts.iter().enumerate() {
        if *count > 0 && column.ord_to_str(ord as u64, &mut text).unwrap_or(false) {
            out.insert(text.clone(), *count);
        }
    }
    out
}

impl SegmentCollector for SegmentCounts {
    type Fruit = Counts;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.total += 1;
        count_ords(&self.kind, &mut self.kind_counts, doc);
        count_ords(&self.status, &mut self.status_counts, doc);
        count_ords(&self.unit, &mut self.unit_counts, doc);
        for org in self.organization.values_for_doc(doc) {
            *self.organization_counts.entry(org).or_default() += 1;
        }
        for year in self.year.values_for_doc(doc) {
            *self.year_counts.entry(year).or_default() += 1;
        }
    }

    fn harvest(self) -> Counts {
        Counts {
            total: self.total,
            kinds: harvest_ords(&self.kind, &self.kind_counts),
            statuses: harvest_ords(&self.status, &self.status_counts),
            units: harvest_ords(&self.unit, &self.unit_counts),
            organizations: self.organization_counts,
            years: self.year_counts,
        }
    }
}
