//! Checking template text against the fields of its kind (the line and the field at fault, with the
//! closest declared field for a typo), and the line diff the audit trail records of a change.

use tiendo_export::ExportError;
use tiendo_export::kinds::DocumentKind;
use tiendo_export::template::{FieldKind, Template};

use crate::FieldError;

/// The longest template accepted, in characters (the defaults are about 1,000).
pub const MAX_SOURCE_CHARS: usize = 100_000;

/// The name of the template text in forms and in the API.
pub const SOURCE_FIELD: &str = "source";

/// Checks template text (already normalised) against the kind's fields: the parsed template, or the
/// field error naming the line, the unknown field (with the closest known one, if any) or the syntax
/// problem.
pub fn check(kind: DocumentKind, source: &str) -> Result<Template, FieldError> {
    if source.trim().is_empty() {
        return Err(FieldError::new(SOURCE_FIELD, "required"));
    }
    let length = source.chars().count();
    if length > MAX_SOURCE_CHARS {
        return Err(FieldError::new(SOURCE_FIELD, "too_long").arg("max", MAX_SOURCE_CHARS));
    }
    Template::parse(&kind.schema(), source).map_err(|err| template_error(kind, source, &err))
}

/// The field error of a template that does not parse.
pub fn template_error(kind: DocumentKind, source: &str, err: &ExportError) -> FieldError {
    let line_text = |line: usize| {
        let text = source.lines().nth(line.saturating_sub(1)).unwrap_or_default().trim();
        if text.chars().count() > 80 {
            format!("{}…", text.chars().take(79).collect::<String>())
        } else {
            text.to_owned()
        }
    };
    match err {
        ExportError::UnknownField { field, line, .. } => {
            let mut error = FieldError::new(SOURCE_FIELD, "unknown_field")
                .arg("name", field)
                .arg("line", line)
                .arg("text", line_text(*line));
            if let Some(suggestion) = closest_field(kind, field) {
                error = error.arg("suggestion", suggestion);
            }
            error
        }
        ExportError::TemplateSyntax { line, problem } => {
            FieldError::new(SOURCE_FIELD, format!("template_{}", problem.code()))
                .arg("name", problem.subject().unwrap_or_default())
                .arg("line", line)
                .arg("text", line_text(*line))
        }
        other => FieldError::new(SOURCE_FIELD, "invalid").arg("reason", other),
    }
}

/// The declared field closest to a mistyped one (`visit.dat` → `visit.date`), if one is close enough to
/// be a typo. For `d.txt` inside a loop, the fields of list items are tried with the same prefix.
fn closest_field(kind: DocumentKind, typed: &str) -> Option<String> {
    let schema = kind.schema();
    let mut candidates: Vec<String> = Vec::new();
    for field in &schema.fields {
        candidates.push(field.path.clone());
        if let (FieldKind::List(items), Some((var, _))) = (&field.kind, typed.split_once('.')) {
            candidates.extend(items.iter().map(|item| format!("{var}.{}", item.path)));
        }
    }
    let limit = (typed.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (edit_distance(typed, &c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)))
        .map(|(_, c)| c)
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
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
    use crate::document_templates::default_source;

    #[test]
    fn an_unknown_field_is_named_with_its_line_and_the_closest_field() {
        let source = "summary: Thông báo\n---\n\nNgày {{visit.dat}}, đoàn làm việc.";
        let err = check(DocumentKind::ConclusionNotice, source).unwrap_err();
        assert_eq!((err.field.as_str(), err.code.as_str()), ("source", "unknown_field"));
        let args: std::collections::BTreeMap<_, _> = err.args.into_iter().collect();
        assert_eq!(args["name"], "visit.dat");
        assert_eq!(args["line"], "4");
        assert_eq!(args["text"], "Ngày {{visit.dat}}, đoàn làm việc.");
        assert_eq!(args["suggestion"], "visit.date");
    }

    #[test]
    fn a_loop_item_typo_is_suggested_with_the_loop_variable_and_nonsense_gets_no_suggestion() {
        let source = "---\n{{#each directives as d}}\n- {{d.txt}}\n{{/each}}";
        let err = check(DocumentKind::ConclusionNotice, source).unwrap_err();
        assert!(err.args.contains(&("suggestion".to_owned(), "d.text".to_owned())), "{:?}", err.args);
        let err = check(DocumentKind::ConclusionNotice, "---\n{{ngan.sach}}").unwrap_err();
        assert!(!err.args.iter().any(|(k, _)| k == "suggestion"), "{:?}", err.args);
    }

    #[test]
    fn syntax_problems_get_their_own_codes_and_empty_or_huge_text_is_refused() {
        let err = check(DocumentKind::Report, "---\n{{#each results as r}}\n- {{r.text}}").unwrap_err();
        assert_eq!(err.code, "template_unclosed_each");
        assert_eq!(check(DocumentKind::Report, " \n ").unwrap_err().code, "required");
        assert_eq!(check(DocumentKind::Report, &"x".repeat(MAX_SOURCE_CHARS + 1)).unwrap_err().code, "too_long");
        assert!(check(DocumentKind::Report, &default_source(DocumentKind::Report)).is_ok());
    }

    #[test]
    fn edit_distance_counts_single_character_edits() {
        assert_eq!(edit_distance("visit.dat", "visit.date"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("Ngày", "Ngay"), 1);
    }

    #[test]
    fn the_line_diff_keeps_only_what_changed() {
        let (removed, added) = line_diff("a\nb\nc\nd", "a\nB\nc\nd\ne");
        assert_eq!((removed, added), (vec!["b".to_owned()], vec!["B".to_owned(), "e".to_owned()]));
        assert_eq!(line_diff("x\ny", "x\ny"), (vec![], vec![]));
        assert_eq!(line_diff("", "z"), (vec![], vec!["z".to_owned()]));
    }

    #[test]
    fn a_huge_rewrite_is_diffed_in_bounded_memory() {
        let before: String = (0..20_000).map(|i| format!("a{i}\n")).collect();
        let after: String = (0..20_000).map(|i| format!("b{i}\n")).collect();
        let (removed, added) = line_diff(&before, &after);
        assert_eq!((removed.len(), added.len()), (20_000, 20_000));
        assert_eq!((removed[0].as_str(), added[19_999].as_str()), ("a0", "b19999"));
        let (removed, added) = line_diff(&format!("{before}x\nx\n"), &format!("{after}x\n"));
        assert_eq!((removed.len(), added.len()), (20_001, 20_000), "one of the two x lines went");
    }
}
