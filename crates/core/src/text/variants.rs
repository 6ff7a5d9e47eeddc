//! Abbreviations and spelling variants for query expansion: the curated list in `variants.txt` (next to
//! this file, documented at its top), parsed once.
//!
//! A query is read as a list of words ([`QueryWord`], its parts as the analyzer cuts them); at each word,
//! [`Variants::longest_at`] finds the longest listed form that starts there and returns the other forms of
//! every group holding it. Search turns each alternative into a term or a phrase, so the list grows
//! without reindexing.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::analyze::{self, TokenKind, is_syllable_shape};

/// The list shipped with the application.
pub const BUILTIN: &str = include_str!("variants.txt");

/// One way of writing a group's meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// As written in the list ("KH&CN", "khoa học và công nghệ").
    pub written: String,
    /// Its words, folded ("khoa", "hoc", …; "khcn" for "KH&CN").
    pub fold: Vec<String>,
    /// Its words, exact.
    pub exact: Vec<String>,
    /// Written in capitals: an abbreviation.
    pub abbreviation: bool,
}

/// A word of a query, as the analyzer read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    /// The folded form.
    pub fold: String,
    /// The exact form.
    pub exact: String,
    /// Whether it was written in capitals ("TU", not "tu" or "Tu").
    pub capitals: bool,
}

impl QueryWord {
    /// The words of a query: syllables, joined capitals ("KH&CN" is one word), the parts of symbols (not
    /// the whole symbols).
    pub fn read(query: &str) -> Vec<QueryWord> {
        analyze::analyze(query)
            .into_iter()
            .filter(|t| t.span.kind != TokenKind::Symbol)
            .map(|t| {
                let raw = &query[t.span.start..t.span.end];
                let capitals = raw.chars().filter(|c| c.is_alphabetic()).count() >= 2
                    && raw.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase);
                QueryWord { fold: t.fold, exact: t.exact, capitals }
            })
            .collect()
    }
}

/// A line of the list that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("variants line {line}: {message}")]
pub struct VariantsError {
    /// The line number, from 1.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The groups of the list, indexed by the first folded word of each form.
#[derive(Debug, Clone, Default)]
pub struct Variants {
    groups: Vec<Vec<Form>>,
    /// First folded word → (group, form) pairs.
    by_first: HashMap<String, Vec<(usize, usize)>>,
}

/// What the list says about the words from one position of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion<'v> {
    /// How many query words the matched form covers.
    pub len: usize,
    /// The other forms of every group holding the matched form (not the form matched itself), without
    /// duplicates.
    pub alternatives: Vec<&'v Form>,
}

impl Variants {
    /// Reads a list in the format of `variants.txt`.
    pub fn parse(text: &str) -> Result<Variants, VariantsError> {
        let mut variants = Variants::default();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let raw = raw.trim();
            if raw.is_empty() || raw.starts_with('#') {
                continue;
            }
            let mut group = Vec::new();
            for written in raw.split('|').map(str::trim) {
                if written.is_empty() {
                    return Err(VariantsError { line, message: "an empty form".into() });
                }
                let words: Vec<QueryWord> = QueryWord::read(written);
                if words.is_empty() {
                    return Err(VariantsError { line, message: format!("{written:?} has no word") });
                }
                // One word with two capitals or more ("UBND", "TTg", "KH&CN"), not a name ("Hạ Long").
                let abbreviation =
                    !written.contains(char::is_whitespace) && written.chars().filter(|c| c.is_uppercase()).count() >= 2;
                group.push(Form {
                    written: written.to_owned(),
                    fold: words.iter().map(|w| w.fold.clone()).collect(),
                    exact: words.iter().map(|w| w.exact.clone()).collect(),
                    abbreviation,
                });
            }
            if group.len() < 2 {
                return Err(VariantsError { line, message: "a group needs two forms or more".into() });
            }
            let g = variants.groups.len();
            for (f, form) in group.iter().enumerate() {
                variants.by_first.entry(form.fold[0].clone()).or_default().push((g, f));
            }
            variants.groups.push(group);
        }
        Ok(variants)
    }

    /// The list shipped with the application.
    pub fn builtin() -> &'static Variants {
        static BUILT: OnceLock<Variants> = OnceLock::new();
        BUILT.get_or_init(|| Variants::parse(BUILTIN).expect("the built-in variants list parses (tested)"))
    }

    /// Every group, in the order of the list.
    pub fn groups(&self) -> &[Vec<Form>] {
        &self.groups
    }

    /// Whether `form` matches the query words from `at`: by their exact forms where the query writes
    /// diacritics (so "kỹ" is not "kỳ"), or by their folded forms everywhere (`strict` false).
    fn matches(form: &Form, words: &[QueryWord], at: usize, strict: bool) -> bool {
        let Some(span) = words.get(at..at + form.fold.len()) else {
            return false;
        };
        let agree = |(w, (fold, exact)): (&QueryWord, (&String, &String))| {
            w.fold == *fold && (!strict || w.exact == w.fold || w.exact == *exact)
        };
        if !span.iter().zip(form.fold.iter().zip(&form.exact)).all(agree) {
            return false;
        }
        // A one-word abbreviation that is also a syllable only in capitals ("TU", not "tư").
        !(form.abbreviation && form.fold.len() == 1 && is_syllable_shape(&form.fold[0]) && !span[0].capitals)
    }

    /// The longest listed form starting at query word `at`, with the alternatives it brings. Forms that
    /// agree with the diacritics written are preferred; without any, forms that agree once folded.
    pub fn longest_at(&self, words: &[QueryWord], at: usize) -> Option<Expansion<'_>> {
        let candidates = self.by_first.get(&words.get(at)?.fold)?;
        [true, false].into_iter().find_map(|strict| self.expansion(candidates, words, at, strict))
    }

    fn expansion(
        &self,
        candidates: &[(usize, usize)],
        words: &[QueryWord],
        at: usize,
        strict: bool,
    ) -> Option<Expansion<'_>> {
        let matching = |(g, f): &&(usize, usize)| Variants::matches(&self.groups[*g][*f], words, at, strict);
        let len = candidates.iter().filter(matching).map(|(g, f)| self.groups[*g][*f].fold.len()).max()?;
        let mut alternatives: Vec<&Form> = Vec::new();
        for (g, f) in candidates.iter().filter(matching) {
            let form = &self.groups[*g][*f];
            if form.fold.len() != len {
                continue;
            }
            for other in &self.groups[*g] {
                let same_words = other.fold == form.fold && other.exact == form.exact;
                // An abbreviation that is also a syllable ("ĐA", "TU") is no alternative: the index cannot
                // tell it from the syllable ("đã", "tư"), so it would find every one of them.
                let syllable = other.abbreviation && other.fold.len() == 1 && is_syllable_shape(&other.fold[0]);
                if !same_words
                    && !syllable
                    && !alternatives.iter().any(|a| a.fold == other.fold && a.exact == other.exact)
                {
                    alternatives.push(other);
                }
            }
        }
        Some(Expansion { len, alternatives })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(query: &str) -> Vec<(usize, Vec<String>)> {
        let words = QueryWord::read(query);
        let v = Variants::builtin();
        let mut out = Vec::new();
        let mut i = 0;
        while i < words.len() {
            match v.longest_at(&words, i) {
                Some(e) => {
                    out.push((i, e.alternatives.iter().map(|f| f.written.clone()).collect()));
                    i += e.len;
                }
                None => i += 1,
            }
        }
        out
    }

    #[test]
    fn the_builtin_list_parses_and_every_form_has_words() {
        let v = Variants::builtin();
        assert!(v.groups().len() >= 50);
        for group in v.groups() {
            for form in group {
                assert!(!form.fold.is_empty() && form.fold.iter().all(|w| !w.is_empty()), "{form:?}");
            }
        }
    }

    #[test]
    fn abbreviations_expand_both_ways() {
        assert_eq!(expand("UBND tỉnh"), [(0, vec!["ủy ban nhân dân".to_owned()])]);
        assert_eq!(expand("uy ban nhan dan"), [(0, vec!["UBND".to_owned()])]);
        let khcn = expand("Sở KH&CN");
        assert_eq!(khcn.len(), 1, "{khcn:?}");
        assert!(khcn[0].1.contains(&"sở khoa học và công nghệ".to_owned()), "{khcn:?}");
        let plain = expand("khcn");
        assert!(plain[0].1.contains(&"khoa học và công nghệ".to_owned()), "{plain:?}");
        // "KH&CN" and "KHCN" are one word, the same form.
        assert_eq!(expand("KH&CN"), plain);
        // Every meaning of an ambiguous abbreviation.
        let tt = &expand("TT 12")[0].1;
        assert!(tt.contains(&"thị trấn".to_owned()) && tt.contains(&"thông tư".to_owned()), "{tt:?}");
        // Groups are not chained.
        assert_eq!(expand("thông tư"), [(0, vec!["TT".to_owned()])]);
    }

    #[test]
    fn an_abbreviation_that_is_also_a_syllable_expands_only_in_capitals() {
        assert_eq!(expand("07-NQ/TU"), [(1, vec!["nghị quyết".to_owned()]), (2, vec!["tỉnh ủy".to_owned()])]);
        assert_eq!(expand("từ"), Vec::<(usize, Vec<String>)>::new());
        assert_eq!(expand("tu"), Vec::<(usize, Vec<String>)>::new());
        // Not a syllable: expanded however it is written.
        assert_eq!(expand("tp hl"), [(0, vec!["thành phố".to_owned()]), (1, vec!["Hạ Long".to_owned()])]);
        // Nor is such an abbreviation brought in by its long form: the index cannot tell "ĐA" from "đã",
        // so "đề án" finding it would find every "đã" (the public search for "de an" showed it).
        assert_eq!(expand("đề án"), [(0, Vec::<String>::new())]);
        assert!(!expand("tỉnh ủy")[0].1.contains(&"TU".to_owned()), "{:?}", expand("tỉnh ủy"));
    }

    #[test]
    fn spelling_variants_expand_in_both_directions() {
        assert_eq!(expand("kỹ thuật"), [(0, vec!["kĩ".to_owned()])]);
        assert_eq!(expand("kĩ thuật"), [(0, vec!["kỹ".to_owned()])]);
        assert_eq!(expand("quản lí"), [(1, vec!["lý".to_owned()])]);
        // Typed without diacritics, every spelling that folds the same.
        let ky = &expand("ky thuat")[0].1;
        assert!(ky.contains(&"kĩ".to_owned()) && ky.contains(&"kì".to_owned()), "{ky:?}");
    }

    #[test]
    fn tone_placement_lines_are_already_one_spelling() {
        for group in Variants::builtin().groups() {
            if group.iter().all(|f| !f.abbreviation && f.fold.len() == 1)
                && group.iter().all(|f| f.fold == group[0].fold)
            {
                assert!(group.iter().all(|f| f.exact == group[0].exact), "{group:?}");
            }
        }
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        assert_eq!(Variants::parse("# c\nUBND\n").unwrap_err().line, 2);
        assert_eq!(Variants::parse("a | | b").unwrap_err().line, 1);
        assert_eq!(Variants::parse("a | ...").unwrap_err().line, 1);
    }
}
