//! Reading a text without (enough) commas: cutting it at dashes, before kind words, and where known
//! names end.

use super::tokens::{Segment, Token, prefix};
use super::{AddressIndex, folded_key};

impl AddressIndex {
    /// Cuts segments further: at dashes between spaces, before each kind word, and where known names end
    /// in a run of words without commas.
    pub(super) fn fine_segments(&self, text: &str, segs: &[Segment]) -> Vec<Segment> {
        let mut out = Vec::new();
        for seg in segs {
            let mut pieces: Vec<Vec<Token>> = vec![Vec::new()];
            // Words of a kind word already cut before ("xã" in "thị xã") are not cut again.
            let mut inside_kind_word_until = 0;
            for (k, token) in seg.tokens.iter().enumerate() {
                let current = pieces.last().expect("never empty");
                let dash_before = current.last().is_some_and(|prev| {
                    let gap = &text[prev.end..token.start];
                    gap.contains(" - ") || gap.contains(" – ")
                });
                let kind_word =
                    if k >= inside_kind_word_until { prefix(&seg.tokens[k..]).map(|(_, len)| len) } else { None };
                if let Some(len) = kind_word {
                    inside_kind_word_until = k + len;
                }
                if !current.is_empty() && (dash_before || kind_word.is_some()) {
                    pieces.push(Vec::new());
                }
                pieces.last_mut().expect("never empty").push(token.clone());
            }
            let simple: Vec<Vec<Token>> = pieces.into_iter().filter(|p| !p.is_empty()).collect();
            match self.cut_at_names(&seg.tokens) {
                Some(named) if named.len() > 1 => {
                    let guessed = !same_cuts(&named, &simple);
                    out.extend(named.into_iter().map(|tokens| Segment { start: tokens[0].start, tokens, guessed }));
                }
                _ => out.extend(simple.into_iter().map(|tokens| Segment {
                    start: tokens[0].start,
                    tokens,
                    guessed: false,
                })),
            }
        }
        out
    }

    /// Whether `piece` names a unit: a kind word and a name, or a name (not a lone number).
    fn names_a_unit(&self, piece: &[Token]) -> bool {
        if let Some((_, len)) = prefix(piece)
            && len < piece.len()
            && self.names.get(&folded_key(&piece[len..])).is_some()
        {
            return true;
        }
        let lone_number = piece.len() == 1 && piece[0].folded.bytes().all(|b| b.is_ascii_digit());
        !lone_number && self.names.get(&folded_key(piece)).is_some()
    }

    /// Cuts a run of words without commas into units' names, each with its kind word if written, after an
    /// optional detail: "thon 3 xa Hoang Tan thi xa Quang Yen Quang Ninh" → "thon 3" | "xa Hoang Tan" |
    /// "thi xa Quang Yen" | "Quang Ninh"; "Phuong Phuc Xa Quan Ba Dinh Ha Noi" → "Phuong Phuc Xa" | "Quan
    /// Ba Dinh" | "Ha Noi" (where cutting at every kind word would split "Phúc Xá"). Among the ways that
    /// read every word after the detail, the one with the fewest pieces and then the most kind words wins;
    /// `None` when there is none.
    fn cut_at_names(&self, tokens: &[Token]) -> Option<Vec<Vec<Token>>> {
        const MAX_WORDS: usize = 16;
        const MAX_DETAIL: usize = 6;
        let n = tokens.len();
        if !(2..=MAX_WORDS).contains(&n) {
            return None;
        }
        // unit[j][e]: tokens[j..e] names a unit; kind[j]: a kind word starts at j.
        // A kind word of two words and a name of six at most ("Thành phố Bà Rịa - Vũng Tàu" has four).
        const MAX_PIECE: usize = 8;
        let unit: Vec<Vec<bool>> = (0..n)
            .map(|j| (0..=n).map(|e| e > j && e - j <= MAX_PIECE && self.names_a_unit(&tokens[j..e])).collect())
            .collect();
        let kind: Vec<bool> = (0..n).map(|j| prefix(&tokens[j..]).is_some()).collect();
        for detail in 0..=MAX_DETAIL.min(n - 1) {
            // best[j]: the cheapest reading of tokens[j..] as (pieces, -kind words, end of the first piece).
            let mut best: Vec<Option<(usize, i64, usize)>> = vec![None; n + 1];
            best[n] = Some((0, 0, n));
            for j in (detail..n).rev() {
                for e in j + 1..=n {
                    if let Some((pieces, kinds, _)) = best[e]
                        && unit[j][e]
                    {
                        let candidate = (pieces + 1, kinds - i64::from(kind[j]), e);
                        if best[j].is_none_or(|b| (candidate.0, candidate.1) < (b.0, b.1)) {
                            best[j] = Some(candidate);
                        }
                    }
                }
            }
            if best[detail].is_some() {
                let mut out = Vec::new();
                if detail > 0 {
                    out.push(tokens[..detail].to_vec());
                }
                let mut j = detail;
                while let Some((_, _, e)) = best[j].filter(|_| j < n) {
                    out.push(tokens[j..e].to_vec());
                    j = e;
                }
                return Some(out);
            }
        }
        None
    }
}

/// Whether two cuts of the same words are the same.
fn same_cuts(a: &[Vec<Token>], b: &[Vec<Token>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.first().map(|t| t.start) == y.first().map(|t| t.start))
}
