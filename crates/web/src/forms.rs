//! HTML forms: URL encoding, the fields carried over an interruption (sign-in, expired form), and field
//! errors for re-rendering a form with the user's input kept.

pub mod fields;

use std::collections::BTreeMap;

use axum::body::Body;
use http_body_util::BodyExt;

use crate::error::FieldError;
use crate::errors_render::field_message;
use tiendo_app::i18n::Tr;

/// Percent-encodes a string for a query parameter or a form value.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(char::from(b)),
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// Decodes `application/x-www-form-urlencoded` pairs.
pub fn parse_urlencoded(body: &[u8]) -> Vec<(String, String)> {
    fn decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                        Ok(v) => {
                            out.push(v);
                            i += 2;
                        }
                        Err(_) => out.push(b'%'),
                    }
                }
                other => out.push(other),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    std::str::from_utf8(body)
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

/// Whether a field holds a secret that must never be echoed back into a page.
pub fn is_secret_field(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "_csrf" || n.contains("password") || n.contains("mat_khau") || n.contains("token")
}

/// The largest form body carried over an interruption.
const CARRY_LIMIT: usize = 1024 * 1024;

/// Reads a form body and keeps the fields to carry over (all but secrets).
pub async fn carry_fields(body: Body) -> Vec<(String, String)> {
    let Ok(collected) = http_body_util::Limited::new(body, CARRY_LIMIT).collect().await else { return Vec::new() };
    parse_urlencoded(&collected.to_bytes()).into_iter().filter(|(k, _)| !is_secret_field(k)).collect()
}

/// Field errors of a form, already translated, by field name.
#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    messages: BTreeMap<String, String>,
}

impl FormErrors {
    /// No errors.
    pub fn new() -> FormErrors {
        FormErrors::default()
    }

    /// Translates field errors.
    pub fn from_fields(errors: &[FieldError], tr: &Tr) -> FormErrors {
        let mut out = FormErrors::new();
        for e in errors {
            out.messages.entry(e.field.clone()).or_insert_with(|| field_message(e, tr));
        }
        out
    }

    /// Adds a message for a field (the first one wins).
    pub fn add(&mut self, field: &str, message: String) {
        self.messages.entry(field.to_owned()).or_insert(message);
    }

    /// The message for a field, or the empty string (for templates).
    pub fn get(&self, field: &str) -> &str {
        self.messages.get(field).map_or("", String::as_str)
    }

    /// Whether a field has an error.
    pub fn has(&self, field: &str) -> bool {
        self.messages.contains_key(field)
    }

    /// The messages of a field and of its rows (`experts`, `experts[0]`, `experts[1]`, …).
    pub fn starting_with(&self, field: &str) -> Vec<&str> {
        self.messages
            .iter()
            .filter(|(k, _)| *k == field || k.strip_prefix(field).is_some_and(|rest| rest.starts_with('[')))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Whether a field or one of its rows has an error.
    pub fn has_prefix(&self, field: &str) -> bool {
        !self.starting_with(field).is_empty()
    }

    /// Whether there is no error.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// Every (field, message), for the summary at the top of a form.
    pub fn all(&self) -> Vec<(&str, &str)> {
        self.messages.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlencoding_round_trips_vietnamese() {
        let text = "Hoàng Bá Nam & KH&CN = 100%";
        let body = format!("name={}&x=", url_encode(text));
        assert_eq!(parse_urlencoded(body.as_bytes()), vec![("name".into(), text.into()), ("x".into(), String::new())]);
        assert_eq!(parse_urlencoded(b"a=%zz&b=%2"), vec![("a".into(), "%zz".into()), ("b".into(), "%2".into())]);
    }

    #[test]
    fn secrets_are_not_carried() {
        assert!(is_secret_field("password"));
        assert!(is_secret_field("new_password"));
        assert!(is_secret_field("_csrf"));
        assert!(!is_secret_field("display_name"));
    }
}
