//! What users type into the directory's forms and API, and its validation into typed fields. Every
//! problem is reported at once, each naming its field and a stable code (`tax_code_format`), so a form
//! can show it next to the field with the input kept.

use chrono::NaiveDate;

use super::kind::OrgKind;
use super::tax_code::TaxCode;
use super::title::{AcademicRank, Degree, Honorific};
use crate::text::{normalize_input, normalize_multiline};

/// A problem with one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    /// The field's name (`tax_code`).
    pub field: &'static str,
    /// A stable snake_case code (`required`, `too_long`, `tax_code_format`); messages are `field-<code>`.
    pub code: &'static str,
    /// Arguments of the message (`max` → `300`).
    pub args: Vec<(&'static str, String)>,
}

impl FieldIssue {
    /// An issue without arguments.
    pub fn new(field: &'static str, code: &'static str) -> FieldIssue {
        FieldIssue { field, code, args: Vec::new() }
    }

    /// Adds a message argument.
    #[must_use]
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> FieldIssue {
        self.args.push((name, value.to_string()));
        self
    }
}

/// The longest name of an organisation or a person.
pub const MAX_NAME: usize = 300;
/// The longest abbreviation.
pub const MAX_ABBREVIATION: usize = 50;
/// The longest address.
pub const MAX_ADDRESS: usize = 500;
/// The longest role, position, e-mail, website or expertise field.
pub const MAX_SHORT: usize = 200;
/// The most expertise fields of a person.
pub const MAX_EXPERTISE: usize = 20;

/// Parses a date as a form or the API sends it: `2025-07-01` (ISO, `<input type=date>`) or `01/07/2025`
/// (as Vietnamese write it).
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    let s = raw.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y")).ok()
}

struct Checker {
    issues: Vec<FieldIssue>,
}

impl Checker {
    fn new() -> Checker {
        Checker { issues: Vec::new() }
    }

    fn push(&mut self, issue: FieldIssue) {
        self.issues.push(issue);
    }

    /// A required one-line text, normalised.
    fn required(&mut self, field: &'static str, raw: &str, max: usize) -> String {
        let value = normalize_input(raw);
        if value.is_empty() {
            self.push(FieldIssue::new(field, "required"));
        } else if value.chars().count() > max {
            self.push(FieldIssue::new(field, "too_long").arg("max", max));
        }
        value
    }

    /// An optional one-line text, normalised; empty is none.
    fn optional(&mut self, field: &'static str, raw: &str, max: usize) -> Option<String> {
        let value = normalize_input(raw);
        if value.chars().count() > max {
            self.push(FieldIssue::new(field, "too_long").arg("max", max));
        }
        (!value.is_empty()).then_some(value)
    }

    fn date(&mut self, field: &'static str, raw: &str) -> Option<NaiveDate> {
        if raw.trim().is_empty() {
            return None;
        }
        let parsed = parse_date(raw);
        if parsed.is_none() {
            self.push(FieldIssue::new(field, "date_format"));
        }
        parsed
    }

    fn period(&mut self, from_raw: &str, to_raw: &str) -> (Option<NaiveDate>, Option<NaiveDate>) {
        let from = self.date("valid_from", from_raw);
        let to = self.date("valid_to", to_raw);
        if let (Some(f), Some(t)) = (from, to)
            && t <= f
        {
            self.push(FieldIssue::new("valid_to", "date_order"));
        }
        (from, to)
    }

    fn id(&mut self, field: &'static str, raw: &str) -> Option<i64> {
        let s = raw.trim();
        if s.is_empty() {
            return None;
        }
        match s.parse::<i64>() {
            Ok(id) if id > 0 => Some(id),
            _ => {
                self.push(FieldIssue::new(field, "invalid"));
                None
            }
        }
    }

    fn email(&mut self, raw: &str) -> Option<String> {
        let value = self.optional("email", raw, MAX_SHORT)?;
        let ok = match value.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !value.contains(' ')
            }
            None => false,
        };
        if !ok {
            self.push(FieldIssue::new("email", "email_format"));
        }
        Some(value.to_lowercase())
    }

    fn phone(&mut self, raw: &str) -> Option<String> {
        let value = self.optional("phone", raw, 40)?;
        let allowed = value.chars().all(|c| c.is_ascii_digit() || " +-.()".contains(c));
        let digits = value.chars().filter(char::is_ascii_digit).count();
        if !allowed || !(8..=15).contains(&digits) {
            self.push(FieldIssue::new("phone", "phone_format"));
        }
        Some(value)
    }

    fn website(&mut self, raw: &str) -> Option<String> {
        let value = self.optional("website", raw, MAX_SHORT)?;
        let with_scheme = if value.starts_with("http://") || value.starts_with("https://") {
            value
        } else {
            format!("https://{value}")
        };
        let host = with_scheme.split_once("://").map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""));
        let ok = host.is_some_and(|h| h.contains('.') && !h.starts_with('.') && !h.ends_with('.'))
            && !with_scheme.contains(' ');
        if !ok {
            self.push(FieldIssue::new("website", "website_format"));
        }
        Some(with_scheme)
    }

    fn finish<T>(self, value: T) -> Result<T, Vec<FieldIssue>> {
        if self.issues.is_empty() { Ok(value) } else { Err(self.issues) }
    }
}

/// An organisation as typed: every field as text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganizationDraft {
    /// The kind's code (`enterprise`).
    pub kind: String,
    /// The full name.
    pub name: String,
    /// The abbreviation used in document symbols ("UBND", "SKHCN").
    pub abbreviation: String,
    /// The parent organisation's id, or empty.
    pub parent_id: String,
    /// The address as written.
    pub address: String,
    /// The tax code.
    pub tax_code: String,
    /// Telephone.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// Website.
    pub website: String,
    /// First day (`2025-07-01` or `01/07/2025`), or empty.
    pub valid_from: String,
    /// First day no longer in existence, or empty.
    pub valid_to: String,
}

/// An organisation's fields, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationFields {
    /// The kind.
    pub kind: OrgKind,
    /// The full name, NFC, trimmed.
    pub name: String,
    /// The abbreviation.
    pub abbreviation: Option<String>,
    /// The parent organisation (its existence is checked by storage).
    pub parent_id: Option<i64>,
    /// The address as written.
    pub address: Option<String>,
    /// The tax code (its uniqueness is checked by storage).
    pub tax_code: Option<TaxCode>,
    /// Telephone.
    pub phone: Option<String>,
    /// E-mail, lower case.
    pub email: Option<String>,
    /// Website, with its scheme.
    pub website: Option<String>,
    /// First day.
    pub valid_from: Option<NaiveDate>,
    /// First day no longer in existence (exclusive end).
    pub valid_to: Option<NaiveDate>,
}

impl OrganizationDraft {
    /// Validates every field; all problems are returned together.
    pub fn validate(&self) -> Result<OrganizationFields, Vec<FieldIssue>> {
        let mut c = Checker::new();
        let kind = match self.kind.trim() {
            "" => {
                c.push(FieldIssue::new("kind", "required"));
                OrgKind::Other
            }
            code => code.parse().unwrap_or_else(|_| {
                c.push(FieldIssue::new("kind", "invalid"));
                OrgKind::Other
            }),
        };
        let name = c.required("name", &self.name, MAX_NAME);
        let abbreviation = c.optional("abbreviation", &self.abbreviation, MAX_ABBREVIATION);
        let parent_id = c.id("parent_id", &self.parent_id);
        let address = c.optional("address", &self.address, MAX_ADDRESS);
        let tax_code = match normalize_input(&self.tax_code) {
            t if t.is_empty() => None,
            t => TaxCode::parse(&t).map_err(|_| c.push(FieldIssue::new("tax_code", "tax_code_format"))).ok(),
        };
        let phone = c.phone(&self.phone);
        let email = c.email(&self.email);
        let website = c.website(&self.website);
        let (valid_from, valid_to) = c.period(&self.valid_from, &self.valid_to);
        c.finish(OrganizationFields {
            kind,
            name,
            abbreviation,
            parent_id,
            address,
            tax_code,
            phone,
            email,
            website,
            valid_from,
            valid_to,
        })
    }
}

/// A person as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonDraft {
    /// Full name ("Nguyễn Đắc Bình Minh").
    pub full_name: String,
    /// The academic title's code (`associate_professor`), or empty.
    pub academic_rank: String,
    /// The degree's code (`doctor`), or empty.
    pub degree: String,
    /// Position ("Viện trưởng").
    pub position: String,
    /// E-mail.
    pub email: String,
    /// Telephone.
    pub phone: String,
    /// Fields of expertise, one per line (or separated by semicolons).
    pub expertise: String,
}

/// A person's fields, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFields {
    /// Full name, NFC, trimmed.
    pub full_name: String,
    /// Academic title and degree.
    pub honorific: Honorific,
    /// Position.
    pub position: Option<String>,
    /// E-mail, lower case.
    pub email: Option<String>,
    /// Telephone.
    pub phone: Option<String>,
    /// Fields of expertise, in the order written, without duplicates.
    pub expertise: Vec<String>,
}

/// Splits expertise typed one per line or separated by semicolons.
pub fn split_expertise(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in normalize_multiline(raw).split(['\n', ';']) {
        let item = normalize_input(part);
        if !item.is_empty() && !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

impl PersonDraft {
    /// Validates every field; all problems are returned together.
    pub fn validate(&self) -> Result<PersonFields, Vec<FieldIssue>> {
        let mut c = Checker::new();
        let full_name = c.required("full_name", &self.full_name, MAX_NAME);
        let rank = match self.academic_rank.trim() {
            "" => None,
            code => code.parse::<AcademicRank>().map_err(|_| c.push(FieldIssue::new("academic_rank", "invalid"))).ok(),
        };
        let degree = match self.degree.trim() {
            "" => None,
            code => code.parse::<Degree>().map_err(|_| c.push(FieldIssue::new("degree", "invalid"))).ok(),
        };
        let position = c.optional("position", &self.position, MAX_SHORT);
        let email = c.email(&self.email);
        let phone = c.phone(&self.phone);
        let expertise = split_expertise(&self.expertise);
        if expertise.len() > MAX_EXPERTISE {
            c.push(FieldIssue::new("expertise", "too_many").arg("max", MAX_EXPERTISE));
        }
        if expertise.iter().any(|e| e.chars().count() > MAX_SHORT) {
            c.push(FieldIssue::new("expertise", "too_long").arg("max", MAX_SHORT));
        }
        c.finish(PersonFields { full_name, honorific: Honorific::new(rank, degree), position, email, phone, expertise })
    }
}

/// An affiliation as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AffiliationDraft {
    /// The organisation's id.
    pub organization_id: String,
    /// The role ("Giám đốc", "Viện trưởng", "Chuyên viên").
    pub role: String,
    /// First day, or empty.
    pub valid_from: String,
    /// First day no longer held, or empty.
    pub valid_to: String,
}

/// An affiliation's fields, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AffiliationFields {
    /// The organisation (its existence is checked by storage).
    pub organization_id: i64,
    /// The role.
    pub role: String,
    /// First day.
    pub valid_from: Option<NaiveDate>,
    /// First day no longer held (exclusive end).
    pub valid_to: Option<NaiveDate>,
}

impl AffiliationDraft {
    /// Validates every field; all problems are returned together.
    pub fn validate(&self) -> Result<AffiliationFields, Vec<FieldIssue>> {
        let mut c = Checker::new();
        let organization_id = c.id("organization_id", &self.organization_id);
        if organization_id.is_none() && self.organization_id.trim().is_empty() {
            c.push(FieldIssue::new("organization_id", "required"));
        }
        let role = c.required("role", &self.role, MAX_SHORT);
        let (valid_from, valid_to) = c.period(&self.valid_from, &self.valid_to);
        c.finish(AffiliationFields { organization_id: organization_id.unwrap_or_default(), role, valid_from, valid_to })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(issues: &[FieldIssue]) -> Vec<(&str, &str)> {
        issues.iter().map(|i| (i.field, i.code)).collect()
    }

    fn minh_han() -> OrganizationDraft {
        OrganizationDraft {
            kind: "enterprise".into(),
            name: "  Công ty TNHH thủy sản   Minh Hàn ".into(),
            address: "Thôn 3, xã Hoàng Tân, thị xã Quảng Yên, tỉnh Quảng Ninh".into(),
            tax_code: "5701234567".into(),
            phone: "0203 3686 123".into(),
            email: "LienHe@MinhHan.vn".into(),
            website: "minhhan.vn".into(),
            valid_from: "15/03/2012".into(),
            ..OrganizationDraft::default()
        }
    }

    #[test]
    fn a_well_formed_organisation_is_normalised() {
        let fields = minh_han().validate().unwrap();
        assert_eq!(fields.kind, OrgKind::Enterprise);
        assert_eq!(fields.name, "Công ty TNHH thủy sản Minh Hàn");
        assert_eq!(fields.tax_code.unwrap().as_str(), "5701234567");
        assert_eq!(fields.email.as_deref(), Some("lienhe@minhhan.vn"));
        assert_eq!(fields.website.as_deref(), Some("https://minhhan.vn"));
        assert_eq!(fields.valid_from, NaiveDate::from_ymd_opt(2012, 3, 15));
        assert_eq!(fields.abbreviation, None);
        assert_eq!(fields.parent_id, None);
    }

    #[test]
    fn every_organisation_problem_is_reported_with_its_field() {
        let draft = OrganizationDraft {
            kind: "ubnd".into(),
            name: " ".into(),
            abbreviation: "x".repeat(51),
            parent_id: "abc".into(),
            tax_code: "57-01".into(),
            phone: "call me".into(),
            email: "no-at-sign".into(),
            website: "not a site".into(),
            valid_from: "2025-07-01".into(),
            valid_to: "2025-07-01".into(),
            ..OrganizationDraft::default()
        };
        assert_eq!(
            codes(&draft.validate().unwrap_err()),
            [
                ("kind", "invalid"),
                ("name", "required"),
                ("abbreviation", "too_long"),
                ("parent_id", "invalid"),
                ("tax_code", "tax_code_format"),
                ("phone", "phone_format"),
                ("email", "email_format"),
                ("website", "website_format"),
                ("valid_to", "date_order"),
            ]
        );
        let no_kind = OrganizationDraft { kind: String::new(), valid_from: "31/02/2025".into(), ..minh_han() };
        assert_eq!(codes(&no_kind.validate().unwrap_err()), [("kind", "required"), ("valid_from", "date_format")]);
    }

    #[test]
    fn contacts_accept_the_usual_vietnamese_forms() {
        for phone in ["0203 3835 123", "+84 203 3835 123", "(0203) 3.835.123", "1900 1234", "0912-345-678"] {
            let d = OrganizationDraft { phone: phone.into(), ..minh_han() };
            assert!(d.validate().is_ok(), "{phone}");
        }
        for phone in ["123", "0912 345 678 901 234 56", "0912a45678"] {
            let d = OrganizationDraft { phone: phone.into(), ..minh_han() };
            assert_eq!(codes(&d.validate().unwrap_err()), [("phone", "phone_format")], "{phone}");
        }
        for email in ["a@b", "@b.vn", "a@.vn", "a b@c.vn", "a@b@c.vn"] {
            let d = OrganizationDraft { email: email.into(), ..minh_han() };
            assert_eq!(codes(&d.validate().unwrap_err()), [("email", "email_format")], "{email}");
        }
        let d = OrganizationDraft { website: "http://skhcn.quangninh.gov.vn/".into(), ..minh_han() };
        assert_eq!(d.validate().unwrap().website.as_deref(), Some("http://skhcn.quangninh.gov.vn/"));
    }

    #[test]
    fn a_person_is_validated_with_title_degree_and_expertise() {
        let draft = PersonDraft {
            full_name: "Nguyễn Đắc Bình Minh".into(),
            academic_rank: String::new(),
            degree: "doctor".into(),
            position: "Viện trưởng".into(),
            expertise: "Phát triển vùng\nKinh tế biển; Phát triển vùng\n\n".into(),
            ..PersonDraft::default()
        };
        let fields = draft.validate().unwrap();
        assert_eq!(fields.honorific.before(&fields.full_name), "TS. Nguyễn Đắc Bình Minh");
        assert_eq!(fields.expertise, ["Phát triển vùng", "Kinh tế biển"]);
        let bad = PersonDraft {
            full_name: String::new(),
            academic_rank: "dr".into(),
            degree: "phd".into(),
            expertise: (0..21).map(|i| format!("lĩnh vực {i}")).collect::<Vec<_>>().join("\n"),
            ..PersonDraft::default()
        };
        assert_eq!(
            codes(&bad.validate().unwrap_err()),
            [("full_name", "required"), ("academic_rank", "invalid"), ("degree", "invalid"), ("expertise", "too_many")]
        );
    }

    #[test]
    fn an_affiliation_needs_an_organisation_and_a_role() {
        let ok = AffiliationDraft {
            organization_id: "12".into(),
            role: "Giám đốc".into(),
            valid_from: "2019-01-01".into(),
            valid_to: String::new(),
        };
        assert_eq!(ok.validate().unwrap().organization_id, 12);
        let bad = AffiliationDraft { organization_id: String::new(), role: " ".into(), ..ok.clone() };
        assert_eq!(codes(&bad.validate().unwrap_err()), [("organization_id", "required"), ("role", "required")]);
        let bad_id = AffiliationDraft { organization_id: "-3".into(), ..ok };
        assert_eq!(codes(&bad_id.validate().unwrap_err()), [("organization_id", "invalid")]);
    }

    #[test]
    fn dates_are_read_in_both_written_forms() {
        assert_eq!(parse_date("2025-07-01"), NaiveDate::from_ymd_opt(2025, 7, 1));
        assert_eq!(parse_date(" 01/07/2025 "), NaiveDate::from_ymd_opt(2025, 7, 1));
        assert_eq!(parse_date("1/7/2025"), NaiveDate::from_ymd_opt(2025, 7, 1));
        assert_eq!(parse_date("2025-13-01"), None);
        assert_eq!(parse_date("hôm nay"), None);
    }
}
