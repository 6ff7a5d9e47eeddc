//! Cross-field rules of a report form: `spent <= allocated`, `staff_phd + staff_master <= staff_total`,
//! `female <= 0.5 * total + 10`. A rule compares two sums of fields and numbers; it is checked only when
//! every field it names has a value (emptiness is the `required` rule's business).

use std::collections::HashMap;

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `<`
    Less,
    /// `<=`
    LessOrEqual,
    /// `>`
    Greater,
    /// `>=`
    GreaterOrEqual,
    /// `=`
    Equal,
    /// `!=`
    NotEqual,
}

/// An arithmetic expression over fields.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A number.
    Number(f64),
    /// A field, by code.
    Field(String),
    /// Sum.
    Add(Box<Expr>, Box<Expr>),
    /// Difference.
    Sub(Box<Expr>, Box<Expr>),
    /// Product.
    Mul(Box<Expr>, Box<Expr>),
}

/// A parsed rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Left side.
    pub left: Expr,
    /// The comparison.
    pub comparison: Comparison,
    /// Right side.
    pub right: Expr,
}

/// Why a rule did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at character {at})")]
pub struct RuleError {
    /// What is wrong, in English (shown to template authors with the position).
    pub message: String,
    /// The character position.
    pub at: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(f64),
    Ident(String),
    Op(char),
    Cmp(Comparison),
    Open,
    Close,
}

fn tokens(text: &str) -> Result<Vec<(usize, Token)>, RuleError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            let n = s.parse().map_err(|_| RuleError { message: format!("{s:?} is not a number"), at: start })?;
            out.push((start, Token::Number(n)));
            continue;
        }
        if c.is_ascii_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((start, Token::Ident(chars[start..i].iter().collect())));
            continue;
        }
        let next = chars.get(i + 1).copied();
        let (token, len) = match (c, next) {
            ('<', Some('=')) => (Token::Cmp(Comparison::LessOrEqual), 2),
            ('>', Some('=')) => (Token::Cmp(Comparison::GreaterOrEqual), 2),
            ('!', Some('=')) => (Token::Cmp(Comparison::NotEqual), 2),
            ('=', Some('=')) => (Token::Cmp(Comparison::Equal), 2),
            ('<', _) => (Token::Cmp(Comparison::Less), 1),
            ('>', _) => (Token::Cmp(Comparison::Greater), 1),
            ('=', _) => (Token::Cmp(Comparison::Equal), 1),
            ('+' | '-' | '*', _) => (Token::Op(c), 1),
            ('(', _) => (Token::Open, 1),
            (')', _) => (Token::Close, 1),
            _ => return Err(RuleError { message: format!("unexpected {c:?}"), at: start }),
        };
        out.push((start, token));
        i += len;
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    pos: usize,
    len: usize,
}

impl Parser {
    fn at(&self) -> usize {
        self.tokens.get(self.pos).map_or(self.len, |(at, _)| *at)
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(_, t)| t)
    }

    fn expr(&mut self) -> Result<Expr, RuleError> {
        let mut left = self.term()?;
        while let Some(Token::Op(op @ ('+' | '-'))) = self.peek().cloned() {
            self.pos += 1;
            let right = self.term()?;
            left = if op == '+' { Expr::Add(left.into(), right.into()) } else { Expr::Sub(left.into(), right.into()) };
        }
        Ok(left)
    }

    fn term(&mut self) -> Result<Expr, RuleError> {
        let mut left = self.factor()?;
        while let Some(Token::Op('*')) = self.peek() {
            self.pos += 1;
            let right = self.factor()?;
            left = Expr::Mul(left.into(), right.into());
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Expr, RuleError> {
        let at = self.at();
        match self.peek().cloned() {
            Some(Token::Number(n)) => {
                self.pos += 1;
                Ok(Expr::Number(n))
            }
            Some(Token::Ident(name)) => {
                self.pos += 1;
                Ok(Expr::Field(name))
            }
            Some(Token::Open) => {
                self.pos += 1;
                let e = self.expr()?;
                match self.peek() {
                    Some(Token::Close) => {
                        self.pos += 1;
                        Ok(e)
                    }
                    _ => Err(RuleError { message: "a closing parenthesis is missing".into(), at: self.at() }),
                }
            }
            Some(t) => Err(RuleError { message: format!("expected a field or a number, found {t:?}"), at }),
            None => Err(RuleError { message: "the rule ends too early".into(), at }),
        }
    }
}

impl Rule {
    /// Parses `left <comparison> right`.
    pub fn parse(text: &str) -> Result<Rule, RuleError> {
        let mut p = Parser { tokens: tokens(text)?, pos: 0, len: text.chars().count() };
        let left = p.expr()?;
        let at = p.at();
        let Some(Token::Cmp(comparison)) = p.peek().cloned() else {
            return Err(RuleError { message: "a comparison (<=, >=, <, >, =, !=) is expected".into(), at });
        };
        p.pos += 1;
        let right = p.expr()?;
        if p.pos < p.tokens.len() {
            return Err(RuleError { message: "unexpected text after the rule".into(), at: p.at() });
        }
        Ok(Rule { left, comparison, right })
    }

    /// The fields the rule names.
    pub fn fields(&self) -> Vec<String> {
        fn walk(e: &Expr, out: &mut Vec<String>) {
            match e {
                Expr::Field(f) => {
                    if !out.contains(f) {
                        out.push(f.clone());
                    }
                }
                Expr::Number(_) => {}
                Expr::Add(a, b) | Expr::Sub(a, b) | Expr::Mul(a, b) => {
                    walk(a, out);
                    walk(b, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.left, &mut out);
        walk(&self.right, &mut out);
        out
    }

    /// `Some(true)` when the values satisfy the rule, `Some(false)` when not, `None` when a field it names
    /// has no value.
    pub fn check(&self, values: &HashMap<String, f64>) -> Option<bool> {
        fn eval(e: &Expr, values: &HashMap<String, f64>) -> Option<f64> {
            Some(match e {
                Expr::Number(n) => *n,
                Expr::Field(f) => *values.get(f)?,
                Expr::Add(a, b) => eval(a, values)? + eval(b, values)?,
                Expr::Sub(a, b) => eval(a, values)? - eval(b, values)?,
                Expr::Mul(a, b) => eval(a, values)? * eval(b, values)?,
            })
        }
        let (l, r) = (eval(&self.left, values)?, eval(&self.right, values)?);
        // Sums of decimals: compare with a tolerance of a millionth.
        let eps = 1e-6 * l.abs().max(r.abs()).max(1.0);
        Some(match self.comparison {
            Comparison::Less => l < r - eps,
            Comparison::LessOrEqual => l <= r + eps,
            Comparison::Greater => l > r + eps,
            Comparison::GreaterOrEqual => l >= r - eps,
            Comparison::Equal => (l - r).abs() <= eps,
            Comparison::NotEqual => (l - r).abs() > eps,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, f64)]) -> HashMap<String, f64> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
    }

    #[test]
    fn rules_compare_sums_of_fields() {
        let rule = Rule::parse("spent <= allocated").unwrap();
        assert_eq!(rule.check(&values(&[("spent", 90.0), ("allocated", 100.0)])), Some(true));
        assert_eq!(rule.check(&values(&[("spent", 110.0), ("allocated", 100.0)])), Some(false));
        assert_eq!(rule.check(&values(&[("spent", 110.0)])), None, "an empty field is not judged here");
        let sum = Rule::parse("phd + master <= (total)").unwrap();
        assert_eq!(sum.fields(), ["phd", "master", "total"]);
        assert_eq!(sum.check(&values(&[("phd", 3.0), ("master", 5.0), ("total", 7.0)])), Some(false));
        let scaled = Rule::parse("female <= 0.5 * total + 10").unwrap();
        assert_eq!(scaled.check(&values(&[("female", 60.0), ("total", 100.0)])), Some(true));
        assert_eq!(Rule::parse("a = b").unwrap().check(&values(&[("a", 0.1 + 0.2), ("b", 0.3)])), Some(true));
    }

    #[test]
    fn bad_rules_say_where() {
        assert_eq!(Rule::parse("spent allocated").unwrap_err().at, 6);
        assert!(Rule::parse("spent <=").unwrap_err().message.contains("ends too early"));
        assert!(Rule::parse("spent <= (a + b").unwrap_err().message.contains("parenthesis"));
        assert!(Rule::parse("spent <= a ; b").is_err());
        assert!(Rule::parse("chi_tiêu <= a").is_err());
    }
}
