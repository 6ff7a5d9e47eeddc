//! Source texts that administrators type (report forms in TOML, document templates): normalising what was
//! typed without moving its lines, and the line diff the audit trail records of a change.

/// Normalises a source text typed in a form or sent to the API: NFC, `\r\n` to `\n`, invisible
/// characters and control characters other than tabs dropped, trailing spaces and trailing blank lines
/// removed. Leading lines are kept, so that line numbers in messages match what was typed.
pub fn normalize(raw: &str) -> String {
    let normalized = crate::text::normalize_multiline(&format!("x\n{raw}"));
    // `normalize_multiline` drops leading blank lines; the sentinel line keeps them.
    normalized.strip_prefix("x\n").or_else(|| normalized.strip_prefix('x')).unwrap_or_default().to_owned()
}

/// The largest table (lines before × lines after, once the common beginning and end are set aside) the
/// line diff builds; beyond it, lines are compared as sets.
const DIFF_CELLS: usize = 1_000_000;

/// The lines of `before` that `after` no longer has and the lines `after` added, by a longest common
/// subsequence of lines: what the audit trail records of a template change. The common first and last
/// lines are set aside first, so a usual edit costs little; a huge rewrite is compared line by line as
/// sets, so memory stays bounded whatever the text.
pub fn line_diff(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let mut a: Vec<&str> = before.lines().collect();
    let mut b: Vec<&str> = after.lines().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    a.drain(..prefix);
    b.drain(..prefix);
    let suffix = a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count();
    a.truncate(a.len() - suffix);
    b.truncate(b.len() - suffix);
    if a.len().saturating_mul(b.len()) > DIFF_CELLS {
        return (multiset_minus(&a, &b), multiset_minus(&b, &a));
    }
    // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            removed.push(a[i].to_owned());
            i += 1;
        } else {
            added.push(b[j].to_owned());
            j += 1;
        }
    }
    removed.extend(a[i..].iter().map(|l| (*l).to_owned()));
    added.extend(b[j..].iter().map(|l| (*l).to_owned()));
    (removed, added)
}

/// The lines of `a` left after taking away, once each, the lines of `b`.
fn multiset_minus(a: &[&str], b: &[&str]) -> Vec<String> {
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for line in b {
        *counts.entry(line).or_default() += 1;
    }
    a.iter()
        .filter(|line| match counts.get_mut(*line) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .map(|line| (*line).to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_lines_are_kept_and_trailing_blanks_dropped() {
        assert_eq!(normalize("\n\ncode = 1  \r\nname = 2\n\n"), "\n\ncode = 1\nname = 2");
    }

    #[test]
    fn the_diff_names_the_lines_removed_and_added() {
        let (removed, added) = line_diff("a\nb\nc\nd", "a\nB\nc\nd\ne");
        assert_eq!((removed, added), (vec!["b".to_owned()], vec!["B".to_owned(), "e".to_owned()]));
        assert_eq!(line_diff("x\nx", "x"), (vec!["x".to_owned()], Vec::new()));
    }
}
