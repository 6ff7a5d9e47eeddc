//! Reading and writing cookies, without a dependency: we only need name/value pairs and a few attributes.

use axum::http::HeaderMap;
use axum::http::header::COOKIE;

/// The value of the cookie `name` in the request headers, if present.
pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"'))
}

/// Attributes of a cookie to set.
#[derive(Debug, Clone, Copy)]
pub struct CookieSpec {
    /// `Max-Age` in seconds; `None` makes a session cookie.
    pub max_age_secs: Option<u64>,
    /// Not readable by scripts.
    pub http_only: bool,
    /// Only sent over TLS.
    pub secure: bool,
}

/// A `Set-Cookie` header value: `Path=/`, `SameSite=Lax`, and the given attributes.
pub fn set(name: &str, value: &str, spec: CookieSpec) -> String {
    let mut out = format!("{name}={value}; Path=/; SameSite=Lax");
    if let Some(age) = spec.max_age_secs {
        out.push_str(&format!("; Max-Age={age}"));
    }
    if spec.http_only {
        out.push_str("; HttpOnly");
    }
    if spec.secure {
        out.push_str("; Secure");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn cookies_are_found_among_several_headers() {
        let mut h = HeaderMap::new();
        h.append(COOKIE, HeaderValue::from_static("a=1; lang=en"));
        h.append(COOKIE, HeaderValue::from_static("b=2"));
        assert_eq!(get(&h, "lang"), Some("en"));
        assert_eq!(get(&h, "b"), Some("2"));
        assert_eq!(get(&h, "c"), None);
    }

    #[test]
    fn set_cookie_has_safe_defaults() {
        let spec = CookieSpec { max_age_secs: Some(60), http_only: true, secure: true };
        assert_eq!(set("s", "x", spec), "s=x; Path=/; SameSite=Lax; Max-Age=60; HttpOnly; Secure");
    }
}
