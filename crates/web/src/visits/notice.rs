//! The notice of conclusions (thông báo kết luận) of a stop or of the whole visit, as DOCX or PDF in the
//! official format, through `crate::documents::render` and the `conclusion_notice` template: chaired by
//! the delegation's leader, issued by the organising organisation, listing each directive with its lead
//! unit and deadline. The notice is a draft for registration: no number yet (the clerk writes it in the
//! space left) and today's date.

use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use tiendo_core::authz::Action;
use tiendo_core::lang::Lang;
use tiendo_core::monitoring::Deadline;
use tiendo_core::visits::MemberRole;
use tiendo_db::audit::{self, NewEvent};
use tiendo_db::visits::{self, Member, Visit};
use tiendo_export::model::{DocumentSystem, Signature};

use crate::documents::{self, DocumentKind, Format, Frame, Record, Value};
use crate::error::AppError;
use crate::layout::Ctx;
use crate::monitoring::export::authority_of;
use crate::monitoring::today;
use tiendo_app::i18n::Tr;

/// A deadline as a notice writes it after "Thời hạn:": a date, "thường xuyên", "hằng năm trước ngày 15/12".
pub fn notice_deadline(d: &Deadline) -> String {
    let vi = Tr::new(Lang::Vi);
    match d {
        Deadline::Fixed { date } => tiendo_core::fmt::date(*date),
        other => {
            let words = super::service::deadline_in(&vi, other);
            let mut chars = words.chars();
            chars.next().map(|c| c.to_lowercase().chain(chars).collect()).unwrap_or_default()
        }
    }
}

/// The issuer's code in the symbol: the organisation's abbreviation, else the initials of its name.
fn issuer_code(visit: &Visit) -> String {
    visit.organizer_abbreviation.clone().filter(|a| !a.trim().is_empty()).unwrap_or_else(|| {
        let name = visit.organizer_name.split(" tỉnh ").next().unwrap_or(&visit.organizer_name);
        let initials: String = name.split_whitespace().filter_map(|w| w.chars().next()).collect();
        tiendo_core::text::remove_diacritics(&initials).to_uppercase()
    })
}

/// A member as the notice names them among those attending: "TS. Nguyễn Đắc Bình Minh, Viện trưởng Viện
/// Nghiên cứu và Phát triển Vùng" (the organisation added when the office does not name it).
fn attendee(m: &Member) -> String {
    match (&m.position, &m.organization_name) {
        (Some(p), Some(o)) if !p.contains(o.as_str()) => format!("{}, {p} {o}", m.person_name),
        (Some(p), _) => format!("{}, {p}", m.person_name),
        (None, Some(o)) => format!("{} ({o})", m.person_name),
        (None, None) => m.person_name.clone(),
    }
}

/// A conclusion as one sentence of the notice (the template follows it with "Thời hạn: …").
fn sentence(text: &str) -> String {
    let text = text.trim().replace('\n', " ");
    if text.ends_with(['.', '!', '?', ';', ':']) { text } else { format!("{text}.") }
}

/// Builds the record and the frame of a notice; `stop` none for the whole visit.
async fn notice_parts(ctx: &Ctx, visit: &Visit, stop: Option<i64>) -> Result<(Record, Frame, String), AppError> {
    let db = ctx.state.db();
    let members = visits::members(db, visit.id).await?;
    let leader = members.iter().find(|m| m.role == MemberRole::Leader.code());
    let stops = visits::stops(db, visit.id).await?;
    let (hosts, day, assessment, what) = match stop {
        Some(id) => {
            let s = stops.iter().find(|s| s.id == id).ok_or(AppError::NotFound)?;
            (s.host_name.clone(), s.on_date, s.assessment.clone(), format!("stop:{id}"))
        }
        None => {
            let mut names: Vec<String> = Vec::new();
            for s in &stops {
                if !names.contains(&s.host_name) {
                    names.push(s.host_name.clone());
                }
            }
            (names.join(", "), visit.starts_on, visit.assessment.clone(), "visit".to_owned())
        }
    };
    let conclusions = visits::conclusions(db, visit.id).await?;
    let directives = visits::directives(db, visit.id).await?;
    let mut items = Vec::new();
    for c in conclusions.iter().filter(|c| stop.is_none() || c.stop_id == stop) {
        for d in directives.iter().filter(|d| d.task_id == c.task_id && !d.cancelled) {
            let coordinators: Vec<String> =
                tiendo_db::monitoring::assignments::coordinators(db, d.id).await?.into_iter().map(|(_, n)| n).collect();
            let lead = if coordinators.is_empty() {
                d.lead_name.clone()
            } else {
                format!("{} (phối hợp: {})", d.lead_name, coordinators.join(", "))
            };
            items.push(
                Record::new()
                    .text("lead", &lead)
                    .text("text", &sentence(&c.text))
                    .text("deadline", &notice_deadline(&d.deadline())),
            );
        }
    }
    let others: Vec<String> = members.iter().filter(|m| m.role != MemberRole::Leader.code()).map(attendee).collect();
    let participants = if others.is_empty() { visit.organizer_name.clone() } else { others.join("; ") };
    let chair_name = leader.map(|l| l.person_name.clone()).unwrap_or_default();
    let chair_title = leader.and_then(|l| l.position.clone()).unwrap_or_default();
    let record = Record::new()
        .text("org.name", &visit.organizer_name)
        .text("chair.title", &chair_title)
        .text("chair.name", &chair_name)
        .text("host.name", &hosts)
        .with("visit.date", Value::Date(day))
        .text("visit.participants", &participants)
        .text("visit.assessment", assessment.as_deref().unwrap_or_default())
        .with("directives", Value::List(items));
    let (authority, place) = authority_of(&visit.organizer_name);
    // The signer's office at the organiser ("GIÁM ĐỐC"), else as the delegation lists them.
    let position = match leader {
        Some(l) => visits::roles_on(db, l.person_id, signing_day(visit))
            .await?
            .into_iter()
            .find(|(org, _)| *org == visit.organizer_org_id)
            .map(|(_, role)| role)
            .or_else(|| l.position.clone())
            .unwrap_or_default(),
        None => String::new(),
    };
    let frame = Frame {
        system: DocumentSystem::State,
        authority,
        number: 0,
        issuer_code: issuer_code(visit),
        place,
        date: today(),
        signature: Signature { mode: None, on_behalf_of: None, position: position.to_uppercase(), signer: chair_name },
    };
    Ok((record, frame, what))
}

/// The day whose offices sign: the end of the visit (the leader then).
fn signing_day(visit: &Visit) -> NaiveDate {
    visit.ends_on
}

async fn notice(ctx: Ctx, id: i64, stop: Option<i64>, format: Format) -> Result<Response, AppError> {
    let visit = super::visible(&ctx, id).await?;
    if !super::may(&ctx.state, &ctx.auth, &visit, Action::Export).await? {
        return Err(AppError::Forbidden);
    }
    let (record, frame, what) = notice_parts(&ctx, &visit, stop).await?;
    let file = documents::render(&ctx.state, DocumentKind::ConclusionNotice, &record, frame, format).await?;
    let tx = ctx.state.db().begin().await?;
    let event = NewEvent::new(
        "export",
        "visit",
        visit.id,
        format!("Xuất thông báo kết luận ({what}, {}) của đoàn công tác {}", format.extension(), visit.title),
    );
    audit::append(&tx, &ctx.auth.who(), &event).await?;
    tx.commit().await?;
    Ok(file.into_response())
}

/// `GET /visits/{id}/notice.docx`: the notice of the whole visit.
pub async fn visit_docx(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    notice(ctx, id, None, Format::Docx).await
}

/// `GET /visits/{id}/notice.pdf`.
pub async fn visit_pdf(ctx: Ctx, Path(id): Path<i64>) -> Result<Response, AppError> {
    notice(ctx, id, None, Format::Pdf).await
}

/// `GET /visits/{id}/stops/{stop}/notice.docx`: the notice of one stop.
pub async fn stop_docx(ctx: Ctx, Path((id, stop)): Path<(i64, i64)>) -> Result<Response, AppError> {
    notice(ctx, id, Some(stop), Format::Docx).await
}

/// `GET /visits/{id}/stops/{stop}/notice.pdf`.
pub async fn stop_pdf(ctx: Ctx, Path((id, stop)): Path<(i64, i64)>) -> Result<Response, AppError> {
    notice(ctx, id, Some(stop), Format::Pdf).await
}

/// The notice as a file, for the API: `stop` none for the whole visit.
pub async fn file(ctx: Ctx, id: i64, stop: Option<i64>, format: Format) -> Result<Response, AppError> {
    notice(ctx, id, stop, format).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_conclusion_is_one_sentence() {
        assert_eq!(sentence("Đề xuất nhiệm vụ cấp bách"), "Đề xuất nhiệm vụ cấp bách.");
        assert_eq!(sentence("Hoàn thành trước Tết.\n"), "Hoàn thành trước Tết.");
        assert_eq!(sentence("Hai việc:\nmột; hai"), "Hai việc: một; hai.");
    }

    #[test]
    fn notices_write_deadlines_after_the_word_thoi_han() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(notice_deadline(&Deadline::Fixed { date: d(2020, 4, 30) }), "30/04/2020");
        assert_eq!(notice_deadline(&Deadline::Continuous), "thường xuyên");
        assert_eq!(notice_deadline(&Deadline::Yearly { month: 12, day: 15 }), "hằng năm, trước ngày 15/12");
    }
}
