//! The editors' pages: the list of articles, the article form (Markdown with a small toolbar and a live
//! preview), the workflow buttons, photos with captions, revisions and history; categories.

use askama::Template;
use axum::body::Bytes;
use axum::extract::multipart::Multipart;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde::Deserialize;
use tiendo_core::authz::{Action, Resource, authorize};
use tiendo_core::portal::markdown::render_article;
use tiendo_core::portal::{ArticleAction, ArticleDraft, ArticleFields, ArticleState, TransitionError, transition};
use tiendo_db::audit::{self, Change, NewEvent};
use tiendo_db::portal::articles::{self, Article, ArticleInput, Author};
use tiendo_db::portal::media as media_db;

use super::ImageView;
use crate::error::{AppError, FieldError};
use crate::forms::FormErrors;
use crate::forms::fields::Submitted;
use crate::history::HistoryItem;
use crate::layout::{Ctx, Layout};

fn html(page: &impl Template, status: StatusCode) -> Result<Response, AppError> {
    Ok((status, Html(page.render().map_err(AppError::internal)?)).into_response())
}

fn require(ctx: &Ctx, action: Action, published: bool) -> Result<(), AppError> {
    if authorize(&ctx.auth.actor, action, &Resource::Article { published }).is_allowed() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub(crate) fn author(ctx: &Ctx) -> Author {
    Author {
        user_id: ctx.auth.user.as_ref().map(|u| u.id),
        name: ctx.auth.user.as_ref().map(|u| u.display_name.clone()).unwrap_or_default(),
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
    require(&ctx, Action::View, false)?;
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
        may_create: authorize(&ctx.auth.actor, Action::Create, &Resource::Article { published: false }).is_allowed(),
        q,
    };
    html(&page_view, StatusCode::OK)
}

/// The article form as typed.
#[derive(Debug, Clone, Default)]
pub struct ArticleForm {
    pub(crate) draft: ArticleDraft,
    pub(crate) category_id: String,
    pub(crate) featured: bool,
    pub(crate) comments_closed: bool,
    pub(crate) premoderation: String,
    pub(crate) orgs: Vec<i64>,
    pub(crate) docs: Vec<i64>,
    /// The working visits the article is about (made from a visit's page; kept through every save).
    pub(crate) visits: Vec<i64>,
}

impl ArticleForm {
    fn from_submitted(f: &Submitted) -> ArticleForm {
        ArticleForm {
            draft: ArticleDraft {
                title: f.get("title"),
                slug: f.get("slug"),
                summary: f.get("summary"),
                body: f.get("body"),
                tags: f.get("tags"),
            },
            category_id: f.get("category_id"),
            featured: f.has("featured"),
            comments_closed: f.has("comments_closed"),
            premoderation: f.get("premoderation"),
            orgs: f.all("orgs").iter().filter_map(|v| v.parse().ok()).collect(),
            docs: f.all("docs").iter().filter_map(|v| v.parse().ok()).collect(),
            visits: f.all("visits").iter().filter_map(|v| v.parse().ok()).collect(),
        }
    }

    async fn of(ctx: &Ctx, a: &Article) -> Result<ArticleForm, AppError> {
        let tags = articles::tags_of(ctx.state.db(), a.id).await?;
        let links = articles::links_of(ctx.state.db(), a.id).await?;
        Ok(ArticleForm {
            draft: ArticleDraft {
                title: a.title.clone(),
                slug: a.slug.clone(),
                summary: a.summary.clone(),
                body: a.body.clone(),
                tags: tags.into_iter().map(|t| t.name).collect::<Vec<_>>().join(", "),
            },
            category_id: a.category_id.map(|c| c.to_string()).unwrap_or_default(),
            featured: a.featured,
            comments_closed: a.comments_closed,
            premoderation: a.premoderation.clone(),
            orgs: links.iter().filter(|l| l.entity_type == "organization").map(|l| l.entity_id).collect(),
            docs: links.iter().filter(|l| l.entity_type == "document").map(|l| l.entity_id).collect(),
            visits: links.iter().filter(|l| l.entity_type == "visit").map(|l| l.entity_id).collect(),
        })
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
    let selected_category: Option<i64> = form.category_id.parse().ok();
    let categories = articles::categories(db)
        .await?
        .into_iter()
        .map(|c| Opt { selected: Some(c.id) == selected_category, id: c.id, label: c.name_vi })
        .collect();
    let orgs =
        org_options.into_iter().map(|(id, label)| Opt { selected: form.orgs.contains(&id), id, label }).collect();
    let docs =
        doc_options.into_iter().map(|(id, label)| Opt { selected: form.docs.contains(&id), id, label }).collect();
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
            let actions = tiendo_core::portal::available_actions(&ctx.auth.actor, a.state())
                .into_iter()
                .map(|act| (act.code(), ctx.tr.t(&format!("article-action-{}", act.code()))))
                .collect();
            (photos, revisions, history, actions)
        }
        None => (Vec::new(), Vec::new(), Vec::new(), Vec::new()),
    };
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
        publish_at: existing
            .and_then(|a| a.publish_at)
            .map(|t| tiendo_core::time::to_vietnam(t).format("%Y-%m-%dT%H:%M").to_string())
            .unwrap_or_default(),
        upload_caption: String::new(),
        upload_alt: String::new(),
    };
    html(&page, status)
}

/// `GET /admin/articles/new`.
pub async fn new_form(ctx: Ctx) -> Result<Response, AppError> {
    require(&ctx, Action::Create, false)?;
    let form = ArticleForm { premoderation: "site".into(), ..Default::default() };
    form_page(&ctx, None, form, FormErrors::new(), String::new(), StatusCode::OK).await
}

/// Checks the form: the repository's input, or the errors.
pub(crate) async fn validate(
    ctx: &Ctx,
    form: &ArticleForm,
    except: Option<i64>,
) -> Result<Result<ArticleInput, FormErrors>, AppError> {
    let mut errors: Vec<FieldError> = Vec::new();
    let fields: Option<ArticleFields> = match form.draft.validate() {
        Ok(f) => Some(f),
        Err(issues) => {
            for i in issues {
                let mut e = FieldError::new(i.field, i.code);
                for (k, v) in i.args {
                    e = e.arg(k, v);
                }
                errors.push(e);
            }
            None
        }
    };
    if let Some(f) = &fields
        && articles::slug_taken(ctx.state.db(), &f.slug, except).await?
    {
        errors.push(FieldError::new("slug", "slug_taken"));
    }
    let category_id = match form.category_id.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(id) if articles::categories(ctx.state.db()).await?.iter().any(|c| c.id == id) => Some(id),
            _ => {
                errors.push(FieldError::new("category_id", "invalid"));
                None
            }
        },
    };
    let premoderation = match form.premoderation.as_str() {
        "" | "site" => "site",
        "on" => "on",
        "off" => "off",
        _ => {
            errors.push(FieldError::new("premoderation", "invalid"));
            "site"
        }
    };
    for visit in &form.visits {
        if tiendo_db::visits::get(ctx.state.db(), *visit).await?.is_none() {
            errors.push(FieldError::new("visits", "invalid"));
            break;
        }
    }
    match fields {
        Some(f) if errors.is_empty() => {
            let mut links: Vec<(String, i64)> = form.orgs.iter().map(|id| ("organization".to_owned(), *id)).collect();
            links.extend(form.docs.iter().map(|id| ("document".to_owned(), *id)));
            links.extend(form.visits.iter().map(|id| ("visit".to_owned(), *id)));
            Ok(Ok(ArticleInput {
                body_html: render_article(&f.body),
                slug: f.slug,
                title: f.title,
                summary: f.summary,
                body: f.body,
                tags: f.tags,
                category_id,
                featured: form.featured,
                comments_closed: form.comments_closed,
                premoderation: premoderation.to_owned(),
                links,
                is_sample: false,
            }))
        }
        _ => Ok(Err(FormErrors::from_fields(&errors, &ctx.tr))),
    }
}

/// `POST /admin/articles`.
pub async fn create(ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    require(&ctx, Action::Create, false)?;
    let form = ArticleForm::from_submitted(&Submitted::parse(&body));
    let input = match validate(&ctx, &form, None).await? {
        Ok(i) => i,
        Err(errors) => {
            return form_page(&ctx, None, form, errors, String::new(), StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let tx = ctx.state.db().begin().await?;
    let id = articles::create(&tx, &input, &author(&ctx)).await?;
    audit::append(
        &tx,
        &ctx.auth.who(),
        &NewEvent::new("article_create", "article", id, format!("Tạo bài «{}»", input.title))
            .with_changes(vec![Change::new("title", (), &input.title), Change::new("slug", (), &input.slug)]),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/articles/{id}?done=created")).into_response())
}

async fn load(ctx: &Ctx, id: i64) -> Result<Article, AppError> {
    let a = articles::get(ctx.state.db(), id).await?.ok_or(AppError::NotFound)?;
    require(ctx, Action::View, a.state().is_public())?;
    Ok(a)
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

/// `GET /admin/articles/{id}`.
pub async fn edit_form(ctx: Ctx, Path(id): Path<i64>, Query(q): Query<DoneQuery>) -> Result<Response, AppError> {
    let a = load(&ctx, id).await?;
    let form = ArticleForm::of(&ctx, &a).await?;
    let n = notice(&ctx, q.done.as_deref());
    form_page(&ctx, Some(&a), form, FormErrors::new(), n, StatusCode::OK).await
}

/// `POST /admin/articles/{id}`: saves a new revision.
pub async fn update(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let a = load(&ctx, id).await?;
    require(&ctx, Action::Edit, a.state().is_public())?;
    let form = ArticleForm::from_submitted(&Submitted::parse(&body));
    let input = match validate(&ctx, &form, Some(id)).await? {
        Ok(i) => i,
        Err(errors) => {
            return form_page(&ctx, Some(&a), form, errors, String::new(), StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let tx = ctx.state.db().begin().await?;
    let revision = articles::update(&tx, &a, &input, &author(&ctx)).await?;
    let mut diff = audit::Diff::new();
    diff.field("title", &a.title, &input.title)
        .field("slug", &a.slug, &input.slug)
        .field("summary", &a.summary, &input.summary)
        .field("featured", &a.featured, &input.featured)
        .field("comments_closed", &a.comments_closed, &input.comments_closed)
        .field("premoderation", &a.premoderation, &input.premoderation)
        .field("revision", &a.revision, &revision);
    if a.body != input.body {
        diff.field(
            "body",
            &format!("{} ký tự", a.body.chars().count()),
            &format!("{} ký tự", input.body.chars().count()),
        );
    }
    audit::append(
        &tx,
        &ctx.auth.who(),
        &NewEvent::new("article_update", "article", id, format!("Sửa bài «{}» (phiên bản {revision})", input.title))
            .with_changes(diff.into_changes()),
    )
    .await?;
    if a.state().is_public() {
        tiendo_db::portal::bump_stamp(&tx).await?;
    }
    tx.commit().await?;
    super::published(&ctx);
    Ok(Redirect::to(&format!("/admin/articles/{id}?done=saved")).into_response())
}

/// Parses the scheduled time typed (`2026-03-05T08:00` from the date-time field, or `05/03/2026 08:00`)
/// as Vietnam time.
pub fn parse_publish_at(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    let naive = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%d/%m/%Y %H:%M"))
        .ok()?;
    tiendo_core::time::vietnam_offset().from_local_datetime(&naive).single().map(|t| t.with_timezone(&Utc))
}

/// Applies a workflow action; the new state, or the refusal.
pub async fn apply(
    ctx: &Ctx,
    a: &Article,
    action: ArticleAction,
    publish_at: Option<DateTime<Utc>>,
) -> Result<Result<ArticleState, TransitionError>, AppError> {
    let now = Utc::now();
    let next = match transition(&ctx.auth.actor, a.state(), action, publish_at, now) {
        Ok(n) => n,
        Err(e) => return Ok(Err(e)),
    };
    let tx = ctx.state.db().begin().await?;
    let at = if next == ArticleState::Scheduled { publish_at } else { None };
    articles::set_state(&tx, a.id, next, at, now).await?;
    let code = match action {
        ArticleAction::Submit => "article_submit",
        ArticleAction::Return => "article_return",
        ArticleAction::Publish if next == ArticleState::Scheduled => "article_schedule",
        ArticleAction::Publish => "article_publish",
        ArticleAction::Unschedule => "article_unschedule",
        ArticleAction::Unpublish => "article_unpublish",
        ArticleAction::Redraft => "article_redraft",
    };
    let mut changes = vec![Change::new("state", a.state().code(), next.code())];
    if let Some(at) = at {
        changes.push(Change::new("publish_at", (), tiendo_core::fmt::datetime(at)));
    }
    audit::append(
        &tx,
        &ctx.auth.who(),
        &NewEvent::new(code, "article", a.id, format!("«{}»: {} → {}", a.title, a.state().code(), next.code()))
            .with_changes(changes),
    )
    .await?;
    if a.state().is_public() || next.is_public() {
        tiendo_db::portal::bump_stamp(&tx).await?;
    }
    tx.commit().await?;
    super::published(ctx);
    Ok(Ok(next))
}

/// `POST /admin/articles/{id}/workflow`.
pub async fn workflow(ctx: Ctx, Path(id): Path<i64>, body: Bytes) -> Result<Response, AppError> {
    let a = load(&ctx, id).await?;
    let f = Submitted::parse(&body);
    let action = ArticleAction::from_code(&f.get("action"))
        .ok_or(AppError::BadRequest { code: "invalid_action", detail: None })?;
    let raw_at = f.get("publish_at");
    let mut errors = FormErrors::new();
    let publish_at = if raw_at.trim().is_empty() {
        None
    } else {
        match parse_publish_at(&raw_at) {
            Some(t) => Some(t),
            None => {
                errors.add("publish_at", ctx.tr.t("field-publish_at_format"));
                None
            }
        }
    };
    if errors.is_empty() {
        match apply(&ctx, &a, action, publish_at).await? {
            Ok(_) => {
                let done = if action == ArticleAction::Publish && publish_at.is_some_and(|t| t > Utc::now()) {
                    "schedule"
                } else {
                    action.code()
                };
                return Ok(Redirect::to(&format!("/admin/articles/{id}?done={done}")).into_response());
            }
            Err(TransitionError::Forbidden) => return Err(AppError::Forbidden),
            Err(_) => return Err(AppError::Conflict { code: "invalid_transition" }),
        }
    }
    let form = ArticleForm::of(&ctx, &a).await?;
    form_page(&ctx, Some(&a), form, errors, String::new(), StatusCode::UNPROCESSABLE_ENTITY).await
}

/// `POST /admin/articles/preview`: the rendered body of the form, as the fragment the live preview swaps in.
pub async fn preview(ctx: Ctx, body: Bytes) -> Result<Response, AppError> {
    require(&ctx, Action::Create, false)?;
    let f = Submitted::parse(&body);
    let html = render_article(&tiendo_core::text::normalize_multiline(&f.get("body")));
    Ok(Html(format!("<div id=\"article-preview\" class=\"article-body preview\" aria-live=\"polite\">{html}</div>"))
        .into_response())
}

/// `POST /admin/articles/{id}/media`: a photo with its caption and alternative text.
pub async fn upload_media(ctx: Ctx, Path(id): Path<i64>, form: Multipart) -> Result<Response, AppError> {
    let a = load(&ctx, id).await?;
    require(&ctx, Action::Edit, a.state().is_public())?;
    let (fields, uploads, problems) = crate::monitoring::uploads::read_form(form, &["photo"]).await?;
    let caption = tiendo_core::text::normalize_input(crate::monitoring::uploads::field(&fields, "caption"));
    let alt = tiendo_core::text::normalize_input(crate::monitoring::uploads::field(&fields, "alt"));
    let mut errors: Vec<FieldError> = Vec::new();
    if !problems.is_empty() {
        errors.push(
            FieldError::new("photo", "image_too_large").arg("max", tiendo_export::photo::MAX_BYTES / (1024 * 1024)),
        );
    }
    if uploads.is_empty() && problems.is_empty() {
        errors.push(FieldError::new("photo", "required"));
    }
    if alt.is_empty() {
        errors.push(FieldError::new("alt", "required"));
    }
    for (field, value) in [("caption", &caption), ("alt", &alt)] {
        if value.chars().count() > tiendo_core::portal::MAX_CAPTION {
            errors.push(FieldError::new(field, "too_long").arg("max", tiendo_core::portal::MAX_CAPTION));
        }
    }
    let mut processed = None;
    if errors.is_empty()
        && let Some(upload) = uploads.into_iter().next()
    {
        match super::media::process(upload.bytes, "photo").await? {
            Ok(p) => processed = Some(p),
            Err(e) => errors.push(e),
        }
    }
    let Some(processed) = processed.filter(|_| errors.is_empty()) else {
        let form = ArticleForm::of(&ctx, &a).await?;
        let mut messages = FormErrors::from_fields(&errors, &ctx.tr);
        if messages.is_empty() {
            messages.add("photo", ctx.tr.t("field-image_damaged"));
        }
        return form_page(&ctx, Some(&a), form, messages, String::new(), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let tx = ctx.state.db().begin().await?;
    super::media::add_to_article(&ctx, &tx, &a, &processed, &caption, &alt).await?;
    tx.commit().await?;
    super::published(&ctx);
    Ok(Redirect::to(&format!("/admin/articles/{id}?done=uploaded#photos")).into_response())
}

/// `POST /admin/articles/{id}/media/{media_id}`: changes a photo's caption, text and position, or removes it.
pub async fn edit_media(ctx: Ctx, Path((id, media_id)): Path<(i64, i64)>, body: Bytes) -> Result<Response, AppError> {
    let a = load(&ctx, id).await?;
    require(&ctx, Action::Edit, a.state().is_public())?;
    let m = media_db::get(ctx.state.db(), media_id)
        .await?
        .filter(|m| m.article_id == Some(id))
        .ok_or(AppError::NotFound)?;
    let f = Submitted::parse(&body);
    let tx = ctx.state.db().begin().await?;
    let done = if f.has("delete") {
        media_db::delete(&tx, media_id).await?;
        audit::append(
            &tx,
            &ctx.auth.who(),
            &NewEvent::new("media_delete", "article", id, format!("Xóa ảnh «{}»", m.caption))
                .with_changes(vec![Change::new("media", media_id, ())]),
        )
        .await?;
        "photo_deleted"
    } else {
        let caption = tiendo_core::text::normalize_input(&f.get("caption"));
        let alt = tiendo_core::text::normalize_input(&f.get("alt"));
        let order = f.get("sort_order").trim().parse::<i64>().unwrap_or(m.sort_order);
        if alt.is_empty()
            || caption.chars().count() > tiendo_core::portal::MAX_CAPTION
            || alt.chars().count() > tiendo_core::portal::MAX_CAPTION
        {
            tx.rollback().await?;
            let mut errors = FormErrors::new();
            errors.add(&format!("alt-{media_id}"), ctx.tr.t("portal-photo-invalid"));
            let form = ArticleForm::of(&ctx, &a).await?;
            return form_page(&ctx, Some(&a), form, errors, String::new(), StatusCode::UNPROCESSABLE_ENTITY).await;
        }
        media_db::update(&tx, media_id, &caption, &alt, order).await?;
        let mut diff = audit::Diff::new();
        diff.field("caption", &m.caption, &caption).field("alt", &m.alt, &alt).field(
            "sort_order",
            &m.sort_order,
            &order,
        );
        audit::append(
            &tx,
            &ctx.auth.who(),
            &NewEvent::new("media_update", "article", id, format!("Sửa ảnh «{caption}»"))
                .with_changes(diff.into_changes()),
        )
        .await?;
        "photo_saved"
    };
    if a.state().is_public() {
        tiendo_db::portal::bump_stamp(&tx).await?;
    }
    tx.commit().await?;
    super::published(&ctx);
    Ok(Redirect::to(&format!("/admin/articles/{id}?done={done}#photos")).into_response())
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
        layout: ctx.layout_titled(format!("{} · {}", a.title, number)),
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
    require(&ctx, Action::Create, false)?;
    let f = Submitted::parse(&body);
    let name_vi = tiendo_core::text::normalize_input(&f.get("name_vi"));
    let name_en = tiendo_core::text::normalize_input(&f.get("name_en"));
    if name_vi.is_empty() || name_vi.chars().count() > 100 || name_en.chars().count() > 100 {
        return Err(AppError::Validation(vec![FieldError::new("name_vi", "required")]));
    }
    let slug = tiendo_core::text::slugify(&name_vi, 60);
    if articles::category_by_slug(ctx.state.db(), &slug).await?.is_some() {
        return Err(AppError::Conflict { code: "category_exists" });
    }
    let tx = ctx.state.db().begin().await?;
    let name_en = if name_en.is_empty() { name_vi.clone() } else { name_en };
    let id = articles::create_category(&tx, &slug, &name_vi, &name_en).await?;
    audit::append(
        &tx,
        &ctx.auth.who(),
        &NewEvent::new("category_create", "portal_category", id, format!("Tạo chuyên mục «{name_vi}»"))
            .with_changes(vec![Change::new("name_vi", (), &name_vi)]),
    )
    .await?;
    tiendo_db::portal::bump_stamp(&tx).await?;
    tx.commit().await?;
    super::published(&ctx);
    Ok(Redirect::to("/admin/articles").into_response())
}
