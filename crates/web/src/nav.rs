//! The main navigation, by what the signed-in user may open. Administration has one entry, `/admin`, which
//! lists the administration pages the user may open.

use tiendo_core::authz::Role;

use crate::auth::Auth;

/// The navigation entries (path, translation key) for a user.
pub fn items(auth: &Auth) -> Vec<(&'static str, &'static str)> {
    if auth.user.is_none() {
        return vec![
            ("/", "nav-home"),
            ("/news", "nav-news"),
            ("/registers", "nav-registers"),
            ("/units", "nav-units"),
            ("/address", "nav-address"),
            ("/search", "nav-search"),
            ("/api/docs", "nav-api"),
        ];
    }
    let mut items = vec![
        ("/dashboard", "nav-dashboard"),
        ("/assignments", "nav-assignments"),
        ("/reports", "nav-reports"),
        ("/plans", "nav-plans"),
        ("/visits", "nav-visits"),
        ("/documents", "nav-documents"),
        ("/organizations", "nav-organizations"),
        ("/people", "nav-people"),
        ("/units", "nav-units"),
    ];
    if !admin_items(auth).is_empty() {
        items.push(("/admin", "nav-admin"));
    }
    items
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
    }
    items
}
