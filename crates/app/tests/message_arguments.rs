//! Every message shown with arguments gets all of them (issue 14 item 7: "Thẻ «{$tag}» dài quá {$max} ký
//! tự." reached a user). The check reads every place in the source that names a message of an error, a field
//! problem or a page message by a literal code, collects the arguments given there, and renders the message
//! in both languages with them: a variable left unfilled (`{$…}` in the output, or a Fluent error) fails,
//! naming the file and line.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tiendo_app::Tr;
use tiendo_core::lang::Lang;

/// One place that names a message and the arguments it passes.
#[derive(Debug)]
struct Site {
    file: PathBuf,
    line: usize,
    key: String,
    args: BTreeSet<String>,
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text between the parenthesis or bracket at `open` and its match (exclusive), ignoring those inside
/// string literals.
fn balanced(text: &str, open: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    let (opening, closing) = match bytes[open] {
        b'(' => (b'(', b')'),
        b'[' => (b'[', b']'),
        _ => return None,
    };
    let mut depth = 0;
    let mut in_string = false;
    let mut i = open;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            if b == b'\\' {
                i += 1;
            } else if b == b'"' {
                in_string = false;
            }
        } else if b == b'"' {
            in_string = true;
        } else if b == opening {
            depth += 1;
        } else if b == closing {
            depth -= 1;
            if depth == 0 {
                return Some(&text[open + 1..i]);
            }
        }
        i += 1;
    }
    None
}

/// The first string literal of `text`, if it starts it (after white space).
fn leading_literal(text: &str) -> Option<&str> {
    let text = text.trim_start();
    let rest = text.strip_prefix('"')?;
    Some(&rest[..rest.find('"')?])
}

/// The names of the `("name", value)` pairs of an argument slice.
fn pair_names(slice: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = slice;
    while let Some(i) = rest.find("(\"") {
        let after = &rest[i + 2..];
        if let Some(end) = after.find('"')
            && after[end + 1..].trim_start().starts_with(',')
        {
            names.insert(after[..end].to_owned());
        }
        rest = &rest[i + 2..];
    }
    names
}

fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// `FieldError::new(field, "code")`, `FieldIssue::new(…)`, `Issue::new(…)` followed by `.arg("name", …)`
/// calls: the message `field-code`.
fn constructor_sites(file: &Path, text: &str, sites: &mut Vec<Site>) {
    for ctor in ["FieldError::new(", "FieldIssue::new(", "Issue::new("] {
        let mut from = 0;
        while let Some(found) = text[from..].find(ctor) {
            let start = from + found;
            from = start + ctor.len();
            // `Issue::new(` inside `FieldIssue::new(` is the same call.
            if text[..start].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let open = start + ctor.len() - 1;
            let Some(inner) = balanced(text, open) else { continue };
            let Some(comma) = inner.find(',') else { continue };
            let Some(code) = leading_literal(&inner[comma + 1..]) else { continue };
            let mut args = BTreeSet::new();
            let mut at = open + inner.len() + 2;
            loop {
                let rest = &text[at..];
                let trimmed = rest.trim_start();
                let Some(after) = trimmed.strip_prefix(".arg(") else { break };
                let open_arg = at + (rest.len() - trimmed.len()) + ".arg".len();
                let Some(arg_inner) = balanced(text, open_arg) else { break };
                if let Some(name) = leading_literal(arg_inner) {
                    args.insert(name.to_owned());
                }
                debug_assert!(after.len() >= arg_inner.len());
                at = open_arg + arg_inner.len() + 2;
            }
            sites.push(Site { file: file.to_owned(), line: line_of(text, start), key: format!("field-{code}"), args });
        }
    }
}

/// `.t("field-…")`, `.t("error-…")`, `.t_with("…", &[("name", …)])`, for messages of field problems and
/// errors named literally.
fn translation_sites(file: &Path, text: &str, sites: &mut Vec<Site>) {
    for call in [".t(", ".t_with("] {
        let mut from = 0;
        while let Some(found) = text[from..].find(call) {
            let start = from + found;
            from = start + call.len();
            let open = start + call.len() - 1;
            let Some(inner) = balanced(text, open) else { continue };
            let Some(key) = leading_literal(inner) else { continue };
            if !(key.starts_with("field-") || key.starts_with("error-")) {
                continue;
            }
            let args = match inner.find('[') {
                Some(b) if call == ".t_with(" => balanced(inner, b).map(pair_names).unwrap_or_default(),
                _ => BTreeSet::new(),
            };
            sites.push(Site { file: file.to_owned(), line: line_of(text, start), key: key.to_owned(), args });
        }
    }
}

#[test]
fn every_message_is_given_the_arguments_it_shows() {
    let root = workspace().join("crates");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut sites = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        constructor_sites(file, &text, &mut sites);
        translation_sites(file, &text, &mut sites);
    }
    assert!(sites.len() > 100, "the scan found only {} sites: is it still reading the source?", sites.len());
    let mut problems = Vec::new();
    for site in &sites {
        for lang in [Lang::Vi, Lang::En] {
            let tr = Tr::new(lang);
            if !tr.has(&site.key) {
                continue;
            }
            let values: Vec<(String, String)> = site.args.iter().map(|a| (a.clone(), format!("«{a}»"))).collect();
            let pairs: Vec<(&str, &str)> = values.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let text = tr.t_with(&site.key, &pairs);
            if text.contains("{$") || text.contains("{ $") {
                problems.push(format!(
                    "{}:{}: {} ({}) renders as {text:?} with arguments {:?}",
                    site.file.strip_prefix(&root).unwrap_or(&site.file).display(),
                    site.line,
                    site.key,
                    lang.tag(),
                    site.args
                ));
            }
        }
    }
    assert!(problems.is_empty(), "messages shown with unfilled arguments:\n{}", problems.join("\n"));
}

#[test]
fn the_scan_reads_chained_arguments_and_argument_slices() {
    let mut sites = Vec::new();
    let text = r#"issues.push(FieldIssue::new("tags", "tag_too_long").arg("max", MAX_TAG).arg("tag", long.clone()));
        errors.add("x", ctx.tr.t_with("field-too_long", &[("max", "120")]));
        errors.add("y", ctx.tr.t("field-required"));"#;
    constructor_sites(Path::new("x.rs"), text, &mut sites);
    translation_sites(Path::new("x.rs"), text, &mut sites);
    let mut found: Vec<(String, Vec<String>)> =
        sites.iter().map(|s| (s.key.clone(), s.args.iter().cloned().collect())).collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            ("field-required".to_owned(), vec![]),
            ("field-tag_too_long".to_owned(), vec!["max".to_owned(), "tag".to_owned()]),
            ("field-too_long".to_owned(), vec!["max".to_owned()]),
        ]
    );
}

/// The error codes named literally where an error is made: `Error::conflict("code")` and the variants
/// that carry a code (`Conflict { code: "…" }`, `Forbidden`, `NotFoundNamed`, `Unavailable`, and the web
/// edge's `ForbiddenCode`, `BadRequest`, `UnavailablePart`, `Document`).
fn error_code_sites(file: &Path, text: &str, sites: &mut Vec<Site>) {
    let mut starts: Vec<(usize, &str)> = Vec::new();
    for call in ["conflict(", "conflict_with("] {
        let mut from = 0;
        while let Some(found) = text[from..].find(call) {
            let start = from + found;
            from = start + call.len();
            if text[..start].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            starts.push((start, &text[start + call.len()..]));
        }
    }
    for variant in
        ["Conflict", "ConflictWith", "Forbidden", "ForbiddenCode", "NotFoundNamed", "Unavailable", "UnavailablePart"]
            .into_iter()
            .chain(["BadRequest", "Document"])
    {
        let pattern = format!("{variant} {{ code: ");
        let mut from = 0;
        while let Some(found) = text[from..].find(&pattern) {
            let start = from + found;
            from = start + pattern.len();
            if text[..start].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            starts.push((start, &text[start + pattern.len()..]));
        }
    }
    for (start, rest) in starts {
        if let Some(code) = leading_literal(rest)
            && !code.is_empty()
            && code.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        {
            sites.push(Site {
                file: file.to_owned(),
                line: line_of(text, start),
                key: format!("error-{code}"),
                args: BTreeSet::new(),
            });
        }
    }
}

/// An error whose code has no message is shown as "an unexpected error" (issue 20's load test met 409
/// `invalid_transition` so): every code made literally has its title in both languages.
#[test]
fn every_error_code_made_in_the_code_has_its_message_in_both_languages() {
    let root = workspace().join("crates");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut sites = Vec::new();
    // This file's own examples are not codes of the application.
    for file in files.iter().filter(|f| !f.ends_with("tests/message_arguments.rs")) {
        let text = std::fs::read_to_string(file).unwrap();
        error_code_sites(file, &text, &mut sites);
    }
    assert!(sites.len() > 50, "the scan found only {} error codes: is it still reading the source?", sites.len());
    let mut problems = BTreeSet::new();
    for site in &sites {
        for lang in [Lang::Vi, Lang::En] {
            if !Tr::new(lang).has(&site.key) {
                problems.insert(format!(
                    "{}:{}: {} has no message in {}",
                    site.file.strip_prefix(&root).unwrap_or(&site.file).display(),
                    site.line,
                    site.key,
                    lang.tag()
                ));
            }
        }
    }
    let problems: Vec<String> = problems.into_iter().collect();
    assert!(problems.is_empty(), "error codes without a message:\n{}", problems.join("\n"));
}

#[test]
fn the_error_code_scan_reads_calls_and_variants() {
    let mut sites = Vec::new();
    let text = r#"return Err(Error::conflict("invalid_transition"));
        Err(Error::Conflict { code: "stale_version", args })
        AppError::ForbiddenCode { code: "account_disabled" }
        deconflict("not_this")"#;
    error_code_sites(Path::new("x.rs"), text, &mut sites);
    let mut found: Vec<String> = sites.into_iter().map(|s| s.key).collect();
    found.sort();
    assert_eq!(found, ["error-account_disabled", "error-invalid_transition", "error-stale_version"]);
}
