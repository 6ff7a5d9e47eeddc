//! The home page.

use askama::Template;
use axum::response::Response;

use crate::error::AppError;
use crate::layout::{Ctx, Layout, render};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
}

/// `GET /`: the home page.
pub async fn show(ctx: Ctx) -> Result<Response, AppError> {
    render(&HomePage { layout: ctx.layout("home-title") })
}
