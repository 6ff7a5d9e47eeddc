//! Formulas: a numerator and an optional denominator, each a sum of terms, times a factor, as DHIS2
//! indicators are written (research/peers.md §8). A term is a number, a report field (the code of the
//! report indicator a template field reports into: `KHCN.CHI.THUC`), a module's records (`@st_tasks_approved`)
//! or a number times one of those (`2 * KHCN.NV.NT`); terms are joined by `+` and `-`.
//!
//! `100 * (KHCN.CHI.THUC) / (GRDP)` is written as numerator `KHCN.CHI.THUC`, denominator `GRDP`, factor
//! 100. A formula is parsed once ([`Expr::parse`]), checked against what exists ([`Formula::check`]:
//! unknown fields and sources, a denominator that is a constant zero) and evaluated per year and unit
//! ([`Formula::evaluate`]): a denominator that is zero for a unit gives no value, with that reason, never 0
//! or infinity.

use std::fmt;

use super::source::Source;

/// What a term reads.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A number.
    Const(f64),
    /// A report field: the code of the report indicator it reports into.
    Field(String),
    /// A module's records.
    Source(Source),
}

/// A term: a coefficient times an operand.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The coefficient, with the sign of the term.
    pub coefficient: f64,
    /// What is read.
    pub operand: Operand,
}

/// A sum of terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// The terms, at least one.
    pub terms: Vec<Term>,
}

/// How a province's figure is formed from its units' when the indicator is reported by unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OverUnits {
    /// The formula over the province's totals (a ratio of sums).
    Total,
    /// The mean of each unit's figure (each unit weighs the same).
    Average,
}

impl OverUnits {
    /// Every rule.
    pub const ALL: [OverUnits; 2] = [OverUnits::Total, OverUnits::Average];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            OverUnits::Total => "total",
            OverUnits::Average => "average",
        }
    }

    /// The rule of a code.
    pub fn parse(code: &str) -> Option<OverUnits> {
        OverUnits::ALL.into_iter().find(|o| o.code() == code)
    }
}

/// A computed indicator's definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    /// Above the line.
    pub numerator: Expr,
    /// Below the line; `None` for a plain sum.
    pub denominator: Option<Expr>,
    /// What the quotient is multiplied by (100 for a percentage).
    pub factor: f64,
    /// How the province's figure comes from its units'.
    pub over_units: OverUnits,
}

/// A problem of a formula, with the field it is in (`numerator`, `denominator`, `factor`) and a stable
/// code: `formula_syntax`, `formula_unknown_field`, `unknown_source`, `zero_denominator`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormulaError {
    /// The part of the formula.
    pub field: &'static str,
    /// The stable code.
    pub code: &'static str,
    /// What is at fault (the name, or the text near a syntax error).
    pub name: String,
}

/// Why a figure has no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoValue {
    /// The denominator is zero for this unit and year.
    ZeroDenominator,
    /// These report fields have no approved value for this unit and year.
    Missing(Vec<String>),
    /// Nothing typed for this year.
    NotRecorded,
    /// Not one unit has a value (an average over units).
    NoUnit,
}

impl NoValue {
    /// The stable code of the reason.
    pub fn code(&self) -> &'static str {
        match self {
            NoValue::ZeroDenominator => "zero_denominator",
            NoValue::Missing(_) => "missing_values",
            NoValue::NotRecorded => "not_recorded",
            NoValue::NoUnit => "no_unit",
        }
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

impl Expr {
    /// Parses `a + 2 * b - 3`. The error is the text from where it could not go on.
    pub fn parse(text: &str) -> Result<Expr, String> {
        let s = text.trim();
        if s.is_empty() {
            return Err(String::new());
        }
        let chars: Vec<char> = s.chars().collect();
        let mut i = 0;
        let mut terms = Vec::new();
        let rest = |i: usize| chars[i.min(chars.len())..].iter().collect::<String>();
        let skip = |i: &mut usize| {
            while *i < chars.len() && chars[*i].is_whitespace() {
                *i += 1;
            }
        };
        let mut first = true;
        loop {
            skip(&mut i);
            let mut sign = 1.0;
            if !first || (i < chars.len() && matches!(chars[i], '+' | '-')) {
                match chars.get(i) {
                    Some('+') => i += 1,
                    Some('-') => {
                        sign = -1.0;
                        i += 1
                    }
                    _ => return Err(rest(i)),
                }
                skip(&mut i);
            }
            first = false;
            let (mut coefficient, mut operand) = (sign, None);
            // A number, possibly followed by `* name`.
            if chars.get(i).is_some_and(|c| c.is_ascii_digit()) {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let n: f64 = chars[start..i].iter().collect::<String>().parse().map_err(|_| rest(start))?;
                skip(&mut i);
                if chars.get(i) == Some(&'*') {
                    i += 1;
                    skip(&mut i);
                    coefficient *= n;
                } else {
                    operand = Some(Operand::Const(n));
                }
            }
            if operand.is_none() {
                let at = chars.get(i) == Some(&'@');
                let start = if at { i + 1 } else { i };
                let mut end = start;
                while end < chars.len() && is_name_char(chars[end]) {
                    end += 1;
                }
                if end == start || !chars[start].is_ascii_alphabetic() {
                    return Err(rest(i));
                }
                let name: String = chars[start..end].iter().collect();
                operand = Some(if at {
                    match Source::parse(&name) {
                        Some(s) => Operand::Source(s),
                        None => return Err(format!("@{name}")),
                    }
                } else {
                    Operand::Field(name)
                });
                i = end;
            }
            terms.push(Term { coefficient, operand: operand.unwrap_or(Operand::Const(0.0)) });
            skip(&mut i);
            if i >= chars.len() {
                break;
            }
        }
        Ok(Expr { terms })
    }

    /// The report fields named, in order, once each.
    pub fn fields(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for t in &self.terms {
            if let Operand::Field(f) = &t.operand
                && !out.contains(&f.as_str())
            {
                out.push(f);
            }
        }
        out
    }

    /// The sources named, in order, once each.
    pub fn sources(&self) -> Vec<Source> {
        let mut out = Vec::new();
        for t in &self.terms {
            if let Operand::Source(s) = t.operand
                && !out.contains(&s)
            {
                out.push(s);
            }
        }
        out
    }

    /// The value when every term is a constant.
    pub fn constant(&self) -> Option<f64> {
        self.terms
            .iter()
            .map(|t| match t.operand {
                Operand::Const(c) => Some(t.coefficient * c),
                _ => None,
            })
            .sum()
    }

    /// The value, each operand read by `read`; the fields without a value when some are missing.
    pub fn evaluate(&self, read: &impl Fn(&Operand) -> Option<f64>) -> Result<f64, Vec<String>> {
        let mut total = 0.0;
        let mut missing = Vec::new();
        for t in &self.terms {
            let v = match &t.operand {
                Operand::Const(c) => Some(*c),
                other => read(other),
            };
            match v {
                Some(v) => total += t.coefficient * v,
                None => {
                    let name = match &t.operand {
                        Operand::Field(f) => f.clone(),
                        Operand::Source(s) => format!("@{}", s.code()),
                        Operand::Const(_) => String::new(),
                    };
                    if !missing.contains(&name) {
                        missing.push(name);
                    }
                }
            }
        }
        if missing.is_empty() { Ok(total) } else { Err(missing) }
    }
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, t) in self.terms.iter().enumerate() {
            let (sign, magnitude) = if t.coefficient < 0.0 { ("-", -t.coefficient) } else { ("+", t.coefficient) };
            if i > 0 {
                write!(f, " {sign} ")?;
            } else if sign == "-" {
                write!(f, "-")?;
            }
            match &t.operand {
                Operand::Const(c) => write!(f, "{}", number(magnitude * c))?,
                other => {
                    if magnitude != 1.0 {
                        write!(f, "{} * ", number(magnitude))?;
                    }
                    match other {
                        Operand::Field(name) => write!(f, "{name}")?,
                        Operand::Source(s) => write!(f, "@{}", s.code())?,
                        Operand::Const(_) => {}
                    }
                }
            }
        }
        Ok(())
    }
}

impl Formula {
    /// Parses the parts of a formula as typed, every problem at once. The factor must be a finite number
    /// other than zero.
    pub fn parse(
        numerator: &str,
        denominator: &str,
        factor: f64,
        over_units: OverUnits,
    ) -> Result<Formula, Vec<FormulaError>> {
        let mut errors = Vec::new();
        let mut part = |field: &'static str, text: &str, required: bool| -> Option<Expr> {
            if text.trim().is_empty() {
                if required {
                    errors.push(FormulaError { field, code: "required", name: String::new() });
                }
                return None;
            }
            match Expr::parse(text) {
                Ok(e) => Some(e),
                Err(near) if near.starts_with('@') => {
                    errors.push(FormulaError { field, code: "unknown_source", name: near });
                    None
                }
                Err(near) => {
                    errors.push(FormulaError { field, code: "formula_syntax", name: near });
                    None
                }
            }
        };
        let num = part("numerator", numerator, true);
        let den = part("denominator", denominator, false);
        if !factor.is_finite() || factor == 0.0 {
            errors.push(FormulaError { field: "factor", code: "invalid", name: number(factor) });
        }
        if let Some(d) = &den
            && d.constant() == Some(0.0)
        {
            errors.push(FormulaError { field: "denominator", code: "zero_denominator", name: d.to_string() });
        }
        match num {
            Some(numerator) if errors.is_empty() => Ok(Formula { numerator, denominator: den, factor, over_units }),
            _ => Err(errors),
        }
    }

    /// The fields that `known` does not know, as `formula_unknown_field` problems (a field no template has).
    pub fn check(&self, known: impl Fn(&str) -> bool) -> Vec<FormulaError> {
        let mut out = Vec::new();
        for (field, expr) in [("numerator", Some(&self.numerator)), ("denominator", self.denominator.as_ref())] {
            for name in expr.map(Expr::fields).unwrap_or_default() {
                if !known(name) {
                    out.push(FormulaError { field, code: "formula_unknown_field", name: name.to_owned() });
                }
            }
        }
        out
    }

    /// Every report field named.
    pub fn fields(&self) -> Vec<&str> {
        let mut out = self.numerator.fields();
        for f in self.denominator.as_ref().map(Expr::fields).unwrap_or_default() {
            if !out.contains(&f) {
                out.push(f);
            }
        }
        out
    }

    /// Every source named.
    pub fn sources(&self) -> Vec<Source> {
        let mut out = self.numerator.sources();
        for s in self.denominator.as_ref().map(Expr::sources).unwrap_or_default() {
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }

    /// The figure from the operands' values: `factor × numerator / denominator`. A denominator of zero
    /// gives [`NoValue::ZeroDenominator`], a field without a value [`NoValue::Missing`].
    pub fn evaluate(&self, read: &impl Fn(&Operand) -> Option<f64>) -> Result<Evaluated, NoValue> {
        let numerator = self.numerator.evaluate(read);
        let denominator = self.denominator.as_ref().map(|d| d.evaluate(read));
        let mut missing = numerator.as_ref().err().cloned().unwrap_or_default();
        if let Some(Err(m)) = &denominator {
            missing.extend(m.iter().filter(|n| !missing.contains(n)).cloned().collect::<Vec<_>>());
        }
        if !missing.is_empty() {
            return Err(NoValue::Missing(missing));
        }
        let n = numerator.unwrap_or_default();
        match denominator {
            Some(Ok(0.0)) => Err(NoValue::ZeroDenominator),
            Some(Ok(d)) => Ok(Evaluated { value: self.factor * n / d, numerator: n, denominator: Some(d) }),
            _ => Ok(Evaluated { value: self.factor * n, numerator: n, denominator: None }),
        }
    }
}

/// A figure with its parts, for the arithmetic shown under it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluated {
    /// The figure.
    pub value: f64,
    /// The numerator's value.
    pub numerator: f64,
    /// The denominator's value.
    pub denominator: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn f(num: &str, den: &str, factor: f64) -> Result<Formula, Vec<FormulaError>> {
        Formula::parse(num, den, factor, OverUnits::Total)
    }

    #[test]
    fn terms_are_numbers_fields_sources_and_products() {
        let e = Expr::parse("KHCN.CHI.THUC + 2 * KHCN.NV.NT - @st_tasks_approved - 3").unwrap();
        assert_eq!(e.terms.len(), 4);
        assert_eq!(e.terms[1], Term { coefficient: 2.0, operand: Operand::Field("KHCN.NV.NT".into()) });
        assert_eq!(e.terms[2], Term { coefficient: -1.0, operand: Operand::Source(Source::StTasksApproved) });
        assert_eq!(e.terms[3], Term { coefficient: -1.0, operand: Operand::Const(3.0) });
        assert_eq!(e.to_string(), "KHCN.CHI.THUC + 2 * KHCN.NV.NT - @st_tasks_approved - 3");
        assert_eq!(Expr::parse("-x").unwrap().to_string(), "-x");
    }

    #[test]
    fn bad_syntax_is_refused_with_where_it_stopped() {
        assert_eq!(Expr::parse("a + + b"), Err("+ b".to_owned()));
        assert_eq!(Expr::parse("a b"), Err("b".to_owned()));
        assert_eq!(Expr::parse("a / b"), Err("/ b".to_owned()));
        assert_eq!(Expr::parse("@nothing"), Err("@nothing".to_owned()));
        let errors = f("a +", "", 1.0).unwrap_err();
        assert_eq!(errors[0].code, "formula_syntax");
    }

    #[test]
    fn a_denominator_that_is_a_constant_zero_is_refused() {
        let errors = f("a", "0", 100.0).unwrap_err();
        assert_eq!(errors, vec![FormulaError { field: "denominator", code: "zero_denominator", name: "0".into() }]);
        let errors = f("a", "2 - 2", 100.0).unwrap_err();
        assert_eq!(errors[0].code, "zero_denominator");
        assert!(f("a", "2 - 1", 100.0).is_ok());
        assert!(f("a", "b - 2", 100.0).is_ok(), "zero only for some units: a value-time reason, not a refusal");
    }

    #[test]
    fn unknown_fields_and_sources_are_named() {
        let formula = f("a + b", "c", 1.0).unwrap();
        let errors = formula.check(|name| name == "a");
        assert_eq!(
            errors.iter().map(|e| (e.field, e.name.as_str())).collect::<Vec<_>>(),
            [("numerator", "b"), ("denominator", "c")]
        );
        let errors = f("@certified_enterprise", "", 1.0).unwrap_err();
        assert_eq!(errors[0].code, "unknown_source");
        assert_eq!(f("", "", 1.0).unwrap_err()[0].code, "required");
        assert_eq!(f("a", "", 0.0).unwrap_err()[0].field, "factor");
    }

    #[test]
    fn a_zero_denominator_for_a_unit_is_no_value_never_zero_or_infinity() {
        let formula = f("a", "b", 100.0).unwrap();
        let read = |a: f64, b: f64| {
            move |o: &Operand| match o {
                Operand::Field(n) if n == "a" => Some(a),
                Operand::Field(n) if n == "b" => Some(b),
                _ => None,
            }
        };
        assert_eq!(formula.evaluate(&read(3.0, 0.0)), Err(NoValue::ZeroDenominator));
        assert_eq!(formula.evaluate(&read(0.0, 0.0)), Err(NoValue::ZeroDenominator));
        assert_eq!(formula.evaluate(&read(3.0, 12.0)).map(|e| e.value), Ok(25.0));
        let missing = f("a + z", "b", 1.0).unwrap().evaluate(&read(1.0, 1.0));
        assert_eq!(missing, Err(NoValue::Missing(vec!["z".into()])));
    }

    fn name() -> impl Strategy<Value = String> {
        "[A-Z][A-Z0-9_.]{0,8}"
    }

    fn term() -> impl Strategy<Value = Term> {
        let operand = prop_oneof![
            (0u32..1000).prop_map(|n| Operand::Const(f64::from(n))),
            name().prop_map(Operand::Field),
            (0..Source::ALL.len()).prop_map(|i| Operand::Source(Source::ALL[i])),
        ];
        (prop_oneof![Just(1.0f64), Just(-1.0f64), Just(2.0f64), Just(-3.0f64)], operand).prop_map(|(c, operand)| {
            match operand {
                Operand::Const(n) => Term { coefficient: c.signum(), operand: Operand::Const(n * c.abs()) },
                other => Term { coefficient: c, operand: other },
            }
        })
    }

    proptest! {
        #[test]
        fn a_written_expression_parses_back_to_itself(terms in prop::collection::vec(term(), 1..6)) {
            let expr = Expr { terms };
            let text = expr.to_string();
            let back = Expr::parse(&text).unwrap();
            prop_assert_eq!(back.to_string(), text);
            let read = |o: &Operand| match o { Operand::Field(n) => Some(n.len() as f64), Operand::Source(_) => Some(7.0), Operand::Const(c) => Some(*c) };
            prop_assert_eq!(back.evaluate(&read), expr.evaluate(&read));
        }

        #[test]
        fn a_ratio_is_never_infinite(a in -1e9f64..1e9, b in -1e3f64..1e3) {
            let formula = Formula::parse("a", "b", 100.0, OverUnits::Total).unwrap();
            let read = |o: &Operand| match o { Operand::Field(n) if n == "a" => Some(a), _ => Some(b) };
            match formula.evaluate(&read) {
                Ok(e) => prop_assert!(e.value.is_finite()),
                Err(reason) => prop_assert_eq!(reason, NoValue::ZeroDenominator),
            }
        }
    }
}
