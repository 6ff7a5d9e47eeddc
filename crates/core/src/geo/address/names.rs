//! The folded names of units, compact and searchable with one edit: one string holding every name,
//! entries sorted by length and text, and the units of each name. The names of some 14,000 units take
//! a few hundred kilobytes, where a map of strings to vectors took several megabytes.

use std::cmp::Ordering;

use crate::geo::gazetteer::UnitId;
use crate::text::analyze::{typo_tolerant, within_one_edit};

#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Where the name is in `text`.
    start: u32,
    len: u32,
    /// Its length in characters (the sort key, then the text).
    chars: u32,
    /// Its units: `ids[ids_start..ids_start + ids_len]`.
    ids_start: u32,
    ids_len: u32,
    /// Which letters the name has (a bit per ASCII letter, one for anything else): one edit changes at
    /// most two bits, so most names are rejected without comparing them.
    letters: u32,
}

fn letter_mask(s: &str) -> u32 {
    s.bytes().fold(0, |mask, b| {
        mask | if b.is_ascii_lowercase() {
            1 << (b - b'a')
        } else if b == b' ' {
            0
        } else {
            1 << 26
        }
    })
}

/// Names (folded, words joined by one space) and the units that bear them.
#[derive(Debug, Clone, Default)]
pub(crate) struct NameTable {
    text: String,
    entries: Vec<Entry>,
    ids: Vec<UnitId>,
}

impl NameTable {
    /// Builds the table from (name, unit) pairs.
    pub fn new(mut pairs: Vec<(String, UnitId)>) -> NameTable {
        pairs.sort_by(|(a, x), (b, y)| {
            a.chars().count().cmp(&b.chars().count()).then_with(|| a.cmp(b)).then_with(|| x.cmp(y))
        });
        pairs.dedup();
        let mut table = NameTable::default();
        for (name, id) in pairs {
            let same = table.entries.last().is_some_and(|e| table.name(e) == name);
            if !same {
                table.entries.push(Entry {
                    start: table.text.len() as u32,
                    len: name.len() as u32,
                    chars: name.chars().count() as u32,
                    ids_start: table.ids.len() as u32,
                    ids_len: 0,
                    letters: letter_mask(&name),
                });
                table.text.push_str(&name);
            }
            table.ids.push(id);
            if let Some(last) = table.entries.last_mut() {
                last.ids_len += 1;
            }
        }
        table.text.shrink_to_fit();
        table.entries.shrink_to_fit();
        table.ids.shrink_to_fit();
        table
    }

    fn name(&self, e: &Entry) -> &str {
        &self.text[e.start as usize..(e.start + e.len) as usize]
    }

    fn units(&self, e: &Entry) -> &[UnitId] {
        &self.ids[e.ids_start as usize..(e.ids_start + e.ids_len) as usize]
    }

    /// The units named exactly `key`.
    pub fn get(&self, key: &str) -> Option<&[UnitId]> {
        let chars = key.chars().count() as u32;
        self.entries
            .binary_search_by(|e| match e.chars.cmp(&chars) {
                Ordering::Equal => self.name(e).cmp(key),
                other => other,
            })
            .ok()
            .map(|i| self.units(&self.entries[i]))
    }

    /// The names of four letters or more one edit away from `key` (not `key` itself) with their units:
    /// shorter names are too alike ("An", "Ân", "Ba", "Bá"). `key` may have a letter less ("Bưi" for
    /// "Bưởi").
    pub fn near(&self, key: &str) -> Vec<&[UnitId]> {
        if key.chars().filter(|c| c.is_alphabetic()).count() < 3 {
            return Vec::new();
        }
        let chars = key.chars().count() as u32;
        let letters = letter_mask(key);
        let from = self.entries.partition_point(|e| e.chars + 1 < chars);
        let to = self.entries.partition_point(|e| e.chars <= chars + 1);
        self.entries[from..to]
            .iter()
            .filter(|e| (e.letters ^ letters).count_ones() <= 2)
            .filter(|e| {
                let name = self.name(e);
                name != key && typo_tolerant(name) && within_one_edit(name, key)
            })
            .map(|e| self.units(e))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(i: u32) -> UnitId {
        crate::geo::gazetteer::tests::unit_id(i)
    }

    #[test]
    fn names_are_found_exactly_and_with_one_edit() {
        let table = NameTable::new(vec![
            ("hoang tan".into(), id(1)),
            ("hoang an".into(), id(2)),
            ("hoang tan".into(), id(3)),
            ("an".into(), id(4)),
            ("quang yen".into(), id(5)),
        ]);
        assert_eq!(table.get("hoang tan"), Some(&[id(1), id(3)][..]));
        assert_eq!(table.get("an"), Some(&[id(4)][..]));
        assert_eq!(table.get("hoang ta"), None);
        // "Hoàng Tn" is one letter from Hoàng Tân and from Hoàng An: both are offered.
        let near = table.near("hoang tn");
        assert_eq!(near.len(), 2, "{near:?}");
        assert!(table.near("quang yen").is_empty(), "a name is not near itself");
        assert_eq!(table.near("quangyen"), vec![&[id(5)][..]]);
        // Too short to guess.
        assert!(table.near("an").is_empty());
        assert!(table.near("ang").is_empty(), "a name of two letters is never guessed");
    }
}
