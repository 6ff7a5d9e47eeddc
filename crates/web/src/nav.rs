//! The main navigation, by what the signed-in user may open.

use tiendo_core::authz::Role;

use crate::auth::Auth;

/// The navigation entries (path, translation key) for a user.
pub fn items(auth: &Auth) -> Vec<(&'static str, &'static str)> {
    let mut items = vec![("/", "nav-home"), ("/units", "nav-units"), ("/address", "nav-address")];
    if auth.user.is_some() {
        items.push(("/dashboard", "nav-dashboard"));
        items.push(("/assignments", "nav-assignments"));
        items.push(("/plans", "nav-plans"));
        items.push(("/documents", "nav-documents"));
        items.push(("/organizations", "nav-organizations"));
        items.push(("/people", "nav-people"));
    }
    if auth.actor.has_role(Role::Administrator) {
        items.push(("/admin/users", "nav-admin-users"));
    }
    if auth.actor.has_role_province_wide(Role::Administrator)
        || auth.actor.has_role_province_wide(Role::DepartmentLeader)
    {
        items.push(("/admin/audit", "nav-admin-audit"));
    }
    if auth.actor.has_role_province_wide(Role::Administrator) {
        items.push(("/admin/status-colors", "nav-admin-status-colors"));
        items.push(("/admin/templates", "nav-admin-templates"));
    }
    items.push(("/api/docs", "nav-api"));
    items
}
