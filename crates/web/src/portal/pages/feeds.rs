//! Feeds (RSS 2.0 and Atom) of the latest published articles, the sitemap and robots.txt.

use axum::http::HeaderMap;
use axum::response::Response;
use tiendo_core::portal::markdown::escape;
use tiendo_db::portal::articles::{self, PublicFilter};

use super::{base_url, cached};
use crate::error::AppError;
use crate::layout::Ctx;

/// Articles in a feed.
const FEED_ITEMS: i64 = 30;

/// `GET /rss.xml`.
pub async fn rss(ctx: Ctx, headers: HeaderMap) -> Result<Response, AppError> {
    cached(&ctx, &headers, "application/rss+xml; charset=utf-8", || async {
        let base = base_url(&ctx, &headers);
        let (items, _) = articles::list_public(ctx.state.db(), &PublicFilter::default(), FEED_ITEMS, 0).await?;
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
        xml.push_str(&format!(
            "<title>{}</title>\n<link>{base}/news</link>\n<description>{}</description>\n<language>{}</language>\n\
             <atom:link href=\"{base}/rss.xml\" rel=\"self\" type=\"application/rss+xml\"/>\n",
            escape(&ctx.tr.t("portal-feed-title")),
            escape(&ctx.tr.t("site-description")),
            ctx.lang.tag()
        ));
        for a in &items {
            let link = format!("{base}/news/{}", a.slug);
            xml.push_str(&format!(
                "<item>\n<title>{}</title>\n<link>{}</link>\n<guid isPermaLink=\"true\">{}</guid>\n<description>{}</description>\n",
                escape(&a.title),
                escape(&link),
                escape(&link),
                escape(&a.summary)
            ));
            if let Some(at) = a.published_at {
                xml.push_str(&format!("<pubDate>{}</pubDate>\n", at.to_rfc2822()));
            }
            if let Some(c) = &a.category_name_vi {
                xml.push_str(&format!("<category>{}</category>\n", escape(c)));
            }
            xml.push_str("</item>\n");
        }
        xml.push_str("</channel>\n</rss>\n");
        Ok(xml)
    })
    .await
}

/// `GET /atom.xml`.
pub async fn atom(ctx: Ctx, headers: HeaderMap) -> Result<Response, AppError> {
    cached(&ctx, &headers, "application/atom+xml; charset=utf-8", || async {
        let base = base_url(&ctx, &headers);
        let (items, _) = articles::list_public(ctx.state.db(), &PublicFilter::default(), FEED_ITEMS, 0).await?;
        let updated = items.iter().map(|a| a.updated_at).max().unwrap_or_else(|| ctx.state.app().now());
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        xml.push_str(&format!(
            "<title>{}</title>\n<id>{base}/</id>\n<link href=\"{base}/news\"/>\n<link rel=\"self\" href=\"{base}/atom.xml\"/>\n<updated>{}</updated>\n<author><name>{}</name></author>\n",
            escape(&ctx.tr.t("portal-feed-title")),
            updated.to_rfc3339(),
            escape(&ctx.state.site().organization_vi)
        ));
        for a in &items {
            let link = format!("{base}/news/{}", a.slug);
            xml.push_str(&format!(
                "<entry>\n<title>{}</title>\n<id>{}</id>\n<link href=\"{}\"/>\n<updated>{}</updated>\n",
                escape(&a.title),
                escape(&link),
                escape(&link),
                a.updated_at.to_rfc3339()
            ));
            if let Some(at) = a.published_at {
                xml.push_str(&format!("<published>{}</published>\n", at.to_rfc3339()));
            }
            xml.push_str(&format!(
                "<author><name>{}</name></author>\n<summary>{}</summary>\n</entry>\n",
                escape(&a.author_name),
                escape(&a.summary)
            ));
        }
        xml.push_str("</feed>\n");
        Ok(xml)
    })
    .await
}

/// `GET /sitemap.xml`: the public pages and every published article.
pub async fn sitemap(ctx: Ctx, headers: HeaderMap) -> Result<Response, AppError> {
    cached(&ctx, &headers, "application/xml; charset=utf-8", || async {
        let base = base_url(&ctx, &headers);
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for path in ["/", "/news", "/registers", "/registers/localities"] {
            xml.push_str(&format!("<url><loc>{base}{path}</loc></url>\n"));
        }
        for c in articles::categories(ctx.state.db()).await? {
            xml.push_str(&format!("<url><loc>{base}/news/category/{}</loc></url>\n", escape(&c.slug)));
        }
        for (slug, updated) in articles::sitemap(ctx.state.db()).await? {
            xml.push_str(&format!(
                "<url><loc>{base}/news/{}</loc><lastmod>{}</lastmod></url>\n",
                escape(&slug),
                updated.format("%Y-%m-%d")
            ));
        }
        xml.push_str("</urlset>\n");
        Ok(xml)
    })
    .await
}

/// `GET /robots.txt`: the public pages may be indexed, the working areas not.
pub async fn robots(ctx: Ctx, headers: HeaderMap) -> Result<Response, AppError> {
    cached(&ctx, &headers, "text/plain; charset=utf-8", || async {
        let base = base_url(&ctx, &headers);
        let mut text = String::from("User-agent: *\n");
        for path in ["/admin", "/api/", "/login", "/account", "/notifications", "/comments/", "/files/"] {
            text.push_str(&format!("Disallow: {path}\n"));
        }
        text.push_str("Allow: /\n");
        text.push_str(&format!("Sitemap: {base}/sitemap.xml\n"));
        Ok(text)
    })
    .await
}
