//! The main navigation and the page a user lands on after signing in, by what the user's roles may use:
//! a menu shows only the pages a role can work with (each answers it without a refusal), and every role
//! lands on its own work. Administration has one entry, `/admin`, which lists the administration pages the
//! user may open, shown when it holds more than the menu already does.

use tiendo_core::authz::Role;

use crate::auth::Auth;

/// An entry of the main navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Where it leads.
    pub href: &'static str,
    /// Its label's translation key.
    pub key: &'static str,
    /// The paths it stands for: the entry is the current one on a page under one of them (the longest
    /// match wins).
    pub covers: &'static [&'static str],
}

const fn entry(href: &'static str, key: &'static str, covers: &'static [&'static str]) -> Entry {
    Entry { href, key, covers }
}

const WORK: Entry = entry("/work", "nav-work", &["/work"]);
const DASHBOARD: Entry = entry("/dashboard", "nav-dashboard", &["/dashboard", "/overdue", "/localities"]);
const ASSIGNMENTS: Entry = entry("/assignments", "nav-assignments", &["/assignments", "/updates", "/tasks"]);
const REPORTS: Entry = entry("/reports", "nav-reports", &["/reports"]);
const PLANS: Entry = entry("/plans", "nav-plans", &["/plans"]);
const SCORECARD: Entry = entry("/scorecard", "nav-scorecard", &["/scorecard", "/indicators"]);
const VISITS: Entry = entry("/visits", "nav-visits", &["/visits"]);
const ST_TASKS: Entry = entry("/calls", "nav-st", &["/calls", "/proposals", "/councils", "/contracts"]);
const CERTIFICATES: Entry = entry("/certificates/applications", "nav-certificates", &["/certificates"]);
const DOCUMENTS: Entry = entry("/documents", "nav-documents", &["/documents"]);
const ARTICLES: Entry = entry("/admin/articles", "nav-admin-articles", &["/admin/articles"]);
const COMMENTS: Entry = entry("/admin/comments", "nav-admin-comments", &["/admin/comments"]);
const DIRECTORY: Entry = entry("/organizations", "nav-directory", &["/organizations", "/people", "/units"]);
const ADMIN: Entry = entry("/admin", "nav-admin", &["/admin"]);

/// What a signed-in user's roles let them use.
struct Uses {
    leader: bool,
    officer: bool,
    administrator: bool,
    reporting: bool,
    editor: bool,
    moderator: bool,
    applicant: bool,
    expert: bool,
}

impl Uses {
    fn of(auth: &Auth) -> Uses {
        let has = |role| auth.actor.has_role(role);
        Uses {
            leader: has(Role::DepartmentLeader),
            officer: has(Role::DepartmentOfficer),
            administrator: has(Role::Administrator),
            reporting: has(Role::LocalityOfficer) || has(Role::PartnerOfficer),
            editor: has(Role::Editor),
            moderator: has(Role::Moderator),
            applicant: has(Role::Applicant),
            expert: has(Role::Expert),
        }
    }

    /// The department's staff: they follow every assignment, report and plan in their scope.
    fn staff(&self) -> bool {
        self.leader || self.officer || self.administrator
    }

    /// Monitoring and periodic reports: the staff, and the units that report.
    fn monitoring(&self) -> bool {
        self.staff() || self.reporting
    }
}

/// The page a signed-in user lands on: the leader on the dashboard (with what needs a decision), an
/// officer, a unit's officer, an applicant or an expert on their work (what waits for review, what is
/// due, the visits that involved them), the administrator on the administration, the editor on the
/// drafts, the moderator on the comments waiting. With several roles, the first of that order.
pub fn landing(auth: &Auth) -> &'static str {
    let uses = Uses::of(auth);
    if uses.leader {
        "/dashboard"
    } else if uses.officer {
        "/work"
    } else if uses.administrator {
        "/admin"
    } else if uses.reporting {
        "/work"
    } else if uses.editor {
        "/admin/articles?state=draft"
    } else if uses.moderator {
        "/admin/comments"
    } else {
        "/work"
    }
}

/// The navigation entries for a user.
pub fn entries(auth: &Auth) -> Vec<Entry> {
    if auth.user.is_none() {
        return vec![
            entry("/", "nav-home", &["/"]),
            entry("/news", "nav-news", &["/news"]),
            entry("/registers", "nav-registers", &["/registers"]),
            entry("/units", "nav-units", &["/units"]),
            entry("/address", "nav-address", &["/address"]),
            entry("/search", "nav-search", &["/search"]),
            entry("/api/docs", "nav-api", &["/api/docs"]),
        ];
    }
    let uses = Uses::of(auth);
    let mut items = Vec::new();
    if landing(auth) == WORK.href || uses.expert || uses.applicant {
        items.push(WORK);
    }
    if uses.monitoring() {
        items.extend([DASHBOARD, ASSIGNMENTS, REPORTS]);
    }
    if uses.staff() {
        items.extend([PLANS, SCORECARD]);
    }
    // Visits: the staff's, the editors' (to write about them), those they involved.
    if uses.staff() || uses.reporting || uses.editor || uses.applicant {
        items.push(VISITS);
    }
    // S&T tasks: the staff's, and those who propose or sit on councils.
    if uses.staff() || uses.reporting || uses.applicant || uses.expert {
        items.push(ST_TASKS);
    }
    // S&T enterprise certificates: the enterprises that apply and the staff that process.
    if uses.staff() || uses.applicant {
        items.push(CERTIFICATES);
    }
    if uses.staff() {
        items.push(DOCUMENTS);
    }
    if uses.editor {
        items.push(ARTICLES);
    }
    if uses.moderator {
        items.push(COMMENTS);
    }
    items.push(DIRECTORY);
    if admin_items(auth).iter().any(|(href, ..)| !items.iter().any(|e| e.href == *href)) {
        items.push(ADMIN);
    }
    items
}

/// The entry current on `path`: the one covering it with the longest prefix.
pub fn current(entries: &[Entry], path: &str) -> Option<usize> {
    let covers = |prefix: &str| {
        if prefix == "/" {
            path == "/"
        } else {
            path == prefix || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
        }
    };
    entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.covers.iter().filter(|p| covers(p)).map(|p| p.len()).max().map(|len| (i, len)))
        .max_by_key(|(_, len)| *len)
        .map(|(i, _)| i)
}

/// The administration pages a user may open: (path, title key, description key).
pub fn admin_items(auth: &Auth) -> Vec<(&'static str, &'static str, &'static str)> {
    let mut items = Vec::new();
    if auth.actor.has_role(Role::Administrator) {
        items.push(("/admin/users", "nav-admin-users", "admin-hub-users"));
    }
    if auth.actor.has_role_province_wide(Role::Administrator)
        || auth.actor.has_role_province_wide(Role::DepartmentLeader)
    {
        items.push(("/admin/audit", "nav-admin-audit", "admin-hub-audit"));
    }
    if auth.actor.has_role(Role::Editor) || auth.actor.has_role(Role::DepartmentLeader) {
        items.push(("/admin/articles", "nav-admin-articles", "admin-hub-articles"));
    }
    if auth.actor.has_role(Role::Moderator) || auth.actor.has_role_province_wide(Role::Administrator) {
        items.push(("/admin/comments", "nav-admin-comments", "admin-hub-comments"));
        items.push(("/admin/portal", "nav-admin-portal", "admin-hub-portal"));
    }
    if auth.actor.has_role_province_wide(Role::Administrator) {
        items.push(("/admin/templates", "nav-admin-templates", "admin-hub-templates"));
        items.push(("/admin/status-colors", "nav-admin-status-colors", "admin-hub-status-colors"));
        items.push(("/admin/report-templates", "nav-admin-report-templates", "admin-hub-report-templates"));
        items.push(("/admin/jobs", "admin-jobs-title", "admin-hub-jobs"));
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_covering_prefix_is_the_current_entry() {
        let entries = [DASHBOARD, ARTICLES, DIRECTORY, ADMIN];
        assert_eq!(current(&entries, "/admin/articles/3"), Some(1));
        assert_eq!(current(&entries, "/admin/portal"), Some(3));
        assert_eq!(current(&entries, "/people/4"), Some(2));
        assert_eq!(current(&entries, "/overdue"), Some(0));
        assert_eq!(current(&entries, "/dashboards"), None, "a prefix of a word is no match");
        assert_eq!(current(&[entry("/", "nav-home", &["/"])], "/news"), None);
    }
}
