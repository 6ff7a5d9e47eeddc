//! The notice of conclusions (thông báo kết luận) of a stop or of the whole visit, in the official format
//! through the `conclusion_notice` template: chaired by the delegation's leader, issued by the organising
//! organisation, listing each directive with its lead unit and deadline. The notice is a draft for
//! registration: no number yet (the clerk writes it in the space left), dated the day its latest
//! directive was recorded (the conclusions it gives), today's date when it has none yet.

use chrono::NaiveDate;
use tiendo_core::lang::Lang;
use tiendo_core::monitoring::Deadline;
use tiendo_core::visits::{MemberRole, VisitAction};
use tiendo_db::visits::{self, Member, Visit};
use tiendo_export::kinds::{DocumentKind, Frame};
use tiendo_export::model::{Authority, DocumentSystem, Signature};
use tiendo_export::template::{Record, Value};

use super::access::open_for;
use super::read::deadline_in;
use crate::audit::{self, Entry};
use crate::document_templates::{self, Format, OfficialFile};
use crate::message::Value as Named;
use crate::{App, Error, Result, Session, Tr};

/// A deadline as a notice writes it after "Thời hạn:": a date, "thường xuyên", "hằng năm trước ngày 15/12".
pub fn notice_deadline(d: &Deadline) -> String {
    match d {
        Deadline::Fixed { date } => tiendo_core::fmt::date(*date),
        other => {
            let words = deadline_in(&Tr::new(Lang::Vi), other);
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

/// The authority block from the organisation's name: "Sở Khoa học và Công nghệ tỉnh Quảng Ninh" becomes
/// "UBND TỈNH QUẢNG NINH" over "SỞ KHOA HỌC VÀ CÔNG NGHỆ", and the place "Quảng Ninh" (as monitoring's
/// reports write it).
pub(crate) fn authority_of(org: &str) -> (Authority, String) {
    match org.rsplit_once(" tỉnh ") {
        Some((name, province)) => (
            Authority { parent: Some(format!("UBND TỈNH {}", province.to_uppercase())), name: name.to_uppercase() },
            province.to_owned(),
        ),
        None => (Authority { parent: None, name: org.to_uppercase() }, String::new()),
    }
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

/// The record and the frame of a notice, and what it covers for the audit trail (the stop's host, or the
/// whole visit by name); `stop` none for the whole visit.
async fn notice_parts(app: &App, visit: &Visit, stop: Option<i64>) -> Result<(Record, Frame, Named)> {
    let db = app.db();
    let members = visits::members(db, visit.id).await?;
    let leader = members.iter().find(|m| m.role == MemberRole::Leader.code());
    let stops = visits::stops(db, visit.id).await?;
    let (hosts, day, assessment, what) = match stop {
        Some(id) => {
            let s = stops.iter().find(|s| s.id == id).ok_or(Error::NotFound)?;
            (s.host_name.clone(), s.on_date, s.assessment.clone(), Named::Data(s.host_name.clone()))
        }
        None => {
            let mut names: Vec<String> = Vec::new();
            for s in &stops {
                if !names.contains(&s.host_name) {
                    names.push(s.host_name.clone());
                }
            }
            (
                names.join(", "),
                visit.starts_on,
                visit.assessment.clone(),
                Named::Key("audit-visit-notice-whole".to_owned()),
            )
        }
    };
    let conclusions = visits::conclusions(db, visit.id).await?;
    let directives = visits::directives(db, visit.id).await?;
    let coordinators = visits::directive_coordinators(db, visit.id).await?;
    let mut items = Vec::new();
    for c in conclusions.iter().filter(|c| stop.is_none() || c.stop_id == stop) {
        for d in directives.iter().filter(|d| d.task_id == c.task_id && !d.cancelled) {
            let with: Vec<&str> =
                coordinators.iter().filter(|(a, _, _)| *a == d.id).map(|(_, _, name)| name.as_str()).collect();
            let lead = if with.is_empty() {
                d.lead_name.clone()
            } else {
                format!("{} (phối hợp: {})", d.lead_name, with.join(", "))
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
    // The signer's office at the organiser ("GIÁM ĐỐC") at the end of the visit, else as the delegation
    // lists them.
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
        date: notice_day(app, visit, stop).await?,
        signature: Signature { mode: None, on_behalf_of: None, position: position.to_uppercase(), signer: chair_name },
        secretary: None,
        written_number: None,
    };
    Ok((record, frame, what))
}

/// The day of the notice: when its latest directive was recorded, else today.
async fn notice_day(app: &App, visit: &Visit, stop: Option<i64>) -> Result<NaiveDate> {
    let recorded = visits::last_directive_recorded(app.db(), visit.id, stop).await?;
    Ok(recorded.map_or_else(|| app.today(), tiendo_core::time::vietnam_date))
}

/// The day whose offices sign: the end of the visit (the leader then).
fn signing_day(visit: &Visit) -> NaiveDate {
    visit.ends_on
}

/// The notice of conclusions of a stop (`stop`) or of the whole visit, as a file; the download is
/// recorded in the audit trail. `NotFound` when the actor may not see the visit or it has no such stop;
/// `Export` when the document cannot be produced (no font for PDF, …).
pub async fn export_notice(
    app: &App,
    session: &Session,
    visit_id: i64,
    stop: Option<i64>,
    format: Format,
) -> Result<OfficialFile> {
    let visit = open_for(app, session, visit_id, VisitAction::ExportNotice).await?;
    let (record, frame, what) = notice_parts(app, &visit, stop).await?;
    let file = document_templates::render(app, DocumentKind::ConclusionNotice, &record, frame, format).await?;
    let tx = app.begin().await?;
    let entry = Entry::new("export", "visit", visit.id, "audit-visit-notice-exported")
        .named("what", what)
        .arg("format", format.extension())
        .arg("title", &visit.title);
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(file)
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
