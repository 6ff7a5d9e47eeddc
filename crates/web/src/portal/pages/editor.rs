//! The editors' pages: the list of articles, the article form (Markdown with a small toolbar and a live
//! preview), the workflow buttons, photos with captions, revisions and history; categories. Every write is
//! a `tiendo_app::portal` use case.

use crate::extract::Multipart;
use askama::Template;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use tiendo_app::portal::articles::{self as use_case, ArticleForm, NewCategory};
use tiendo_app::portal::media::{NewPhoto, PhotoChange};
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::portal::markdown::render_article;
use tiendo_core::portal::{ArticleAction, ArticleDraft, ArticleState, available_actions, parse_publish_at};
use tiendo_db::portal::articles::{self, Article};
use tiendo_db::portal::media as media_db;

use super::ImageView;
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::forms::FormErrors;
use crate::forms::fields::Submitted;
use crate::history::HistoryItem;
use crate::layout::{Ctx, Layout};

fn html(page: &impl Template, status: StatusCode) -> Result<Response, AppError> {
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

/// The editors' area is for those who may read unpublished articles (editors, the department's leaders).
fn require_view(ctx: &Ctx) -> Result<(), AppError> {
    if authorize(&ctx.auth.actor, Action::View, &Resource::Article { published: false }).is_allowed() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn state_label(ctx: &Ctx, state: ArticleState) -> String {
    ctx.tr.t(&format!("article-state-{}", state.code()))
}

/// An article in the editors' list.
#[derive(Debug, Clone)]
pub struct Row {
    id: i64,
    title: String,
    state: &'static str,
    state_label: String,
    updated: String,
    published: String,
}

/// Filters of the list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    q: String,
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/admin_articles.html")]
struct ListPage {
    layout: Layout,
    q: ListQuery,
    states: Vec<(&'static str, String)>,
    rows: Vec<Row>,
    pager: crate::forms::fields::Pager,
    categories: Vec<articles::Category>,
    may_create: bool,
}

/// `GET /admin/articles`.
pub async fn list(ctx: Ctx, Query(q): Query<ListQuery>) -> Result<Response, AppError> {
    require_view(&ctx)?;
    let page = crate::forms::fields::page_number(q.page.as_deref());
    let state = ArticleState::from_code(&q.state);
    let (items, total) = articles::list_all(ctx.state.db(), state, Some(&q.q), 50, (page - 1) * 50).await?;
    let rows: Vec<Row> = items
        .iter()
        .map(|a| Row {
            id: a.id,
            title: a.title.clone(),
            state: a.state().code(),
            state_label: state_label(&ctx, a.state()),
            updated: tiendo_core::fmt::datetime(a.updated_at),
            published: a.published_at.map(tiendo_core::fmt::datetime).unwrap_or_default(),
        })
        .collect();
    let pager = crate::forms::fields::pager(
        &ctx.tr,
        "/admin/articles",
        &[("state", q.state.clone()), ("q", q.q.clone())],
        page,
        50,
        total,
        rows.len(),
    );
    let page_view = ListPage {
        layout: ctx.layout("portal-admin-articles-title"),
        states: ArticleState::ALL.iter().map(|s| (s.code(), state_label(&ctx, *s))).collect(),
        rows,
        pager,
        categories: articles::categories(ctx.state.db()).await?,
        may_create: tiendo_app::portal::may_create(ctx.auth.session()),
        q,
    };
    html(&page_view, StatusCode::OK)
}

/// The article form as typed.
fn form_of(f: &Submitted) -> ArticleForm {
    let ids = |name: &str| f.all(name).iter().filter_map(|v| v.parse().ok()).collect();
    ArticleForm {
        draft: ArticleDraft {
            title: f.get("title"),
            slug: f.get("slug"),
            summary: f.get("summary"),
            body: f.get("body"),
            tags: f.get("tags"),
        },
        // A value that is not a number names no category (0), and is refused as such.
        category_id: match f.get("category_id").trim() {
            "" => None,
            raw => Some(raw.parse().unwrap_or(0)),
        },
        featured: f.has("featured"),
        comments_closed: f.has("comments_closed"),
        premoderation: f.get("premoderation"),
        organizations: ids("orgs"),
        documents: ids("docs"),
        visits: ids("visits"),
    }
}

/// A photo on the edit page.
#[derive(Debug, Clone)]
pub struct PhotoRow {
    id: i64,
    image: ImageView,
    markdown: String,
    sort_order: i64,
}

/// An option of a select.
#[derive(Debug, Clone)]
pub struct Opt {
    id: i64,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "portal/admin_article.html")]
struct FormPage {
    layout: Layout,
    id: Option<i64>,
    slug: String,
    state: &'static str,
    state_label: String,
    revision: i64,
    form: ArticleForm,
    errors: FormErrors,
    categories: Vec<Opt>,
    orgs: Vec<Opt>,
    docs: Vec<Opt>,
    preview: String,
    actions: Vec<(&'static str, String)>,
    photos: Vec<PhotoRow>,
    revisions: Vec<(i64, String, String)>,
    history: Vec<HistoryItem>,
    notice: String,
    publish_at: String,
    /// The visits the article is about: (id, title).
    visit_links: Vec<(i64, String)>,
    upload_caption: String,
    upload_alt: String,
}

/// Renders the article form (new or existing) with input and errors.
async fn form_page(
    ctx: &Ctx,
    existing: Option<&Article>,
    form: ArticleForm,
    errors: FormErrors,
    notice: String,
    status: StatusCode,
) -> Result<Response, AppError> {
    let db = ctx.state.db();
    let (org_options, doc_options) = articles::link_options(db).await?;
    let selected_category = form.category_id;
    let categories = articles::categories(db)
        .await?
        .into_iter()
        .map(|c| {
            // A category has a name in each language (the Vietnamese one when the English one is missing).
            let label = match ctx.lang {
                tiendo_core::lang::Lang::En if !c.name_en.trim().is_empty() => c.name_en,
                _ => c.name_vi,
            };
            Opt { selected: Some(c.id) == selected_category, id: c.id, label }
        })
        .collect();
    let orgs = org_options
        .into_iter()
        .map(|(id, label)| Opt { selected: form.organizations.contains(&id), id, label })
        .collect();
    let docs =
        doc_options.into_iter().map(|(id, label)| Opt { selected: form.documents.contains(&id), id, label }).collect();
    let (photos, revisions, history, actions) = match existing {
        Some(a) => {
            let media = media_db::of_article(db, a.id).await?;
            let ids: Vec<i64> = media.iter().map(|m| m.id).collect();
            let widths = media_db::widths(db, &ids).await?;
            let photos = media
                .iter()
                .map(|m| PhotoRow {
                    id: m.id,
                    image: super::image_view(m, &widths, "small"),
                    markdown: format!("![{}]({} \"{}\")", m.alt, m.url("large"), m.caption.replace('"', "'")),
                    sort_order: m.sort_order,
                })
                .collect();
            let revisions = articles::revisions(db, a.id)
                .await?
                .into_iter()
                .map(|r| (r.number, tiendo_core::fmt::datetime(r.created_at), r.author_label))
                .collect();
            let history = crate::history::load(&ctx.state, &ctx.tr, "article", a.id).await?;
            let actions = available_actions(&ctx.auth.actor, a.state())
                .into_iter()
                .map(|act| (act.code(), ctx.tr.t(&format!("article-action-{}", act.code()))))
                .collect();
            (photos, revisions, history, actions)
        }
        None => (Vec::new(), Vec::new(), Vec::new(), Vec::new()),
    };
    let mut visit_links = Vec::new();
    for &id in &form.visits {
        let title = tiendo_db::visits::get(db, id).await?.map(|v| v.title).unwrap_or_default();
        visit_links.push((id, title));
    }
    let title = if existing.is_some() { "portal-article-edit-title" } else { "portal-article-new-title" };
    let page = FormPage {
        layout: ctx.layout(title),
        id: existing.map(|a| a.id),
        slug: existing.map(|a| a.slug.clone()).unwrap_or_default(),
        state: existing.map_or("draft", |a| a.state().code()),
        state_label: state_label(ctx, existing.map_or(ArticleState::Draft, Article::state)),
        revision: existing.map_or(0, |a| a.revision),
        preview: render_article(&form.draft.body),
        form,
        errors,
        categories,
        orgs,
        docs,
        actions,
        photos,
        revisions,
        history,
        notice,
        publish_at: existing.and_then(|a| a.publish_at).map(tiendo_core::fmt::datetime).unwrap_or_default(),
        visit_links,
        upload_caption: String::new(),
        upload_alt: String::new(),
    };
    html(&page, status)
}

/// `GET /admin/articles/new`.
pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    if !tiendo_app::portal::may_create(ctx.auth.session()) {
        return Err(AppError::Forbidden);
    }
    let form = ArticleForm { premoderation: "site".into(), ..Default::default() };
    form_page(&ctx, None, form, FormErrors::new(), String::new(), StatusCode::OK).await
}

/// `POST /admin/articles`.
pub async fn create(ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    let form = form_of(&Submitted::parse(&body));
    match use_case::create(ctx.state.app(), ctx.auth.session(), &form).await {
        Ok(a) => Ok(Redirect::to(&format!("/admin/articles/{}?done=created", a.id)).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            let errors = FormErrors::from_fields(&errors, &ctx.tr);
            form_page(&ctx, None, form, errors, String::new(), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The article, for the editors' area.
async fn load(ctx: &Ctx, id: i64) -> Result<Article, AppError> {
    Ok(tiendo_app::portal::readable_article(ctx.state.app(), ctx.auth.session(), id).await?)
}

/// Notices after an action.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

fn notice(ctx: &Ctx, done: Option<&str>) -> String {
    match done {
        Some(code @ ("created" | "created_partly" | "saved" | "uploaded" | "photo_saved" | "photo_deleted")) => {
            ctx.tr.t(&format!("portal-done-{code}"))
        }
        Some(code) if ArticleAction::from_code(code).is_some() => ctx.tr.t(&format!("portal-done-{code}")),
        _ => String::new(),
    }
}

/// Renders the form of a stored article again, with errors (a refused action, photo or save).
async fn refused(ctx: &Ctx, a: &Article, errors: FormErrors) -> Result<Response, AppError> {
    let form = ArticleForm::of(ctx.state.app(), a).await?;
    form_page(ctx, Some(a), form, errors, String::new(), StatusCode::UNPROCESSABLE_ENTITY).await
}

/// `GET /admin/articles/{id}`.
pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>, Query(q): Query<DoneQuery>) -> Result<Response, AppError> {
    let a = load(&ctx, id).await?;
    let form = ArticleForm::of(ctx.state.app(), &a).await?;
    let n = notice(&ctx, q.done.as_deref());
    form_page(&ctx, Some(&a), form, FormErrors::new(), n, StatusCode::OK).await
}

/// `POST /admin/articles/{id}`: saves a new revision.
pub async fn update(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let form = form_of(&Submitted::parse(&body));
    match use_case::update(ctx.state.app(), ctx.auth.session(), id, &form).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/articles/{id}?done=saved")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            let a = load(&ctx, id).await?;
            let errors = FormErrors::from_fields(&errors, &ctx.tr);
            form_page(&ctx, Some(&a), form, errors, String::new(), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/articles/{id}/workflow`: a workflow action, with the publication time typed.
pub async fn workflow(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let a = load(&ctx, id).await?;
    let f = Submitted::parse(&body);
    let action = ArticleAction::from_code(&f.get("action"))
        .ok_or(AppError::BadRequest { code: "invalid_action", detail: None })?;
    let raw_at = f.get("publish_at");
    let publish_at = if raw_at.trim().is_empty() {
        None
    } else if let Some(at) = parse_publish_at(&raw_at) {
        Some(at)
    } else {
        let mut errors = FormErrors::new();
        errors.add("publish_at", ctx.tr.t("field-publish_at_format"));
        return refused(&ctx, &a, errors).await;
    };
    let moved = use_case::transition(ctx.state.app(), ctx.auth.session(), id, action, publish_at).await?;
    let done = if moved.state() == ArticleState::Scheduled { "schedule" } else { action.code() };
    Ok(Redirect::to(&format!("/admin/articles/{id}?done={done}")).into_response())
}

/// `POST /admin/articles/preview`: the rendered body of the form, as the fragment the live preview swaps in.
pub async fn preview(ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    if !tiendo_app::portal::may_create(ctx.auth.session()) {
        return Err(AppError::Forbidden);
    }
    let f = Submitted::parse(&body);
    let html = render_article(&tiendo_core::text::normalize_multiline(&f.get("body")));
    Ok(Html(format!("<div id=\"article-preview\" class=\"article-body preview\" aria-live=\"polite\">{html}</div>"))
        .into_response())
}

/// `POST /admin/articles/{id}/media`: a photo with its caption and alternative text.
pub async fn upload_media(ctx: Ctx, Path(id): Path<i64>, form: Multipart) -> Result<Response, AppError> {
    let (fields, photo) = crate::portal::read_photo_form(form, "photo").await?;
    let field = |name: &str| crate::monitoring::uploads::field(&fields, name).to_owned();
    let new = NewPhoto { photo, caption: field("caption"), alt: field("alt") };
    match tiendo_app::portal::media::add_to_article(ctx.state.app(), ctx.auth.session(), id, new).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/articles/{id}?done=uploaded#photos")).into_response()),
        Err(tiendo_app::Error::Invalid(errors)) => {
            let a = load(&ctx, id).await?;
            refused(&ctx, &a, FormErrors::from_fields(&errors, &ctx.tr)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/articles/{id}/media/{media_id}`: changes a photo's caption, text and position, or removes it.
pub async fn edit_media(ctx: Ctx, Path((id, media_id)): Path<(i64, i64)>, body: Bytes) -> Result<Response, AppError> {
    let f = Submitted::parse(&body);
    let (app, session) = (ctx.state.app(), ctx.auth.session());
    if f.has("delete") {
        tiendo_app::portal::media::delete_photo(app, session, id, media_id).await?;
        return Ok(Redirect::to(&format!("/admin/articles/{id}?done=photo_deleted#photos")).into_response());
    }
    let change = PhotoChange {
        caption: f.get("caption"),
        alt: f.get("alt"),
        sort_order: f.get("sort_order").trim().parse().ok(),
    };
    match tiendo_app::portal::media::update_photo(app, session, id, media_id, &change).await {
        Ok(()) => Ok(Redirect::to(&format!("/admin/articles/{id}?done=photo_saved#photos")).into_response()),
        Err(tiendo_app::Error::Invalid(_)) => {
            let a = load(&ctx, id).await?;
            let mut errors = FormErrors::new();
            errors.add(&format!("alt-{media_id}"), ctx.tr.t("portal-photo-invalid"));
            refused(&ctx, &a, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "portal/admin_revision.html")]
struct RevisionPage {
    layout: Layout,
    id: i64,
    number: i64,
    title: String,
    summary: String,
    body: String,
    html: String,
    tags: String,
    author: String,
    at: String,
}

/// `GET /admin/articles/{id}/revisions/{number}`: a kept version.
pub async fn revision(ctx: Ctx, Path((id, number)): Path<(i64, i64)>) -> Result<Response, AppError> {
    let a = load(&ctx, id).await?;
    let r = articles::revision(ctx.state.db(), a.id, number).await?.ok_or(AppError::NotFound)?;
    let page = RevisionPage {
        layout: ctx.layout_named(format!("{} · {}", a.title, number)),
        id,
        number,
        html: render_article(&r.body),
        title: r.title,
        summary: r.summary,
        body: r.body,
        tags: r.tags,
        author: r.author_label,
        at: tiendo_core::fmt::datetime(r.created_at),
    };
    html(&page, StatusCode::OK)
}

/// `POST /admin/categories`: a new category.
pub async fn create_category(ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    let f = Submitted::parse(&body);
    let new = NewCategory { name_vi: f.get("name_vi"), name_en: f.get("name_en"), slug: String::new() };
    use_case::create_category(ctx.state.app(), ctx.auth.session(), &new).await?;
    Ok(Redirect::to("/admin/articles").into_response())
}
