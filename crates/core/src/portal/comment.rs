//! Public comments: what a reader types, the checks made before storing it (required name, optional
//! e-mail never shown, plain text of bounded length, the word list), and the moderation states.

use serde::{Deserialize, Serialize};

use super::TransitionError;
use crate::authz::{Action, Actor, Resource, authorize};
use crate::directory::FieldIssue;
use crate::text::{fold, normalize_input, normalize_multiline};

/// Where a comment is in moderation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentStatus {
    /// Chờ duyệt: only the author (with the link given after posting) and moderators see it.
    Pending,
    /// Đã duyệt: public (unless hidden by reports until a moderator decides).
    Approved,
    /// Từ chối.
    Rejected,
    /// Thư rác.
    Spam,
}

impl CommentStatus {
    /// Every state.
    pub const ALL: [CommentStatus; 4] =
        [CommentStatus::Pending, CommentStatus::Approved, CommentStatus::Rejected, CommentStatus::Spam];

    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            CommentStatus::Pending => "pending",
            CommentStatus::Approved => "approved",
            CommentStatus::Rejected => "rejected",
            CommentStatus::Spam => "spam",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<CommentStatus> {
        CommentStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A moderator's decision on a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModerationDecision {
    /// Duyệt: public; clears the reports that hid it.
    Approve,
    /// Từ chối.
    Reject,
    /// Đánh dấu thư rác.
    Spam,
}

impl ModerationDecision {
    /// Every decision.
    pub const ALL: [ModerationDecision; 3] =
        [ModerationDecision::Approve, ModerationDecision::Reject, ModerationDecision::Spam];

    /// The code of forms, the API and the audit trail.
    pub fn code(self) -> &'static str {
        match self {
            ModerationDecision::Approve => "approve",
            ModerationDecision::Reject => "reject",
            ModerationDecision::Spam => "spam",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<ModerationDecision> {
        ModerationDecision::ALL.into_iter().find(|d| d.code() == code)
    }

    /// The state a comment goes to.
    pub fn status(self) -> CommentStatus {
        match self {
            ModerationDecision::Approve => CommentStatus::Approved,
            ModerationDecision::Reject => CommentStatus::Rejected,
            ModerationDecision::Spam => CommentStatus::Spam,
        }
    }
}

/// Where a comment is in moderation, as the workflow sees it: its status, and whether readers' reports
/// hid it until a moderator decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CommentState {
    /// The moderation status.
    pub status: CommentStatus,
    /// Hidden by readers' reports.
    pub hidden: bool,
}

impl CommentState {
    /// Every state a comment can be in (a comment hidden by reports is an approved one).
    pub const ALL: [CommentState; 5] = [
        CommentState { status: CommentStatus::Pending, hidden: false },
        CommentState { status: CommentStatus::Approved, hidden: false },
        CommentState { status: CommentStatus::Approved, hidden: true },
        CommentState { status: CommentStatus::Rejected, hidden: false },
        CommentState { status: CommentStatus::Spam, hidden: false },
    ];
}

/// The status after a moderator's `decision` on a comment in `state`, taken by `actor`: a comment may be
/// approved unless it is approved and shown already, rejected unless rejected, marked as spam unless it
/// is spam; only moderators decide.
pub fn transition(
    actor: &Actor,
    state: CommentState,
    decision: ModerationDecision,
) -> Result<CommentStatus, TransitionError> {
    let applies = match decision {
        ModerationDecision::Approve => state.status != CommentStatus::Approved || state.hidden,
        ModerationDecision::Reject => state.status != CommentStatus::Rejected,
        ModerationDecision::Spam => state.status != CommentStatus::Spam,
    };
    if !applies {
        return Err(TransitionError::InvalidState);
    }
    if !authorize(actor, Action::Moderate, &Resource::Comment).is_allowed() {
        return Err(TransitionError::Forbidden);
    }
    Ok(decision.status())
}

/// The decisions an actor may take on a comment in `state` (the moderation queue's buttons, the API's
/// `permissions`).
pub fn available_actions(actor: &Actor, state: CommentState) -> Vec<ModerationDecision> {
    ModerationDecision::ALL.into_iter().filter(|d| transition(actor, state, *d).is_ok()).collect()
}

/// The longest name of a commenter.
pub const MAX_NAME: usize = 100;
/// The longest e-mail address.
pub const MAX_EMAIL: usize = 200;

/// A comment as a reader typed it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentDraft {
    /// Họ tên (required).
    pub name: String,
    /// E-mail (optional, never shown).
    pub email: String,
    /// The text (plain).
    pub text: String,
}

/// A checked comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentFields {
    /// The name.
    pub name: String,
    /// The e-mail, if given.
    pub email: Option<String>,
    /// The text, normalised.
    pub text: String,
}

/// Whether a string looks like an e-mail address (one `@`, a dot in the domain, no spaces).
pub fn looks_like_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c == '<' || c == '>' || c == '"')
        && !domain.contains('@')
}

impl CommentDraft {
    /// Checks the fields; `max_length` is the site's limit on the text.
    pub fn validate(&self, max_length: usize) -> Result<CommentFields, Vec<FieldIssue>> {
        let name = normalize_input(&self.name);
        let email = normalize_input(&self.email);
        let text = normalize_multiline(&self.text);
        let mut issues = Vec::new();
        if name.is_empty() {
            issues.push(FieldIssue::new("name", "required"));
        } else if name.chars().count() > MAX_NAME {
            issues.push(FieldIssue::new("name", "too_long").arg("max", MAX_NAME));
        }
        if !email.is_empty() && (email.chars().count() > MAX_EMAIL || !looks_like_email(&email)) {
            issues.push(FieldIssue::new("email", "email_format"));
        }
        if text.is_empty() {
            issues.push(FieldIssue::new("text", "required"));
        } else if text.chars().count() > max_length {
            issues.push(FieldIssue::new("text", "too_long").arg("max", max_length));
        }
        if issues.is_empty() {
            Ok(CommentFields { name, email: (!email.is_empty()).then_some(email), text })
        } else {
            Err(issues)
        }
    }
}

/// The word list (danh sách từ cấm): one word or phrase per line, matched without regard to case or
/// diacritics on whole words; a trailing `*` matches any ending (`lừa đảo*`). Lines starting with `#`
/// are comments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WordList {
    entries: Vec<(Vec<String>, bool)>,
}

/// Splits folded text into words (letters and digits).
fn words(folded: &str) -> Vec<&str> {
    folded.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect()
}

impl WordList {
    /// Parses the list as an administrator typed it.
    pub fn parse(text: &str) -> WordList {
        let mut entries = Vec::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let (body, prefix) = match line.strip_suffix('*') {
                Some(b) => (b, true),
                None => (line, false),
            };
            let folded = fold(body);
            let ws: Vec<String> = words(&folded).into_iter().map(str::to_owned).collect();
            if !ws.is_empty() {
                entries.push((ws, prefix));
            }
        }
        WordList { entries }
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The first entry found in the texts, as written in the list (folded), if any.
    pub fn first_match(&self, texts: &[&str]) -> Option<String> {
        for text in texts {
            let folded = fold(text);
            let ws = words(&folded);
            for (entry, prefix) in &self.entries {
                let n = entry.len();
                if ws.len() < n {
                    continue;
                }
                for start in 0..=ws.len() - n {
                    let hit = entry.iter().enumerate().all(|(i, e)| {
                        let w = ws[start + i];
                        if *prefix && i == n - 1 { w.starts_with(e.as_str()) } else { w == e }
                    });
                    if hit {
                        return Some(entry.join(" "));
                    }
                }
            }
        }
        None
    }
}

/// How many links a comment may carry before it is held for a moderator whatever the settings.
pub const MAX_LINKS_UNMODERATED: usize = 2;

/// How many `http(s)://` links a text contains.
pub fn link_count(text: &str) -> usize {
    let lower = text.to_ascii_lowercase();
    lower.matches("http://").count() + lower.matches("https://").count()
}

/// Where a new comment goes: approved at once only when the article is not pre-moderated, nothing in
/// the word list matched, and it carries few links.
pub fn initial_status(premoderated: bool, word_match: bool, links: usize) -> CommentStatus {
    if premoderated || word_match || links > MAX_LINKS_UNMODERATED {
        CommentStatus::Pending
    } else {
        CommentStatus::Approved
    }
}

/// Whether enough distinct readers reported a comment to hide it until a moderator decides.
pub fn hidden_by_reports(reports: i64, threshold: i64) -> bool {
    threshold > 0 && reports >= threshold
}
