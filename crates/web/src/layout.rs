//! The page chrome shared by every HTML page, and the context extractor handlers use to build it.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::Uri;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use tiendo_core::lang::Lang;

use crate::assets;
use crate::auth::{Auth, SignedInUser};
use crate::error::AppError;
use crate::state::AppState;
use tiendo_app::i18n::Tr;

/// A link in the main navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// The target path.
    pub href: &'static str,
    /// The translated label.
    pub label: String,
    /// Whether the current page is in this section.
    pub active: bool,
}

/// Everything the base layout needs.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The translator for the page's language.
    pub tr: Tr,
    /// `vi` or `en`, for `<html lang>`.
    pub lang: &'static str,
    /// The page title (without the site name).
    pub title: String,
    /// Whether the title is a record's name (data, marked `lang="vi"`) rather than interface text.
    pub title_is_data: bool,
    /// The operating organisation, in the page's language.
    pub organization: String,
    /// Main navigation.
    pub nav: Vec<NavItem>,
    /// The current page in Vietnamese.
    pub url_vi: String,
    /// The current page in English.
    pub url_en: String,
    /// The stylesheet URL.
    pub css_url: String,
    /// The script URL.
    pub js_url: String,
    /// The icon sprite URL.
    pub icons_url: String,
    /// The logo URL.
    pub logo_url: String,
    /// The running version.
    pub version: &'static str,
    /// The current year in Vietnam, for the footer.
    pub year: i32,
    /// The signed-in user.
    pub user: Option<SignedInUser>,
    /// The CSRF token for forms (empty for the public).
    pub csrf: String,
    /// The path and query of this page, for the sign-in link to come back to.
    pub here: String,
    /// The signed-in user's unread notifications, for the bell.
    pub unread_notifications: i64,
    /// The configurable part of the footer (contact, licence, trust badge).
    pub footer: std::sync::Arc<tiendo_core::portal::PortalSettings>,
}

/// The request context of a page: language, address, who is asking, and the state. Extract it in
/// handlers.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The request's language.
    pub lang: Lang,
    /// The translator.
    pub tr: Tr,
    /// The request URI (path and query).
    pub uri: Uri,
    /// Who is asking.
    pub auth: Auth,
    /// The application state.
    pub state: AppState,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = parts.extensions.get::<Lang>().copied().unwrap_or_default();
        let auth = parts.extensions.get::<Auth>().cloned().unwrap_or_default();
        Ok(Ctx { lang, tr: Tr::new(lang), uri: parts.uri.clone(), auth, state: state.clone() })
    }
}

impl Ctx {
    /// A context built outside a handler (error pages, middleware).
    pub fn for_error(state: AppState, lang: Lang, uri: Uri, auth: Auth) -> Ctx {
        Ctx { lang, tr: Tr::new(lang), uri, auth, state }
    }
}

/// The same URI with its `lang` query parameter set to `lang`.
pub fn with_lang(uri: &Uri, lang: Lang) -> String {
    let mut pairs: Vec<String> = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lang="))
        .map(str::to_owned)
        .collect();
    pairs.push(format!("lang={}", lang.tag()));
    format!("{}?{}", uri.path(), pairs.join("&"))
}

impl Ctx {
    /// The layout for a page titled with the translation of `title_key`.
    pub fn layout(&self, title_key: &str) -> Layout {
        self.layout_titled(self.tr.t(title_key))
    }

    /// The layout for a page about a record, titled with its name or title (data: marked as Vietnamese
    /// user content, see CONTRIBUTING.md).
    pub fn layout_named(&self, name: String) -> Layout {
        Layout { title_is_data: true, ..self.layout_titled(name) }
    }

    /// The layout for a page with a title already translated (interface text).
    pub fn layout_titled(&self, title: String) -> Layout {
        let site = self.state.site();
        let path = self.uri.path();
        let entries = crate::nav::entries(&self.auth);
        let current = crate::nav::current(&entries, path);
        let nav = entries
            .iter()
            .enumerate()
            .map(|(i, e)| NavItem { href: e.href, label: self.tr.t(e.key), active: current == Some(i) })
            .collect();
        Layout {
            tr: self.tr,
            lang: self.lang.tag(),
            title,
            title_is_data: false,
            organization: match self.lang {
                Lang::Vi => site.organization_vi.clone(),
                Lang::En => site.organization_en.clone(),
            },
            nav,
            url_vi: with_lang(&self.uri, Lang::Vi),
            url_en: with_lang(&self.uri, Lang::En),
            css_url: assets::url("app.css"),
            js_url: assets::url("app.js"),
            icons_url: assets::url("icons.svg"),
            logo_url: assets::url("logo.svg"),
            version: env!("CARGO_PKG_VERSION"),
            year: chrono::Datelike::year(&tiendo_core::time::vietnam_date(chrono::Utc::now())),
            user: self.auth.user.clone(),
            csrf: self.auth.csrf_token().to_owned(),
            here: self.uri.path_and_query().map_or_else(|| "/".to_owned(), |pq| pq.as_str().to_owned()),
            unread_notifications: self.auth.unread_notifications,
            footer: self.state.portal().settings(),
        }
    }
}

/// Renders a template into an HTML response; a rendering failure is an internal error.
pub fn render(template: &impl Template) -> Result<Response, AppError> {
    template.render().map(|html| Html(html).into_response()).map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_lang_replaces_only_the_lang_parameter() {
        let uri: Uri = "/units?province=22&lang=vi".parse().unwrap();
        assert_eq!(with_lang(&uri, Lang::En), "/units?province=22&lang=en");
        let uri: Uri = "/".parse().unwrap();
        assert_eq!(with_lang(&uri, Lang::Vi), "/?lang=vi");
    }
}
