//! Safe HTML from what editors and readers write, built by construction rather than cleaned afterwards.
//!
//! Article bodies are Markdown, parsed by pulldown-cmark into events; this module writes the HTML of an
//! explicit allow-list of elements from those events itself. Raw HTML in the Markdown is never passed
//! through: it is shown as text. Links keep only `http(s)`, `mailto`, site-relative and fragment
//! addresses; images only the portal's own `/media/` addresses. No attribute other than `href`, `src`,
//! `alt`, `title`, `rel`, `loading` and `start` is ever written, and every value is escaped, so neither
//! a script, an event handler, a `javascript:` URL nor an SVG payload can come through.
//!
//! Comments are plain text: escaped, line breaks kept, `http(s)` addresses turned into `nofollow` links.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Whether a link address is safe to write in `href`: `http://`, `https://`, `mailto:`, a path on this
/// site (`/tin-tuc/…`, not `//host`), a fragment (`#muc-2`), or a relative path without a scheme.
pub fn safe_link(url: &str) -> bool {
    let url = url.trim();
    if url.is_empty() || url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return false;
    }
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return url.len() > 8;
    }
    if lower.starts_with("mailto:") {
        return true;
    }
    if url.starts_with("//") || url.starts_with('\\') || url.starts_with("/\\") {
        return false;
    }
    // No scheme: a ':' before the first '/', '?' or '#' would be one (`javascript:`, `data:`).
    let head = url.split(['/', '?', '#']).next().unwrap_or_default();
    !head.contains(':')
}

/// Whether an image address is one of the portal's own images (`/media/12/large.jpg`).
pub fn safe_image(url: &str) -> bool {
    url.starts_with("/media/")
        && url.len() < 200
        && url.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'-' | b'_'))
        && !url.contains("..")
}

/// An image being read: its address (when safe), title and the alt text collected so far.
struct PendingImage {
    src: Option<String>,
    title: String,
    alt: String,
    depth: usize,
}

/// Renders an article body (Markdown) to safe HTML.
pub fn render_article(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::with_capacity(markdown.len() * 5 / 4 + 64);
    // What to write when the element opened by each Start event ends.
    let mut closers: Vec<&'static str> = Vec::new();
    let mut image: Option<PendingImage> = None;
    let mut in_head = false;
    for event in Parser::new_ext(markdown, options) {
        if let Some(img) = image.as_mut() {
            match &event {
                Event::Start(_) => img.depth += 1,
                Event::End(_) if img.depth > 0 => img.depth -= 1,
                Event::End(_) => {
                    let img = image.take().unwrap_or(PendingImage {
                        src: None,
                        title: String::new(),
                        alt: String::new(),
                        depth: 0,
                    });
                    write_image(&mut out, img);
                    continue;
                }
                Event::Text(t) | Event::Code(t) => img.alt.push_str(t),
                Event::SoftBreak | Event::HardBreak => img.alt.push(' '),
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(tag) => {
                let (open, close): (String, &'static str) = match tag {
                    Tag::Paragraph => ("<p>".into(), "</p>\n"),
                    Tag::Heading { level, .. } => match level {
                        HeadingLevel::H1 | HeadingLevel::H2 => ("<h2>".into(), "</h2>\n"),
                        HeadingLevel::H3 => ("<h3>".into(), "</h3>\n"),
                        _ => ("<h4>".into(), "</h4>\n"),
                    },
                    Tag::BlockQuote(_) => ("<blockquote>\n".into(), "</blockquote>\n"),
                    Tag::CodeBlock(CodeBlockKind::Fenced(_) | CodeBlockKind::Indented) => {
                        ("<pre><code>".into(), "</code></pre>\n")
                    }
                    Tag::List(Some(1)) => ("<ol>\n".into(), "</ol>\n"),
                    Tag::List(Some(start)) => (format!("<ol start=\"{start}\">\n"), "</ol>\n"),
                    Tag::List(None) => ("<ul>\n".into(), "</ul>\n"),
                    Tag::Item => ("<li>".into(), "</li>\n"),
                    Tag::Table(_) => ("<div class=\"table-wrap\"><table>\n".into(), "</tbody></table></div>\n"),
                    Tag::TableHead => {
                        in_head = true;
                        ("<thead><tr>".into(), "</tr></thead>\n<tbody>\n")
                    }
                    Tag::TableRow => ("<tr>".into(), "</tr>\n"),
                    Tag::TableCell if in_head => ("<th>".into(), "</th>"),
                    Tag::TableCell => ("<td>".into(), "</td>"),
                    Tag::Emphasis => ("<em>".into(), "</em>"),
                    Tag::Strong => ("<strong>".into(), "</strong>"),
                    Tag::Strikethrough => ("<del>".into(), "</del>"),
                    Tag::Link { dest_url, title, .. } => {
                        if safe_link(&dest_url) {
                            let mut a = String::from("<a href=\"");
                            push_escaped(&mut a, dest_url.trim());
                            a.push('"');
                            if !title.is_empty() {
                                a.push_str(" title=\"");
                                push_escaped(&mut a, &title);
                                a.push('"');
                            }
                            let lower = dest_url.trim().to_ascii_lowercase();
                            if lower.starts_with("http://") || lower.starts_with("https://") {
                                a.push_str(" rel=\"noopener noreferrer\"");
                            }
                            a.push('>');
                            (a, "</a>")
                        } else {
                            // The text stays; the address does not.
                            (String::new(), "")
                        }
                    }
                    Tag::Image { dest_url, title, .. } => {
                        image = Some(PendingImage {
                            src: safe_image(&dest_url).then(|| dest_url.to_string()),
                            title: title.to_string(),
                            alt: String::new(),
                            depth: 0,
                        });
                        continue;
                    }
                    // Raw HTML blocks: their content arrives as Html events, shown as text below.
                    Tag::HtmlBlock => ("<p>".into(), "</p>\n"),
                    _ => (String::new(), ""),
                };
                out.push_str(&open);
                closers.push(close);
            }
            Event::End(end) => {
                if matches!(end, TagEnd::TableHead) {
                    in_head = false;
                }
                if let Some(close) = closers.pop() {
                    out.push_str(close);
                }
            }
            Event::Text(text) => push_escaped(&mut out, &text),
            Event::Code(code) => {
                out.push_str("<code>");
                push_escaped(&mut out, &code);
                out.push_str("</code>");
            }
            // Raw HTML is shown as the text it is, never interpreted.
            Event::Html(html) | Event::InlineHtml(html) => push_escaped(&mut out, &html),
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str("<br>\n"),
            Event::Rule => out.push_str("<hr>\n"),
            _ => {}
        }
    }
    out
}

fn write_image(out: &mut String, img: PendingImage) {
    match img.src {
        Some(src) => {
            out.push_str("<img src=\"");
            push_escaped(out, &src);
            out.push_str("\" alt=\"");
            push_escaped(out, img.alt.trim());
            out.push('"');
            if !img.title.is_empty() {
                out.push_str(" title=\"");
                push_escaped(out, &img.title);
                out.push('"');
            }
            out.push_str(" loading=\"lazy\">");
        }
        // An image from elsewhere is not loaded; its description is kept as text.
        None => push_escaped(out, img.alt.trim()),
    }
}

/// The plain text of a Markdown body (for descriptions and feeds), at most `max` characters.
pub fn plain_text(markdown: &str, max: usize) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Heading(_))
                if !out.ends_with(' ') =>
            {
                out.push(' ');
            }
            _ => {}
        }
        if out.chars().count() > max {
            break;
        }
    }
    let trimmed = out.trim();
    if trimmed.chars().count() > max {
        let cut: String = trimmed.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    } else {
        trimmed.to_owned()
    }
}

/// Where an `http(s)` address in plain text ends: at a space or a character that cannot be part of it,
/// and not on the punctuation that usually follows one.
fn url_end(text: &str) -> usize {
    let end = text.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`')).unwrap_or(text.len());
    let mut end = end;
    while end > 0 {
        let last = text[..end].chars().next_back().unwrap_or(' ');
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']') {
            end -= last.len_utf8();
        } else {
            break;
        }
    }
    end
}

fn push_linked_line(out: &mut String, line: &str) {
    let mut rest = line;
    loop {
        let lower = rest.to_ascii_lowercase();
        let next = [lower.find("https://"), lower.find("http://")].into_iter().flatten().min();
        let Some(at) = next else {
            push_escaped(out, rest);
            return;
        };
        push_escaped(out, &rest[..at]);
        let candidate = &rest[at..];
        let end = url_end(candidate);
        let url = &candidate[..end];
        let scheme_len = if url.to_ascii_lowercase().starts_with("https://") { 8 } else { 7 };
        if url.len() > scheme_len {
            out.push_str("<a href=\"");
            push_escaped(out, url);
            out.push_str("\" rel=\"nofollow ugc noopener noreferrer\">");
            push_escaped(out, url);
            out.push_str("</a>");
        } else {
            push_escaped(out, url);
        }
        rest = &candidate[end.max(scheme_len.min(candidate.len()))..];
    }
}

/// Renders a comment (plain text) to safe HTML: paragraphs at blank lines, `<br>` at line breaks, and
/// `http(s)` addresses as links with `rel="nofollow ugc"`.
pub fn render_comment(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 32);
    for paragraph in text.split("\n\n").map(|p| p.trim_matches('\n')).filter(|p| !p.trim().is_empty()) {
        out.push_str("<p>");
        for (i, line) in paragraph.split('\n').enumerate() {
            if i > 0 {
                out.push_str("<br>\n");
            }
            push_linked_line(&mut out, line);
        }
        out.push_str("</p>\n");
    }
    out
}
