//! Translations: Fluent files for Vietnamese (the source of truth) and English, embedded in the binary.
//!
//! Every user-visible string goes through a key. Each area of the product has its own `.ftl` file in
//! `locales/vi/` and `locales/en/`; a test checks that both languages have exactly the same keys.

use std::borrow::Cow;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use tiendo_core::lang::Lang;

/// One area's translation files: (name, Vietnamese source, English source).
macro_rules! locale {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("../locales/vi/", $name, ".ftl")),
            include_str!(concat!("../locales/en/", $name, ".ftl")),
        )
    };
}

/// The translation files, by area: (name, Vietnamese source, English source).
pub const FILES: &[(&str, &str, &str)] = &[
    locale!("common"),
    locale!("errors"),
    locale!("auth"),
    locale!("identity"),
    locale!("admin"),
    locale!("directory"),
    locale!("geo"),
    locale!("monitoring"),
    locale!("notifications"),
    locale!("document_templates"),
    locale!("visits"),
    locale!("portal"),
    locale!("reporting"),
    locale!("export"),
    locale!("search"),
    locale!("certificates"),
    locale!("work"),
    locale!("sci_tech"),
    locale!("indicators"),
];

type Bundle = FluentBundle<FluentResource>;

thread_local! {
    /// The keys looked up without a message on this thread since the last [`take_missing`].
    static MISSING: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn note_missing(key: String) {
    MISSING.with(|m| m.borrow_mut().push(key));
}

/// The keys rendered without a message on this thread since the last call (a user saw the key itself).
/// The web tests check it after every request, so a missing key fails the test that shows it.
pub fn take_missing() -> Vec<String> {
    MISSING.with(|m| std::mem::take(&mut *m.borrow_mut()))
}

struct Catalog {
    vi: Bundle,
    en: Bundle,
}

fn build_bundle(lang: Lang) -> Bundle {
    let id: unic_langid::LanguageIdentifier = lang.tag().parse().expect("a valid language tag");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Unicode isolation marks would end up inside HTML attributes and e-mails; our arguments are plain.
    bundle.set_use_isolating(false);
    for (name, vi, en) in FILES {
        let source = match lang {
            Lang::Vi => *vi,
            Lang::En => *en,
        };
        let resource = FluentResource::try_new(source.to_owned())
            .unwrap_or_else(|(_, errors)| panic!("locales/{}/{name}.ftl does not parse: {errors:?}", lang.tag()));
        bundle
            .add_resource(resource)
            .unwrap_or_else(|errors| panic!("locales/{}/{name}.ftl redefines keys: {errors:?}", lang.tag()));
    }
    bundle
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog { vi: build_bundle(Lang::Vi), en: build_bundle(Lang::En) })
}

/// Translates for one language. Cheap to copy; templates call [`Tr::t`] and [`Tr::t_with`].
#[derive(Clone, Copy)]
pub struct Tr {
    lang: Lang,
}

impl std::fmt::Debug for Tr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tr({})", self.lang.tag())
    }
}

impl Tr {
    /// A translator for `lang`.
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    fn bundle(&self) -> &'static Bundle {
        match self.lang {
            Lang::Vi => &catalog().vi,
            Lang::En => &catalog().en,
        }
    }

    /// The message for `key`, or the key itself (and a warning in the log) when it is missing.
    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The name of an audit action (`create` → "Tạo mới"); the code itself for an action without one.
    pub fn action(&self, code: &str) -> String {
        let key = format!("action-{code}");
        if self.bundle().has_message(&key) { self.t(&key) } else { code.to_owned() }
    }

    /// The message for `key` with named arguments.
    pub fn t_with(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(*value));
        }
        self.format(key, Some(&fluent_args))
    }

    /// The message for `key` with one numeric argument, for plural selection in English.
    /// Takes the count by value or by reference (templates pass references).
    pub fn t_count(&self, key: &str, name: &str, count: impl std::borrow::Borrow<i64>) -> String {
        let mut fluent_args = FluentArgs::new();
        fluent_args.set(name, FluentValue::from(*count.borrow()));
        self.format(key, Some(&fluent_args))
    }

    /// The attribute `attr` of message `key` (`error-not_found.detail`) with named arguments.
    pub fn attr_with(&self, key: &str, attr: &str, args: &[(&str, &str)]) -> String {
        let bundle = self.bundle();
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.get_attribute(attr)).map(|a| a.value()) else {
            tracing::warn!(key, attr, lang = self.lang.tag(), "missing translation attribute");
            note_missing(format!("{key}.{attr}"));
            return format!("{key}.{attr}");
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, FluentValue::from(*value));
        }
        let mut errors = Vec::new();
        bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned()
    }

    /// The message for `key` as HTML for a page: the text escaped, and each [`Arg::Data`] argument (a
    /// record's title, a person's name: data, not interface) inside `<span lang="vi">`, so that a reader's
    /// screen reader, and the check that no English page shows Vietnamese interface text, tell it apart.
    /// Render it unescaped (`|safe`).
    pub fn t_marked(&self, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        // Each data argument goes through Fluent as a placeholder of private-use characters, replaced by its
        // marked, escaped value once the whole text is escaped.
        let placeholders: Vec<String> = (0..args.len()).map(|i| format!("\u{E000}{i}\u{E001}")).collect();
        let mut fluent_args = FluentArgs::new();
        for ((name, value), placeholder) in args.iter().zip(&placeholders) {
            let shown = match value {
                Arg::Data(_) | Arg::Code(_) => placeholder.as_str(),
                Arg::Text(text) => text,
            };
            fluent_args.set(*name, FluentValue::from(shown));
        }
        let mut html = escape(&self.format(key, Some(&fluent_args)));
        for ((_, value), placeholder) in args.iter().zip(&placeholders) {
            match value {
                Arg::Data(data) => html = html.replace(placeholder.as_str(), &mark(data)),
                Arg::Code(code) => {
                    html = html.replace(placeholder.as_str(), &format!("<code data-code>{}</code>", escape(code)))
                }
                Arg::Text(_) => {}
            }
        }
        html
    }

    /// [`Tr::t_marked`] with every argument data.
    pub fn t_data(&self, key: &str, args: &[(&str, &str)]) -> String {
        let args: Vec<(&str, Arg<'_>)> = args.iter().map(|(name, value)| (*name, Arg::Data(value))).collect();
        self.t_marked(key, &args)
    }

    /// Whether `key` exists (for codes that may or may not have a message).
    pub fn has(&self, key: &str) -> bool {
        self.bundle().has_message(key)
    }

    fn format(&self, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let bundle = self.bundle();
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, lang = self.lang.tag(), "missing translation");
            note_missing(key.to_owned());
            return key.to_owned();
        };
        let mut errors = Vec::new();
        let text: Cow<'_, str> = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(key, ?errors, "translation formatting errors");
        }
        text.into_owned()
    }
}

/// An argument of a message shown on a page (see [`Tr::t_marked`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg<'a> {
    /// Data: a record's title, a person's or a unit's name, text someone typed; marked as Vietnamese.
    Data(&'a str),
    /// Interface text or a figure already in the reader's language.
    Text(&'a str),
    /// An identifier shown as what to type (an indicator's code in a hint): `<code data-code>`, the one
    /// mark that lets an identifier through the visible-text crawl (CONTRIBUTING.md).
    Code(&'a str),
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    tiendo_core::portal::markdown::escape(text)
}

/// Data as HTML: escaped, inside `<span lang="vi">` (user content, see CONTRIBUTING.md); data without a
/// letter (a number, a date) is in no language and is only escaped.
pub fn mark(data: &str) -> String {
    if data.chars().any(char::is_alphabetic) {
        format!("<span lang=\"vi\">{}</span>", escape(data))
    } else {
        escape(data)
    }
}

/// Message ids (with attributes as `id.attr`) defined in one Fluent source, for the parity test.
pub fn message_ids(source: &str) -> Vec<String> {
    use fluent_bundle::FluentResource;
    use fluent_syntax::ast::Entry;
    let resource = FluentResource::try_new(source.to_owned()).map_err(|(_, e)| format!("{e:?}")).expect("parses");
    let mut ids = Vec::new();
    for entry in resource.entries() {
        if let Entry::Message(m) = entry {
            ids.push(m.id.name.to_owned());
            for attr in &m.attributes {
                ids.push(format!("{}.{}", m.id.name, attr.id.name));
            }
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn vietnamese_and_english_have_the_same_keys() {
        for (name, vi, en) in FILES {
            let vi_ids: BTreeSet<String> = message_ids(vi).into_iter().collect();
            let en_ids: BTreeSet<String> = message_ids(en).into_iter().collect();
            let only_vi: Vec<_> = vi_ids.difference(&en_ids).collect();
            let only_en: Vec<_> = en_ids.difference(&vi_ids).collect();
            assert!(
                only_vi.is_empty() && only_en.is_empty(),
                "{name}.ftl: only in vi {only_vi:?}, only in en {only_en:?}"
            );
        }
    }

    #[test]
    fn every_translation_file_is_loaded() {
        for lang in ["vi", "en"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
            for entry in std::fs::read_dir(&dir).expect("the locales directory") {
                let name = entry.expect("an entry").file_name().to_string_lossy().trim_end_matches(".ftl").to_owned();
                assert!(
                    FILES.iter().any(|(n, _, _)| *n == name),
                    "locales/{lang}/{name}.ftl is not listed in i18n::FILES"
                );
            }
        }
    }

    #[test]
    fn no_key_is_defined_twice_across_files() {
        for lang in Lang::ALL {
            // Building the bundle panics on a redefinition.
            let _ = build_bundle(lang);
        }
    }

    /// Every key written literally in a template or in the code (`t("…")`, `t_with("…"`, `t_count("…"`,
    /// `t_data("…"`, `t_marked("…"`, `layout("…")`) is defined, so a typo cannot show a raw key to a user.
    #[test]
    fn every_literal_key_is_defined() {
        let ids: BTreeSet<String> = FILES.iter().flat_map(|(_, vi, _)| message_ids(vi)).collect();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let root = root.as_path();
        let mut files = Vec::new();
        let mut dirs =
            vec![root.join("web/templates"), root.join("web/src"), root.join("app/src"), root.join("tiendo/src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("a source directory") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "html" || e == "rs") {
                    files.push(path);
                }
            }
        }
        let mut missing = Vec::new();
        for path in &files {
            let text = std::fs::read_to_string(path).expect("a readable file");
            // Audit summaries are keys too (the fourth argument of `Entry::new`).
            for (at, _) in text.match_indices("\"audit-").filter(|_| !path.ends_with("i18n.rs")) {
                let key: String = text[at + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect();
                // A literal ending in '-' is a prefix whose messages are listed from the bundle, not a key.
                if text[at + 1 + key.len()..].starts_with('"') && !key.ends_with('-') && !ids.contains(&key) {
                    missing.push(format!("{key} ({})", path.strip_prefix(root).unwrap_or(path).display()));
                }
            }
            for call in ["t(\"", "t_with(\"", "t_count(\"", "layout(\"", "t_data(\"", "t_marked(\""] {
                for (at, _) in text.match_indices(call) {
                    // `.t("` but not `fmt("` or `set("`: the character before must be `.`.
                    if call == "t(\"" && !text[..at].ends_with('.') {
                        continue;
                    }
                    let rest = &text[at + call.len()..];
                    let key: String =
                        rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
                    if rest[key.len()..].starts_with('"')
                        && !key.is_empty()
                        && key != "no-such-key"
                        && !ids.contains(&key)
                    {
                        missing.push(format!("{key} ({})", path.strip_prefix(root).unwrap_or(path).display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys used but not defined: {missing:?}");
    }

    /// Every audit action written literally in the code has a name in the history panels.
    #[test]
    fn every_audited_action_has_a_name() {
        let vi = Tr::new(Lang::Vi);
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut missing = Vec::new();
        let mut dirs = vec![root.join("web/src"), root.join("app/src"), root.join("tiendo/src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("a source directory") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).expect("a readable file");
                let calls = ["NewEvent::new(", "Entry::new(", "Entry::general("];
                for (at, call) in calls.iter().flat_map(|c| text.match_indices(c)) {
                    let rest = text[at + call.len()..].trim_start();
                    let Some(rest) = rest.strip_prefix('"') else { continue };
                    let code: String = rest.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                    if !rest[code.len()..].starts_with('"') || code.is_empty() {
                        continue;
                    }
                    if vi.action(&code) == code {
                        missing.push(format!("{code} ({})", path.display()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "audit actions without a name (action-<code> in common.ftl): {missing:?}");
    }

    /// Keys built from stable codes (statuses, field errors) exist for every code.
    #[test]
    fn keys_built_from_codes_are_defined() {
        use tiendo_core::monitoring::{StatusKind, UpdateStatus};
        let vi = Tr::new(Lang::Vi);
        let mut keys: Vec<String> = StatusKind::ALL.iter().map(|k| format!("status-{}", k.code())).collect();
        keys.extend(UpdateStatus::ALL.iter().map(|s| format!("update-status-{}", s.code())));
        for key in keys {
            assert_ne!(vi.t(&key), key, "{key} is not translated");
        }
    }

    #[test]
    fn marked_messages_escape_the_text_and_mark_only_the_data() {
        let en = Tr::new(Lang::En);
        let html = en.t_data("notify-update-submitted", &[("task", "1. Đề xuất <b>nhiệm vụ</b> & \"khác\"")]);
        assert_eq!(
            html,
            "New progress update: <span lang=\"vi\">1. Đề xuất &lt;b&gt;nhiệm vụ&lt;/b&gt; &amp; &quot;khác&quot;</span>"
        );
        let html = en.t_marked("digest-count-line", &[("status", Arg::Data("Trễ & hạn")), ("count", Arg::Data("3"))]);
        assert_eq!(html, "• <span lang=\"vi\">Trễ &amp; hạn</span>: 3", "a number is in no language");
        let html =
            en.t_marked("digest-count-line", &[("status", Arg::Text("Overdue & late")), ("count", Arg::Text("3"))]);
        assert_eq!(html, "• Overdue &amp; late: 3");
    }

    #[test]
    fn messages_format_with_arguments() {
        let vi = Tr::new(Lang::Vi);
        assert_eq!(vi.t("site-name"), "Tiến Độ");
        assert!(vi.attr_with("error-not_found", "detail", &[("path", "/x")]).contains("/x"));
        assert_eq!(Tr::new(Lang::En).t("no-such-key"), "no-such-key");
    }
}
