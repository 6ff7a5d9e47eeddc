//! The reader's access as a cached filter: per segment, the documents any of the access-list terms
//! allows, as a bitset built once and kept. Every search of the same reader (and every reader with the same
//! access) then tests one bit per candidate instead of walking the postings of "public", "signed in" and
//! the reader's roles, which together cover most of the index.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use tantivy::index::SegmentId;
use tantivy::query::{BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{BitSet, DocId, DocSet, Score, Searcher, SegmentReader, TERMINATED, Term};

/// Filters kept at most (one per segment and access); then the cache starts again.
const MAX_ENTRIES: usize = 512;

/// Bitsets by segment and access.
#[derive(Default)]
pub(crate) struct FilterCache(Mutex<HashMap<(SegmentId, u64), Arc<BitSet>>>);

impl FilterCache {
    /// Forgets the segments a searcher no longer has.
    pub fn retain(&self, searcher: &Searcher) {
        if let Ok(mut map) = self.0.lock() {
            let live: Vec<SegmentId> = searcher.segment_readers().iter().map(SegmentReader::segment_id).collect();
            map.retain(|(id, _), _| live.contains(id));
        }
    }
}

/// Documents with any of the terms, unscored.
#[derive(Clone)]
pub(crate) struct CachedTermsFilter {
    terms: Arc<Vec<Term>>,
    key: u64,
    cache: Arc<FilterCache>,
}

impl std::fmt::Debug for CachedTermsFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedTermsFilter").field("terms", &self.terms.len()).finish_non_exhaustive()
    }
}

impl CachedTermsFilter {
    pub fn new(mut terms: Vec<Term>, cache: Arc<FilterCache>) -> CachedTermsFilter {
        terms.sort();
        terms.dedup();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        terms.hash(&mut hasher);
        CachedTermsFilter { key: hasher.finish(), terms: Arc::new(terms), cache }
    }
}

impl Query for CachedTermsFilter {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl CachedTermsFilter {
    fn bitset(&self, reader: &SegmentReader) -> tantivy::Result<Arc<BitSet>> {
        let key = (reader.segment_id(), self.key);
        if let Some(found) = self.cache.0.lock().ok().and_then(|map| map.get(&key).cloned()) {
            return Ok(found);
        }
        let mut bits = BitSet::with_max_value(reader.max_doc());
        for term in self.terms.iter() {
            let inverted = reader.inverted_index(term.field())?;
            if let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::Basic)? {
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    bits.insert(doc);
                    doc = postings.advance();
                }
            }
        }
        let bits = Arc::new(bits);
        if let Ok(mut map) = self.cache.0.lock() {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(key, bits.clone());
        }
        Ok(bits)
    }
}

impl Weight for CachedTermsFilter {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let bits: BitSet = self.bitset(reader)?.as_ref().clone();
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(bits), 0.0 * boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.bitset(reader)?.contains(doc) {
            Ok(Explanation::new("access filter", 0.0))
        } else {
            Err(tantivy::TantivyError::InvalidArgument(format!("document {doc} is not visible")))
        }
    }
}
