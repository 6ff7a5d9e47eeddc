//! The portal's settings, changed at run time: how comments are moderated (by moderators and
//! administrators) and the footer (by administrators). Stored as one JSON value; every field has a
//! default, so a value written by an older version still reads.

use serde::{Deserialize, Serialize};

use crate::directory::FieldIssue;
use crate::text::{normalize_input, normalize_multiline};

/// The settings of the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PortalSettings {
    /// New comments wait for a moderator (kiểm duyệt trước) unless an article says otherwise.
    pub premoderation: bool,
    /// Comments close this many days after publication; 0 keeps them open.
    pub close_after_days: i64,
    /// A comment is hidden once this many distinct readers reported it; 0 never hides.
    pub reports_to_hide: i64,
    /// The longest comment, in characters.
    pub max_comment_length: i64,
    /// Comments one address may post in ten minutes.
    pub comments_per_ten_minutes: i64,
    /// The word list, one entry per line.
    pub word_list: String,
    /// Footer: the address of the department.
    pub contact_address: String,
    /// Footer: telephone.
    pub contact_phone: String,
    /// Footer: e-mail.
    pub contact_email: String,
    /// Footer: the licence line ("Giấy phép số … do … cấp").
    pub licence_line: String,
    /// Footer: the person responsible for the content.
    pub responsible: String,
    /// Footer: the trust badge's image (a media id of the portal's own images).
    pub badge_media_id: Option<i64>,
    /// Footer: where the badge links (an `https://` address).
    pub badge_link: String,
    /// Footer: the badge's alternative text.
    pub badge_alt: String,
}

impl Default for PortalSettings {
    fn default() -> Self {
        PortalSettings {
            premoderation: true,
            close_after_days: 30,
            reports_to_hide: 3,
            max_comment_length: 2000,
            comments_per_ten_minutes: 5,
            word_list: String::new(),
            contact_address: String::new(),
            contact_phone: String::new(),
            contact_email: String::new(),
            licence_line: String::new(),
            responsible: String::new(),
            badge_media_id: None,
            badge_link: String::new(),
            badge_alt: String::new(),
        }
    }
}

/// The moderation part of the settings, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationForm {
    /// "on" when ticked.
    pub premoderation: bool,
    /// Days.
    pub close_after_days: String,
    /// Reports.
    pub reports_to_hide: String,
    /// Characters.
    pub max_comment_length: String,
    /// Comments per ten minutes per address.
    pub comments_per_ten_minutes: String,
    /// The word list.
    pub word_list: String,
}

/// The footer part of the settings, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FooterForm {
    /// Address.
    pub contact_address: String,
    /// Telephone.
    pub contact_phone: String,
    /// E-mail.
    pub contact_email: String,
    /// Licence line.
    pub licence_line: String,
    /// Responsible person.
    pub responsible: String,
    /// Badge link.
    pub badge_link: String,
    /// Badge alternative text.
    pub badge_alt: String,
}

fn number(field: &'static str, raw: &str, min: i64, max: i64, issues: &mut Vec<FieldIssue>) -> i64 {
    match raw.trim().parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => n,
        _ => {
            issues.push(FieldIssue::new(field, "number_range").arg("min", min).arg("max", max));
            0
        }
    }
}

fn short(field: &'static str, raw: &str, max: usize, issues: &mut Vec<FieldIssue>) -> String {
    let v = normalize_input(raw);
    if v.chars().count() > max {
        issues.push(FieldIssue::new(field, "too_long").arg("max", max));
    }
    v
}

/// Whether a link is an absolute `http(s)://` address without spaces, quotes or angle brackets.
pub fn is_web_link(link: &str) -> bool {
    let lower = link.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && link.len() > "https://".len()
        && link.len() <= 500
        && !link.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '`'))
}

impl PortalSettings {
    /// The moderation settings with the form applied, or the problems.
    pub fn with_moderation(&self, form: &ModerationForm) -> Result<PortalSettings, Vec<FieldIssue>> {
        let mut issues = Vec::new();
        let next = PortalSettings {
            premoderation: form.premoderation,
            close_after_days: number("close_after_days", &form.close_after_days, 0, 3650, &mut issues),
            reports_to_hide: number("reports_to_hide", &form.reports_to_hide, 0, 1000, &mut issues),
            max_comment_length: number("max_comment_length", &form.max_comment_length, 50, 20_000, &mut issues),
            comments_per_ten_minutes: number(
                "comments_per_ten_minutes",
                &form.comments_per_ten_minutes,
                1,
                1000,
                &mut issues,
            ),
            word_list: normalize_multiline(&form.word_list),
            ..self.clone()
        };
        if next.word_list.chars().count() > 20_000 {
            issues.push(FieldIssue::new("word_list", "too_long").arg("max", 20_000));
        }
        if issues.is_empty() { Ok(next) } else { Err(issues) }
    }

    /// The footer settings with the form applied (the badge image is set apart), or the problems.
    pub fn with_footer(&self, form: &FooterForm) -> Result<PortalSettings, Vec<FieldIssue>> {
        let mut issues = Vec::new();
        let badge_link = normalize_input(&form.badge_link);
        if !badge_link.is_empty() && !is_web_link(&badge_link) {
            issues.push(FieldIssue::new("badge_link", "web_link"));
        }
        let contact_email = normalize_input(&form.contact_email);
        if !contact_email.is_empty() && !super::comment::looks_like_email(&contact_email) {
            issues.push(FieldIssue::new("contact_email", "email_format"));
        }
        let next = PortalSettings {
            contact_address: short("contact_address", &form.contact_address, 300, &mut issues),
            contact_phone: short("contact_phone", &form.contact_phone, 100, &mut issues),
            contact_email,
            licence_line: short("licence_line", &form.licence_line, 500, &mut issues),
            responsible: short("responsible", &form.responsible, 200, &mut issues),
            badge_alt: short("badge_alt", &form.badge_alt, 200, &mut issues),
            badge_link,
            ..self.clone()
        };
        if issues.is_empty() { Ok(next) } else { Err(issues) }
    }

    /// The moderation form showing these settings.
    pub fn moderation_form(&self) -> ModerationForm {
        ModerationForm {
            premoderation: self.premoderation,
            close_after_days: self.close_after_days.to_string(),
            reports_to_hide: self.reports_to_hide.to_string(),
            max_comment_length: self.max_comment_length.to_string(),
            comments_per_ten_minutes: self.comments_per_ten_minutes.to_string(),
            word_list: self.word_list.clone(),
        }
    }

    /// The footer form showing these settings.
    pub fn footer_form(&self) -> FooterForm {
        FooterForm {
            contact_address: self.contact_address.clone(),
            contact_phone: self.contact_phone.clone(),
            contact_email: self.contact_email.clone(),
            licence_line: self.licence_line.clone(),
            responsible: self.responsible.clone(),
            badge_link: self.badge_link.clone(),
            badge_alt: self.badge_alt.clone(),
        }
    }
}
