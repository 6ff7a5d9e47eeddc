//! Readers' comments and reports on the article page; the guards of issue 9 are
//! `tiendo_app::portal::comments`.

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use tiendo_app::portal::comments::{self, Outcome};
use tiendo_core::portal::{CommentDraft, CommentStatus};

use super::public::{readable, render_article, with_status};
use crate::error::AppError;
use crate::extract::Path;
use crate::forms::FormErrors;
use crate::forms::fields::Submitted;
use crate::layout::Ctx;

/// The name of the honeypot field: hidden from people, filled by robots.
pub const HONEYPOT: &str = "website";

/// Counts what became of a comment sent (`portal_comments_total` by state, `portal_comments_refused_total`
/// by reason), from the page or the API.
pub fn count(result: &Result<Outcome, tiendo_app::Error>) {
    let refused = |reason: &'static str| metrics::counter!("portal_comments_refused_total", "reason" => reason);
    match result {
        Ok(Outcome::Posted(p)) => metrics::counter!("portal_comments_total", "status" => p.status.code()).increment(1),
        Ok(Outcome::Ignored) => refused("honeypot").increment(1),
        Err(tiendo_app::Error::Forbidden { code: "comments_closed" }) => refused("closed").increment(1),
        Err(tiendo_app::Error::TooManyAttempts { .. }) => refused("flood").increment(1),
        Err(_) => {}
    }
}

/// `POST /news/{slug}/comments`: a reader's comment.
pub async fn post(ctx: Ctx, headers: HeaderMap, Path(slug): Path<String>, body: Bytes) -> Result<Response, AppError> {
    let a = readable(&ctx, &slug).await?;
    let form = Submitted::parse(&body);
    let draft = CommentDraft { name: form.get("name"), email: form.get("email"), text: form.get("text") };
    let result = comments::post(ctx.state.app(), ctx.auth.session(), a.id, &draft, &form.get(HONEYPOT)).await;
    count(&result);
    let (status, errors, retry) = match result {
        Ok(Outcome::Posted(posted)) if posted.status == CommentStatus::Pending => {
            return Ok(Redirect::to(&format!(
                "/news/{}?pending={}-{}#comment-{}",
                a.slug, posted.id, posted.secret, posted.id
            ))
            .into_response());
        }
        Ok(Outcome::Posted(posted)) => {
            return Ok(Redirect::to(&format!("/news/{}?done=posted#comment-{}", a.slug, posted.id)).into_response());
        }
        // The robot is told nothing: it sees what a reader whose comment waits would see, without the comment.
        Ok(Outcome::Ignored) => {
            return Ok(Redirect::to(&format!("/news/{}?done=posted#comments", a.slug)).into_response());
        }
        Err(tiendo_app::Error::Forbidden { code: "comments_closed" }) => {
            let mut errors = FormErrors::new();
            errors.add("text", ctx.tr.t("portal-comments-closed"));
            (StatusCode::FORBIDDEN, errors, None)
        }
        Err(tiendo_app::Error::TooManyAttempts { retry_after_secs }) => {
            let mut errors = FormErrors::new();
            let minutes = retry_after_secs.div_ceil(60).to_string();
            errors.add("text", ctx.tr.t_with("portal-comment-flood", &[("minutes", &minutes)]));
            (StatusCode::TOO_MANY_REQUESTS, errors, Some(retry_after_secs))
        }
        Err(tiendo_app::Error::Invalid(errors)) => {
            (StatusCode::UNPROCESSABLE_ENTITY, FormErrors::from_fields(&errors, &ctx.tr), None)
        }
        Err(e) => return Err(e.into()),
    };
    let html = render_article(&ctx, &headers, &a, draft, errors, String::new(), None).await?;
    let mut response = with_status(status, html);
    if let Some(v) = retry.and_then(|r| r.to_string().parse().ok()) {
        response.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
    }
    Ok(response)
}

/// `POST /comments/{id}/report`: a reader reports a comment.
pub async fn report(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    let comment = comments::report(ctx.state.app(), ctx.auth.session(), id).await?;
    Ok(Redirect::to(&format!("/news/{}?done=reported#comments", comment.article_slug)).into_response())
}
