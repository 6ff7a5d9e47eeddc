//! What a reader sees on a page, and the two kinds of text that should never be there: an internal name or
//! code (a `snake_case` or `kebab-case-key` name, a `#<id>` label, an ISO date, a dotted indicator code, a
//! bare record number in the breadcrumbs) and, on an English page, Vietnamese outside user content.
//!
//! User content (record titles, names, article bodies: data, not interface) is marked in the templates by
//! `lang="vi"` (Vietnamese data, which is also what a screen reader needs on an English page) or by
//! `data-user-content` (data in any language, such as a value in the history panel); it may be Vietnamese
//! on an English page, but is still checked for identifiers, so that marking cannot hide a code shown as
//! data. Only a developer reference, marked `data-code` (the API documentation, whose subject is field
//! names), may show identifiers. See CONTRIBUTING.md.

/// One piece of visible text and whether it is interface text (not user content).
#[derive(Debug, PartialEq)]
pub struct Piece {
    /// The text, entities decoded, whitespace collapsed.
    pub text: String,
    /// Inside a `nav.breadcrumbs`.
    pub in_breadcrumbs: bool,
    /// User content (`lang="vi"` or `data-user-content`): data, whatever its language.
    pub user: bool,
}

const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];
/// Attributes a reader sees or hears.
const SHOWN_ATTRIBUTES: &[&str] = &["placeholder", "title", "aria-label", "alt"];

struct Open {
    name: String,
    user: bool,
    code: bool,
    breadcrumbs: bool,
}

/// Decodes the character references askama and our templates write.
pub fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ => name.strip_prefix('#').and_then(|n| {
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => n.parse().ok(),
                };
                code.and_then(char::from_u32)
            }),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The attributes of a start tag (`name`, decoded value).
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let bytes = tag.as_bytes();
    let mut i = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'=' && bytes[i] != b'/' {
            i += 1;
        }
        if start == i {
            break;
        }
        let name = tag[start..i].to_ascii_lowercase();
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let quote = bytes[i];
                let from = i + 1;
                let to = tag[from..].find(quote as char).map_or(tag.len(), |e| from + e);
                value = decode(&tag[from..to]);
                i = (to + 1).min(bytes.len());
            } else {
                let from = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = decode(&tag[from..i]);
            }
        }
        out.push((name, value));
    }
    out
}

/// The visible interface text of an HTML page: text nodes and the attributes a reader sees or hears, without
/// scripts, styles, comments and user content.
pub fn visible_text(html: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut rest = html;
    let push_text = |out: &mut Vec<Piece>, stack: &[Open], text: &str| {
        if stack.iter().any(|o| o.code) {
            return;
        }
        let text = collapse(&decode(text));
        if !text.is_empty() {
            out.push(Piece {
                text,
                in_breadcrumbs: stack.iter().any(|o| o.breadcrumbs),
                user: stack.iter().any(|o| o.user),
            });
        }
    };
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &stack, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |e| &comment[e + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            if let Some(at) = stack.iter().rposition(|o| o.name == name) {
                stack.truncate(at);
            }
            continue;
        }
        let name = tag.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or_default().to_ascii_lowercase();
        if matches!(name.as_str(), "script" | "style" | "template") {
            let close = format!("</{name}");
            rest = rest.find(&close).map_or("", |e| &rest[e..]);
            continue;
        }
        let attrs = attributes(tag);
        // The page's own language (`<html lang="vi">`) does not make the page user content.
        let vietnamese = name != "html" && attrs.iter().any(|(n, v)| n == "lang" && v == "vi");
        let user = vietnamese || attrs.iter().any(|(n, _)| n == "data-user-content");
        let code = attrs.iter().any(|(n, _)| n == "data-code");
        let breadcrumbs = attrs.iter().any(|(n, v)| n == "class" && v.split_whitespace().any(|c| c == "breadcrumbs"));
        let hidden_input = name == "input" && attrs.iter().any(|(n, v)| n == "type" && v == "hidden");
        let open = Open { name, user, code, breadcrumbs };
        if !hidden_input {
            // `lang` covers the element's own attributes (an `alt` in Vietnamese); `data-user-content` only
            // its content (a text area's value is data, its placeholder interface).
            stack.push(Open { user: vietnamese, ..open });
            for (n, v) in &attrs {
                if SHOWN_ATTRIBUTES.contains(&n.as_str()) {
                    push_text(&mut out, &stack, v);
                }
            }
            let open = Open { user, ..stack.pop().expect("just pushed") };
            if !VOID.contains(&open.name.as_str()) && !tag.ends_with('/') {
                stack.push(open);
            }
        }
    }
    push_text(&mut out, &stack, rest);
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-' || c == '.'
}

/// `snake_case`, with at least one underscore between lower-case ASCII letters or digits.
fn is_snake(word: &str) -> bool {
    let parts: Vec<&str> = word.split('_').collect();
    parts.len() >= 2
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
        && parts[0].chars().next().is_some_and(|c| c.is_ascii_lowercase())
}

/// A `kebab-case-key`: at least three lower-case ASCII parts joined by hyphens (a Fluent key, an enum name);
/// English compounds with one hyphen (`sign-in`) are words.
fn is_kebab(word: &str) -> bool {
    let parts: Vec<&str> = word.split('-').collect();
    parts.len() >= 3
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
        && parts.iter().filter(|p| p.chars().all(|c| c.is_ascii_lowercase())).count() >= 2
}

/// A dotted upper-case code such as an indicator's `KHCN.CHI.CAP` (three parts or more: `TP.HCM` is a name).
fn is_dotted_code(word: &str) -> bool {
    let parts: Vec<&str> = word.trim_end_matches('.').split('.').collect();
    parts.len() >= 3
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
        && parts.iter().filter(|p| p.chars().any(|c| c.is_ascii_uppercase())).count() >= 2
}

/// An ISO date `yyyy-mm-dd` (alone or starting a date-time).
fn is_iso_date(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

/// What in a piece of interface text looks like an internal identifier, if anything.
pub fn identifier_in(piece: &Piece) -> Option<String> {
    let text = piece.text.as_str();
    if piece.in_breadcrumbs {
        let bare = text.trim_matches(|c: char| c == '›' || c.is_whitespace());
        if !bare.is_empty() && bare.chars().all(|c| c.is_ascii_digit()) {
            return Some(format!("a record number as a breadcrumb: {text}"));
        }
    }
    // Addresses and e-mail addresses are shown as they are.
    let words: Vec<&str> =
        text.split_whitespace().filter(|w| !w.contains("://") && !w.contains('@') && !w.starts_with('/')).collect();
    // `#12`, `#<id>`: a record shown by its number (a tag such as `#07-NQ/TU` is a document symbol).
    for word in &words {
        let word = word.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '#');
        if let Some(rest) = word.strip_prefix('#') {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            let after = rest[digits..].chars().next();
            if digits > 0 && after.is_none_or(|c| !c.is_alphanumeric() && !matches!(c, '-' | '/' | '.')) {
                return Some(format!("a #<id> label: {text}"));
            }
        }
    }
    for raw in words.iter().flat_map(|w| w.split(|c: char| !is_word_char(c))) {
        let word = raw.trim_matches(|c: char| c == '.' || c == '-');
        if is_snake(word) {
            return Some(format!("snake_case `{word}`: {text}"));
        }
        if is_kebab(word) {
            return Some(format!("kebab-case `{word}`: {text}"));
        }
        if is_dotted_code(word) {
            return Some(format!("a code `{word}`: {text}"));
        }
        if is_iso_date(word) {
            return Some(format!("an ISO date `{word}`: {text}"));
        }
    }
    None
}

/// Whether a letter is written only in Vietnamese (not in English text).
fn is_vietnamese_letter(c: char) -> bool {
    matches!(c, 'ă' | 'Ă' | 'đ' | 'Đ' | 'ơ' | 'Ơ' | 'ư' | 'Ư' | 'ĩ' | 'Ĩ' | 'ũ' | 'Ũ')
        || ('\u{1EA0}'..='\u{1EF9}').contains(&c)
        || "àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ".contains(c)
}

/// The product's name, a Vietnamese proper name kept on English pages (also in the window title, where
/// it cannot be marked).
const PRODUCT_NAME: &str = "Tiến Độ";

/// Whether a piece of English-page interface text is Vietnamese (two Vietnamese-only letters, so that a
/// loan word such as "café" passes); user content may be.
pub fn is_vietnamese(piece: &Piece) -> bool {
    !piece.user && piece.text.replace(PRODUCT_NAME, "").chars().filter(|c| is_vietnamese_letter(*c)).count() >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(html: &str) -> Vec<String> {
        visible_text(html).into_iter().filter(|p| !p.user).map(|p| p.text).collect()
    }

    #[test]
    fn text_and_shown_attributes_without_scripts_styles_hidden_fields_and_user_content() {
        let html = r#"<html lang="vi"><head><style>a_b{}</style><script>let x_y = 1;</script></head>
            <body><p class="x_y">Hello &amp; <b>world</b></p><!-- a_b -->
            <input type="hidden" name="_csrf" value="a_b"><input placeholder="Search &quot;x&quot;">
            <h1 lang="vi">Đoàn công tác <em>năm</em> 2026</h1><div data-user-content><p>Hà Nội</p></div><div data-code>raw_text</div>
            <textarea data-user-content placeholder="Type here">Ghi chú</textarea><img lang="vi" alt="Ảnh">
            <img alt="A chart" src="/a_b.png"><svg><title>Chart</title><use href="/i.svg#a_b"></use></svg><br>Tail</body></html>"#;
        assert_eq!(texts(html), ["Hello &", "world", "Search \"x\"", "Type here", "A chart", "Chart", "Tail"]);
        let user: Vec<String> = visible_text(html).into_iter().filter(|p| p.user).map(|p| p.text).collect();
        assert_eq!(user, ["Đoàn công tác", "năm", "2026", "Hà Nội", "Ghi chú", "Ảnh"]);
    }

    #[test]
    fn identifiers_are_found_and_words_and_document_symbols_pass() {
        let found =
            |t: &str| identifier_in(&Piece { text: t.to_owned(), in_breadcrumbs: false, user: false }).is_some();
        for bad in [
            "valid_to",
            "user #1",
            "Đoàn công tác #1",
            "2026-12-06",
            "KHCN.CHI.CAP · cộng dồn",
            "(event #12)",
            "report-status-draft",
            "login_failed",
            "at 2026-12-06T10:00",
        ] {
            assert!(found(bad), "{bad}");
        }
        for good in [
            "07-NQ/TU",
            "sign-in",
            "Tiến độ",
            "06/12/2026",
            "TP.HCM",
            "e-mail",
            "123/QĐ-UBND",
            "a.b@example.vn",
            "https://x.gov.vn/a_b",
            "C#",
            "Page 2 of 3",
            "Tiến Độ 0.1.0",
            "#07-NQ/TU",
            "1.234.567",
            "Source: http://localhost/news/so-khcn-lam-viec",
            "/api/v1/admin-unit-changes",
        ] {
            assert!(!found(good), "{good}");
        }
        let crumb = Piece { text: "› 3".to_owned(), in_breadcrumbs: true, user: false };
        assert!(identifier_in(&crumb).is_some());
    }

    #[test]
    fn vietnamese_is_told_from_english() {
        let vi = |t: &str| is_vietnamese(&Piece { text: t.to_owned(), in_breadcrumbs: false, user: false });
        assert!(vi("Biểu đồ vành khuyên"));
        assert!(vi("Tìm kiếm"));
        assert!(!vi("Progress of the café"));
        assert!(!vi("Reports awaiting approval"));
        assert!(!vi("Tiến Độ 0.1.0"));
        assert!(!is_vietnamese(&Piece { text: "Hà Nội".to_owned(), in_breadcrumbs: false, user: true }));
    }
}
