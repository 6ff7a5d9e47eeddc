//! The fields of a report form as pages show them: sections of fields with their labels, help, bounds and unit;
//! for a report, what was typed or stored, the previous period's value beside it, a warning for a value
//! far outside the unit's history, the error of the field and the approver's comments on it. The same
//! views serve the administrator's preview, the data-entry form and the read-only report.

use std::collections::HashMap;

use tiendo_core::lang::Lang;
use tiendo_core::reporting::field::{self, display, is_outlier};
use tiendo_core::reporting::{FieldKind, TemplateDef, Value};
use tiendo_db::reporting::reports::Comment;

use crate::error::FieldError;
use crate::errors_render::field_message;
use tiendo_app::i18n::Tr;

/// The prefix of a field's input name, so that no field code can clash with the form's own inputs.
pub const INPUT_PREFIX: &str = "f_";

/// The prefix of a field's comment input in the return form.
pub const COMMENT_PREFIX: &str = "c_";

/// A comment shown under a field (or on the whole report).
#[derive(Debug, Clone)]
pub struct CommentView {
    /// The text.
    pub body: String,
    /// Who wrote it.
    pub author: String,
    /// When.
    pub at: String,
}

impl CommentView {
    fn of(c: &Comment) -> CommentView {
        CommentView {
            body: c.body.clone(),
            author: c.author_name.clone().unwrap_or_default(),
            at: tiendo_core::fmt::datetime(c.created_at),
        }
    }
}

/// One field as a page shows it.
#[derive(Debug, Clone)]
pub struct FieldView {
    /// The field's code.
    pub code: String,
    /// The input's name and id.
    pub name: String,
    /// The label.
    pub label: String,
    /// Help under the field.
    pub help: String,
    /// Whether a value is needed to submit.
    pub required: bool,
    /// What the input shows (typed, or stored).
    pub input: String,
    /// The stored value as read (`1.234 người`).
    pub display: String,
    /// The choices of a choice field.
    pub choices: Vec<String>,
    /// A choice list.
    pub is_choice: bool,
    /// Có / không.
    pub is_yes_no: bool,
    /// A free text (a text area).
    pub is_text: bool,
    /// The input mode hint for phones (`numeric`, `decimal`, `text`).
    pub inputmode: &'static str,
    /// What the number is counted in (`người`, `%`, `đồng`).
    pub unit: String,
    /// The bounds as a hint ("từ 0 đến 100").
    pub bounds: String,
    /// The previous period's value, as read.
    pub previous: String,
    /// A warning when the value is far outside the unit's history.
    pub outlier: String,
    /// The field's error.
    pub error: String,
    /// The approver's comments on this field.
    pub comments: Vec<CommentView>,
    /// The value someone else saved meanwhile, when it differs from what this person typed.
    pub saved_by_other: String,
}

/// A section of the form.
#[derive(Debug, Clone)]
pub struct SectionView {
    /// The title.
    pub title: String,
    /// The fields.
    pub fields: Vec<FieldView>,
}

/// What a form is built from.
#[derive(Default)]
pub struct FormData<'a> {
    /// The typed inputs, by field code (after a refused save); stored values are shown otherwise.
    pub inputs: Option<&'a HashMap<String, String>>,
    /// The stored values.
    pub stored: Option<&'a HashMap<String, Value>>,
    /// The previous period's values.
    pub previous: Option<&'a HashMap<String, Value>>,
    /// The unit's earlier approved numbers per field, for the outlier warning.
    pub history: Option<&'a HashMap<String, Vec<f64>>>,
    /// Field errors.
    pub errors: &'a [FieldError],
    /// The approver's comments.
    pub comments: &'a [Comment],
    /// The values someone else saved meanwhile.
    pub other: Option<&'a HashMap<String, Value>>,
}

fn unit_of(def: &TemplateDef, f: &tiendo_core::reporting::FieldDef, tr: &Tr) -> String {
    let from_indicator = f.indicator.as_deref().and_then(|i| def.indicator(i)).map(|i| i.unit.clone());
    match (from_indicator.filter(|u| !u.is_empty()), f.kind) {
        (Some(u), _) => u,
        (None, FieldKind::Percent) => "%".to_owned(),
        (None, FieldKind::Money) => tr.t("report-unit-money"),
        _ => String::new(),
    }
}

fn bounds_of(f: &tiendo_core::reporting::FieldDef, tr: &Tr) -> String {
    let show = |x: f64| tiendo_core::fmt::decimal(x, 4, tr.lang());
    match (f.min, f.max) {
        (Some(min), Some(max)) => tr.t_with("report-bounds-between", &[("min", &show(min)), ("max", &show(max))]),
        (Some(min), None) => tr.t_with("report-bounds-min", &[("min", &show(min))]),
        (None, Some(max)) => tr.t_with("report-bounds-max", &[("max", &show(max))]),
        (None, None) => String::new(),
    }
}

/// The sections of a template's form with what `data` gives.
pub fn sections(def: &TemplateDef, tr: &Tr, data: &FormData<'_>) -> Vec<SectionView> {
    let lang = tr.lang();
    def.sections
        .iter()
        .map(|s| SectionView {
            title: s.title(lang).to_owned(),
            fields: s.fields.iter().map(|f| field_view(def, f, tr, data)).collect(),
        })
        .collect()
}

fn field_view(def: &TemplateDef, f: &tiendo_core::reporting::FieldDef, tr: &Tr, data: &FormData<'_>) -> FieldView {
    let lang = tr.lang();
    let stored = data.stored.and_then(|s| s.get(&f.code));
    let input = match data.inputs {
        Some(inputs) => inputs.get(&f.code).cloned().unwrap_or_default(),
        None => stored.map(|v| field::input_text(f.kind, v)).unwrap_or_default(),
    };
    let unit = unit_of(def, f, tr);
    let shown = |v: &Value| {
        let text = display(f.kind, v, lang);
        if unit.is_empty() || matches!(f.kind, FieldKind::Percent | FieldKind::Money) || v.number().is_none() {
            text
        } else {
            format!("{text} {unit}")
        }
    };
    let current = field::parse(f.kind, &f.choices, &input).ok().flatten().or_else(|| stored.cloned());
    let outlier = match (current.as_ref().and_then(Value::number), data.history.and_then(|h| h.get(&f.code))) {
        (Some(n), Some(history)) if f.kind.is_numeric() && is_outlier(n, history) => {
            let min = history.iter().copied().fold(f64::MAX, f64::min);
            let max = history.iter().copied().fold(f64::MIN, f64::max);
            let show = |x: f64| display(f.kind, &Value::Number(x), lang);
            tr.t_with("report-outlier", &[("min", &show(min)), ("max", &show(max))])
        }
        _ => String::new(),
    };
    let error = data.errors.iter().find(|e| e.field == f.code).map(|e| field_message(e, tr)).unwrap_or_default();
    let other = data.other.and_then(|o| o.get(&f.code));
    let saved_by_other = match other {
        Some(v) if Some(v) != current.as_ref() => shown(v),
        None if current.is_some() && data.other.is_some() => tr.t("report-empty-value"),
        _ => String::new(),
    };
    FieldView {
        code: f.code.clone(),
        name: format!("{INPUT_PREFIX}{}", f.code),
        label: f.label(lang).to_owned(),
        help: f.help(lang).unwrap_or_default().to_owned(),
        required: f.required,
        input,
        display: stored.map(&shown).unwrap_or_default(),
        choices: f.choices.clone(),
        is_choice: f.kind == FieldKind::Choice,
        is_yes_no: f.kind == FieldKind::YesNo,
        is_text: f.kind == FieldKind::Text,
        inputmode: match f.kind {
            FieldKind::Integer | FieldKind::Money => "numeric",
            FieldKind::Decimal | FieldKind::Percent => "decimal",
            _ => "text",
        },
        unit: unit.clone(),
        bounds: bounds_of(f, tr),
        previous: data.previous.and_then(|p| p.get(&f.code)).map(&shown).unwrap_or_default(),
        outlier,
        error,
        comments: data
            .comments
            .iter()
            .filter(|c| c.field_code.as_deref() == Some(f.code.as_str()))
            .map(CommentView::of)
            .collect(),
        saved_by_other,
    }
}

/// The overall comments (not on a field).
pub fn overall_comments(comments: &[Comment]) -> Vec<CommentView> {
    comments.iter().filter(|c| c.field_code.is_none()).map(CommentView::of).collect()
}

/// The inputs of a submitted form, by field code (the prefix removed).
pub fn inputs_from(fields: &[(String, String)], prefix: &str) -> HashMap<String, String> {
    fields.iter().filter_map(|(k, v)| k.strip_prefix(prefix).map(|code| (code.to_owned(), v.clone()))).collect()
}

/// The error summary at the top of a form: (anchor, message) in form order, then the others.
pub fn error_summary(def: &TemplateDef, errors: &[FieldError], tr: &Tr) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in def.fields() {
        for e in errors.iter().filter(|e| e.field == f.code) {
            out.push((
                format!("{INPUT_PREFIX}{}", f.code),
                format!("{}: {}", f.label(tr.lang()), field_message(e, tr)),
            ));
        }
    }
    for e in errors.iter().filter(|e| def.field(&e.field).is_none()) {
        out.push((e.field.clone(), field_message(e, tr)));
    }
    out
}

/// The language's name of a field kind, for the template reference.
pub fn kind_label(tr: &Tr, kind: FieldKind) -> String {
    tr.t(&format!("report-kind-{}", kind.code()))
}

/// The field kinds in the order the reference lists them.
pub fn kinds() -> [FieldKind; 8] {
    FieldKind::ALL
}

/// Whether a language is Vietnamese (templates show Vietnamese examples of typed numbers).
pub fn is_vi(lang: Lang) -> bool {
    lang == Lang::Vi
}
