//! A proposal (phiếu đề xuất đặt hàng) or a dossier (thuyết minh) as typed: its name, field, urgency,
//! objectives and content, the expected products with their quantities, the duration, the estimated budget
//! by source, who proposes, the intended host and principal investigator, and the team.
//!
//! Two levels of checks: a draft is kept with whatever was typed as long as each value is well formed (a
//! slow link must not lose a half-written form), and what is sent must be complete, its budget sources
//! adding up to the total exactly. Rows left blank (the spare rows of the form) are skipped but keep their
//! position, so an error names the row the user sees: `products[2].quantity`, `budget[1].amount`.

use super::input::{Checker, LINE_MAX};
use super::{BudgetSource, Issue, ProposerKind};
use crate::lang::Lang;

/// The longest title.
const TITLE_MAX: usize = 300;
/// The longest task, in months.
const DURATION_MAX: i64 = 60;

/// An expected product as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductDraft {
    /// What it is ("Quy trình nuôi tôm thẻ chân trắng trong hệ thống tuần hoàn").
    pub name: String,
    /// Its unit ("quy trình", "mô hình", "kg").
    pub unit: String,
    /// How many.
    pub quantity: String,
    /// What it must meet (chỉ tiêu kinh tế – kỹ thuật).
    pub requirements: String,
}

impl ProductDraft {
    fn is_blank(&self) -> bool {
        [&self.name, &self.unit, &self.quantity, &self.requirements].iter().all(|v| v.trim().is_empty())
    }
}

/// A line of the budget as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BudgetLineDraft {
    /// The source's code.
    pub source: String,
    /// The amount in đồng.
    pub amount: String,
}

/// A member of the team as typed: a name (found in the directory when there) and a role.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TeamMemberDraft {
    /// The name with or without a title ("TS. Lê Minh Tuấn").
    pub name: String,
    /// The role in the team ("Chủ nhiệm", "Thư ký khoa học", "Thành viên").
    pub role: String,
}

/// A proposal or a dossier as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProposalDraft {
    /// The task's name.
    pub title: String,
    /// The field of science and technology, one of the call's.
    pub field: String,
    /// Why it is urgent (tính cấp thiết).
    pub urgency: String,
    /// Objectives (mục tiêu).
    pub objectives: String,
    /// Main content (nội dung chính).
    pub content: String,
    /// Expected products.
    pub products: Vec<ProductDraft>,
    /// Duration in months.
    pub duration_months: String,
    /// The estimated budget in đồng.
    pub budget_total: String,
    /// The budget by source.
    pub budget: Vec<BudgetLineDraft>,
    /// `organization`, `commune`, `enterprise` or `individual`.
    pub proposer_kind: String,
    /// The proposer's name as it signs (an organisation's, a person's).
    pub proposer_name: String,
    /// Whom to contact.
    pub contact_name: String,
    /// Their phone.
    pub contact_phone: String,
    /// Their e-mail.
    pub contact_email: String,
    /// The intended host organisation (tổ chức chủ trì dự kiến).
    pub host_name: String,
    /// The intended principal investigator (chủ nhiệm dự kiến).
    pub pi_name: String,
    /// The team.
    pub team: Vec<TeamMemberDraft>,
}

/// A checked product.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Product {
    /// What it is.
    pub name: String,
    /// Its unit.
    pub unit: String,
    /// How many (positive).
    pub quantity: f64,
    /// What it must meet.
    pub requirements: Option<String>,
}

impl Product {
    /// The quantity as officials write it (`1.500`, `2,5`).
    pub fn quantity_text(&self, lang: Lang) -> String {
        crate::fmt::decimal(self.quantity, 3, lang)
    }
}

/// A checked line of the budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BudgetLine {
    /// The source's code (`state_budget`, `counterpart`, `other`).
    #[serde(with = "source_code")]
    pub source: BudgetSource,
    /// In đồng.
    pub amount: i64,
}

pub(crate) mod source_code {
    use super::BudgetSource;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(source: &BudgetSource, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(source.code())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BudgetSource, D::Error> {
        let code = String::deserialize(d)?;
        BudgetSource::from_code(&code).ok_or_else(|| serde::de::Error::custom(format!("unknown budget source {code}")))
    }
}

/// A checked member of the team (the person is looked up in the directory by the application).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TeamMember {
    /// The name as typed, normalised.
    pub name: String,
    /// The role in the team.
    pub role: Option<String>,
    /// The person of the directory, when found.
    #[serde(default)]
    pub person_id: Option<i64>,
}

/// A checked proposal: what a draft keeps (anything may still be missing) or what is sent (complete).
#[derive(Debug, Clone, PartialEq)]
pub struct ProposalFields {
    /// Name.
    pub title: String,
    /// Field.
    pub field: Option<String>,
    /// Urgency.
    pub urgency: Option<String>,
    /// Objectives.
    pub objectives: Option<String>,
    /// Content.
    pub content: Option<String>,
    /// Products.
    pub products: Vec<Product>,
    /// Months.
    pub duration_months: Option<i64>,
    /// Estimated budget.
    pub budget_total: Option<i64>,
    /// By source.
    pub budget: Vec<BudgetLine>,
    /// Who proposes.
    pub proposer_kind: ProposerKind,
    /// Their name.
    pub proposer_name: Option<String>,
    /// Contact.
    pub contact_name: Option<String>,
    /// Phone.
    pub contact_phone: Option<String>,
    /// E-mail.
    pub contact_email: Option<String>,
    /// Intended host.
    pub host_name: Option<String>,
    /// Intended principal investigator.
    pub pi_name: Option<String>,
    /// Team.
    pub team: Vec<TeamMember>,
}

impl ProposalFields {
    /// The sum of the budget's sources.
    pub fn budget_sum(&self) -> i64 {
        self.budget.iter().map(|l| l.amount).sum()
    }
}

impl ProposalDraft {
    /// Checks what a draft keeps: the name (a draft is listed by it) and that each value typed is well
    /// formed; everything else may still be missing.
    pub fn validate_draft(&self, call_fields: &[String]) -> Result<ProposalFields, Vec<Issue>> {
        self.check(call_fields, false)
    }

    /// Checks what is sent: everything required, at least one product and one source of budget, and the
    /// sources adding up to the total exactly.
    pub fn validate_for_submission(&self, call_fields: &[String]) -> Result<ProposalFields, Vec<Issue>> {
        self.check(call_fields, true)
    }

    fn check(&self, call_fields: &[String], complete: bool) -> Result<ProposalFields, Vec<Issue>> {
        let mut c = Checker::default();
        let title = c.line("title", &self.title, TITLE_MAX, true);
        let field = c.line("field", &self.field, LINE_MAX, complete);
        if let Some(f) = &field
            && !call_fields.is_empty()
            && !call_fields.iter().any(|cf| crate::text::fold(cf) == crate::text::fold(f))
        {
            c.push(Issue::new("field", "field_not_in_call"));
        }
        let urgency = c.text("urgency", &self.urgency, complete);
        let objectives = c.text("objectives", &self.objectives, complete);
        let content = c.text("content", &self.content, false);
        let mut products = Vec::new();
        for (i, p) in self.products.iter().enumerate().filter(|(_, p)| !p.is_blank()) {
            let name = c.line(&format!("products[{i}].name"), &p.name, LINE_MAX, true);
            let unit = c.line(&format!("products[{i}].unit"), &p.unit, 100, true);
            let quantity_field = format!("products[{i}].quantity");
            let quantity = c.number(&quantity_field, &p.quantity, true);
            if quantity.is_some_and(|q| q <= 0.0) {
                c.push(Issue::new(&quantity_field, "quantity_positive"));
            }
            let requirements = c.text(&format!("products[{i}].requirements"), &p.requirements, false);
            if let (Some(name), Some(unit), Some(quantity)) = (name, unit, quantity) {
                products.push(Product { name, unit, quantity, requirements });
            }
        }
        if complete && products.is_empty() && !self.products.iter().any(|p| !p.is_blank()) {
            c.push(Issue::new("products", "product_required"));
        }
        let duration_months = match c.number("duration_months", &self.duration_months, complete) {
            Some(n) if n.fract() == 0.0 && (1.0..=60.0).contains(&n) =>
            {
                #[expect(clippy::cast_possible_truncation, reason = "a whole number from 1 to 60")]
                Some(n as i64)
            }
            Some(_) => {
                c.push(Issue::new("duration_months", "duration_range").arg("max", DURATION_MAX));
                None
            }
            None => None,
        };
        let budget_total = c.money("budget_total", &self.budget_total, complete);
        if complete && budget_total == Some(0) {
            c.push(Issue::new("budget_total", "budget_positive"));
        }
        let mut budget: Vec<BudgetLine> = Vec::new();
        let mut budget_complete = true;
        for (i, line) in self.budget.iter().enumerate() {
            if line.source.trim().is_empty() && line.amount.trim().is_empty() {
                continue;
            }
            let source = match BudgetSource::from_code(line.source.trim()) {
                Some(s) if budget.iter().any(|b| b.source == s) => {
                    c.push(Issue::new(format!("budget[{i}].source"), "budget_source_twice"));
                    None
                }
                Some(s) => Some(s),
                None => {
                    c.push(Issue::new(format!("budget[{i}].source"), "required"));
                    None
                }
            };
            let amount = c.money(&format!("budget[{i}].amount"), &line.amount, true);
            match (source, amount) {
                (Some(source), Some(amount)) => budget.push(BudgetLine { source, amount }),
                _ => budget_complete = false,
            }
        }
        if complete && budget.is_empty() && budget_complete {
            c.push(Issue::new("budget", "budget_source_required"));
        }
        if complete
            && budget_complete
            && !budget.is_empty()
            && let Some(total) = budget_total
        {
            let sum: i64 = budget.iter().map(|l| l.amount).sum();
            if sum != total {
                c.push(
                    Issue::new("budget_total", "budget_sources_mismatch")
                        .arg("sum", crate::fmt::money(sum, Lang::Vi))
                        .arg("total", crate::fmt::money(total, Lang::Vi)),
                );
            }
        }
        let proposer_kind = match ProposerKind::from_code(self.proposer_kind.trim()) {
            Some(k) => Some(k),
            None => {
                c.push(Issue::new("proposer_kind", "required"));
                None
            }
        };
        let proposer_name = c.line("proposer_name", &self.proposer_name, LINE_MAX, complete);
        let contact_name = c.line("contact_name", &self.contact_name, LINE_MAX, complete);
        let contact_phone = c.line("contact_phone", &self.contact_phone, 30, false);
        if let Some(phone) = &contact_phone
            && !phone.chars().all(|ch| ch.is_ascii_digit() || " +.-()".contains(ch))
        {
            c.push(Issue::new("contact_phone", "phone_format"));
        }
        let contact_email = c.line("contact_email", &self.contact_email, 200, false);
        if let Some(email) = &contact_email
            && !(email.contains('@')
                && !email.contains(' ')
                && email.rsplit('@').next().is_some_and(|d| d.contains('.')))
        {
            c.push(Issue::new("contact_email", "email_format"));
        }
        let host_name = c.line("host_name", &self.host_name, LINE_MAX, false);
        let pi_name = c.line("pi_name", &self.pi_name, LINE_MAX, false);
        let mut team = Vec::new();
        for (i, m) in self.team.iter().enumerate() {
            if m.name.trim().is_empty() && m.role.trim().is_empty() {
                continue;
            }
            let name = c.line(&format!("team[{i}].name"), &m.name, LINE_MAX, true);
            let role = c.line(&format!("team[{i}].role"), &m.role, 200, false);
            if let Some(name) = name {
                team.push(TeamMember { name, role, person_id: None });
            }
        }
        if !c.issues.is_empty() {
            return Err(c.issues);
        }
        let (Some(title), Some(proposer_kind)) = (title, proposer_kind) else {
            return Err(vec![Issue::new("title", "required")]);
        };
        Ok(ProposalFields {
            title,
            field,
            urgency,
            objectives,
            content,
            products,
            duration_months,
            budget_total,
            budget,
            proposer_kind,
            proposer_name,
            contact_name,
            contact_phone,
            contact_email,
            host_name,
            pi_name,
            team,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complete() -> ProposalDraft {
        ProposalDraft {
            title: "Ứng dụng công nghệ nuôi tôm tuần hoàn tại thị xã Quảng Yên".into(),
            field: "Thủy sản".into(),
            urgency: "Diện tích nuôi tôm lớn, dịch bệnh thường xuyên.".into(),
            objectives: "Xây dựng mô hình nuôi tôm tuần hoàn.".into(),
            products: vec![
                ProductDraft {
                    name: "Quy trình nuôi tôm".into(),
                    unit: "quy trình".into(),
                    quantity: "1".into(),
                    requirements: String::new(),
                },
                ProductDraft::default(),
            ],
            duration_months: "24".into(),
            budget_total: "1.500.000.000".into(),
            budget: vec![
                BudgetLineDraft { source: "state_budget".into(), amount: "1.200.000.000".into() },
                BudgetLineDraft { source: "counterpart".into(), amount: "300.000.000".into() },
            ],
            proposer_kind: "commune".into(),
            proposer_name: "UBND thị xã Quảng Yên".into(),
            contact_name: "Nguyễn Văn An".into(),
            ..ProposalDraft::default()
        }
    }

    const FIELDS: &[&str] = &["Nông nghiệp", "Thủy sản"];

    fn fields() -> Vec<String> {
        FIELDS.iter().map(|s| (*s).to_owned()).collect()
    }

    fn codes(issues: &[Issue]) -> Vec<(String, &'static str)> {
        issues.iter().map(|i| (i.field.clone(), i.code)).collect()
    }

    #[test]
    fn a_complete_proposal_is_sent_with_its_budget_by_source() {
        let f = complete().validate_for_submission(&fields()).unwrap();
        assert_eq!(f.budget_total, Some(1_500_000_000));
        assert_eq!(f.budget_sum(), 1_500_000_000);
        assert_eq!(f.products.len(), 1, "the blank row is skipped");
        assert_eq!(f.duration_months, Some(24));
    }

    #[test]
    fn sources_that_do_not_add_up_to_the_total_are_refused_naming_both_figures() {
        let mut d = complete();
        d.budget[1].amount = "200.000.000".into();
        let issues = d.validate_for_submission(&fields()).unwrap_err();
        assert_eq!(codes(&issues), [("budget_total".into(), "budget_sources_mismatch")]);
        let args: Vec<_> = issues[0].args.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(args, ["sum=1.400.000.000 đ", "total=1.500.000.000 đ"]);
        // A draft keeps what was typed, the sum still being worked on.
        assert!(d.validate_draft(&fields()).is_ok());
    }

    #[test]
    fn a_draft_needs_only_its_name_and_well_formed_values() {
        let d = ProposalDraft {
            title: "Đề xuất chưa xong".into(),
            proposer_kind: "enterprise".into(),
            ..ProposalDraft::default()
        };
        let f = d.validate_draft(&fields()).unwrap();
        assert_eq!(f.budget_total, None);
        let bad = ProposalDraft { budget_total: "khoảng 2 tỷ".into(), ..d.clone() };
        assert_eq!(codes(&bad.validate_draft(&fields()).unwrap_err()), [("budget_total".into(), "not_a_number")]);
        let sent = d.validate_for_submission(&fields()).unwrap_err();
        let sent = codes(&sent);
        for field in [
            "field",
            "urgency",
            "objectives",
            "products",
            "duration_months",
            "budget_total",
            "budget",
            "proposer_name",
            "contact_name",
        ] {
            assert!(sent.iter().any(|(f, _)| f == field), "{field} is required to send: {sent:?}");
        }
    }

    #[test]
    fn each_wrong_row_is_named_where_the_user_sees_it() {
        let mut d = complete();
        d.products.push(ProductDraft {
            name: "Mô hình".into(),
            unit: "mô hình".into(),
            quantity: "0".into(),
            requirements: String::new(),
        });
        d.budget.push(BudgetLineDraft { source: "counterpart".into(), amount: "1,5".into() });
        d.duration_months = "72".into();
        d.field = "Du lịch".into();
        let issues = codes(&d.validate_for_submission(&fields()).unwrap_err());
        assert!(issues.contains(&("products[2].quantity".into(), "quantity_positive")), "{issues:?}");
        assert!(issues.contains(&("budget[2].source".into(), "budget_source_twice")));
        assert!(issues.contains(&("budget[2].amount".into(), "money_format")));
        assert!(issues.contains(&("duration_months".into(), "duration_range")));
        assert!(issues.contains(&("field".into(), "field_not_in_call")));
    }
}
