//! Report templates: a definition written in TOML by an administrator (sections of typed fields bound to
//! indicators, validation rules, periodicity, due-date rule), checked before it is saved, and the
//! validation of a filled report against it.
//!
//! ```toml
//! code = "KHCN-NAM"
//! name = "Báo cáo thống kê khoa học và công nghệ hằng năm"
//! periodicity = "yearly"
//! due_days = 32            # due 32 days after the period ends (01/02 for a year)
//!
//! [[indicator]]
//! code = "KHCN.NL.TONG"
//! name = "Tổng số nhân lực KH&CN"
//! unit = "người"
//! aggregate = "sum"        # sum | average | latest | ratio (numerator, denominator)
//!
//! [[section]]
//! title = "Nhân lực"
//! [[section.field]]
//! code = "staff_total"
//! label = "Tổng số nhân lực KH&CN"
//! type = "integer"
//! required = true
//! min = 0
//! indicator = "KHCN.NL.TONG"
//!
//! [[rule]]
//! check = "staff_phd <= staff_total"
//! message = "Số tiến sĩ không vượt tổng số nhân lực."
//! ```

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::aggregate::Aggregation;
use super::field::{self, FieldKind, Value};
use super::period::Periodicity;
use super::rule::Rule;
use crate::lang::Lang;

/// A template as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateDef {
    /// Stable code, kept across versions (`KHCN-NAM`).
    pub code: String,
    /// Name in Vietnamese.
    pub name: String,
    /// Name in English.
    #[serde(default)]
    pub name_en: Option<String>,
    /// How often it is due.
    pub periodicity: Periodicity,
    /// Days after the period ends by which it is due.
    pub due_days: u32,
    /// The indicators the fields feed.
    #[serde(default, rename = "indicator")]
    pub indicators: Vec<IndicatorDef>,
    /// The sections, in order.
    #[serde(rename = "section")]
    pub sections: Vec<SectionDef>,
    /// Cross-field rules.
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleDef>,
}

/// An indicator: what a number means, and how it adds up over units and over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDef {
    /// Stable code (`KHCN.NL.TONG`), shared by every template that reports it.
    pub code: String,
    /// Name in Vietnamese.
    pub name: String,
    /// Name in English.
    #[serde(default)]
    pub name_en: Option<String>,
    /// Unit of measure (`người`, `triệu đồng`, `%`).
    #[serde(default)]
    pub unit: String,
    /// How values combine.
    pub aggregate: AggregateCode,
    /// For a ratio: the indicator above the line.
    #[serde(default)]
    pub numerator: Option<String>,
    /// For a ratio: the indicator below the line.
    #[serde(default)]
    pub denominator: Option<String>,
}

/// The aggregation rule as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AggregateCode {
    /// Added up.
    Sum,
    /// Averaged.
    Average,
    /// The latest period's (over time), added up over units.
    Latest,
    /// The ratio of two other indicators' sums.
    Ratio,
}

impl IndicatorDef {
    /// The aggregation rule.
    pub fn aggregation(&self) -> Aggregation {
        match self.aggregate {
            AggregateCode::Sum => Aggregation::Sum,
            AggregateCode::Average => Aggregation::Average,
            AggregateCode::Latest => Aggregation::Latest,
            AggregateCode::Ratio => Aggregation::Ratio {
                numerator: self.numerator.clone().unwrap_or_default(),
                denominator: self.denominator.clone().unwrap_or_default(),
            },
        }
    }
}

/// A section of the form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionDef {
    /// Title in Vietnamese.
    pub title: String,
    /// Title in English.
    #[serde(default)]
    pub title_en: Option<String>,
    /// The fields.
    #[serde(rename = "field")]
    pub fields: Vec<FieldDef>,
}

/// A field of the form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// Stable code, unique in the template (`staff_total`).
    pub code: String,
    /// Label in Vietnamese.
    pub label: String,
    /// Label in English.
    #[serde(default)]
    pub label_en: Option<String>,
    /// The type.
    #[serde(rename = "type")]
    pub kind: FieldKind,
    /// Whether a value is needed to submit.
    #[serde(default)]
    pub required: bool,
    /// Smallest number allowed.
    #[serde(default)]
    pub min: Option<f64>,
    /// Largest number allowed.
    #[serde(default)]
    pub max: Option<f64>,
    /// A regular expression a text must match (whole text).
    #[serde(default)]
    pub pattern: Option<String>,
    /// What the pattern means, for the error message ("10 chữ số").
    #[serde(default)]
    pub pattern_hint: Option<String>,
    /// The choices of a choice field.
    #[serde(default)]
    pub choices: Vec<String>,
    /// The indicator the value feeds.
    #[serde(default)]
    pub indicator: Option<String>,
    /// Help shown under the field.
    #[serde(default)]
    pub help: Option<String>,
    /// Help in English.
    #[serde(default)]
    pub help_en: Option<String>,
}

/// A cross-field rule with its message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// The rule (`spent <= allocated`).
    pub check: String,
    /// The message when it fails, in Vietnamese.
    pub message: String,
    /// In English.
    #[serde(default)]
    pub message_en: Option<String>,
}

/// A problem with a template definition, with the line it is on (1-based) when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionProblem {
    /// The line, when known.
    pub line: Option<usize>,
    /// What is wrong (English; template authors see it with the line).
    pub message: String,
}

impl FieldDef {
    /// The label in a language.
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => self.label_en.as_deref().unwrap_or(&self.label),
            Lang::Vi => &self.label,
        }
    }

    /// The help text in a language.
    pub fn help(&self, lang: Lang) -> Option<&str> {
        match lang {
            Lang::En => self.help_en.as_deref().or(self.help.as_deref()),
            Lang::Vi => self.help.as_deref(),
        }
    }
}

impl SectionDef {
    /// The title in a language.
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => self.title_en.as_deref().unwrap_or(&self.title),
            Lang::Vi => &self.title,
        }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The line where `needle` (a field code in quotes, say) first appears.
fn line_of_text(text: &str, needle: &str) -> Option<usize> {
    text.find(needle).map(|at| line_of(text, at))
}

fn code_ok(code: &str) -> bool {
    !code.is_empty()
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !code.starts_with(|c: char| c.is_ascii_digit())
}

impl TemplateDef {
    /// Parses and checks a definition: the TOML itself, unique field codes, known indicators and types,
    /// bounds, patterns, rules that name numeric fields of this template, ratios that name indicators.
    pub fn parse(text: &str) -> Result<TemplateDef, Vec<DefinitionProblem>> {
        let def: TemplateDef = toml::from_str(text).map_err(|e| {
            vec![DefinitionProblem { line: e.span().map(|s| line_of(text, s.start)), message: e.message().to_owned() }]
        })?;
        let mut problems = Vec::new();
        let mut problem = |needle: &str, message: String| {
            problems.push(DefinitionProblem { line: line_of_text(text, needle), message });
        };
        if def.code.trim().is_empty() || def.code.len() > 40 || def.code.contains(char::is_whitespace) {
            problem("code", "the template code must be 1 to 40 characters without spaces".into());
        }
        if def.name.trim().is_empty() {
            problem("name", "the template needs a name".into());
        }
        if def.due_days > 366 {
            problem("due_days", "due_days must be at most 366".into());
        }
        if def.sections.is_empty() {
            problem("[[section]]", "the template needs at least one section".into());
        }
        let indicators: HashMap<&str, &IndicatorDef> = def.indicators.iter().map(|i| (i.code.as_str(), i)).collect();
        if indicators.len() != def.indicators.len() {
            problem("[[indicator]]", "two indicators have the same code".into());
        }
        for ind in &def.indicators {
            if ind.aggregate == AggregateCode::Ratio {
                for part in [&ind.numerator, &ind.denominator] {
                    match part {
                        Some(code) if indicators.contains_key(code.as_str()) && code != &ind.code => {}
                        Some(code) => problem(
                            &format!("\"{code}\""),
                            format!(
                                "the ratio {} names {code}, which is not another indicator of this template",
                                ind.code
                            ),
                        ),
                        None => problem(
                            &format!("\"{}\"", ind.code),
                            format!("the ratio {} needs a numerator and a denominator", ind.code),
                        ),
                    }
                }
            }
        }
        let mut seen = HashSet::new();
        let mut numeric = HashSet::new();
        for field in def.fields() {
            let quoted = format!("\"{}\"", field.code);
            if !code_ok(&field.code) {
                problem(
                    &quoted,
                    format!(
                        "the field code {:?} must be letters, digits and _ (not starting with a digit)",
                        field.code
                    ),
                );
            }
            if !seen.insert(field.code.as_str()) {
                problem(&quoted, format!("two fields have the code {}", field.code));
            }
            if field.label.trim().is_empty() {
                problem(&quoted, format!("the field {} needs a label", field.code));
            }
            if field.kind.is_numeric() {
                numeric.insert(field.code.as_str());
            }
            if let (Some(min), Some(max)) = (field.min, field.max)
                && min > max
            {
                problem(&quoted, format!("the field {} has min {min} above max {max}", field.code));
            }
            if (field.min.is_some() || field.max.is_some()) && !field.kind.is_numeric() {
                problem(&quoted, format!("min and max apply to numbers; {} is {}", field.code, field.kind.code()));
            }
            if let Some(p) = &field.pattern {
                if field.kind != FieldKind::Text {
                    problem(&quoted, format!("a pattern applies to text; {} is {}", field.code, field.kind.code()));
                } else if let Err(e) = regex::Regex::new(p) {
                    problem(&quoted, format!("the pattern of {} is not a regular expression: {e}", field.code));
                }
            }
            if field.kind == FieldKind::Choice && field.choices.len() < 2 {
                problem(&quoted, format!("the choice field {} needs at least two choices", field.code));
            }
            if let Some(ind) = &field.indicator {
                if !indicators.contains_key(ind.as_str()) {
                    problem(
                        &format!("\"{ind}\""),
                        format!("the field {} feeds {ind}, which is not an [[indicator]] of this template", field.code),
                    );
                } else if !field.kind.is_numeric() {
                    problem(&quoted, format!("only numbers feed indicators; {} is {}", field.code, field.kind.code()));
                }
            }
        }
        for rule in &def.rules {
            match Rule::parse(&rule.check) {
                Ok(parsed) => {
                    for f in parsed.fields() {
                        if !numeric.contains(f.as_str()) {
                            problem(
                                &rule.check,
                                format!(
                                    "the rule {:?} names {f}, which is not a number field of this template",
                                    rule.check
                                ),
                            );
                        }
                    }
                }
                Err(e) => problem(&rule.check, format!("the rule {:?}: {e}", rule.check)),
            }
        }
        if problems.is_empty() { Ok(def) } else { Err(problems) }
    }

    /// Every field, in form order.
    pub fn fields(&self) -> impl Iterator<Item = &FieldDef> {
        self.sections.iter().flat_map(|s| s.fields.iter())
    }

    /// A field by code.
    pub fn field(&self, code: &str) -> Option<&FieldDef> {
        self.fields().find(|f| f.code == code)
    }

    /// The name in a language.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => self.name_en.as_deref().unwrap_or(&self.name),
            Lang::Vi => &self.name,
        }
    }

    /// An indicator by code.
    pub fn indicator(&self, code: &str) -> Option<&IndicatorDef> {
        self.indicators.iter().find(|i| i.code == code)
    }

    /// The day a report for `period` is due: `due_days` after the period's last day.
    pub fn due_on(&self, period: super::period::Period) -> chrono::NaiveDate {
        period.end() + chrono::Duration::days(i64::from(self.due_days))
    }
}

impl IndicatorDef {
    /// The name in a language.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => self.name_en.as_deref().unwrap_or(&self.name),
            Lang::Vi => &self.name,
        }
    }
}

/// A problem with a filled report: the field (empty for a rule naming several) and a stable code, with the
/// arguments of its message.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueProblem {
    /// The field code; for a cross-field rule, the first field it names.
    pub field: String,
    /// `required`, `not_a_number`, `below_min`, `above_max`, `pattern`, `rule`, …
    pub code: &'static str,
    /// Message arguments (`min`, `max`, `hint`, `message`).
    pub args: Vec<(&'static str, String)>,
}

/// Reads the typed inputs of a report: the values that parsed, and every problem (unparsable input,
/// bounds, patterns; with `for_submission`, the required fields and the cross-field rules too). Typed input
/// that does not parse is never turned into a value.
pub fn read_values(
    def: &TemplateDef,
    inputs: &HashMap<String, String>,
    for_submission: bool,
    lang: Lang,
) -> (HashMap<String, Value>, Vec<ValueProblem>) {
    let mut values = HashMap::new();
    let mut problems = Vec::new();
    for f in def.fields() {
        let input = inputs.get(&f.code).map(String::as_str).unwrap_or("");
        match field::parse(f.kind, &f.choices, input) {
            Err(e) => problems.push(ValueProblem { field: f.code.clone(), code: e.code(), args: Vec::new() }),
            Ok(None) => {
                if for_submission && f.required {
                    problems.push(ValueProblem { field: f.code.clone(), code: "required", args: Vec::new() });
                }
            }
            Ok(Some(v)) => {
                if let Some(n) = v.number() {
                    let show = |x: f64| crate::fmt::decimal(x, 4, lang);
                    if let Some(min) = f.min.filter(|m| n < *m) {
                        problems.push(ValueProblem {
                            field: f.code.clone(),
                            code: "below_min",
                            args: vec![("min", show(min))],
                        });
                    }
                    if let Some(max) = f.max.filter(|m| n > *m) {
                        problems.push(ValueProblem {
                            field: f.code.clone(),
                            code: "above_max",
                            args: vec![("max", show(max))],
                        });
                    }
                }
                if let (Value::Text(t), Some(p)) = (&v, &f.pattern)
                    && regex::Regex::new(&format!("^(?:{p})$")).is_ok_and(|re| !re.is_match(t))
                {
                    let hint = f.pattern_hint.clone().unwrap_or_else(|| p.clone());
                    problems.push(ValueProblem { field: f.code.clone(), code: "pattern", args: vec![("hint", hint)] });
                }
                values.insert(f.code.clone(), v);
            }
        }
    }
    if for_submission {
        let numbers: HashMap<String, f64> =
            values.iter().filter_map(|(k, v)| v.number().map(|n| (k.clone(), n))).collect();
        for r in &def.rules {
            let Ok(rule) = Rule::parse(&r.check) else { continue };
            if rule.check(&numbers) == Some(false) {
                let message = match lang {
                    Lang::En => r.message_en.clone().unwrap_or_else(|| r.message.clone()),
                    Lang::Vi => r.message.clone(),
                };
                let field = rule.fields().into_iter().next().unwrap_or_default();
                problems.push(ValueProblem { field, code: "rule", args: vec![("message", message)] });
            }
        }
    }
    (values, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const SAMPLE: &str = r#"
code = "KHCN-NAM"
name = "Báo cáo thống kê KH&CN hằng năm"
periodicity = "yearly"
due_days = 32

[[indicator]]
code = "NL.TONG"
name = "Tổng số nhân lực"
unit = "người"
aggregate = "sum"

[[indicator]]
code = "CP.CAP"
name = "Kinh phí được cấp"
unit = "đồng"
aggregate = "sum"

[[indicator]]
code = "CP.CHI"
name = "Kinh phí đã chi"
unit = "đồng"
aggregate = "sum"

[[indicator]]
code = "CP.TYLE"
name = "Tỷ lệ giải ngân"
unit = "%"
aggregate = "ratio"
numerator = "CP.CHI"
denominator = "CP.CAP"

[[section]]
title = "Nhân lực"
[[section.field]]
code = "staff_total"
label = "Tổng số nhân lực KH&CN"
type = "integer"
required = true
min = 0
indicator = "NL.TONG"
[[section.field]]
code = "staff_phd"
label = "Trong đó: tiến sĩ"
type = "integer"
min = 0

[[section]]
title = "Kinh phí"
[[section.field]]
code = "allocated"
label = "Kinh phí được cấp"
type = "money"
indicator = "CP.CAP"
[[section.field]]
code = "spent"
label = "Kinh phí đã chi"
type = "money"
indicator = "CP.CHI"
[[section.field]]
code = "tax_code"
label = "Mã số thuế"
type = "text"
pattern = "[0-9]{10}"
pattern_hint = "10 chữ số"

[[rule]]
check = "staff_phd <= staff_total"
message = "Số tiến sĩ không vượt tổng số nhân lực."
[[rule]]
check = "spent <= allocated"
message = "Kinh phí đã chi không vượt kinh phí được cấp."
message_en = "Spending cannot exceed the allocation."
"#;

    fn inputs(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn a_sound_definition_parses() {
        let def = TemplateDef::parse(SAMPLE).unwrap();
        assert_eq!(def.fields().count(), 5);
        assert_eq!(
            def.indicators[3].aggregation(),
            Aggregation::Ratio { numerator: "CP.CHI".into(), denominator: "CP.CAP".into() }
        );
    }

    #[test]
    fn a_yearly_report_is_due_days_after_the_year_ends() {
        let def = TemplateDef::parse(SAMPLE).unwrap();
        let due = def.due_on(super::super::period::Period::Year(2024));
        assert_eq!(due, chrono::NaiveDate::from_ymd_opt(2025, 2, 1).unwrap());
        assert_eq!(def.indicator("CP.TYLE").map(|i| i.name(Lang::En)), Some("Tỷ lệ giải ngân"));
    }

    #[test]
    fn definition_mistakes_are_named_with_their_line() {
        let typo =
            SAMPLE.replace("type = \"money\"\nindicator = \"CP.CHI\"", "type = \"monney\"\nindicator = \"CP.CHI\"");
        let problems = TemplateDef::parse(&typo).unwrap_err();
        assert!(problems[0].message.contains("monney") && problems[0].line.is_some(), "{problems:?}");
        let rule = SAMPLE.replace("spent <= allocated", "spent <= budget");
        let problems = TemplateDef::parse(&rule).unwrap_err();
        assert!(problems.iter().any(|p| p.message.contains("budget")), "{problems:?}");
        let twice = SAMPLE.replace("code = \"staff_phd\"", "code = \"staff_total\"");
        assert!(TemplateDef::parse(&twice).unwrap_err().iter().any(|p| p.message.contains("two fields")));
        let unknown = SAMPLE.replace("indicator = \"NL.TONG\"", "indicator = \"NL.TOTAL\"");
        let problems = TemplateDef::parse(&unknown).unwrap_err();
        assert!(problems.iter().any(|p| p.message.contains("NL.TOTAL") && p.line == Some(41)), "{problems:?}");
    }

    #[test]
    fn a_filled_report_is_checked_field_by_field_and_by_rule() {
        let def = TemplateDef::parse(SAMPLE).unwrap();
        let (values, problems) = read_values(
            &def,
            &inputs(&[
                ("staff_total", "N/A"),
                ("staff_phd", "-2"),
                ("allocated", "100.000.000"),
                ("spent", "120.000.000 đ"),
                ("tax_code", "57999"),
            ]),
            true,
            Lang::Vi,
        );
        let codes: Vec<(&str, &str)> = problems.iter().map(|p| (p.field.as_str(), p.code)).collect();
        assert!(codes.contains(&("staff_total", "not_a_number")), "{codes:?}");
        assert!(codes.contains(&("staff_phd", "below_min")));
        assert!(codes.contains(&("tax_code", "pattern")));
        assert!(codes.contains(&("spent", "rule")));
        assert!(!values.contains_key("staff_total"), "N/A is never stored");
        let rule = problems.iter().find(|p| p.code == "rule").unwrap();
        assert_eq!(rule.args[0].1, "Kinh phí đã chi không vượt kinh phí được cấp.");
        // A draft keeps what parsed and does not demand the required fields or the rules.
        let (_, draft) =
            read_values(&def, &inputs(&[("spent", "120.000.000"), ("allocated", "100.000.000")]), false, Lang::Vi);
        assert!(draft.is_empty(), "{draft:?}");
    }
}
