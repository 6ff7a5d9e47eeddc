//! The contract of an approved S&T task (hợp đồng thực hiện nhiệm vụ, TT 05/2014/TT-BKHCN's model) as
//! typed: its number and dates, the host organisation and the principal investigator with the team, the
//! budget by source and by year with the lump-sum (khoán) part of the state budget, the instalments in
//! which the state budget is paid with their conditions, the ordered products and the milestones.
//!
//! Money is counted in whole đồng (`i64`), parsed exactly and never through a float. What must add up,
//! adds up exactly: the yearly budgets of each source to that source's total, the instalments to the
//! state budget. A milestone is due within the contract; a change of the contract (điều chỉnh) is the same
//! form checked again, and only an extension (gia hạn) may move the end, always later.

use chrono::{Datelike, NaiveDate};

use super::input::{Checker, LINE_MAX};
use super::proposal::{Product, ProductDraft, TeamMember, TeamMemberDraft};
use super::{BudgetSource, Issue};
use crate::lang::Lang;

/// The longest contract, in months (the law's tasks run up to five years).
const DURATION_MAX_MONTHS: u32 = 60;
/// The default period of progress reports, in months (domain.md §2.3: typically every six months).
pub const DEFAULT_REPORT_MONTHS: u32 = 6;

/// A source's total as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceDraft {
    /// The source's code (`state_budget`, `counterpart`, `other`).
    pub source: String,
    /// The total in đồng.
    pub amount: String,
}

/// A year's budget from one source, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearDraft {
    /// The year.
    pub year: String,
    /// The source's code.
    pub source: String,
    /// In đồng.
    pub amount: String,
}

/// An instalment (đợt cấp kinh phí) as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InstalmentDraft {
    /// In đồng.
    pub amount: String,
    /// When it is planned.
    pub due_on: String,
    /// What must be done first ("sau khi nghiệm thu nội dung 1 và 2").
    pub condition: String,
}

/// A milestone (mốc tiến độ) as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MilestoneDraft {
    /// What is to be done ("Hoàn thành điều tra thực trạng tại 10 xã").
    pub title: String,
    /// When.
    pub due_on: String,
    /// The products it delivers, as written in the contract.
    pub products: String,
}

/// A contract as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContractDraft {
    /// Number and symbol ("15/2021/HĐ-KHCN").
    pub number: String,
    /// When it was signed.
    pub signed_on: String,
    /// The first day of the work.
    pub starts_on: String,
    /// The last day of the work.
    pub ends_on: String,
    /// The host organisation's id (tổ chức chủ trì).
    pub host_org_id: String,
    /// The principal investigator (chủ nhiệm nhiệm vụ).
    pub pi_name: String,
    /// The team.
    pub team: Vec<TeamMemberDraft>,
    /// The total of each source.
    pub sources: Vec<SourceDraft>,
    /// The budget by year and source.
    pub years: Vec<YearDraft>,
    /// The lump-sum part of the state budget (kinh phí khoán chi).
    pub lump_sum: String,
    /// The instalments of the state budget.
    pub instalments: Vec<InstalmentDraft>,
    /// The ordered products.
    pub products: Vec<ProductDraft>,
    /// The milestones.
    pub milestones: Vec<MilestoneDraft>,
    /// How often progress reports are due, in months (6 when blank).
    pub report_every_months: String,
}

/// A year's budget from one source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct YearBudget {
    /// The year.
    pub year: i32,
    /// The source.
    #[serde(with = "super::proposal::source_code")]
    pub source: BudgetSource,
    /// In đồng.
    pub amount: i64,
}

/// A checked instalment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Instalment {
    /// In đồng.
    pub amount: i64,
    /// When it is planned.
    pub due_on: NaiveDate,
    /// Its condition.
    pub condition: Option<String>,
}

/// A checked milestone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Milestone {
    /// What is to be done.
    pub title: String,
    /// When.
    pub due_on: NaiveDate,
    /// The products it delivers.
    pub products: Option<String>,
}

/// A checked contract: complete, its money adding up, its milestones within its dates.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ContractFields {
    /// Number and symbol.
    pub number: String,
    /// Signed.
    pub signed_on: NaiveDate,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// The host organisation.
    pub host_org_id: i64,
    /// The principal investigator.
    pub pi_name: String,
    /// The team.
    pub team: Vec<TeamMember>,
    /// The total by source (each source once).
    pub sources: Vec<super::BudgetLine>,
    /// By year and source.
    pub years: Vec<YearBudget>,
    /// The lump-sum part of the state budget.
    pub lump_sum: i64,
    /// The instalments of the state budget, in the order paid.
    pub instalments: Vec<Instalment>,
    /// The ordered products.
    pub products: Vec<Product>,
    /// The milestones, by due date.
    pub milestones: Vec<Milestone>,
    /// Months between progress reports.
    pub report_every_months: u32,
}

impl ContractFields {
    /// The total of one source (0 when absent).
    pub fn source_total(&self, source: BudgetSource) -> i64 {
        self.sources.iter().filter(|l| l.source == source).map(|l| l.amount).sum()
    }

    /// The state budget (ngân sách nhà nước): what the department commits and pays in instalments.
    pub fn state_budget(&self) -> i64 {
        self.source_total(BudgetSource::StateBudget)
    }

    /// The contract's whole value.
    pub fn total(&self) -> i64 {
        self.sources.iter().map(|l| l.amount).sum()
    }

    /// How many months the contract runs when its period is a whole number of months (from 1 April
    /// 2025 to 31 March 2027: 24), else `None` (the paper then gives the dates only).
    pub fn whole_months(&self) -> Option<u32> {
        let after_end = self.ends_on.succ_opt()?;
        let months = months_between(self.starts_on, after_end);
        (months > 0 && self.starts_on.checked_add_months(chrono::Months::new(months)) == Some(after_end))
            .then_some(months)
    }

    /// The dates progress reports are due: every `report_every_months` from the start, within the
    /// contract (the final report is the acceptance dossier, not one of these).
    pub fn report_due_dates(&self) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut k = 1;
        while let Some(d) = self.starts_on.checked_add_months(chrono::Months::new(self.report_every_months * k)) {
            if d >= self.ends_on {
                break;
            }
            out.push(d);
            k += 1;
        }
        out
    }
}

/// What a change of the contract is (điều chỉnh, TT 09/2014's kinds), each approved with a decision and
/// kept as a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// Nội dung: the content, products or milestones.
    Content,
    /// Dự toán: budget items, years or instalments (the total by source stays, unless a decision raises it).
    Budget,
    /// Thành viên: the principal investigator or the team.
    Members,
    /// Gia hạn: the end moved later.
    Extension,
}

impl ChangeKind {
    /// Every kind, in the order forms list them.
    pub const ALL: &'static [ChangeKind] =
        &[ChangeKind::Content, ChangeKind::Budget, ChangeKind::Members, ChangeKind::Extension];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::Content => "content",
            ChangeKind::Budget => "budget",
            ChangeKind::Members => "members",
            ChangeKind::Extension => "extension",
        }
    }

    /// The kind with this code.
    pub fn from_code(code: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.iter().copied().find(|k| k.code() == code)
    }
}

fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    u32::try_from(months.max(0)).unwrap_or(0)
}

impl ContractDraft {
    /// Checks a new contract: everything required, the money adding up, the milestones within the dates.
    pub fn validate(&self) -> Result<ContractFields, Vec<Issue>> {
        self.check(None)
    }

    /// Checks a change of `current` of the given kind: the same checks, and the end may move only by an
    /// extension, and only later (`extension_not_later`); without one a milestone after the end is
    /// `milestone_after_end` like in a new contract.
    pub fn validate_change(&self, current: &ContractFields, kind: ChangeKind) -> Result<ContractFields, Vec<Issue>> {
        self.check(Some((current, kind)))
    }

    fn check(&self, change: Option<(&ContractFields, ChangeKind)>) -> Result<ContractFields, Vec<Issue>> {
        let mut c = Checker::default();
        let number = c.line("number", &self.number, 60, true);
        let signed_on = c.date("signed_on", &self.signed_on, true);
        let starts_on = c.date("starts_on", &self.starts_on, true);
        let ends_on = c.date("ends_on", &self.ends_on, true);
        if let (Some(s), Some(e)) = (starts_on, ends_on) {
            if e <= s {
                c.push(Issue::new("ends_on", "end_before_start"));
            } else if months_between(s, e) > DURATION_MAX_MONTHS {
                c.push(Issue::new("ends_on", "contract_too_long").arg("max", DURATION_MAX_MONTHS));
            }
        }
        if let (Some(sig), Some(e)) = (signed_on, ends_on)
            && sig > e
        {
            c.push(Issue::new("signed_on", "signed_after_end"));
        }
        if let (Some((current, kind)), Some(e)) = (change, ends_on)
            && e != current.ends_on
        {
            if kind != ChangeKind::Extension {
                c.push(Issue::new("ends_on", "end_moves_only_by_extension"));
            } else if e < current.ends_on {
                c.push(Issue::new("ends_on", "extension_not_later"));
            }
        }
        if let Some((current, ChangeKind::Extension)) = change
            && ends_on == Some(current.ends_on)
        {
            c.push(Issue::new("ends_on", "extension_not_later"));
        }
        // A change does not rewrite what identifies the contract, and each kind changes its own part: the
        // money by a change of budget, the people by a change of members.
        if let Some((current, kind)) = change {
            if number.as_ref().is_some_and(|n| *n != current.number) {
                c.push(Issue::new("number", "fixed_by_change"));
            }
            if signed_on.is_some_and(|d| d != current.signed_on) {
                c.push(Issue::new("signed_on", "fixed_by_change"));
            }
            if starts_on.is_some_and(|d| d != current.starts_on) {
                c.push(Issue::new("starts_on", "fixed_by_change"));
            }
            let now = current.to_draft(Lang::Vi);
            // The money as typed, in a canonical order (rows may be typed in any order).
            let money_of = |d: &ContractDraft| {
                let mut sources: Vec<(String, Option<i64>)> = d
                    .sources
                    .iter()
                    .filter(|l| !l.amount.trim().is_empty())
                    .map(|l| (l.source.trim().to_owned(), crate::fmt::parse_dong(&l.amount).ok()))
                    .collect();
                sources.sort();
                let mut years: Vec<(String, String, Option<i64>)> = d
                    .years
                    .iter()
                    .filter(|y| !y.amount.trim().is_empty())
                    .map(|y| {
                        (y.year.trim().to_owned(), y.source.trim().to_owned(), crate::fmt::parse_dong(&y.amount).ok())
                    })
                    .collect();
                years.sort();
                let instalments: Vec<Option<i64>> = d
                    .instalments
                    .iter()
                    .filter(|i| !i.amount.trim().is_empty())
                    .map(|i| crate::fmt::parse_dong(&i.amount).ok())
                    .collect();
                (sources, years, crate::fmt::parse_dong(&d.lump_sum).unwrap_or(0), instalments)
            };
            if kind != ChangeKind::Budget && money_of(self) != money_of(&now) {
                c.push(Issue::new("sources", "money_only_by_budget_change"));
            }
            let people = |d: &ContractDraft| {
                let mut team: Vec<(String, String)> = d
                    .team
                    .iter()
                    .filter(|m| !m.name.trim().is_empty())
                    .map(|m| (crate::text::normalize_input(&m.name), crate::text::normalize_input(&m.role)))
                    .collect();
                team.sort();
                (crate::text::normalize_input(&d.pi_name), d.host_org_id.trim().to_owned(), team)
            };
            if kind != ChangeKind::Members && people(self) != people(&now) {
                c.push(Issue::new("pi_name", "members_only_by_members_change"));
            }
        }
        let host_org_id = c.id("host_org_id", &self.host_org_id, true);
        let pi_name = c.line("pi_name", &self.pi_name, LINE_MAX, true);
        let team = self.team_members(&mut c);
        let sources = self.source_totals(&mut c);
        let years = self.yearly(&mut c, starts_on, ends_on);
        if let Some(sources) = &sources
            && let Some(years) = &years
        {
            for line in sources {
                let sum: i64 = years.iter().filter(|y| y.source == line.source).map(|y| y.amount).sum();
                if sum != line.amount {
                    c.push(
                        Issue::new("years", "years_do_not_add_up")
                            .arg("source", format!("msg:st-source-{}", line.source.code()))
                            .arg("sum", crate::fmt::money(sum, Lang::Vi))
                            .arg("total", crate::fmt::money(line.amount, Lang::Vi)),
                    );
                }
            }
            for y in years {
                if !sources.iter().any(|l| l.source == y.source) {
                    c.push(
                        Issue::new("years", "year_source_not_in_contract")
                            .arg("source", format!("msg:st-source-{}", y.source.code())),
                    );
                }
            }
        }
        let state_budget = sources
            .as_ref()
            .map(|s| s.iter().filter(|l| l.source == BudgetSource::StateBudget).map(|l| l.amount).sum::<i64>());
        let lump_sum = c.money("lump_sum", &self.lump_sum, false).unwrap_or(0);
        if let Some(state) = state_budget
            && lump_sum > state
        {
            c.push(
                Issue::new("lump_sum", "lump_sum_over_state_budget").arg("total", crate::fmt::money(state, Lang::Vi)),
            );
        }
        let instalments = self.instalment_list(&mut c, ends_on);
        if let (Some(state), Some(list)) = (state_budget, &instalments) {
            let sum: i64 = list.iter().map(|i| i.amount).sum();
            if sum != state {
                c.push(
                    Issue::new("instalments", "instalments_do_not_add_up")
                        .arg("sum", crate::fmt::money(sum, Lang::Vi))
                        .arg("total", crate::fmt::money(state, Lang::Vi)),
                );
            }
        }
        let products = self.product_list(&mut c);
        let milestones = self.milestone_list(&mut c, starts_on, ends_on);
        let report_every_months = if self.report_every_months.trim().is_empty() {
            Some(DEFAULT_REPORT_MONTHS)
        } else {
            match self.report_every_months.trim().parse::<u32>() {
                Ok(m) if (1..=12).contains(&m) => Some(m),
                _ => {
                    c.push(Issue::new("report_every_months", "report_period_range"));
                    None
                }
            }
        };
        if !c.issues.is_empty() {
            return Err(c.issues);
        }
        match (
            number,
            signed_on,
            starts_on,
            ends_on,
            host_org_id,
            pi_name,
            sources,
            years,
            instalments,
            report_every_months,
        ) {
            (
                Some(number),
                Some(signed_on),
                Some(starts_on),
                Some(ends_on),
                Some(host_org_id),
                Some(pi_name),
                Some(sources),
                Some(years),
                Some(instalments),
                Some(report_every_months),
            ) => Ok(ContractFields {
                number,
                signed_on,
                starts_on,
                ends_on,
                host_org_id,
                pi_name,
                team,
                sources,
                years,
                lump_sum,
                instalments,
                products,
                milestones,
                report_every_months,
            }),
            _ => Err(vec![Issue::new("number", "invalid")]),
        }
    }

    fn team_members(&self, c: &mut Checker) -> Vec<TeamMember> {
        let mut team = Vec::new();
        for (i, m) in self.team.iter().enumerate() {
            if m.name.trim().is_empty() && m.role.trim().is_empty() {
                continue;
            }
            let name = c.line(&format!("team[{i}].name"), &m.name, LINE_MAX, true);
            let role = c.line(&format!("team[{i}].role"), &m.role, 100, false);
            if let Some(name) = name {
                team.push(TeamMember { name, role, person_id: None });
            }
        }
        team
    }

    fn source_totals(&self, c: &mut Checker) -> Option<Vec<super::BudgetLine>> {
        let before = c.issues.len();
        let mut out: Vec<super::BudgetLine> = Vec::new();
        for (i, line) in self.sources.iter().enumerate() {
            if line.source.trim().is_empty() && line.amount.trim().is_empty() {
                continue;
            }
            let source = BudgetSource::from_code(line.source.trim());
            if source.is_none() {
                c.push(Issue::new(format!("sources[{i}].source"), "required"));
            }
            let amount = c.money(&format!("sources[{i}].amount"), &line.amount, true);
            if amount == Some(0) {
                c.push(Issue::new(format!("sources[{i}].amount"), "amount_positive"));
            }
            if let (Some(source), Some(amount)) = (source, amount) {
                if out.iter().any(|l| l.source == source) {
                    c.push(Issue::new(format!("sources[{i}].source"), "source_repeated"));
                } else {
                    out.push(super::BudgetLine { source, amount });
                }
            }
        }
        if out.is_empty() && c.issues.len() == before {
            c.push(Issue::new("sources", "source_required"));
        }
        (c.issues.len() == before).then_some(out)
    }

    fn yearly(&self, c: &mut Checker, starts: Option<NaiveDate>, ends: Option<NaiveDate>) -> Option<Vec<YearBudget>> {
        let before = c.issues.len();
        let mut out: Vec<YearBudget> = Vec::new();
        for (i, line) in self.years.iter().enumerate() {
            if [&line.year, &line.source, &line.amount].iter().all(|v| v.trim().is_empty()) {
                continue;
            }
            let year = match line.year.trim().parse::<i32>() {
                Ok(y) => Some(y),
                Err(_) => {
                    c.push(Issue::new(format!("years[{i}].year"), "year_format"));
                    None
                }
            };
            if let (Some(y), Some(s), Some(e)) = (year, starts, ends)
                && (y < s.year() || y > e.year())
            {
                c.push(
                    Issue::new(format!("years[{i}].year"), "year_outside_contract")
                        .arg("from", s.year())
                        .arg("to", e.year()),
                );
            }
            let source = BudgetSource::from_code(line.source.trim());
            if source.is_none() {
                c.push(Issue::new(format!("years[{i}].source"), "required"));
            }
            let amount = c.money(&format!("years[{i}].amount"), &line.amount, true);
            if let (Some(year), Some(source), Some(amount)) = (year, source, amount) {
                if out.iter().any(|y| y.year == year && y.source == source) {
                    c.push(Issue::new(format!("years[{i}].year"), "year_repeated"));
                } else {
                    out.push(YearBudget { year, source, amount });
                }
            }
        }
        if out.is_empty() && c.issues.len() == before {
            c.push(Issue::new("years", "year_required"));
        }
        out.sort_by_key(|y| (y.year, y.source));
        (c.issues.len() == before).then_some(out)
    }

    fn instalment_list(&self, c: &mut Checker, ends: Option<NaiveDate>) -> Option<Vec<Instalment>> {
        let before = c.issues.len();
        let mut out = Vec::new();
        for (i, line) in self.instalments.iter().enumerate() {
            if [&line.amount, &line.due_on, &line.condition].iter().all(|v| v.trim().is_empty()) {
                continue;
            }
            let amount = c.money(&format!("instalments[{i}].amount"), &line.amount, true);
            if amount == Some(0) {
                c.push(Issue::new(format!("instalments[{i}].amount"), "amount_positive"));
            }
            let due_on = c.date(&format!("instalments[{i}].due_on"), &line.due_on, true);
            if let (Some(d), Some(e)) = (due_on, ends)
                && d > e
            {
                c.push(Issue::new(format!("instalments[{i}].due_on"), "instalment_after_end"));
            }
            let condition = c.text(&format!("instalments[{i}].condition"), &line.condition, false);
            if let (Some(amount), Some(due_on)) = (amount, due_on) {
                out.push(Instalment { amount, due_on, condition });
            }
        }
        if out.windows(2).any(|w| w[1].due_on < w[0].due_on) {
            c.push(Issue::new("instalments", "instalments_out_of_order"));
        }
        (c.issues.len() == before).then_some(out)
    }

    fn product_list(&self, c: &mut Checker) -> Vec<Product> {
        let mut out = Vec::new();
        for (i, p) in self.products.iter().enumerate() {
            if [&p.name, &p.unit, &p.quantity, &p.requirements].iter().all(|v| v.trim().is_empty()) {
                continue;
            }
            let name = c.line(&format!("products[{i}].name"), &p.name, LINE_MAX, true);
            let unit = c.line(&format!("products[{i}].unit"), &p.unit, 100, true);
            let field = format!("products[{i}].quantity");
            let quantity = c.number(&field, &p.quantity, true);
            if quantity.is_some_and(|q| q <= 0.0) {
                c.push(Issue::new(&field, "quantity_positive"));
            }
            let requirements = c.text(&format!("products[{i}].requirements"), &p.requirements, false);
            if let (Some(name), Some(unit), Some(quantity)) = (name, unit, quantity) {
                out.push(Product { name, unit, quantity, requirements });
            }
        }
        if out.is_empty() && !c.issues.iter().any(|i| i.field.starts_with("products")) {
            c.push(Issue::new("products", "product_required"));
        }
        out
    }

    fn milestone_list(&self, c: &mut Checker, starts: Option<NaiveDate>, ends: Option<NaiveDate>) -> Vec<Milestone> {
        let mut out = Vec::new();
        for (i, m) in self.milestones.iter().enumerate() {
            if [&m.title, &m.due_on, &m.products].iter().all(|v| v.trim().is_empty()) {
                continue;
            }
            let title = c.line(&format!("milestones[{i}].title"), &m.title, LINE_MAX, true);
            let field = format!("milestones[{i}].due_on");
            let due_on = c.date(&field, &m.due_on, true);
            if let (Some(d), Some(e)) = (due_on, ends)
                && d > e
            {
                c.push(Issue::new(&field, "milestone_after_end").arg("end", crate::fmt::date(e)));
            }
            if let (Some(d), Some(s)) = (due_on, starts)
                && d < s
            {
                c.push(Issue::new(&field, "milestone_before_start").arg("start", crate::fmt::date(s)));
            }
            let products = c.text(&format!("milestones[{i}].products"), &m.products, false);
            if let (Some(title), Some(due_on)) = (title, due_on) {
                out.push(Milestone { title, due_on, products });
            }
        }
        if out.is_empty() && !c.issues.iter().any(|i| i.field.starts_with("milestones")) {
            c.push(Issue::new("milestones", "milestone_required"));
        }
        out.sort_by_key(|m| m.due_on);
        out
    }
}

impl ContractFields {
    /// The form of these fields, as an edit (a change of the contract) starts.
    pub fn to_draft(&self, lang: Lang) -> ContractDraft {
        let date = |d: NaiveDate| crate::fmt::date(d);
        let money = |n: i64| crate::fmt::integer(n, Lang::Vi);
        ContractDraft {
            number: self.number.clone(),
            signed_on: date(self.signed_on),
            starts_on: date(self.starts_on),
            ends_on: date(self.ends_on),
            host_org_id: self.host_org_id.to_string(),
            pi_name: self.pi_name.clone(),
            team: self
                .team
                .iter()
                .map(|m| TeamMemberDraft { name: m.name.clone(), role: m.role.clone().unwrap_or_default() })
                .collect(),
            sources: self
                .sources
                .iter()
                .map(|l| SourceDraft { source: l.source.code().to_owned(), amount: money(l.amount) })
                .collect(),
            years: self
                .years
                .iter()
                .map(|y| YearDraft {
                    year: y.year.to_string(),
                    source: y.source.code().to_owned(),
                    amount: money(y.amount),
                })
                .collect(),
            lump_sum: if self.lump_sum == 0 { String::new() } else { money(self.lump_sum) },
            instalments: self
                .instalments
                .iter()
                .map(|i| InstalmentDraft {
                    amount: money(i.amount),
                    due_on: date(i.due_on),
                    condition: i.condition.clone().unwrap_or_default(),
                })
                .collect(),
            products: self
                .products
                .iter()
                .map(|p| ProductDraft {
                    name: p.name.clone(),
                    unit: p.unit.clone(),
                    quantity: p.quantity_text(lang),
                    requirements: p.requirements.clone().unwrap_or_default(),
                })
                .collect(),
            milestones: self
                .milestones
                .iter()
                .map(|m| MilestoneDraft {
                    title: m.title.clone(),
                    due_on: date(m.due_on),
                    products: m.products.clone().unwrap_or_default(),
                })
                .collect(),
            report_every_months: self.report_every_months.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> ContractDraft {
        ContractDraft {
            number: "15/2021/HĐ-KHCN".into(),
            signed_on: "15/03/2021".into(),
            starts_on: "01/04/2021".into(),
            ends_on: "31/03/2023".into(),
            host_org_id: "7".into(),
            pi_name: "TS. Lê Minh Tuấn".into(),
            team: vec![TeamMemberDraft { name: "ThS. Phạm Thu Hà".into(), role: "Thư ký khoa học".into() }],
            sources: vec![
                SourceDraft { source: "state_budget".into(), amount: "1.200.000.000".into() },
                SourceDraft { source: "counterpart".into(), amount: "300.000.000".into() },
            ],
            years: vec![
                YearDraft { year: "2021".into(), source: "state_budget".into(), amount: "700.000.000".into() },
                YearDraft { year: "2022".into(), source: "state_budget".into(), amount: "500.000.000".into() },
                YearDraft { year: "2022".into(), source: "counterpart".into(), amount: "300.000.000".into() },
            ],
            lump_sum: "800.000.000".into(),
            instalments: vec![
                InstalmentDraft { amount: "500.000.000".into(), due_on: "15/04/2021".into(), condition: String::new() },
                InstalmentDraft {
                    amount: "500.000.000".into(),
                    due_on: "15/04/2022".into(),
                    condition: "Sau kiểm tra định kỳ lần 1".into(),
                },
                InstalmentDraft {
                    amount: "200.000.000".into(),
                    due_on: "15/03/2023".into(),
                    condition: "Sau nghiệm thu cơ sở".into(),
                },
            ],
            products: vec![ProductDraft {
                name: "Quy trình nhân giống ba kích tím".into(),
                unit: "quy trình".into(),
                quantity: "1".into(),
                requirements: "Được Hội đồng KH&CN tỉnh công nhận".into(),
            }],
            milestones: vec![
                MilestoneDraft {
                    title: "Điều tra thực trạng".into(),
                    due_on: "30/09/2021".into(),
                    products: String::new(),
                },
                MilestoneDraft { title: "Mô hình 2 ha".into(), due_on: "31/12/2022".into(), products: String::new() },
            ],
            report_every_months: String::new(),
        }
    }

    fn codes(issues: &[Issue]) -> Vec<(String, &'static str)> {
        issues.iter().map(|i| (i.field.clone(), i.code)).collect()
    }

    #[test]
    fn a_contract_whose_money_adds_up_is_accepted_exactly() {
        let f = sample().validate().unwrap();
        assert_eq!(f.state_budget(), 1_200_000_000);
        assert_eq!(f.total(), 1_500_000_000);
        assert_eq!(f.report_every_months, 6);
        assert_eq!(f.lump_sum, 800_000_000);
        let due: Vec<String> = f.report_due_dates().into_iter().map(crate::fmt::date).collect();
        assert_eq!(due, ["01/10/2021", "01/04/2022", "01/10/2022"]);
        assert_eq!(f.to_draft(Lang::Vi).validate().unwrap(), f, "the edit form of a contract checks back to it");
    }

    #[test]
    fn a_period_of_whole_months_is_counted_and_another_is_not() {
        let mut f = sample().validate().unwrap();
        assert_eq!(f.whole_months(), Some(24));
        f.ends_on = NaiveDate::from_ymd_opt(2023, 9, 30).unwrap();
        assert_eq!(f.whole_months(), Some(30));
        f.ends_on = NaiveDate::from_ymd_opt(2023, 9, 15).unwrap();
        assert_eq!(f.whole_months(), None);
    }

    #[test]
    fn instalments_or_years_that_do_not_add_up_are_refused_naming_both_sums() {
        let mut d = sample();
        d.instalments[2].amount = "100.000.000".into();
        d.years[1].amount = "400.000.000".into();
        let issues = d.validate().unwrap_err();
        assert_eq!(
            codes(&issues),
            [("years".into(), "years_do_not_add_up"), ("instalments".into(), "instalments_do_not_add_up")]
        );
        let inst = &issues[1];
        assert!(inst.args.contains(&("sum", "1.100.000.000 đ".into())), "{:?}", inst.args);
        assert!(inst.args.contains(&("total", "1.200.000.000 đ".into())), "{:?}", inst.args);
    }

    #[test]
    fn a_milestone_after_the_end_is_refused_unless_an_extension_moves_the_end() {
        let mut d = sample();
        d.milestones[1].due_on = "30/06/2023".into();
        assert_eq!(codes(&d.validate().unwrap_err()), [("milestones[1].due_on".into(), "milestone_after_end")]);
        let current = sample().validate().unwrap();
        assert_eq!(
            codes(&d.validate_change(&current, ChangeKind::Content).unwrap_err()),
            [("milestones[1].due_on".into(), "milestone_after_end")]
        );
        d.ends_on = "30/09/2023".into();
        assert_eq!(
            codes(&d.validate_change(&current, ChangeKind::Content).unwrap_err()),
            [("ends_on".into(), "end_moves_only_by_extension")]
        );
        let extended = d.validate_change(&current, ChangeKind::Extension).unwrap();
        assert_eq!(crate::fmt::date(extended.ends_on), "30/09/2023");
        let mut earlier = sample();
        earlier.ends_on = "31/01/2023".into();
        assert_eq!(
            codes(&earlier.validate_change(&current, ChangeKind::Extension).unwrap_err()),
            [("ends_on".into(), "extension_not_later"), ("instalments[2].due_on".into(), "instalment_after_end")]
        );
        assert_eq!(
            codes(&sample().validate_change(&current, ChangeKind::Extension).unwrap_err()),
            [("ends_on".into(), "extension_not_later")],
            "an extension that does not move the end is no extension"
        );
    }

    #[test]
    fn each_kind_of_change_changes_its_own_part_and_none_rewrites_the_contracts_identity() {
        let current = sample().validate().unwrap();
        let mut d = sample();
        d.instalments[1].amount = "400.000.000".into();
        d.instalments[2].amount = "300.000.000".into();
        assert_eq!(
            codes(&d.validate_change(&current, ChangeKind::Content).unwrap_err()),
            [("sources".into(), "money_only_by_budget_change")]
        );
        assert!(d.validate_change(&current, ChangeKind::Budget).is_ok());
        let mut d = sample();
        d.pi_name = "PGS.TS. Trần Văn Nam".into();
        assert_eq!(
            codes(&d.validate_change(&current, ChangeKind::Budget).unwrap_err()),
            [("pi_name".into(), "members_only_by_members_change")]
        );
        assert!(d.validate_change(&current, ChangeKind::Members).is_ok());
        let mut d = sample();
        d.number = "16/2021/HĐ-KHCN".into();
        d.signed_on = "16/03/2021".into();
        d.years.reverse();
        let issues = codes(&d.validate_change(&current, ChangeKind::Members).unwrap_err());
        assert_eq!(
            issues,
            [("number".into(), "fixed_by_change"), ("signed_on".into(), "fixed_by_change")],
            "rows typed in another order are the same money"
        );
    }

    #[test]
    fn decimal_or_negative_money_and_a_lump_sum_over_the_state_budget_are_refused() {
        let mut d = sample();
        d.sources[1].amount = "300.000.000,5".into();
        d.instalments[0].amount = "-5".into();
        let issues = codes(&d.validate().unwrap_err());
        assert!(issues.contains(&("sources[1].amount".into(), "money_format")), "{issues:?}");
        assert!(issues.contains(&("instalments[0].amount".into(), "money_format")), "{issues:?}");
        let mut d = sample();
        d.lump_sum = "1.200.000.001".into();
        assert_eq!(codes(&d.validate().unwrap_err()), [("lump_sum".into(), "lump_sum_over_state_budget")]);
    }

    #[test]
    fn an_empty_form_names_every_required_part() {
        let issues = codes(&ContractDraft::default().validate().unwrap_err());
        for field in [
            "number",
            "signed_on",
            "starts_on",
            "ends_on",
            "host_org_id",
            "pi_name",
            "sources",
            "products",
            "milestones",
        ] {
            assert!(issues.iter().any(|(f, _)| f == field), "{field} not named in {issues:?}");
        }
    }

    #[test]
    fn years_outside_the_contract_and_instalments_after_the_end_are_refused() {
        let mut d = sample();
        d.years[0].year = "2020".into();
        d.instalments[2].due_on = "15/04/2023".into();
        let issues = codes(&d.validate().unwrap_err());
        assert!(issues.contains(&("years[0].year".into(), "year_outside_contract")), "{issues:?}");
        assert!(issues.contains(&("instalments[2].due_on".into(), "instalment_after_end")), "{issues:?}");
    }
}

#[cfg(test)]
pub(crate) mod tests_support {
    /// The sample contract of the tests, checked.
    pub(crate) fn sample_fields() -> super::ContractFields {
        super::tests::sample().validate().unwrap()
    }
}
