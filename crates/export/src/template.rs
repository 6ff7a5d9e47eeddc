//! Administrator-editable templates: text with placeholders bound to a record's fields.
//!
//! Our own small parser (about 300 lines) rather than minijinja: the language needs placeholders,
//! one loop form and a handful of line markers, and it must reject an unknown field at save time
//! with the field's name and line, which is simplest when we own the parser. Values are inserted
//! after the markup of each line is read, so a value can never turn into a heading, a list or
//! bold text.
//!
//! ```text
//! summary: Kết quả 03 năm thực hiện Nghị quyết số {{resolution.symbol}}
//! recipient: Như trên;
//! recipient: Lưu: VT.
//! ---
//! # KẾT QUẢ ĐẠT ĐƯỢC            heading, level 1 (## 2, ### 3, #### 4), numbered automatically
//! Ngày {{visit.date}}, đoàn ... paragraph; consecutive lines join, a blank line ends it
//! - {{...}}                     dash list item (+ for the second level)
//! ! QUYẾT ĐỊNH:                 centred bold line
//! **Điều 1.** Phê duyệt ...     bold text inside a line
//! {{#each directives as d}}     repeat the lines up to {{/each}} for each item of a list field
//! - {{d.text}} ({{d.deadline}})
//! {{/each}}
//! ```

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::error::{ExportError, SyntaxProblem};
use crate::model::{Block, ListStyle, Run};

/// The type of a declared field, which decides how its value is printed.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldKind {
    /// Text, as given.
    Text,
    /// A date, printed `dd/mm/yyyy`.
    Date,
    /// A whole number, printed `1.234`.
    Integer,
    /// A decimal, printed `1.234,5`.
    Decimal,
    /// A list of items with their own fields, used with `{{#each}}`.
    List(Vec<FieldDecl>),
}

/// A field a document kind offers to its templates.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDecl {
    /// Path used in placeholders, e.g. `visit.date`.
    pub path: String,
    /// Vietnamese label shown in the editor.
    pub label: String,
    /// Type.
    pub kind: FieldKind,
    /// Longest value accepted, in characters.
    pub max_len: Option<usize>,
}

impl FieldDecl {
    /// A field.
    pub fn new(path: &str, label: &str, kind: FieldKind) -> FieldDecl {
        FieldDecl { path: path.to_owned(), label: label.to_owned(), kind, max_len: None }
    }

    /// With a maximum length.
    pub fn max_len(mut self, n: usize) -> FieldDecl {
        self.max_len = Some(n);
        self
    }
}

/// The fields of a document kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// Kind identifier, e.g. `report`.
    pub kind: String,
    /// Declared fields.
    pub fields: Vec<FieldDecl>,
}

impl Schema {
    fn field(&self, path: &str) -> Option<&FieldDecl> {
        self.fields.iter().find(|f| f.path == path)
    }
}

/// A value of a record.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text.
    Text(String),
    /// Date.
    Date(NaiveDate),
    /// Whole number.
    Integer(i64),
    /// Decimal.
    Decimal(f64),
    /// List items.
    List(Vec<Record>),
}

/// A record: values by field path.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    values: BTreeMap<String, Value>,
}

impl Record {
    /// An empty record.
    pub fn new() -> Record {
        Record::default()
    }

    /// Sets a value (builder style).
    pub fn with(mut self, path: &str, value: Value) -> Record {
        self.values.insert(path.to_owned(), value);
        self
    }

    /// Sets a text value (builder style).
    pub fn text(self, path: &str, value: &str) -> Record {
        self.with(path, Value::Text(value.to_owned()))
    }

    /// The value at `path`.
    pub fn get(&self, path: &str) -> Option<&Value> {
        self.values.get(path)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Literal(String),
    /// A placeholder: the field path, its declaration, and the loop variable prefix if any.
    Field {
        path: String,
        decl: FieldDecl,
        via: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
enum LineKind {
    Heading(u8),
    Dash,
    Plus,
    CenteredBold,
    Text,
    Blank,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Line { kind: LineKind, segments: Vec<Segment> },
    Each { list: String, var: String, body: Vec<Node> },
}

/// A parsed, validated template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    schema: Schema,
    summary: Vec<Segment>,
    recipients: Vec<Vec<Segment>>,
    body: Vec<Node>,
}

/// What a template produces: the parts of a document that come from text.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Trích yếu.
    pub summary: String,
    /// The body.
    pub body: Vec<Block>,
    /// Nơi nhận.
    pub recipients: Vec<String>,
}

/// A loop variable in scope and the fields of its items.
struct Scope {
    var: String,
    fields: Vec<FieldDecl>,
}

fn parse_segments(text: &str, line: usize, schema: &Schema, scopes: &[Scope]) -> Result<Vec<Segment>, ExportError> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        if start > 0 {
            out.push(Segment::Literal(rest[..start].to_owned()));
        }
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or(ExportError::TemplateSyntax { line, problem: SyntaxProblem::UnclosedPlaceholder })?;
        let path = after[..end].trim();
        if path.is_empty() || path.starts_with('#') || path.starts_with('/') {
            return Err(ExportError::TemplateSyntax { line, problem: SyntaxProblem::MisplacedBlock(path.to_owned()) });
        }
        out.push(resolve(path, line, schema, scopes)?);
        rest = &after[end + 2..];
    }
    if !rest.is_empty() {
        out.push(Segment::Literal(rest.to_owned()));
    }
    Ok(out)
}

fn resolve(path: &str, line: usize, schema: &Schema, scopes: &[Scope]) -> Result<Segment, ExportError> {
    let unknown = || ExportError::UnknownField { kind: schema.kind.clone(), field: path.to_owned(), line };
    // Innermost loop variable first.
    for scope in scopes.iter().rev() {
        if let Some(sub) = path.strip_prefix(scope.var.as_str()).and_then(|p| p.strip_prefix('.')) {
            let decl = scope.fields.iter().find(|f| f.path == sub).ok_or_else(unknown)?;
            return Ok(Segment::Field { path: sub.to_owned(), decl: decl.clone(), via: Some(scope.var.clone()) });
        }
    }
    let decl = schema.field(path).ok_or_else(unknown)?;
    if matches!(decl.kind, FieldKind::List(_)) {
        return Err(ExportError::TemplateSyntax { line, problem: SyntaxProblem::ListWithoutEach(path.to_owned()) });
    }
    Ok(Segment::Field { path: path.to_owned(), decl: decl.clone(), via: None })
}

fn classify(line: &str) -> (LineKind, &str) {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return (LineKind::Blank, "");
    }
    let hashes = trimmed.chars().take_while(|c| *c == '#').count();
    if (1..=4).contains(&hashes) && trimmed[hashes..].starts_with(' ') {
        return (LineKind::Heading(hashes as u8), trimmed[hashes..].trim());
    }
    for (prefix, kind) in [("- ", LineKind::Dash), ("+ ", LineKind::Plus), ("! ", LineKind::CenteredBold)] {
        if let Some(rest) = trimmed.strip_prefix(prefix) {
            return (kind, rest.trim());
        }
    }
    (LineKind::Text, trimmed)
}

fn parse_body<'a>(
    lines: &mut std::iter::Peekable<impl Iterator<Item = (usize, &'a str)>>,
    schema: &Schema,
    scopes: &mut Vec<Scope>,
    inside: Option<usize>,
) -> Result<Vec<Node>, ExportError> {
    let mut nodes = Vec::new();
    while let Some((n, raw)) = lines.next() {
        let t = raw.trim();
        if let Some(inner) = t.strip_prefix("{{#each ").and_then(|r| r.strip_suffix("}}")) {
            let (list, var) = inner
                .split_once(" as ")
                .map(|(l, v)| (l.trim(), v.trim()))
                .ok_or(ExportError::TemplateSyntax { line: n, problem: SyntaxProblem::EachSyntax })?;
            let decl = schema.field(list).ok_or_else(|| ExportError::UnknownField {
                kind: schema.kind.clone(),
                field: list.to_owned(),
                line: n,
            })?;
            let FieldKind::List(fields) = &decl.kind else {
                return Err(ExportError::TemplateSyntax { line: n, problem: SyntaxProblem::NotAList(list.to_owned()) });
            };
            scopes.push(Scope { var: var.to_owned(), fields: fields.clone() });
            let body = parse_body(lines, schema, scopes, Some(n))?;
            scopes.pop();
            nodes.push(Node::Each { list: list.to_owned(), var: var.to_owned(), body });
        } else if t == "{{/each}}" {
            return match inside {
                Some(_) => Ok(nodes),
                None => Err(ExportError::TemplateSyntax { line: n, problem: SyntaxProblem::UnmatchedEndEach }),
            };
        } else {
            let (kind, text) = classify(raw);
            let segments = parse_segments(text, n, schema, scopes)?;
            nodes.push(Node::Line { kind, segments });
        }
    }
    match inside {
        Some(start) => Err(ExportError::TemplateSyntax { line: start, problem: SyntaxProblem::UnclosedEach }),
        None => Ok(nodes),
    }
}

impl Template {
    /// Parses and validates `source` against the kind's fields: every placeholder must be a
    /// declared field (or a field of the loop item), else [`ExportError::UnknownField`] names it.
    pub fn parse(schema: &Schema, source: &str) -> Result<Template, ExportError> {
        let mut summary = Vec::new();
        let mut recipients = Vec::new();
        let numbered: Vec<(usize, &str)> = source.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
        let split = numbered.iter().position(|(_, l)| l.trim() == "---");
        let (front, body) = match split {
            Some(i) => (&numbered[..i], &numbered[i + 1..]),
            None => (&numbered[..0], &numbered[..]),
        };
        for (n, line) in front {
            if line.trim().is_empty() {
                continue;
            }
            let (key, value) = line
                .split_once(':')
                .ok_or(ExportError::TemplateSyntax { line: *n, problem: SyntaxProblem::SettingSyntax })?;
            let segments = parse_segments(value.trim(), *n, schema, &[])?;
            match key.trim() {
                "summary" => summary = segments,
                "recipient" => recipients.push(segments),
                other => {
                    return Err(ExportError::TemplateSyntax {
                        line: *n,
                        problem: SyntaxProblem::UnknownSetting(other.to_owned()),
                    });
                }
            }
        }
        let mut iter = body.iter().copied().peekable();
        let body = parse_body(&mut iter, schema, &mut Vec::new(), None)?;
        Ok(Template { schema: schema.clone(), summary, recipients, body })
    }

    /// Every field path the template uses, in order of first use.
    pub fn fields_used(&self) -> Vec<String> {
        fn walk(nodes: &[Node], out: &mut Vec<String>) {
            for node in nodes {
                match node {
                    Node::Line { segments, .. } => collect(segments, out),
                    Node::Each { list, body, .. } => {
                        if !out.contains(list) {
                            out.push(list.clone());
                        }
                        walk(body, out);
                    }
                }
            }
        }
        fn collect(segments: &[Segment], out: &mut Vec<String>) {
            for s in segments {
                if let Segment::Field { path, via, .. } = s {
                    let full = match via {
                        Some(v) => format!("{v}.{path}"),
                        None => path.clone(),
                    };
                    if !out.contains(&full) {
                        out.push(full);
                    }
                }
            }
        }
        let mut out = Vec::new();
        collect(&self.summary, &mut out);
        for r in &self.recipients {
            collect(r, &mut out);
        }
        walk(&self.body, &mut out);
        out
    }

    /// Fills the template with `record`.
    pub fn render(&self, record: &Record) -> Result<Rendered, ExportError> {
        let summary = fill(&self.summary, record, None)?;
        let recipients = self.recipients.iter().map(|r| fill(r, record, None)).collect::<Result<_, _>>()?;
        let mut lines = Vec::new();
        expand(&self.body, record, None, &mut lines)?;
        Ok(Rendered { summary, body: blocks(lines), recipients })
    }

    /// The kind this template belongs to.
    pub fn kind(&self) -> &str {
        &self.schema.kind
    }
}

fn format_value(decl: &FieldDecl, path: &str, value: &Value) -> Result<String, ExportError> {
    let text = match value {
        Value::Text(s) => s.split_whitespace().collect::<Vec<_>>().join(" "),
        Value::Date(d) => tiendo_core::fmt::date(*d),
        Value::Integer(i) => tiendo_core::fmt::integer(*i, tiendo_core::lang::Lang::Vi),
        Value::Decimal(x) => tiendo_core::fmt::decimal(*x, 2, tiendo_core::lang::Lang::Vi),
        Value::List(_) => {
            return Err(ExportError::TemplateSyntax {
                line: 0,
                problem: SyntaxProblem::ListWithoutEach(path.to_owned()),
            });
        }
    };
    if let Some(max) = decl.max_len {
        let len = text.chars().count();
        if len > max {
            return Err(ExportError::FieldTooLong { field: path.to_owned(), len, max });
        }
    }
    Ok(text)
}

/// A piece of a filled line: template text, whose `**` markers are read, or an inserted value, which
/// is never read as markup.
#[derive(Debug, Clone, PartialEq)]
struct Piece {
    text: String,
    literal: bool,
}

impl Piece {
    fn literal(text: &str) -> Piece {
        Piece { text: text.to_owned(), literal: true }
    }
}

fn text_of(pieces: &[Piece]) -> String {
    pieces.iter().map(|p| p.text.as_str()).collect()
}

fn fill_pieces(
    segments: &[Segment],
    record: &Record,
    item: Option<(&str, &Record)>,
) -> Result<Vec<Piece>, ExportError> {
    let mut out = Vec::with_capacity(segments.len());
    for s in segments {
        match s {
            Segment::Literal(l) => out.push(Piece::literal(l)),
            Segment::Field { path, decl, via } => {
                let (source, full) = match (via, item) {
                    (Some(v), Some((var, rec))) if v == var => (rec, format!("{v}.{path}")),
                    _ => (record, path.clone()),
                };
                let value = source.get(path).ok_or_else(|| ExportError::MissingValue { field: full.clone() })?;
                out.push(Piece { text: format_value(decl, &full, value)?, literal: false });
            }
        }
    }
    Ok(out)
}

fn fill(segments: &[Segment], record: &Record, item: Option<(&str, &Record)>) -> Result<String, ExportError> {
    Ok(text_of(&fill_pieces(segments, record, item)?))
}

fn expand(
    nodes: &[Node],
    record: &Record,
    item: Option<(&str, &Record)>,
    out: &mut Vec<(LineKind, Vec<Piece>)>,
) -> Result<(), ExportError> {
    for node in nodes {
        match node {
            Node::Line { kind, segments } => out.push((kind.clone(), fill_pieces(segments, record, item)?)),
            Node::Each { list, var, body } => {
                let items = match record.get(list) {
                    Some(Value::List(items)) => items,
                    _ => {
                        return Err(ExportError::MissingValue { field: list.clone() });
                    }
                };
                for it in items {
                    expand(body, record, Some((var, it)), out)?;
                }
            }
        }
    }
    Ok(())
}

/// Splits the `**bold**` markers of the template text into runs; inserted values keep the style
/// around them and their own `**` stays text.
fn runs(pieces: &[Piece]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let mut bold = false;
    let mut push = |text: &str, bold: bool| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(run) if run.bold == bold => run.text.push_str(text),
            _ => out.push(Run { text: text.to_owned(), bold, italic: false }),
        }
    };
    for piece in pieces {
        if piece.literal {
            for (i, part) in piece.text.split("**").enumerate() {
                if i > 0 {
                    bold = !bold;
                }
                push(part, bold);
            }
        } else {
            push(&piece.text, bold);
        }
    }
    out
}

fn blocks(lines: Vec<(LineKind, Vec<Piece>)>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut para: Vec<Piece> = Vec::new();
    let flush = |para: &mut Vec<Piece>, out: &mut Vec<Block>| {
        if !para.is_empty() {
            out.push(Block::Paragraph(runs(para)));
            para.clear();
        }
    };
    for (kind, text) in lines {
        match kind {
            LineKind::Text => {
                // The lines of a paragraph are joined with a space.
                if !para.is_empty() {
                    para.push(Piece::literal(" "));
                }
                para.extend(text);
            }
            LineKind::Blank => flush(&mut para, &mut out),
            LineKind::Heading(level) => {
                flush(&mut para, &mut out);
                out.push(Block::Heading { level, text: text_of(&text) });
            }
            LineKind::CenteredBold => {
                flush(&mut para, &mut out);
                out.push(Block::Centered(vec![Run::bold(text_of(&text))]));
            }
            LineKind::Dash | LineKind::Plus => {
                flush(&mut para, &mut out);
                let style = if kind == LineKind::Dash { ListStyle::Dash } else { ListStyle::Plus };
                match out.last_mut() {
                    Some(Block::List { style: s, items }) if *s == style => items.push(runs(&text)),
                    _ => out.push(Block::List { style, items: vec![runs(&text)] }),
                }
            }
        }
    }
    flush(&mut para, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        Schema {
            kind: "notice".into(),
            fields: vec![
                FieldDecl::new("visit.date", "Ngày làm việc", FieldKind::Date),
                FieldDecl::new("org.name", "Tên đơn vị", FieldKind::Text).max_len(20),
                FieldDecl::new(
                    "directives",
                    "Kết luận",
                    FieldKind::List(vec![FieldDecl::new("text", "Nội dung", FieldKind::Text)]),
                ),
            ],
        }
    }

    #[test]
    fn unknown_placeholder_is_rejected_with_its_name_and_line() {
        let err = Template::parse(&schema(), "summary: x\n---\nNgày {{visit.dat}}.").unwrap_err();
        match err {
            ExportError::UnknownField { field, line, kind } => {
                assert_eq!((field.as_str(), line, kind.as_str()), ("visit.dat", 3, "notice"));
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn loop_item_fields_are_checked_against_the_item_declaration() {
        let src = "{{#each directives as d}}\n- {{d.txt}}\n{{/each}}";
        let err = Template::parse(&schema(), src).unwrap_err();
        assert!(matches!(err, ExportError::UnknownField { ref field, .. } if field == "d.txt"), "{err}");
    }

    #[test]
    fn unclosed_loop_and_placeholder_are_syntax_errors() {
        assert!(matches!(
            Template::parse(&schema(), "{{#each directives as d}}\n- x"),
            Err(ExportError::TemplateSyntax { line: 1, .. })
        ));
        assert!(matches!(Template::parse(&schema(), "Ngày {{visit.date"), Err(ExportError::TemplateSyntax { .. })));
    }

    #[test]
    fn each_syntax_problem_has_its_code_line_and_subject() {
        let cases: [(&str, usize, &str, Option<&str>); 9] = [
            ("---\nNgày {{visit.date", 2, "unclosed_placeholder", None),
            ("---\nA {{#each directives as d}} B", 2, "misplaced_block", Some("#each directives as d")),
            ("---\n{{directives}}", 2, "list_without_each", Some("directives")),
            ("---\n{{#each directives}}\n{{/each}}", 2, "each_syntax", None),
            ("---\n{{#each org.name as o}}\n{{/each}}", 2, "not_a_list", Some("org.name")),
            ("---\nx\n{{/each}}", 3, "unmatched_end_each", None),
            ("---\n\n{{#each directives as d}}\n- {{d.text}}", 3, "unclosed_each", None),
            ("chỉ một dòng\n---\nx", 1, "setting_syntax", None),
            ("title: X\n---\nx", 1, "unknown_setting", Some("title")),
        ];
        for (source, want_line, want_code, want_subject) in cases {
            match Template::parse(&schema(), source) {
                Err(ExportError::TemplateSyntax { line, problem }) => {
                    assert_eq!(
                        (line, problem.code(), problem.subject()),
                        (want_line, want_code, want_subject),
                        "{source}"
                    );
                }
                other => panic!("{source}: {other:?}"),
            }
        }
    }

    #[test]
    fn render_fills_values_formats_dates_and_builds_blocks() {
        let t = Template::parse(
            &schema(),
            "summary: Thông báo của {{org.name}}\nrecipient: Như trên;\n---\n# KẾT LUẬN\nNgày {{visit.date}},\nđoàn làm việc.\n\n{{#each directives as d}}\n- {{d.text}}\n{{/each}}",
        )
        .unwrap();
        let record = Record::new()
            .text("org.name", "Sở KH&CN")
            .with("visit.date", Value::Date(NaiveDate::from_ymd_opt(2020, 2, 27).unwrap()))
            .with(
                "directives",
                Value::List(vec![
                    Record::new().text("text", "# không phải tiêu đề"),
                    Record::new().text("text", "Hai"),
                ]),
            );
        let r = t.render(&record).unwrap();
        assert_eq!(r.summary, "Thông báo của Sở KH&CN");
        assert_eq!(r.recipients, vec!["Như trên;".to_owned()]);
        assert!(matches!(&r.body[0], Block::Heading { level: 1, text } if text == "KẾT LUẬN"));
        assert!(matches!(&r.body[1], Block::Paragraph(runs) if runs[0].text == "Ngày 27/02/2020, đoàn làm việc."));
        // A value that looks like markup stays text.
        assert!(
            matches!(&r.body[2], Block::List { items, .. } if items.len() == 2 && items[0][0].text == "# không phải tiêu đề")
        );
        assert_eq!(t.fields_used(), vec!["org.name", "visit.date", "directives", "d.text"]);
    }

    #[test]
    fn a_value_longer_than_its_field_allows_is_refused_with_the_field_name() {
        let t = Template::parse(&schema(), "---\n{{org.name}}").unwrap();
        let err = t.render(&Record::new().text("org.name", &"x".repeat(21))).unwrap_err();
        assert!(
            matches!(err, ExportError::FieldTooLong { ref field, len: 21, max: 20 } if field == "org.name"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_value_is_reported_by_field() {
        let t = Template::parse(&schema(), "---\n{{visit.date}}").unwrap();
        assert!(
            matches!(t.render(&Record::new()), Err(ExportError::MissingValue { ref field }) if field == "visit.date")
        );
    }

    #[test]
    fn bold_markers_become_bold_runs() {
        assert_eq!(
            runs(&[Piece::literal("**Điều 1.** Phê duyệt")]),
            vec![Run::bold("Điều 1."), Run::plain(" Phê duyệt")]
        );
    }

    #[test]
    fn bold_markers_inside_a_value_stay_text() {
        let t = Template::parse(&schema(), "---\n**Kính gửi:** {{org.name}} và **{{org.name}}**").unwrap();
        let r = t.render(&Record::new().text("org.name", "**A** B")).unwrap();
        let Block::Paragraph(runs) = &r.body[0] else { panic!("{:?}", r.body) };
        assert_eq!(
            runs,
            &vec![Run::bold("Kính gửi:"), Run::plain(" **A** B và "), Run::bold("**A** B")],
            "a value neither opens nor closes bold"
        );
    }
}
