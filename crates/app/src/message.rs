//! A text written now and read later, in the reader's language: a notification's title and body. It is
//! stored as Fluent messages with their arguments (not as the text of the moment), and rendered when it is
//! read, so that an English reader reads English whatever language the sender's code used; the data it
//! names (a task, a unit, a comment) stays as it was written, marked as such on a page.
//!
//! Stored as JSON: a list of lines, each `{"key": "…", "args": {…}}` or `{"text": "…"}` (text someone wrote);
//! an argument is `{"data": "…"}` (a record's title, a name), `{"count": 3}`, `{"date": "2026-03-14"}`,
//! `{"key": "status-overdue"}` (a message's name), `{"period": "2025Q3"}` (a reporting period) or
//! `{"org_kind": "commune"}`. The audit trail's summaries use the same arguments (see `crate::audit`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tiendo_core::lang::Lang;

use crate::Tr;
use crate::i18n::{Arg, mark};

/// Lines of text to render in the reader's language.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Message {
    lines: Vec<Line>,
}

/// One line of a [`Message`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Line {
    /// A message of the Fluent files with its arguments.
    Key {
        /// The message's key.
        key: String,
        /// Its arguments, by name.
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        args: BTreeMap<String, Value>,
    },
    /// Text someone wrote (a comment, a reason), shown as it is; empty for a blank line.
    Text {
        /// The text.
        text: String,
    },
}

/// An argument of a line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// Data as written: a record's title, a unit's or a person's name.
    Data(String),
    /// A number, written the reader's way.
    Count(i64),
    /// A day, `dd/mm/yyyy`.
    Date(NaiveDate),
    /// The name of something by its message (`status-overdue`), in the reader's language.
    Key(String),
    /// A reporting period by its code (`2025Q3`), named in the reader's language.
    Period(String),
    /// A kind of organisation by its code (`commune`), named in the reader's language.
    OrgKind(String),
}

impl Value {
    /// The argument as text in `tr`'s language, and whether it is data.
    pub(crate) fn text(&self, tr: &Tr) -> (String, bool) {
        let lang = tr.lang();
        match self {
            Value::Data(text) => (text.clone(), true),
            Value::Count(n) => (tiendo_core::fmt::integer(*n, lang), false),
            Value::Date(day) => (tiendo_core::fmt::date(*day), false),
            Value::Key(key) => (tr.t(key), false),
            Value::Period(code) => (period_name(code, lang), false),
            Value::OrgKind(code) => (
                code.parse::<tiendo_core::directory::OrgKind>()
                    .map_or_else(|_| code.clone(), |k| k.name(lang).to_owned()),
                false,
            ),
        }
    }
}

fn period_name(code: &str, lang: Lang) -> String {
    tiendo_core::reporting::period::Period::parse(code).map_or_else(|_| code.to_owned(), |p| p.name(lang))
}

impl Message {
    /// A message of one line: the Fluent message `key` (arguments added with [`Message::data`] and the
    /// others).
    pub fn key(key: &str) -> Message {
        Message::default().line(key)
    }

    /// A message of one line of text someone wrote; empty for empty text.
    pub fn text(text: &str) -> Message {
        Message::default().push_text(text)
    }

    /// Adds a line: the Fluent message `key`.
    #[must_use]
    pub fn line(mut self, key: &str) -> Message {
        self.lines.push(Line::Key { key: key.to_owned(), args: BTreeMap::new() });
        self
    }

    /// Adds a line of text someone wrote (nothing for empty text).
    #[must_use]
    pub fn push_text(mut self, text: &str) -> Message {
        if !text.is_empty() {
            self.lines.push(Line::Text { text: text.to_owned() });
        }
        self
    }

    /// Adds a blank line.
    #[must_use]
    pub fn blank(mut self) -> Message {
        self.lines.push(Line::Text { text: String::new() });
        self
    }

    /// Adds an argument to the last line (nothing when it is text).
    #[must_use]
    pub fn arg(mut self, name: &str, value: Value) -> Message {
        if let Some(Line::Key { args, .. }) = self.lines.last_mut() {
            args.insert(name.to_owned(), value);
        }
        self
    }

    /// Adds a data argument (a title, a name) to the last line.
    #[must_use]
    pub fn data(self, name: &str, value: &str) -> Message {
        self.arg(name, Value::Data(value.to_owned()))
    }

    /// Adds a number to the last line.
    #[must_use]
    pub fn count(self, name: &str, n: i64) -> Message {
        self.arg(name, Value::Count(n))
    }

    /// Adds a day to the last line.
    #[must_use]
    pub fn date(self, name: &str, day: NaiveDate) -> Message {
        self.arg(name, Value::Date(day))
    }

    /// Adds the name of something by its message key to the last line.
    #[must_use]
    pub fn named(self, name: &str, key: &str) -> Message {
        self.arg(name, Value::Key(key.to_owned()))
    }

    /// Adds a reporting period by its code to the last line.
    #[must_use]
    pub fn period(self, name: &str, code: &str) -> Message {
        self.arg(name, Value::Period(code.to_owned()))
    }

    /// The lines of `other` after these.
    #[must_use]
    pub fn append(mut self, other: Message) -> Message {
        self.lines.extend(other.lines);
        self
    }

    /// Whether there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The text in `tr`'s language, lines separated by line breaks.
    pub fn render(&self, tr: &Tr) -> String {
        self.lines
            .iter()
            .map(|line| match line {
                Line::Text { text } => text.clone(),
                Line::Key { key, args } => {
                    let texts: Vec<(&str, String)> = args.iter().map(|(n, v)| (n.as_str(), v.text(tr).0)).collect();
                    let pairs: Vec<(&str, &str)> = texts.iter().map(|(n, v)| (*n, v.as_str())).collect();
                    tr.t_with(key, &pairs)
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The text in `tr`'s language as HTML for a page: escaped, the data and the text someone wrote marked
    /// as Vietnamese user content (see [`Tr::t_marked`]), lines separated by line breaks (shown by the
    /// page's `white-space: pre-line`).
    pub fn render_html(&self, tr: &Tr) -> String {
        self.lines
            .iter()
            .map(|line| match line {
                Line::Text { text } if text.is_empty() => String::new(),
                Line::Text { text } => mark(text),
                Line::Key { key, args } => {
                    let texts: Vec<(&str, (String, bool))> =
                        args.iter().map(|(n, v)| (n.as_str(), v.text(tr))).collect();
                    let marked: Vec<(&str, Arg<'_>)> = texts
                        .iter()
                        .map(|(n, (text, data))| (*n, if *data { Arg::Data(text) } else { Arg::Text(text) }))
                        .collect();
                    tr.t_marked(key, &marked)
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The message as stored (JSON).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A notification's title and body as stored in `notifications.message`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    /// The title.
    pub title: Message,
    /// The body (may be empty).
    #[serde(default)]
    pub body: Message,
}

impl Notice {
    /// A notice of `title` and `body`.
    pub fn new(title: Message, body: Message) -> Notice {
        Notice { title, body }
    }

    /// The stored form (JSON).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads the stored form; `None` when it does not parse (then the stored Vietnamese text is shown).
    pub fn from_json(json: &str) -> Option<Notice> {
        serde_json::from_str(json).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Notice {
        Notice::new(
            Message::key("reminder-overdue").data("task", "1. Đề xuất nhiệm vụ").date("due", date(2026, 3, 14)),
            Message::key("digest-counts")
                .line("digest-count-line")
                .named("status", "status-overdue")
                .count("count", 1234)
                .blank()
                .push_text("Ý kiến <của> Sở"),
        )
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn a_notice_reads_in_each_readers_language() {
        let notice = sample();
        let vi = Tr::new(Lang::Vi);
        let en = Tr::new(Lang::En);
        assert_eq!(notice.title.render(&en), "Overdue: 1. Đề xuất nhiệm vụ — due 14/03/2026");
        assert!(
            notice.title.render(&vi).starts_with("Đã quá hạn: 1. Đề xuất nhiệm vụ"),
            "{}",
            notice.title.render(&vi)
        );
        let body = notice.body.render(&en);
        assert_eq!(body, "The tasks you assigned, by status:\n• Overdue, not completed: 1,234\n\nÝ kiến <của> Sở");
        assert!(notice.body.render(&vi).contains("1.234"));
    }

    #[test]
    fn on_a_page_data_is_marked_and_everything_escaped() {
        let en = Tr::new(Lang::En);
        let notice = sample();
        assert_eq!(
            notice.title.render_html(&en),
            "Overdue: <span lang=\"vi\">1. Đề xuất nhiệm vụ</span> — due 14/03/2026"
        );
        assert!(notice.body.render_html(&en).ends_with("\n\n<span lang=\"vi\">Ý kiến &lt;của&gt; Sở</span>"));
    }

    #[test]
    fn the_stored_form_reads_back() {
        let notice = sample();
        let json = notice.to_json();
        assert!(json.contains("{\"data\":\"1. Đề xuất nhiệm vụ\"}"), "{json}");
        assert_eq!(Notice::from_json(&json), Some(notice));
        assert_eq!(Notice::from_json("not json"), None);
        assert!(Message::text("").is_empty());
    }
}
