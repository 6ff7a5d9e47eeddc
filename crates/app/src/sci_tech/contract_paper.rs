//! The contract of a task under contract as a document (hợp đồng thực hiện nhiệm vụ khoa học và công
//! nghệ, in the spirit of the model contract of TT 05/2015/TT-BKHCN), DOCX or PDF, laid out by the rules
//! of Nghị định 30/2020 that `tiendo_export` implements: the department's heading, the contract's number
//! as written, the place and the signing date; the legal bases (the S&T law in force on the signing day,
//! the Civil Code, the decision approving the task); the parties; six articles (the order, the period,
//! the money with its lump-sum part, the instalments, the duties of each party, the general terms with
//! the periodic reports); Bên A's signature on the left and Bên B's on the right; then, from a new page,
//! the appendices as tables: the budget by year and source, the products, the milestones, the
//! instalments and, once it was changed, the list of its changes.
//!
//! The contract is the version in force: after every change and extension, each listed with its
//! decision and what it changed. It is built here as a `tiendo_export::model::Document` (not through
//! the document templates: its tables and articles come from the record, not from a text an
//! administrator edits). Every user-visible word is a Fluent key (`st-paper-*`) read in Vietnamese,
//! the language of official documents. Each download is recorded in the audit trail.

use chrono::{Datelike, NaiveDate};
use tiendo_core::lang::Lang;
use tiendo_core::sci_tech::amendment::{Difference, differences};
use tiendo_core::sci_tech::contract::ContractFields;
use tiendo_core::sci_tech::{BudgetSource, Regime};
use tiendo_db::sci_tech::contracts::{self as stored, VersionRow};
use tiendo_export::model::{
    Block, Cell, Document, DocumentNumber, DocumentSystem, ListStyle, PageSetup, Run, Signature, Table,
};

use super::contracts::{ENTITY, OpenedContract, open_contract};
use crate::audit::{self, Entry};
use crate::document_templates::{Format, OfficialFile};
use crate::monitoring::official_documents::{HEAD_POSITION, authority_of, head_of_operator};
use crate::{App, Error, Result, Session, Tr};

/// The titles of the head of an organisation, as the directory records them, for the host's
/// representative (`Viện trưởng`, `Giám đốc`…); the first affiliation with one of them represents it.
const HEAD_TITLES: &[&str] = &["giám đốc", "viện trưởng", "hiệu trưởng", "chủ tịch", "tổng giám đốc", "trưởng ban"];

/// The contract of a task in force, with its appendices, as a file; the download is recorded in the
/// audit trail. `NotFound` when the actor may not see the task (as its page).
pub async fn export_contract(app: &App, session: &Session, id: i64, format: Format) -> Result<OfficialFile> {
    let opened = open_contract(app, session, id).await?;
    let doc = document(app, &opened).await?;
    let stem = tiendo_core::text::slugify(&format!("hợp đồng {}", opened.contract.number), 80);
    let file_name = format!("{stem}.{}", format.extension());
    let fonts = app.clone();
    let bytes = tokio::task::spawn_blocking(move || match format {
        Format::Docx => tiendo_export::docx(&doc),
        Format::Pdf => tiendo_export::pdf(&doc, &fonts.pdf_fonts()?),
    })
    .await
    .map_err(Error::internal)??;
    let tx = app.begin().await?;
    let entry = Entry::new("export", ENTITY, id, "audit-st-contract-exported")
        .arg("title", &opened.contract.title)
        .arg("number", &opened.contract.number)
        .arg("format", format.extension());
    audit::record(app, &tx, session, entry).await?;
    tx.commit().await?;
    Ok(OfficialFile { bytes, content_type: format.content_type(), file_name })
}

/// `ngày 05 tháng 3 năm 2026`: the date as the text of a document writes it (days below 10 and the
/// months January and February with a leading zero, as on the date line).
fn written_date(d: NaiveDate) -> String {
    let month = if d.month() <= 2 { format!("{:02}", d.month()) } else { d.month().to_string() };
    format!("ngày {:02} tháng {month} năm {}", d.day(), d.year())
}

fn dong(n: i64) -> String {
    tiendo_core::fmt::integer(n, Lang::Vi)
}

fn date(d: NaiveDate) -> String {
    tiendo_core::fmt::date(d)
}

/// A phrase typed as a sentence (`Sau khi ký hợp đồng`) as it reads inside one (`sau khi ký hợp
/// đồng`); a first word in capitals (`UBND`, `KH&CN`) is kept as typed.
fn in_sentence(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.clone().next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            format!("{}{}", first.to_lowercase(), chars.as_str())
        }
        _ => text.to_owned(),
    }
}

/// A paragraph for each line of a text typed with line breaks (a proposal's objectives).
fn paragraphs(text: &str) -> Vec<Block> {
    text.lines().map(str::trim).filter(|l| !l.is_empty()).map(Block::paragraph).collect()
}

/// An article: its title (`Điều 1. …` in bold), then its clauses, numbered `1.`, `2.` when there are
/// several (each clause's first paragraph carries the number).
fn article(vi: &Tr, n: u8, clauses: Vec<Vec<Block>>) -> Vec<Block> {
    let mut out = vec![Block::Paragraph(vec![Run::bold(vi.t(&format!("st-paper-article-{n}")))])];
    let several = clauses.len() > 1;
    for (i, mut clause) in clauses.into_iter().enumerate() {
        if several && let Some(Block::Paragraph(runs)) = clause.first_mut() {
            runs.insert(0, Run::plain(format!("{}. ", i + 1)));
        }
        out.extend(clause);
    }
    out
}

/// A party's facts that the directory holds: its representative, address and telephone.
struct Party {
    representative: Option<(String, String)>,
    address: Option<String>,
    phone: Option<String>,
}

impl Party {
    fn lines(&self, vi: &Tr) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some((name, position)) = &self.representative {
            lines.push(vi.t_with("st-paper-representative", &[("name", name), ("position", position)]));
        }
        if let Some(address) = &self.address {
            lines.push(vi.t_with("st-paper-address", &[("address", address)]));
        }
        if let Some(phone) = &self.phone {
            lines.push(vi.t_with("st-paper-phone", &[("phone", phone)]));
        }
        lines
    }
}

/// What the directory holds of a party's organisation on `day` (nothing when it is not in the directory).
async fn party(app: &App, org: Option<tiendo_db::directory::Organization>, day: NaiveDate) -> Result<Party> {
    let Some(org) = org else { return Ok(Party { representative: None, address: None, phone: None }) };
    let people = tiendo_db::directory::affiliations_of_organization(app.db(), org.id, Some(day)).await?;
    let representative = people
        .into_iter()
        .find(|a| HEAD_TITLES.contains(&a.role.trim().to_lowercase().as_str()))
        .map(|a| (a.person_name, a.role.trim().to_owned()));
    Ok(Party { representative, address: org.address, phone: org.phone })
}

/// The contract in force as a document.
async fn document(app: &App, opened: &OpenedContract) -> Result<Document> {
    let vi = Tr::new(Lang::Vi);
    let db = app.db();
    let c = &opened.contract;
    let f = &opened.fields;
    let organization = app.settings().organization_vi.clone();
    let (authority, place) = authority_of(&organization);
    let proposal = tiendo_db::sci_tech::proposal(db, c.proposal_id).await?;
    let approval = tiendo_db::sci_tech::last_event_of(db, c.proposal_id, "approve").await?;
    let versions = stored::versions(db, c.id).await?;
    let head = match head_of_operator(app, f.signed_on).await? {
        name if name.is_empty() => head_of_operator(app, app.today()).await?,
        name => name,
    };
    let operator = tiendo_db::directory::organization_by_name(db, &organization).await?;
    let mut party_a = party(app, operator, f.signed_on).await?;
    // The department signs by its head, whom the document names in the signature too.
    party_a.representative = (!head.is_empty()).then(|| (head.clone(), HEAD_POSITION.to_owned()));
    let host = tiendo_db::directory::organization(db, f.host_org_id).await?;
    let party_b = party(app, host, f.signed_on).await?;

    let mut body = Vec::new();
    for basis in legal_bases(&vi, f, &c.title, approval.as_ref()) {
        body.push(Block::Paragraph(vec![Run::italic(basis)]));
    }
    body.push(Block::Paragraph(vec![Run::bold(vi.t("st-paper-parties"))]));
    // The parties are headings of the second level, numbered `1.`, `2.` by the engine and kept with
    // their details.
    body.push(Block::heading(2, vi.t_with("st-paper-party-a", &[("name", &organization)])));
    push_dashes(&mut body, party_a.lines(&vi));
    body.push(Block::heading(2, vi.t("st-paper-party-b")));
    body.push(Block::paragraph(vi.t_with("st-paper-host", &[("name", &c.host_name)])));
    push_dashes(&mut body, party_b.lines(&vi));
    body.push(Block::paragraph(vi.t_with("st-paper-pi", &[("name", &f.pi_name)])));
    if !f.team.is_empty() {
        let team: Vec<String> = f
            .team
            .iter()
            .map(|m| match m.role.as_deref().filter(|r| !r.trim().is_empty()) {
                Some(role) => format!("{} ({role})", m.name),
                None => m.name.clone(),
            })
            .collect();
        body.push(Block::paragraph(vi.t_with("st-paper-team", &[("names", &team.join("; "))])));
    }
    body.push(Block::paragraph(vi.t("st-paper-agree")));
    body.extend(order(&vi, f, &c.title, proposal.as_ref()));
    let changes: Vec<&VersionRow> = {
        let mut v: Vec<&VersionRow> = versions.iter().filter(|v| v.version > 1).collect();
        v.sort_by_key(|v| v.version);
        v
    };
    body.extend(period(&vi, f, &changes));
    body.extend(money(&vi, f));
    body.extend(instalments(&vi, f));
    body.extend(duties(&vi));
    body.extend(general_terms(&vi, f, changes.len()));

    let annex = annex(&vi, c, f, &versions)?;
    let position = |lines: [&str; 2]| lines.join("\n");
    Ok(Document {
        system: DocumentSystem::State,
        authority,
        number: DocumentNumber::as_written(&c.number),
        place,
        date: f.signed_on,
        kind_title: vi.t("st-paper-kind"),
        summary: vi.t_with("st-paper-summary", &[("title", &c.title)]),
        body,
        signature: Signature {
            mode: None,
            on_behalf_of: None,
            position: position([&vi.t("st-paper-sign-b"), &vi.t("st-paper-sign-pi")]),
            signer: f.pi_name.clone(),
        },
        secretary: Some(Signature {
            mode: None,
            on_behalf_of: None,
            position: position([&vi.t("st-paper-sign-a"), &HEAD_POSITION.to_uppercase()]),
            signer: head,
        }),
        recipients: Vec::new(),
        annex,
        page: PageSetup::default(),
    })
}

/// Lines as a dash list, each ending with `;` and the last with `.`.
fn punctuated(lines: &[String]) -> Block {
    let last = lines.len().saturating_sub(1);
    Block::dash_list(lines.iter().enumerate().map(|(i, l)| format!("{l}{}", if i == last { "." } else { ";" })))
}

fn push_dashes(body: &mut Vec<Block>, lines: Vec<String>) {
    if !lines.is_empty() {
        body.push(punctuated(&lines));
    }
}

/// Căn cứ: the Civil Code, the S&T law in force on the signing day, the decision approving the task.
fn legal_bases(vi: &Tr, f: &ContractFields, title: &str, approval: Option<&tiendo_db::sci_tech::Event>) -> Vec<String> {
    let mut bases = vec![vi.t("st-paper-basis-civil-code")];
    bases.push(vi.t(match Regime::in_force_on(f.signed_on) {
        Regime::Law2013 => "st-paper-basis-law-2013",
        Regime::Law2025 => "st-paper-basis-law-2025",
    }));
    if let Some(e) = approval
        && let (Some(symbol), Some(day)) = (e.decision_symbol.as_deref(), e.decision_date)
    {
        bases.push(
            vi.t_with("st-paper-basis-approval", &[("symbol", symbol), ("date", &written_date(day)), ("title", title)]),
        );
    }
    let last = bases.len() - 1;
    bases.iter().enumerate().map(|(i, b)| format!("{b}{}", if i == last { "." } else { ";" })).collect()
}

/// Điều 1: the task ordered, its objectives and content as approved, the products.
fn order(vi: &Tr, f: &ContractFields, title: &str, proposal: Option<&tiendo_db::sci_tech::Proposal>) -> Vec<Block> {
    let mut clauses = vec![vec![Block::paragraph(vi.t_with("st-paper-order", &[("title", title)]))]];
    let recorded = |text: Option<&String>| text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    for (key, text) in [
        ("st-paper-objectives", recorded(proposal.and_then(|p| p.objectives.as_ref()))),
        ("st-paper-content", recorded(proposal.and_then(|p| p.content.as_ref()))),
    ] {
        if let Some(text) = text {
            let mut clause = vec![Block::paragraph(vi.t(key))];
            clause.extend(paragraphs(&text));
            clauses.push(clause);
        }
    }
    clauses.push(vec![
        Block::paragraph(vi.t("st-paper-products")),
        punctuated(
            &f.products
                .iter()
                .map(|p| format!("{}: {} {}", p.name, p.quantity_text(Lang::Vi), p.unit))
                .collect::<Vec<_>>(),
        ),
    ]);
    article(vi, 1, clauses)
}

/// Điều 2: the period in force, and the extension that set its end.
fn period(vi: &Tr, f: &ContractFields, changes: &[&VersionRow]) -> Vec<Block> {
    let (from, to) = (date(f.starts_on), date(f.ends_on));
    let mut text = match f.whole_months() {
        Some(months) => {
            vi.t_with("st-paper-period-months", &[("months", &months.to_string()), ("from", &from), ("to", &to)])
        }
        None => vi.t_with("st-paper-period", &[("from", &from), ("to", &to)]),
    };
    let extension = changes.iter().rev().find(|v| v.kind == "extension");
    if let Some(v) = extension
        && let (Some(symbol), Some(day)) = (v.decision_symbol.as_deref(), v.decision_date)
    {
        text.push(' ');
        text.push_str(&vi.t_with("st-paper-period-extended", &[("symbol", symbol), ("date", &date(day))]));
    }
    article(vi, 2, vec![vec![Block::paragraph(text)], vec![Block::paragraph(vi.t("st-paper-milestones"))]])
}

/// Điều 3: the total in figures and words, by source, with the lump-sum part of the state budget.
fn money(vi: &Tr, f: &ContractFields) -> Vec<Block> {
    let total = f.total();
    let mut first = vec![Block::paragraph(
        vi.t_with("st-paper-total", &[("amount", &dong(total)), ("words", &tiendo_core::fmt::dong_in_words(total))]),
    )];
    let lines: Vec<String> = BudgetSource::ALL
        .iter()
        .filter(|s| f.source_total(**s) > 0)
        .map(|s| {
            let amount = f.source_total(*s);
            let line = vi.t_with(&format!("st-paper-source-{}", s.code()), &[("amount", &dong(amount))]);
            if *s == BudgetSource::StateBudget && f.lump_sum > 0 {
                let split = vi
                    .t_with("st-paper-lump-sum", &[("lump", &dong(f.lump_sum)), ("rest", &dong(amount - f.lump_sum))]);
                format!("{line}, {split}")
            } else {
                line
            }
        })
        .collect();
    first.push(punctuated(&lines));
    let mut clauses = vec![first, vec![Block::paragraph(vi.t("st-paper-years"))]];
    if f.lump_sum > 0 {
        clauses.push(vec![Block::paragraph(vi.t("st-paper-lump-sum-rule"))]);
    }
    article(vi, 3, clauses)
}

/// Điều 4: the instalments of the state budget with their conditions.
fn instalments(vi: &Tr, f: &ContractFields) -> Vec<Block> {
    let mut clauses = Vec::new();
    if !f.instalments.is_empty() {
        let list = punctuated(
            &f.instalments
                .iter()
                .enumerate()
                .map(|(i, inst)| {
                    let mut line = vi.t_with(
                        "st-paper-instalment",
                        &[("n", &(i + 1).to_string()), ("amount", &dong(inst.amount)), ("date", &date(inst.due_on))],
                    );
                    if let Some(condition) = inst.condition.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                        let condition = in_sentence(condition);
                        line.push_str(&vi.t_with("st-paper-instalment-condition", &[("condition", &condition)]));
                    }
                    line
                })
                .collect::<Vec<_>>(),
        );
        let count = f.instalments.len().to_string();
        clauses.push(vec![Block::paragraph(vi.t_with("st-paper-instalments", &[("count", &count)])), list]);
    }
    if f.total() > f.state_budget() {
        clauses.push(vec![Block::paragraph(vi.t("st-paper-other-funds"))]);
    }
    article(vi, 4, clauses)
}

/// Điều 5: the standard duties of each party.
fn duties(vi: &Tr) -> Vec<Block> {
    let items = |party: &str| Block::List {
        style: ListStyle::Letter,
        items: (1..=4).map(|n| vec![Run::plain(vi.t(&format!("st-paper-duty-{party}-{n}")))]).collect(),
    };
    article(
        vi,
        5,
        vec![
            vec![Block::paragraph(vi.t("st-paper-duties-a")), items("a")],
            vec![Block::paragraph(vi.t("st-paper-duties-b")), items("b")],
        ],
    )
}

/// Điều 6: the periodic reports, changes, disputes; the closing paragraph that stands with the
/// signatures.
fn general_terms(vi: &Tr, f: &ContractFields, changed: usize) -> Vec<Block> {
    let months = f.report_every_months.to_string();
    let due: Vec<String> = f.report_due_dates().into_iter().map(date).collect();
    let reports = if due.is_empty() {
        vi.t_with("st-paper-reports", &[("months", &months)])
    } else {
        vi.t_with("st-paper-reports-on", &[("months", &months), ("dates", &due.join(", "))])
    };
    let mut changes = vi.t("st-paper-changes-rule");
    if changed > 0 {
        changes.push(' ');
        changes.push_str(&vi.t_with("st-paper-changed", &[("count", &changed.to_string())]));
    }
    let clauses = [reports, changes, vi.t("st-paper-disputes"), vi.t("st-paper-closing")];
    article(vi, 6, clauses.into_iter().map(|text| vec![Block::paragraph(text)]).collect())
}

/// The appendices, after the signatures: the budget by year and source, the products, the milestones,
/// the instalments and, once the contract was changed, its changes.
fn annex(vi: &Tr, c: &stored::Contract, f: &ContractFields, versions: &[VersionRow]) -> Result<Vec<Block>> {
    let header = |keys: &[&str]| vec![keys.iter().map(|k| Cell::header(vi.t(k))).collect::<Vec<_>>()];
    let no = |i: usize| Cell::number((i + 1).to_string()).centered();
    let mut out = vec![
        Block::Centered(vec![Run::bold(vi.t("st-paper-annex"))]),
        Block::Centered(vec![Run::italic(
            vi.t_with("st-paper-annex-of", &[("number", &c.number), ("date", &date(f.signed_on))]),
        )]),
    ];

    // 1. By year and source, with each source's total and the years' totals.
    let sources: Vec<BudgetSource> = BudgetSource::ALL
        .iter()
        .copied()
        .filter(|s| f.source_total(*s) > 0 || f.years.iter().any(|y| y.source == *s))
        .collect();
    let mut years: Vec<i32> = f.years.iter().map(|y| y.year).collect();
    years.sort_unstable();
    years.dedup();
    let of = |year: i32, source: BudgetSource| {
        f.years.iter().filter(|y| y.year == year && y.source == source).map(|y| y.amount).sum::<i64>()
    };
    let mut head = vec![Cell::header(vi.t("st-paper-col-year"))];
    head.extend(sources.iter().map(|s| Cell::header(vi.t(&format!("st-paper-col-source-{}", s.code())))));
    head.push(Cell::header(vi.t("st-paper-col-total")));
    let mut rows: Vec<Vec<Cell>> = years
        .iter()
        .map(|&year| {
            let mut row = vec![Cell::text(year.to_string()).centered()];
            row.extend(sources.iter().map(|s| Cell::number(dong(of(year, *s)))));
            row.push(Cell::number(dong(sources.iter().map(|s| of(year, *s)).sum())));
            row
        })
        .collect();
    let mut total = vec![Cell::text(vi.t("st-paper-total-row")).bolded()];
    total.extend(sources.iter().map(|s| Cell::number(dong(f.source_total(*s))).bolded()));
    total.push(Cell::number(dong(f.total())).bolded());
    rows.push(total);
    let mut columns = vec![1.2];
    columns.extend(sources.iter().map(|_| 2.0));
    columns.push(2.0);
    out.push(Block::Table(Table { columns, header: vec![head], rows, caption: Some(vi.t("st-paper-annex-1")) }));

    // 2. Products.
    out.push(Block::Table(Table {
        columns: vec![0.6, 3.4, 1.3, 1.0, 3.2],
        header: header(&[
            "st-paper-col-no",
            "st-paper-col-product",
            "st-paper-col-unit",
            "st-paper-col-quantity",
            "st-paper-col-requirements",
        ]),
        rows: f
            .products
            .iter()
            .enumerate()
            .map(|(i, p)| {
                vec![
                    no(i),
                    Cell::text(&p.name),
                    Cell::text(&p.unit).centered(),
                    Cell::number(p.quantity_text(Lang::Vi)),
                    Cell::text(p.requirements.clone().unwrap_or_default()),
                ]
            })
            .collect(),
        caption: Some(vi.t("st-paper-annex-2")),
    }));

    // 3. Milestones.
    out.push(Block::Table(Table {
        columns: vec![0.6, 4.2, 3.2, 1.6],
        header: header(&[
            "st-paper-col-no",
            "st-paper-col-work",
            "st-paper-col-milestone-products",
            "st-paper-col-due",
        ]),
        rows: f
            .milestones
            .iter()
            .enumerate()
            .map(|(i, m)| {
                vec![
                    no(i),
                    Cell::text(&m.title),
                    Cell::text(m.products.clone().unwrap_or_default()),
                    Cell::text(date(m.due_on)).centered(),
                ]
            })
            .collect(),
        caption: Some(vi.t("st-paper-annex-3")),
    }));

    // 4. Instalments, with their total: the state budget.
    let mut rows: Vec<Vec<Cell>> = f
        .instalments
        .iter()
        .enumerate()
        .map(|(i, inst)| {
            vec![
                no(i),
                Cell::number(dong(inst.amount)),
                Cell::text(date(inst.due_on)).centered(),
                Cell::text(inst.condition.clone().unwrap_or_default()),
            ]
        })
        .collect();
    rows.push(vec![
        Cell::text(vi.t("st-paper-total-row")).bolded(),
        Cell::number(dong(f.instalments.iter().map(|i| i.amount).sum())).bolded(),
        Cell::text(""),
        Cell::text(""),
    ]);
    out.push(Block::Table(Table {
        columns: vec![1.4, 2.2, 1.8, 4.2],
        header: header(&[
            "st-paper-col-instalment",
            "st-paper-col-amount",
            "st-paper-col-planned",
            "st-paper-col-condition",
        ]),
        rows,
        caption: Some(vi.t("st-paper-annex-4")),
    }));

    // 5. The changes, oldest first, each against the version before it.
    let mut ordered: Vec<&VersionRow> = versions.iter().collect();
    ordered.sort_by_key(|v| v.version);
    let mut rows = Vec::new();
    for pair in ordered.windows(2) {
        let (before, after) = (pair[0].contract()?, pair[1].contract()?);
        let decision = match (pair[1].decision_symbol.as_deref(), pair[1].decision_date) {
            (Some(symbol), Some(day)) => format!("{symbol}\n{}", vi.t_with("st-paper-dated", &[("date", &date(day))])),
            (Some(symbol), None) => symbol.to_owned(),
            _ => String::new(),
        };
        let what: Vec<String> = differences(&before, &after).iter().map(|d| difference(vi, d)).collect();
        rows.push(vec![
            no(rows.len()),
            Cell::text(vi.t(&format!("st-change-{}", pair[1].kind))),
            Cell::text(decision),
            Cell::text(if what.is_empty() { vi.t("st-paper-diff-none") } else { what.join("\n") }),
        ]);
    }
    if !rows.is_empty() {
        out.push(Block::Table(Table {
            columns: vec![0.6, 2.0, 2.2, 4.8],
            header: header(&[
                "st-paper-col-no",
                "st-paper-col-change",
                "st-paper-col-decision",
                "st-paper-col-changes",
            ]),
            rows,
            caption: Some(vi.t("st-paper-annex-5")),
        }));
    }
    Ok(out)
}

/// A difference between two versions as the list of changes writes it.
fn difference(vi: &Tr, d: &Difference) -> String {
    match d {
        Difference::End { from, to } => vi.t_with("st-paper-diff-end", &[("from", &date(*from)), ("to", &date(*to))]),
        Difference::Source { source, from, to } => vi.t_with(
            "st-paper-diff-source",
            &[
                ("source", &vi.t(&format!("st-paper-col-source-{}", source.code()))),
                ("from", &dong(*from)),
                ("to", &dong(*to)),
            ],
        ),
        Difference::LumpSum { from, to } => {
            vi.t_with("st-paper-diff-lump-sum", &[("from", &dong(*from)), ("to", &dong(*to))])
        }
        Difference::Years => vi.t("st-paper-diff-years"),
        Difference::Instalments => vi.t("st-paper-diff-instalments"),
        Difference::Host => vi.t("st-paper-diff-host"),
        Difference::PrincipalInvestigator => vi.t("st-paper-diff-pi"),
        Difference::Team => vi.t("st-paper-diff-team"),
        Difference::Products => vi.t("st-paper-diff-products"),
        Difference::Milestones => vi.t("st-paper-diff-milestones"),
        Difference::ReportPeriod { from, to } => {
            vi.t_with("st-paper-diff-report", &[("from", &from.to_string()), ("to", &to.to_string())])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_condition_typed_as_a_sentence_reads_inside_one_and_capitals_are_kept() {
        assert_eq!(in_sentence("Sau khi ký hợp đồng"), "sau khi ký hợp đồng");
        assert_eq!(in_sentence("UBND xã xác nhận mô hình"), "UBND xã xác nhận mô hình");
        assert_eq!(in_sentence("sau nghiệm thu cơ sở"), "sau nghiệm thu cơ sở");
        assert_eq!(in_sentence("Đ"), "Đ");
    }

    #[test]
    fn dates_in_the_text_are_written_out_as_on_the_date_line() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(written_date(d(2020, 11, 20)), "ngày 20 tháng 11 năm 2020");
        assert_eq!(written_date(d(2021, 1, 5)), "ngày 05 tháng 01 năm 2021");
        assert_eq!(written_date(d(2025, 3, 15)), "ngày 15 tháng 3 năm 2025");
    }
}
