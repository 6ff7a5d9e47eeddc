//! Address resolution: free text such as "thôn 3, xã Hoàng Tân, thị xã Quảng Yên, Quảng Ninh" or "khu 5,
//! P. Hoành Bồ, TP Hạ Long" → the administrative unit it names as of a date, what that unit is today, how
//! sure we are, and the part below commune level ("thôn 3") kept as the address detail.
//!
//! How it works. The text is cut at commas into segments, and each segment into words, folded (no
//! diacritics, `đ` → `d`) after an optional kind word ("xã", "P.", "TX", "TP."...). Every unit whose folded
//! name equals a segment is a candidate; its score grows with each later segment that names one of its
//! ancestors (in order), with kind words and diacritics that agree, and with being in force on the date
//! asked; it shrinks for later segments that name nothing of it. Segments before the matched unit are the
//! detail. The best candidates are returned, ranked, each with a confidence. If the text cannot be read at
//! commas (no commas, "Quảng Yên - Quảng Ninh"), it is also cut at kind words and dashes and the better
//! reading wins; a run of words without commas ("thon 3 xa Hoang Tan thi xa Quang Yen Quang Ninh") is
//! also cut where known names end, and a result read that way is a little less sure.
//!
//! Names are matched as search matches them (`crate::text::analyze`): folded, and, when no segment names
//! a unit exactly, with one letter added, dropped, replaced or two swapped in a name of four letters or
//! more ("Hoàng Tn" → Hoàng Tân, and Hoàng An too: both are candidates until an ancestor decides). A
//! name matched with an edit scores and is trusted less than an exact one.

mod cuts;
mod names;
mod tokens;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use self::names::NameTable;
use self::tokens::{Hint, Segment, Token, prefix, segments, tokenize};
use super::code::{AdminUnitCode, UnitLevel};
use super::gazetteer::{Gazetteer, UnitId};
use super::lineage::Successors;
use crate::text::normalize_input;

/// The longest input considered, in characters; an address is far shorter.
pub const MAX_INPUT_CHARS: usize = 400;

// Scores. A name match dominates; each ancestor named in order confirms it; a segment that names nothing
// of the candidate counts against it more than a confirmation counts for it, so that a candidate which
// explains the whole address wins.
const NAME: i32 = 10;
const ANCESTOR: i32 = 6;
const KIND_AGREES: i32 = 2;
const KIND_CONFLICTS: i32 = -6;
const ACCENTS_AGREE: i32 = 1;
const ACCENTS_CONFLICT: i32 = -4;
const UNEXPLAINED: i32 = -8;
const IN_FORCE: i32 = 3;
/// A name matched with one edit ("Hoàng Tn").
const TYPO: i32 = -4;
const DEFAULT_PROVINCE_AGREES: i32 = 4;
const DEFAULT_PROVINCE_CONFLICTS: i32 = -2;
/// Candidates further than this below the best are not returned.
const KEEP_WITHIN: i32 = 10;

/// Other names people write for some provinces (folded), by province code.
const PROVINCE_ALIASES: &[(&str, &[&str])] =
    &[("01", &["hn"]), ("46", &["thua thien hue"]), ("77", &["brvt"]), ("79", &["hcm", "sai gon"])];

/// What to resolve against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveOptions {
    /// The date the address was written for: units in force then are preferred.
    pub as_of: NaiveDate,
    /// The date whose units the matched unit is followed to ("today").
    pub today: NaiveDate,
    /// The province assumed when the text names none (the deployment's own province).
    pub default_province: Option<AdminUnitCode>,
    /// At most this many candidates are returned.
    pub max_candidates: usize,
}

impl ResolveOptions {
    /// Options for an address written on `as_of`, followed to `today`, with no default province and at
    /// most five candidates.
    pub fn new(as_of: NaiveDate, today: NaiveDate) -> ResolveOptions {
        ResolveOptions { as_of, today, default_province: None, max_candidates: 5 }
    }

    /// Sets the default province.
    #[must_use]
    pub fn with_default_province(mut self, code: AdminUnitCode) -> ResolveOptions {
        self.default_province = Some(code);
        self
    }
}

/// Why an address gave no candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoMatch {
    /// The text is empty (or only punctuation).
    Empty,
    /// The text is longer than [`MAX_INPUT_CHARS`].
    TooLong,
    /// No part of the text is the name of a known unit.
    NoKnownName,
}

/// A unit the address may name.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The unit named (the lowest level found: a commune when there is one).
    pub unit: UnitId,
    /// The units the text names, from the unit up (its district and province when written).
    pub matched: Vec<UnitId>,
    /// Whether the unit was in force on the date asked.
    pub in_force: bool,
    /// What the unit is on `today`.
    pub current: Successors<UnitId>,
    /// From 0 to 1: how sure the match is, lowered by ambiguity, unread segments and conflicting kind words
    /// or diacritics.
    pub confidence: f32,
    /// The part of the text before the unit: below commune level ("thôn 3", "số 12 đường Trần Phú").
    pub detail: String,
    /// Segments after the unit that name nothing of it (a typo, a unit of another province).
    pub unread: Vec<String>,
    /// A kind word contradicts the unit's kind ("xã" for a phường).
    pub kind_conflict: bool,
    /// The diacritics written contradict the unit's name.
    pub accent_conflict: bool,
    /// A name was matched with one letter added, dropped, replaced or swapped ("Hoàng Tn").
    pub typo: bool,
    /// The text had to be cut where known names end (no commas): the reading is a guess.
    pub guessed: bool,
    /// The raw score, for ranking and diagnostics.
    pub score: i32,
}

/// The answer for one address.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    /// Ranked candidates, best first; empty when nothing matched.
    pub candidates: Vec<Candidate>,
    /// Why there is no candidate.
    pub no_match: Option<NoMatch>,
}

impl Resolution {
    /// The best candidate, if any.
    pub fn best(&self) -> Option<&Candidate> {
        self.candidates.first()
    }

    fn none(reason: NoMatch) -> Resolution {
        Resolution { candidates: Vec::new(), no_match: Some(reason) }
    }
}

/// One way of reading a segment: from word `first`, with an optional kind word, naming `units` (with
/// one edit when `typo`).
struct Reading<'a> {
    first: usize,
    hint: Option<Hint>,
    accent: String,
    has_accents: bool,
    units: &'a [UnitId],
    typo: bool,
}

/// The best way found to read the text as naming one unit.
#[derive(Debug, Clone)]
struct Scored {
    score: i32,
    target_start: usize,
    matched: Vec<UnitId>,
    unread: Vec<usize>,
    kind_conflict: bool,
    accent_conflict: bool,
    typo: bool,
}

/// Every unit of every period, indexed by folded name for address resolution. Build it once (it takes a
/// few tens of milliseconds for the built-in data) and share it: it holds about 5 MB for the built-in
/// data, the gazetteer included (`tests/address_memory.rs`).
#[derive(Debug, Clone)]
pub struct AddressIndex {
    gazetteer: Gazetteer,
    names: NameTable,
    /// The accent key of every unit's name, one after the other; unit `i`'s ends at `accent_ends[i]`.
    accents: String,
    accent_ends: Vec<u32>,
}

fn folded_key(tokens: &[Token]) -> String {
    let mut key = String::new();
    for t in tokens {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(&t.folded);
    }
    key
}

fn accent_of(tokens: &[Token]) -> String {
    let mut key = String::new();
    for t in tokens {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(&t.accent);
    }
    key
}

impl AddressIndex {
    /// Indexes a gazetteer.
    pub fn new(gazetteer: Gazetteer) -> AddressIndex {
        let mut names = Vec::with_capacity(gazetteer.len());
        let mut accents = String::new();
        let mut accent_ends = Vec::with_capacity(gazetteer.len());
        for id in gazetteer.ids() {
            let unit = gazetteer.unit(id);
            let tokens = tokenize(&unit.name, 0, unit.name.len());
            names.push((folded_key(&tokens), id));
            accents.push_str(&accent_of(&tokens));
            accent_ends.push(u32::try_from(accents.len()).expect("names shorter than 4 GB"));
            if unit.level() == UnitLevel::Province
                && let Some((_, aliases)) = PROVINCE_ALIASES.iter().find(|(code, _)| *code == unit.code.as_str())
            {
                for alias in *aliases {
                    names.push(((*alias).to_owned(), id));
                }
            }
        }
        accents.shrink_to_fit();
        AddressIndex { gazetteer, names: NameTable::new(names), accents, accent_ends }
    }

    /// The accent key of a unit's name.
    fn accent(&self, unit: UnitId) -> &str {
        let i = unit.index();
        let start = if i == 0 { 0 } else { self.accent_ends[i - 1] as usize };
        &self.accents[start..self.accent_ends[i] as usize]
    }

    /// The gazetteer the index was built from.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Resolves an address. Never fails: an address that matches nothing gives no candidates and a reason.
    pub fn resolve(&self, text: &str, options: &ResolveOptions) -> Resolution {
        if text.chars().count() > MAX_INPUT_CHARS {
            return Resolution::none(NoMatch::TooLong);
        }
        let text = normalize_input(text);
        let segs = segments(&text);
        if segs.is_empty() {
            return Resolution::none(NoMatch::Empty);
        }
        let exact = self.resolve_segments(&text, &segs, options, false);
        if !needs_second_look(&exact) {
            return exact;
        }
        // Something is left unexplained: read again allowing one edit in names ("Hoàng Tn").
        let tolerant = self.resolve_segments(&text, &segs, options, true);
        let score = |r: &Resolution| r.best().map(|c| c.score);
        if score(&tolerant) > score(&exact) { tolerant } else { exact }
    }

    /// Resolves the text read at commas, or cut further, whichever explains it better.
    fn resolve_segments(&self, text: &str, segs: &[Segment], options: &ResolveOptions, typo: bool) -> Resolution {
        let scored = self.score_all(segs, options, typo);
        // Also read the text cut at kind words, dashes and the ends of known names; that reading wins only
        // if it scores higher.
        let fine = self.fine_segments(text, segs);
        if fine.len() > segs.len() {
            let alternative = self.score_all(&fine, options, typo);
            let better = match (top_score(&alternative), top_score(&scored)) {
                (Some(a), Some(b)) => a > b,
                (Some(_), None) => true,
                _ => false,
            };
            if better {
                return self.finish(text, &fine, alternative, options);
            }
        }
        if scored.is_empty() {
            return Resolution::none(NoMatch::NoKnownName);
        }
        self.finish(text, segs, scored, options)
    }

    /// The readings of a segment. `accented` says whether the text is written with diacritics anywhere: a
    /// name typed without them in such a text is taken as written ("Ia Bang" is not "Ia Băng"). With
    /// `typo`, names one edit away from the whole segment (after its kind word) are readings too.
    fn readings<'a>(&'a self, seg: &Segment, inner: bool, accented: bool, typo: bool) -> Vec<Reading<'a>> {
        self.readings_with(seg, inner, accented, typo)
    }

    /// The readings of a segment by exact names, and with `typo` by names one edit away from the whole
    /// segment (after its kind word).
    fn readings_with<'a>(&'a self, seg: &Segment, inner: bool, accented: bool, typo: bool) -> Vec<Reading<'a>> {
        let mut out = Vec::new();
        let n = seg.tokens.len();
        for first in 0..n {
            let typo = typo && first == 0;
            let kind_word = prefix(&seg.tokens[first..]);
            if first > 0 && (!inner || kind_word.is_none()) {
                continue;
            }
            let mut push = |hint: Option<Hint>, from: usize| {
                let words = &seg.tokens[from..];
                if words.is_empty() {
                    return;
                }
                let key = folded_key(words);
                let has_accents = accented || words.iter().any(|t| t.accent != t.folded);
                if let Some(units) = self.names.get(&key) {
                    out.push(Reading { first, hint, accent: accent_of(words), has_accents, units, typo: false });
                }
                if typo {
                    for units in self.names.near(&key) {
                        out.push(Reading { first, hint, accent: String::new(), has_accents, units, typo: true });
                    }
                }
            };
            if let Some((hint, len)) = kind_word {
                push(Some(hint), first + len);
            }
            // The kind word may also be part of the name ("Xà Phiên" read as "xã Phiên" or not).
            push(None, first);
        }
        out
    }

    /// The score of a reading naming `unit`, and whether its kind word and its diacritics conflict.
    fn name_score(&self, reading: &Reading<'_>, unit: UnitId) -> (i32, bool, bool) {
        let mut score = if reading.typo { TYPO } else { 0 };
        let mut kind_conflict = false;
        let mut accent_conflict = false;
        if let Some(hint) = reading.hint {
            if hint.accepts(self.gazetteer.unit(unit).kind) {
                score += KIND_AGREES;
            } else {
                score += KIND_CONFLICTS;
                kind_conflict = true;
            }
        }
        // With a letter wrong, the diacritics cannot be compared.
        if reading.has_accents && !reading.typo {
            if reading.accent == self.accent(unit) {
                score += ACCENTS_AGREE;
            } else {
                score += ACCENTS_CONFLICT;
                accent_conflict = true;
            }
        }
        (score, kind_conflict, accent_conflict)
    }

    fn score_all(&self, segs: &[Segment], options: &ResolveOptions, typo: bool) -> HashMap<UnitId, Scored> {
        let accented = segs.iter().flat_map(|s| &s.tokens).any(|t| t.accent != t.folded);
        let outer: Vec<Vec<Reading<'_>>> = segs.iter().map(|s| self.readings(s, false, accented, typo)).collect();
        let ignorable: Vec<bool> = segs.iter().map(is_ignorable).collect();
        let mut best: HashMap<UnitId, Scored> = HashMap::new();
        for (i, seg) in segs.iter().enumerate() {
            // The inner readings are the outer ones (from the first word) and those after an inner kind
            // word; the names one edit away are looked up once.
            let mut inner: Vec<&Reading<'_>> = outer[i].iter().collect();
            let after_kind_words = self.readings(seg, true, accented, false);
            inner.extend(after_kind_words.iter().filter(|r| r.first > 0));
            for reading in inner {
                for &unit in reading.units {
                    let (own, mut kind_conflict, mut accent_conflict) = self.name_score(reading, unit);
                    let mut typo = reading.typo;
                    let mut score = NAME + own;
                    let ancestors: Vec<UnitId> = self.gazetteer.ancestors(unit).collect();
                    let mut next = 0;
                    let mut matched = vec![unit];
                    let mut unread = Vec::new();
                    for j in i + 1..segs.len() {
                        if ignorable[j] {
                            continue;
                        }
                        let hit = (next..ancestors.len()).find_map(|m| {
                            outer[j]
                                .iter()
                                .filter(|r| r.units.contains(&ancestors[m]))
                                .map(|r| (self.name_score(r, ancestors[m]), r.typo))
                                .max_by_key(|((s, _, _), _)| *s)
                                .map(|found| (m, found))
                        });
                        match hit {
                            Some((m, ((s, kc, ac), t))) => {
                                score += ANCESTOR + s;
                                kind_conflict |= kc;
                                accent_conflict |= ac;
                                typo |= t;
                                matched.push(ancestors[m]);
                                next = m + 1;
                            }
                            None => {
                                score += UNEXPLAINED;
                                unread.push(j);
                            }
                        }
                    }
                    if matched.len() == 1
                        && let Some(default) = &options.default_province
                    {
                        let province = self.gazetteer.province(unit);
                        score += if &self.gazetteer.unit(province).code == default {
                            DEFAULT_PROVINCE_AGREES
                        } else {
                            DEFAULT_PROVINCE_CONFLICTS
                        };
                    }
                    if self.gazetteer.unit(unit).in_force_on(options.as_of) {
                        score += IN_FORCE;
                    } else {
                        score -= IN_FORCE;
                    }
                    let candidate = Scored {
                        score,
                        target_start: seg.tokens[reading.first].start,
                        matched,
                        unread,
                        kind_conflict,
                        accent_conflict,
                        typo,
                    };
                    match best.get(&unit) {
                        Some(existing) if existing.score >= candidate.score => {}
                        _ => {
                            best.insert(unit, candidate);
                        }
                    }
                }
            }
        }
        best
    }

    fn finish(
        &self,
        text: &str,
        segs: &[Segment],
        scored: HashMap<UnitId, Scored>,
        options: &ResolveOptions,
    ) -> Resolution {
        let mut ranked: Vec<(UnitId, Scored)> = scored.into_iter().collect();
        // Best score first; on a tie the larger unit (a town rather than the ward named after it), then code.
        ranked.sort_by(|(a, sa), (b, sb)| {
            sb.score
                .cmp(&sa.score)
                .then_with(|| self.gazetteer.unit(*a).level().cmp(&self.gazetteer.unit(*b).level()))
                .then_with(|| self.gazetteer.unit(*a).code.cmp(&self.gazetteer.unit(*b).code))
                .then_with(|| a.cmp(b))
        });
        let Some(top_score) = ranked.first().map(|(_, s)| s.score) else {
            return Resolution::none(NoMatch::NoKnownName);
        };
        let guessed = segs.iter().any(|s| s.guessed);
        ranked.retain(|(_, s)| s.score >= top_score - KEEP_WITHIN);
        ranked.truncate(options.max_candidates.max(1));
        let scores: Vec<i32> = ranked.iter().map(|(_, s)| s.score).collect();
        let candidates = ranked
            .into_iter()
            .enumerate()
            .map(|(rank, (unit, s))| {
                let best_other = scores.iter().enumerate().filter(|(r, _)| *r != rank).map(|(_, score)| *score).max();
                let confidence = confidence(&s, best_other, self.gazetteer.unit(unit).level(), guessed);
                Candidate {
                    unit,
                    in_force: self.gazetteer.unit(unit).in_force_on(options.as_of),
                    current: self.gazetteer.successors_on(unit, options.today),
                    confidence,
                    detail: text[..s.target_start]
                        .trim_end_matches(|c: char| c.is_whitespace() || ",;|-–".contains(c))
                        .to_owned(),
                    unread: s.unread.iter().map(|j| segment_text(text, &segs[*j]).to_owned()).collect(),
                    kind_conflict: s.kind_conflict,
                    accent_conflict: s.accent_conflict,
                    typo: s.typo,
                    guessed,
                    score: s.score,
                    matched: s.matched,
                }
            })
            .collect();
        Resolution { candidates, no_match: None }
    }
}

/// Whether the best reading leaves something unexplained that a misspelt name could explain: nothing
/// found, a segment after the unit that names nothing of it, or a kind word ("xã", "phường") in the part
/// taken as the detail.
fn needs_second_look(r: &Resolution) -> bool {
    let Some(best) = r.best() else {
        return true;
    };
    if !best.unread.is_empty() {
        return true;
    }
    let detail = tokenize(&best.detail, 0, best.detail.len());
    (0..detail.len()).any(|k| prefix(&detail[k..]).is_some())
}

fn top_score(scored: &HashMap<UnitId, Scored>) -> Option<i32> {
    scored.values().map(|s| s.score).max()
}

fn segment_text<'t>(text: &'t str, seg: &Segment) -> &'t str {
    let end = seg.tokens.last().map_or(seg.start, |t| t.end);
    &text[seg.tokens.first().map_or(seg.start, |t| t.start)..end]
}

/// A segment that names no unit and is no error: the country, a postal code.
fn is_ignorable(seg: &Segment) -> bool {
    let key = folded_key(&seg.tokens);
    matches!(key.as_str(), "viet nam" | "vietnam" | "vn")
        || seg.tokens.iter().all(|t| t.folded.bytes().all(|b| b.is_ascii_digit()))
}

fn confidence(s: &Scored, best_other: Option<i32>, level: UnitLevel, guessed: bool) -> f32 {
    let mut c: f32 = 1.0;
    c -= 0.25 * s.unread.len() as f32;
    if s.kind_conflict {
        c -= 0.15;
    }
    if s.accent_conflict {
        c -= 0.2;
    }
    if s.typo {
        c -= 0.2;
    }
    if guessed {
        c -= 0.05;
    }
    // A commune or district named without anything to place it.
    if s.matched.len() == 1 && level != UnitLevel::Province {
        c -= 0.1;
    }
    let factor = match best_other.map(|o| s.score - o) {
        None => 1.0,
        Some(margin) if margin >= 5 => 1.0,
        Some(margin) if margin >= 2 => 0.8,
        Some(margin) if margin >= 0 => 0.5,
        Some(margin) => 0.5 * 0.8_f32.powi(-margin),
    };
    ((c * factor).clamp(0.01, 1.0) * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests;
