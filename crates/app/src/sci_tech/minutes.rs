//! The council's minutes (biên bản họp hội đồng) and its score summary (biên bản tổng hợp kết quả đánh
//! giá), in the official format of Nghị định 30 through the `minutes` template: who attended, what the
//! council did, its conclusion, and a table of the outcomes (the summary: each proposal's sheets by member
//! and criterion), signed by the secretary and the chair. Produced once the council is closed.

use tiendo_core::lang::Lang;
use tiendo_core::monitoring::DocumentSymbol;
use tiendo_core::sci_tech::council::{CouncilState, MemberRole};
use tiendo_export::kinds::{DocumentKind, Frame, SECRETARY_POSITION};
use tiendo_export::model::{Block, Cell, DocumentSystem, Signature, Table};
use tiendo_export::template::{Record, Value};

use super::councils::{OpenedCouncil, open_council};
use super::entity;
use crate::audit::{self, Entry};
use crate::document_templates::{self, Format, OfficialFile};
use crate::{App, Error, Result, Session, Tr};

/// Which paper of the council.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// Biên bản họp hội đồng: the meeting and its outcome.
    Minutes,
    /// Biên bản tổng hợp kết quả đánh giá: every sheet, by member and criterion.
    Summary,
}

impl Paper {
    /// Every paper, in the order they are offered.
    pub const ALL: [Paper; 2] = [Paper::Minutes, Paper::Summary];

    /// The paper of a code, if it is one.
    pub fn from_code(code: &str) -> Option<Paper> {
        Paper::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The stable code (`minutes`, `summary`).
    pub fn code(self) -> &'static str {
        match self {
            Paper::Minutes => "minutes",
            Paper::Summary => "summary",
        }
    }
}

fn number(value: f64) -> String {
    tiendo_core::fmt::decimal(value, 2, Lang::Vi)
}

/// The paper of a closed council, as a file; the download is recorded in the audit trail. `NotFound` when
/// the actor may not see the council; `Conflict` `council_not_closed` before its closing.
pub async fn export_paper(app: &App, session: &Session, id: i64, paper: Paper, format: Format) -> Result<OfficialFile> {
    let opened = open_council(app, session, id).await?;
    if opened.state != CouncilState::Closed {
        return Err(Error::conflict("council_not_closed"));
    }
    let (record, frame, appendix) = parts(app, &opened, paper).await?;
    let file = document_templates::render_with(app, DocumentKind::Minutes, &record, frame, appendix, format).await?;
    let tx = app.begin().await?;
    let entry = Entry::new("export", entity::COUNCIL, id, "audit-st-council-exported")
        .arg("name", &opened.council.name)
        .arg("what", paper.code())
        .arg("format", format.extension());
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(file)
}

async fn parts(app: &App, opened: &OpenedCouncil, paper: Paper) -> Result<(Record, Frame, Vec<Block>)> {
    let vi = Tr::new(Lang::Vi);
    let c = &opened.council;
    let (results, by_item) = super::scoring::closed_board(app, opened).await?;
    let role = |code: &str| vi.t(&format!("st-member-role-{code}"));
    let present: Vec<Record> = opened
        .members
        .iter()
        .filter(|m| m.present == Some(true))
        .map(|m| Record::new().text("name", &m.name).text("role", &role(&m.role)))
        .collect();
    let absent: Vec<String> =
        opened.members.iter().filter(|m| m.present != Some(true)).map(|m| m.name.clone()).collect();
    let date = c.minutes_date.or(c.meeting_on).unwrap_or_else(|| app.today());
    let time = c.meeting_time.clone().unwrap_or_else(|| "08:00".to_owned()).replace(':', " giờ ");
    let end = c.closed_at.map(|t| tiendo_core::time::to_vietnam(t).format("%H giờ %M").to_string()).unwrap_or_default();
    let mut content = vec![vi.t_with(
        "st-minutes-attendance",
        &[("present", &present.len().to_string()), ("total", &opened.members.len().to_string())],
    )];
    if !absent.is_empty() {
        content.push(vi.t_with("st-minutes-absent", &[("names", &absent.join(", "))]));
    }
    let (record_content, conclusion, appendix) = if opened.kind.judges_applications() {
        certificate_parts(app, opened, paper, &vi, content).await?
    } else {
        proposal_parts(opened, paper, &vi, content, &results, &by_item)
    };
    let purpose = vi.t(&format!("st-minutes-purpose-{}", c.kind));
    let record = Record::new()
        .text("council.purpose", &purpose)
        .text("council.conclusion", &conclusion)
        .text("meeting.time", &time)
        .with("meeting.date", Value::Date(date))
        .text("meeting.place", c.place.as_deref().unwrap_or_default())
        .text("meeting.content", &record_content)
        .text("meeting.end", &end)
        .with("members", Value::List(present));
    let organizer = match c.call_id {
        Some(call) => tiendo_db::sci_tech::call(app.db(), call).await?.and_then(|c| c.organizer_name),
        None => None,
    }
    .unwrap_or_else(|| app.settings().organization_vi.clone());
    let (authority, place) = crate::visits::authority_of(&organizer);
    let (number_part, issuer) = match c.minutes_symbol.as_deref().map(DocumentSymbol::parse) {
        Some(Ok(s)) => (s.number, s.issuer),
        _ => (0, "HĐKHCN".to_owned()),
    };
    let name_of =
        |r: MemberRole| opened.members.iter().find(|m| m.role == r.code()).map(|m| m.name.clone()).unwrap_or_default();
    let frame = Frame {
        system: DocumentSystem::State,
        authority,
        number: number_part,
        issuer_code: issuer,
        place,
        date,
        signature: Signature {
            mode: None,
            on_behalf_of: None,
            position: vi.t("st-minutes-chair-position"),
            signer: name_of(MemberRole::Chair),
        },
        secretary: Some(Signature {
            mode: None,
            on_behalf_of: None,
            position: SECRETARY_POSITION.to_owned(),
            signer: name_of(MemberRole::Secretary),
        }),
        written_number: None,
    };
    Ok((record, frame, appendix))
}

/// What the minutes of a council judging proposals say: the content, the conclusion with the proposals
/// that pass, the table of outcomes and ranks (and, for the summary, each proposal's sheets).
fn proposal_parts(
    opened: &OpenedCouncil,
    paper: Paper,
    vi: &Tr,
    mut content: Vec<String>,
    results: &[(tiendo_core::sci_tech::scoring::Outcome, usize)],
    by_item: &std::collections::HashMap<i64, Vec<tiendo_db::sci_tech::StoredSheet>>,
) -> (String, String, Vec<Block>) {
    let c = &opened.council;
    let role = |code: &str| vi.t(&format!("st-member-role-{code}"));
    content.push(vi.t_with(
        match paper {
            Paper::Minutes => "st-minutes-content",
            Paper::Summary => "st-summary-content",
        },
        &[("count", &opened.items.len().to_string()), ("average", &number(c.settings.rules.pass_average))],
    ));
    let passed: Vec<String> = opened
        .items
        .iter()
        .zip(results)
        .filter(|(_, (o, _))| o.passed)
        .map(|(i, (o, rank))| {
            vi.t_with(
                "st-minutes-passed-line",
                &[("title", &i.title), ("average", &number(o.average)), ("rank", &rank.to_string())],
            )
        })
        .collect();
    let mut conclusion = c.conclusion.clone().unwrap_or_default();
    let outcome_text = if passed.is_empty() {
        vi.t("st-minutes-none-passed")
    } else {
        vi.t_with("st-minutes-passed", &[("list", &passed.join("; "))])
    };
    conclusion = if conclusion.is_empty() { outcome_text } else { format!("{conclusion} {outcome_text}") };
    let mut appendix = Vec::new();
    let mut outcome_rows = Vec::new();
    for (n, (item, (o, rank))) in opened.items.iter().zip(results).enumerate() {
        outcome_rows.push(vec![
            Cell::number((n + 1).to_string()),
            Cell::text(&item.title),
            Cell::text(item.proposer()),
            Cell::number(number(o.average)),
            Cell::number(rank.to_string()),
            Cell::text(vi.t(if o.passed { "st-outcome-passed" } else { "st-outcome-failed" })),
        ]);
    }
    appendix.push(Block::Table(Table {
        columns: vec![0.8, 3.7, 2.5, 1.2, 1.0, 1.6],
        header: vec![
            [
                "st-table-no",
                "st-proposal-title",
                "st-proposer",
                "st-table-average",
                "st-table-rank",
                "st-table-outcome",
            ]
            .iter()
            .map(|k| Cell::header(vi.t(k)))
            .collect(),
        ],
        rows: outcome_rows,
        caption: Some(vi.t("st-minutes-table-caption-1")),
    }));
    if paper == Paper::Summary {
        let criteria = &c.settings.criteria;
        for (n, item) in opened.items.iter().enumerate() {
            let caption = vi.t_with("st-summary-table-caption", &[("n", &(n + 2).to_string()), ("title", &item.title)]);
            let mut header: Vec<Cell> = vec![Cell::header(vi.t("st-table-member"))];
            header.extend(criteria.iter().map(|cr| Cell::header(format!("{} ({})", cr.name, number(cr.max)))));
            header.push(Cell::header(vi.t("st-table-total")));
            let sheets = by_item.get(&item.proposal_id).cloned().unwrap_or_default();
            let mut rows = Vec::new();
            for s in &sheets {
                let member = opened.members.iter().find(|m| m.id == s.member_id);
                let mut row =
                    vec![Cell::text(member.map(|m| format!("{} ({})", m.name, role(&m.role))).unwrap_or_default())];
                row.extend(
                    criteria.iter().map(|cr| Cell::number(s.sheet.score(&cr.code).map(number).unwrap_or_default())),
                );
                row.push(Cell::number(number(s.total)));
                rows.push(row);
            }
            if let Some((o, _)) = results.get(n) {
                let mut row = vec![Cell::text(vi.t("st-table-average")).bolded()];
                row.extend(o.by_criterion.iter().map(|(_, v)| Cell::number(number(*v)).bolded()));
                row.push(Cell::number(number(o.average)).bolded());
                rows.push(row);
            }
            let mut columns = vec![3.0];
            columns.extend(criteria.iter().map(|_| 1.2));
            columns.push(1.2);
            appendix.push(Block::Table(Table { columns, header: vec![header], rows, caption: Some(caption) }));
        }
    }
    (content.join(" "), conclusion, appendix)
}

/// What the minutes of a council appraising applications for the certificate say: the content, the
/// conclusion with the applications it recommends, the table of the recommendations counted and the
/// conclusions (and, for the summary, each member's judgement of every condition).
async fn certificate_parts(
    app: &App,
    opened: &OpenedCouncil,
    paper: Paper,
    vi: &Tr,
    mut content: Vec<String>,
) -> Result<(String, String, Vec<Block>)> {
    use tiendo_core::certificates::appraisal::{self as rules, Tally};
    use tiendo_db::certificates::appraisal::{self as stored, Author};
    let c = &opened.council;
    let role = |code: &str| vi.t(&format!("st-member-role-{code}"));
    content.push(vi.t_with("cert-minutes-content", &[("count", &opened.applications.len().to_string())]));
    let mut rows = Vec::new();
    let mut recommended = Vec::new();
    let mut appendix = Vec::new();
    let mut summaries = Vec::new();
    for (n, item) in opened.applications.iter().enumerate() {
        let opinions: Vec<(i64, rules::Opinion)> = stored::opinions(app.db(), item.application_id)
            .await?
            .into_iter()
            .filter_map(|o| match o.author {
                Author::Member { council_id, member_id } if council_id == c.id => Some((member_id, o.opinion)),
                _ => None,
            })
            .collect();
        let tally = Tally::of(opinions.iter().map(|(_, o)| o));
        let issue = item.passed == Some(true);
        if issue {
            recommended.push(item.enterprise_name.clone());
        }
        rows.push(vec![
            Cell::number((n + 1).to_string()),
            Cell::text(&item.enterprise_name),
            Cell::number(tally.issue.to_string()),
            Cell::number(tally.refuse.to_string()),
            Cell::text(vi.t(if issue { "cert-recommendation-issue" } else { "cert-recommendation-refuse" })),
        ]);
        if paper == Paper::Summary {
            let Some(a) = tiendo_db::certificates::application(app.db(), item.application_id).await? else { continue };
            let criteria =
                rules::criteria(a.basis.unwrap_or(tiendo_core::certificates::LegalBasis::Nd268_2025), a.fields.size);
            let mut header: Vec<Cell> = vec![Cell::header(vi.t("st-table-member"))];
            header.extend(criteria.iter().map(|code| Cell::header(vi.t(&format!("cert-rule-{code}")))));
            header.push(Cell::header(vi.t("cert-recommendation")));
            let mut lines = Vec::new();
            for (member_id, o) in &opinions {
                let member = opened.members.iter().find(|m| m.id == *member_id);
                let mut row =
                    vec![Cell::text(member.map(|m| format!("{} ({})", m.name, role(&m.role))).unwrap_or_default())];
                row.extend(criteria.iter().map(|code| {
                    Cell::text(match o.judgement(code) {
                        Some(j) if j.met => vi.t("cert-judged-met"),
                        Some(_) => vi.t("cert-judged-not-met"),
                        None => String::new(),
                    })
                }));
                row.push(Cell::text(vi.t(&format!("cert-recommendation-{}", o.recommendation.code()))));
                lines.push(row);
            }
            let mut columns = vec![3.0];
            columns.extend(criteria.iter().map(|_| 1.6));
            columns.push(1.8);
            let caption =
                vi.t_with("st-summary-table-caption", &[("n", &(n + 2).to_string()), ("title", &item.enterprise_name)]);
            summaries.push(Block::Table(Table { columns, header: vec![header], rows: lines, caption: Some(caption) }));
        }
    }
    appendix.push(Block::Table(Table {
        columns: vec![0.8, 4.6, 1.6, 1.6, 2.4],
        header: vec![
            ["st-table-no", "cert-enterprise", "cert-table-issue", "cert-table-refuse", "st-table-outcome"]
                .iter()
                .map(|k| Cell::header(vi.t(k)))
                .collect(),
        ],
        rows,
        caption: Some(vi.t("st-minutes-table-caption-1")),
    }));
    appendix.extend(summaries);
    let outcome = if recommended.is_empty() {
        vi.t("cert-minutes-none-issue")
    } else {
        vi.t_with("cert-minutes-issue", &[("list", &recommended.join("; "))])
    };
    let conclusion = match c.conclusion.clone().unwrap_or_default() {
        text if text.is_empty() => outcome,
        text => format!("{text} {outcome}"),
    };
    Ok((content.join(" "), conclusion, appendix))
}
