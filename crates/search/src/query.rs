//! From what the reader typed to a tantivy query.
//!
//! The text is read with the core analyzer into clauses; every clause must match (conjunction), each in
//! any of its forms, scored so that exact beats folded beats expansions beats typos:
//!
//! | form | example (query → document) | weight |
//! |---|---|---|
//! | exact (only when the query writes diacritics), added to the folded | "Quảng" → "Quảng" | [`W_EXACT`] |
//! | folded | "quang" → "Quảng" | [`W_FOLD`] |
//! | whole symbol | "07-NQ/TU" → "07-NQ/TU" | [`W_WHOLE`] |
//! | list expansion | "UBND" → "ủy ban nhân dân" | [`W_ALTERNATIVE`] |
//! | one edit, for a word of 4 letters or more that the index does not know | "Quangr" → "Quảng" | [`W_TYPO`], constant |
//!
//! and optional bigram clauses make neighbouring query words that stand together in a document rank it
//! higher ([`W_BIGRAM`]). A word also in the title counts [`TITLE_EXTRA`] more, a whole symbol in the
//! record's own symbol [`SYMBOL_EXTRA`] more. Quoted text is a phrase, matched folded (and exactly for the
//! score), without expansions.
//!
//! For speed, what a clause requires is looked up in the fields holding every text: one posting list per
//! word (`all_fold`), and words that must stand together (a quoted phrase, a name of the variants list, a
//! symbol's parts) as the bigrams of neighbouring pairs (`all_bi`), so that no query reads positions. The
//! exact forms, the title and the bigrams are optional clauses that only score the documents the required
//! clauses found.

use std::collections::HashMap;

use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};
use tiendo_core::text::analyze::{self, BIGRAM_JOINER, TokenKind, typo_tolerant};
use tiendo_core::text::variants::{QueryWord, Variants};

use crate::error::QueryProblem;
use crate::schema::Fields;
use crate::snippet::Highlighter;

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// At most this many words of a query are used; the rest are ignored.
pub const MAX_QUERY_WORDS: usize = 32;

/// Weight of an exact match, added to the folded one.
pub const W_EXACT: f32 = 1.5;
/// Weight of a folded match.
pub const W_FOLD: f32 = 1.0;
/// Weight of a whole symbol or of capitals joined by punctuation ("khcn").
pub const W_WHOLE: f32 = 1.5;
/// Weight of a form from the variants list.
pub const W_ALTERNATIVE: f32 = 0.8;
/// Weight of two query words found side by side.
pub const W_BIGRAM: f32 = 2.0;
/// The constant score of a word matched with one edit.
pub const W_TYPO: f32 = 0.2;
/// How much more a word counts in the title (on top of counting in the texts).
pub const TITLE_EXTRA: f32 = 2.0;
/// How much more a whole symbol counts in the record's own symbol.
pub const SYMBOL_EXTRA: f32 = 3.0;
/// At most this many indexed words are tried for a word with one edit (the most frequent).
pub const MAX_TYPO_TERMS: usize = 8;

/// Words matched together: one word, a phrase, an abbreviation or a symbol.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Clause {
    /// The words as typed: folded.
    pub fold: Vec<String>,
    /// The words as typed: exact.
    pub exact: Vec<String>,
    /// Whether diacritics were written (then the exact form counts).
    pub accented: bool,
    /// The whole symbol or joined capitals, folded and exact ("7-nq/tu", "07-nq/tu").
    pub whole: Option<(String, String)>,
    /// Other forms from the variants list, folded.
    pub alternatives: Vec<Vec<String>>,
    /// One edit allowed (one word of four letters or more, outside quotes).
    pub typo: bool,
    /// A single free word followed by another: the two may form a bigram.
    pub pairs_with_next: bool,
}

impl Clause {
    fn words(fold: Vec<String>, exact: Vec<String>) -> Clause {
        let accented = fold.iter().zip(&exact).any(|(f, e)| f != e);
        Clause { fold, exact, accented, whole: None, alternatives: Vec::new(), typo: false, pairs_with_next: false }
    }
}

impl Clause {
    /// The words that may end this clause in a document: its last word, or a one-word alternative.
    fn last_words(&self) -> Vec<&str> {
        self.edge_words(|words| words.last())
    }

    /// The words that may start this clause in a document.
    fn first_words(&self) -> Vec<&str> {
        self.edge_words(|words| words.first())
    }

    fn edge_words<'a>(&'a self, edge: impl Fn(&'a [String]) -> Option<&'a String>) -> Vec<&'a str> {
        let mut out: Vec<&str> = edge(&self.fold).map(String::as_str).into_iter().collect();
        for alternative in self.alternatives.iter().filter(|a| a.len() == 1 && self.fold.len() == 1) {
            if let Some(word) = edge(alternative)
                && !out.contains(&word.as_str())
            {
                out.push(word);
            }
        }
        out.truncate(4);
        out
    }
}

/// A query read into clauses.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ParsedQuery {
    pub clauses: Vec<Clause>,
}

/// A whole compound of a free segment: its forms, its first part and its number of parts.
struct Whole {
    fold: String,
    exact: String,
    first: usize,
    parts: usize,
}

impl ParsedQuery {
    /// Reads what the reader typed. Too long is a problem; nothing to search for is an empty query (the
    /// caller decides whether filters alone are enough).
    pub fn parse(raw: &str) -> Result<ParsedQuery, QueryProblem> {
        if raw.chars().count() > MAX_QUERY_CHARS {
            return Err(QueryProblem::TooLong { max_chars: MAX_QUERY_CHARS });
        }
        let text: String = raw.chars().map(|c| if matches!(c, '“' | '”' | '„') { '"' } else { c }).collect();
        let pieces: Vec<&str> = text.split('"').collect();
        // Odd pieces are quoted; after an unbalanced quote (an even number of pieces) the text is free.
        let unbalanced = pieces.len().is_multiple_of(2);
        let mut query = ParsedQuery::default();
        for (i, piece) in pieces.iter().enumerate() {
            let after_unbalanced = unbalanced && i == pieces.len() - 1;
            let quoted = !i.is_multiple_of(2) && !after_unbalanced;
            query.read_piece(piece, quoted);
        }
        query.limit();
        Ok(query)
    }

    /// Keeps the first [`MAX_QUERY_WORDS`] words.
    fn limit(&mut self) {
        let mut words = 0;
        self.clauses.retain(|c| {
            words += c.fold.len();
            words <= MAX_QUERY_WORDS
        });
        if let Some(last) = self.clauses.last_mut() {
            last.pairs_with_next = false;
        }
    }

    /// The same query without one-edit matches (to check a suggestion finds something as written).
    pub fn without_typos(mut self) -> ParsedQuery {
        for clause in &mut self.clauses {
            clause.typo = false;
        }
        self
    }

    /// Whether there is nothing to search for.
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    fn read_piece(&mut self, piece: &str, quoted: bool) {
        let tokens = analyze::analyze(piece);
        if quoted {
            let parts: Vec<_> = tokens.into_iter().filter(|t| t.span.kind == TokenKind::Part).collect();
            if !parts.is_empty() {
                self.clauses.push(Clause::words(
                    parts.iter().map(|t| t.fold.clone()).collect(),
                    parts.iter().map(|t| t.exact.clone()).collect(),
                ));
            }
            return;
        }
        let mut words: Vec<QueryWord> = Vec::new();
        // Per word: the parts of joined capitals ("NĐ-CP" → "nd", "cp"), to find them inside symbols.
        let mut joined: Vec<Option<Vec<String>>> = Vec::new();
        let mut wholes: Vec<Whole> = Vec::new();
        let mut whole_end = 0;
        for token in &tokens {
            match token.span.kind {
                TokenKind::Part | TokenKind::Joined => {
                    let raw = &piece[token.span.start..token.span.end];
                    let letters = raw.chars().filter(|c| c.is_alphabetic());
                    let capitals = letters.clone().count() >= 2 && letters.clone().all(char::is_uppercase);
                    words.push(QueryWord { fold: token.fold.clone(), exact: token.exact.clone(), capitals });
                    joined.push(
                        (token.span.kind == TokenKind::Joined).then(|| analyze::joined_parts(piece, &token.span)),
                    );
                    if token.span.end <= whole_end
                        && let Some(whole) = wholes.last_mut()
                    {
                        whole.parts += 1;
                    }
                }
                TokenKind::Symbol => {
                    wholes.push(Whole {
                        fold: token.fold.clone(),
                        exact: token.exact.clone(),
                        first: words.len(),
                        parts: 0,
                    });
                    whole_end = token.span.end;
                }
            }
        }
        let variants = Variants::builtin();
        let first_clause = self.clauses.len();
        let mut i = 0;
        while i < words.len() {
            let whole = wholes.iter().find(|w| w.first == i && w.parts > 0);
            let (len, mut clause) = if let Some(expansion) = variants.longest_at(&words, i) {
                let len = expansion.len;
                let mut clause = clause_of(&words[i..i + len]);
                clause.alternatives = expansion.alternatives.iter().map(|f| f.fold.clone()).collect();
                (len, clause)
            } else if let Some(w) = whole {
                (w.parts, clause_of(&words[i..i + w.parts]))
            } else {
                (1, clause_of(&words[i..=i]))
            };
            if let Some(w) = whole.filter(|w| w.parts == len) {
                clause.whole = Some((w.fold.clone(), w.exact.clone()));
            }
            if len == 1
                && let Some(parts) = &joined[i]
                && !clause.alternatives.contains(parts)
            {
                clause.alternatives.push(parts.clone());
            }
            clause.typo = len == 1 && typo_tolerant(&clause.fold[0]);
            self.clauses.push(clause);
            i += len;
        }
        // Neighbouring clauses of the same free text may form bigrams (not with a whole symbol).
        for k in first_clause..self.clauses.len().saturating_sub(1) {
            self.clauses[k].pairs_with_next = self.clauses[k].whole.is_none() && self.clauses[k + 1].whole.is_none();
        }
    }

    /// The folded words to highlight: the query's words, whole symbols, expansions and typo terms.
    pub fn highlighter(&self, typos: &[Vec<String>]) -> Highlighter {
        let mut h = Highlighter::default();
        for (clause, typo_terms) in self.clauses.iter().zip(typos) {
            h.words.extend(clause.fold.iter().cloned());
            if let Some((fold, _)) = &clause.whole {
                h.words.insert(fold.clone());
            }
            for alternative in &clause.alternatives {
                h.words.extend(alternative.iter().cloned());
            }
            h.words.extend(typo_terms.iter().cloned());
        }
        h
    }

    /// The query as tantivy runs it, and per clause the indexed words tried with one edit.
    pub fn to_query(&self, fields: &Fields, searcher: &Searcher) -> (Box<dyn Query>, Vec<Vec<String>>) {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut typos = Vec::new();
        for (k, clause) in self.clauses.iter().enumerate() {
            // Required, one of: the words folded in any text; the whole symbol; a form from the list; an
            // indexed word one edit away.
            let mut forms: Vec<Box<dyn Query>> = vec![boost(together(fields, &clause.fold), W_FOLD)];
            if let Some((fold, exact)) = &clause.whole {
                forms.push(boost(term_query(fields.all_fold, fold), W_WHOLE));
                forms.push(boost(term_query(fields.symbol_fold, fold), W_WHOLE * SYMBOL_EXTRA));
                clauses.push((Occur::Should, boost(term_query(fields.symbol_exact, exact), W_EXACT * SYMBOL_EXTRA)));
            }
            for alternative in &clause.alternatives {
                forms.push(boost(together(fields, alternative), W_ALTERNATIVE));
            }
            let typo_terms = if clause.typo && !known(fields, searcher, &clause.fold[0]) {
                typo_terms(fields, searcher, &clause.fold[0])
            } else {
                Vec::new()
            };
            if !typo_terms.is_empty() {
                let terms = typo_terms.iter().map(|w| (Occur::Should, term_query(fields.all_fold, w))).collect();
                forms.push(Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(terms)), W_TYPO)));
            }
            typos.push(typo_terms);
            clauses.push((Occur::Must, union(forms)));
            // Optional, only scoring what the required clauses found: the words in the title, and exactly
            // as typed when the query writes diacritics (every exact match is also a folded one).
            clauses.push((Occur::Should, boost(all_of(fields.title_fold, &clause.fold), W_FOLD * TITLE_EXTRA)));
            if clause.accented {
                clauses.push((Occur::Should, boost(all_of(fields.all_exact, &clause.exact), W_EXACT)));
            }
            if clause.pairs_with_next
                && let Some(next) = self.clauses.get(k + 1)
            {
                let mut pairs: Vec<Box<dyn Query>> = Vec::new();
                for left in clause.last_words() {
                    for right in next.first_words() {
                        pairs.push(term_query(fields.all_bi, &format!("{left}{BIGRAM_JOINER}{right}")));
                    }
                }
                clauses.push((Occur::Should, boost(union(pairs), W_BIGRAM)));
            }
        }
        (Box::new(BooleanQuery::new(clauses)), typos)
    }
}

fn clause_of(words: &[QueryWord]) -> Clause {
    Clause::words(words.iter().map(|w| w.fold.clone()).collect(), words.iter().map(|w| w.exact.clone()).collect())
}

fn boost(query: Box<dyn Query>, weight: f32) -> Box<dyn Query> {
    if (weight - 1.0).abs() < f32::EPSILON { query } else { Box::new(BoostQuery::new(query, weight)) }
}

fn union(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    match queries.len() {
        0 => Box::new(EmptyQuery),
        1 => queries.pop().unwrap_or_else(|| Box::new(EmptyQuery)),
        _ => Box::new(BooleanQuery::new(queries.into_iter().map(|q| (Occur::Should, q)).collect())),
    }
}

fn term_query(field: Field, word: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, word), IndexRecordOption::WithFreqs))
}

/// Folded words standing together in a text: a term of `all_fold` for one word; for more, every pair of
/// neighbours as a bigram of `all_bi`. No positions are read: a phrase query read them for every document
/// holding all the words, which was most of the time of a broad query ("đề án", 173,000 hits). Bigrams are
/// only formed across spaces, single joiners and one comma, so this is stricter than a phrase across a full
/// stop or other punctuation, and for three words or more it asks each neighbouring pair to stand together,
/// not the whole run in one place (a document with "khoa học" and "học và" apart, but never "khoa học và", is rare and
/// still about the same thing).
fn together(fields: &Fields, words: &[String]) -> Box<dyn Query> {
    match words {
        [] => Box::new(EmptyQuery),
        [word] => term_query(fields.all_fold, word),
        _ => {
            let pairs = words.windows(2).map(|pair| format!("{}{BIGRAM_JOINER}{}", pair[0], pair[1]));
            let mut terms: Vec<Box<dyn Query>> = pairs.map(|pair| term_query(fields.all_bi, &pair)).collect();
            if terms.len() == 1 {
                terms.pop().unwrap_or_else(|| Box::new(EmptyQuery))
            } else {
                Box::new(BooleanQuery::new(terms.into_iter().map(|q| (Occur::Must, q)).collect()))
            }
        }
    }
}

/// Every one of the words in one field (for a score only: the words of a clause in the title, or as
/// typed): a term for one, a conjunction for more.
fn all_of(field: Field, words: &[String]) -> Box<dyn Query> {
    match words {
        [] => Box::new(EmptyQuery),
        [word] => term_query(field, word),
        _ => Box::new(BooleanQuery::new(words.iter().map(|w| (Occur::Must, term_query(field, w))).collect())),
    }
}

/// Whether a folded word is in the index's vocabulary (of any record: the answer only decides how the
/// query is read, never what is shown).
pub(crate) fn known(fields: &Fields, searcher: &Searcher, word: &str) -> bool {
    fields.word_fields().any(|f| searcher.doc_freq(&Term::from_field_text(f, word)).is_ok_and(|n| n > 0))
}

/// The indexed words one edit away from `word` (not `word` itself, no symbols), the most frequent first.
pub(crate) fn typo_terms(fields: &Fields, searcher: &Searcher, word: &str) -> Vec<String> {
    neighbours(fields, searcher, word, 1, MAX_TYPO_TERMS)
}

/// The indexed words at most `distance` edits away from `word` with their document counts, the most
/// frequent first (at most `limit`).
pub(crate) fn neighbours(fields: &Fields, searcher: &Searcher, word: &str, distance: u8, limit: usize) -> Vec<String> {
    let mut counts: HashMap<String, u64> = HashMap::new();
    for field in fields.word_fields() {
        let fuzzy = FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true);
        let Ok(automaton) = fuzzy.automaton() else {
            return Vec::new();
        };
        for segment in searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else {
                continue;
            };
            while stream.advance() {
                let key = stream.key();
                if key == word.as_bytes() || !key.iter().all(|b| b.is_ascii_alphanumeric() || *b >= 0x80) {
                    continue;
                }
                if let Ok(text) = std::str::from_utf8(key) {
                    *counts.entry(text.to_owned()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
    }
    let mut ranked: Vec<(String, u64)> = counts.into_iter().collect();
    ranked.sort_by(|(a, x), (b, y)| y.cmp(x).then_with(|| a.cmp(b)));
    ranked.into_iter().take(limit).map(|(w, _)| w).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folds(q: &str) -> Vec<Vec<String>> {
        ParsedQuery::parse(q).unwrap().clauses.into_iter().map(|c| c.fold).collect()
    }

    #[test]
    fn free_words_quoted_phrases_and_symbols_become_clauses() {
        assert_eq!(folds("hoang tan"), [vec!["hoang"], vec!["tan"]]);
        assert_eq!(folds("\"Hoàng Tân\" ha an"), [vec!["hoang", "tan"], vec!["ha"], vec!["an"]]);
        // A name in the variants list is one clause, a phrase ("Quảng Yên", also "QY").
        assert_eq!(folds("quang yen"), [vec!["quang", "yen"]]);
        let q = ParsedQuery::parse("Số 128/KH-UBND").unwrap();
        assert_eq!(q.clauses.len(), 2, "{q:?}");
        assert_eq!(q.clauses[1].fold, ["128", "kh", "ubnd"]);
        assert_eq!(q.clauses[1].whole, Some(("128/kh-ubnd".to_owned(), "128/kh-ubnd".to_owned())));
        let q = ParsedQuery::parse("hoang tan").unwrap();
        assert!(q.clauses[0].pairs_with_next && !q.clauses[1].pairs_with_next);
        assert!(q.clauses[0].typo && !q.clauses[1].typo);
        assert!(!q.clauses[0].accented);
        assert!(ParsedQuery::parse("Quảng").unwrap().clauses[0].accented);
    }

    #[test]
    fn abbreviations_bring_their_expansions() {
        let q = ParsedQuery::parse("Sở KH&CN").unwrap();
        assert_eq!(q.clauses.len(), 1);
        assert!(q.clauses[0].alternatives.contains(&vec!["skhcn".to_owned()]), "{q:?}");
        let q = ParsedQuery::parse("KH&CN").unwrap();
        assert_eq!(q.clauses[0].fold, ["khcn"]);
        assert!(q.clauses[0].alternatives.iter().any(|a| a.len() == 5), "{q:?}");
        // Joined capitals also match as parts of a symbol ("30/2020/NĐ-CP").
        let q = ParsedQuery::parse("NĐ-CP").unwrap();
        assert!(q.clauses[0].alternatives.contains(&vec!["nd".to_owned(), "cp".to_owned()]), "{q:?}");
    }

    #[test]
    fn bad_input_is_an_empty_query_or_a_problem_never_a_panic() {
        for q in ["", "   ", "!!! ... ---", "\"", "\"\"", "\"unbalanced", "a\"b\"c\"d"] {
            let parsed = ParsedQuery::parse(q).unwrap();
            assert!(parsed.clauses.iter().all(|c| !c.fold.is_empty()), "{q:?}");
        }
        assert!(ParsedQuery::parse("!!! ... ---").unwrap().is_empty());
        assert_eq!(folds("\"unbalanced words"), [vec!["unbalanced"], vec!["words"]]);
        assert_eq!(ParsedQuery::parse(&"a".repeat(10_000)), Err(QueryProblem::TooLong { max_chars: MAX_QUERY_CHARS }));
        let many = "từ ".repeat(100);
        assert_eq!(ParsedQuery::parse(&many).unwrap().clauses.len(), MAX_QUERY_WORDS);
    }
}
