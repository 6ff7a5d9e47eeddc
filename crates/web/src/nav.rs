//! The main navigation, by what the signed-in user may open.

use tiendo_core::authz::Role;

use crate::auth::Auth;

/// The navigation entries (path, translation key) for a user.
pub fn items(auth: &Auth) -> Vec<(&'static str, &'static str)> {
    let mut items = vec![("/", "nav-home")];
    if auth.actor.has_role(Role::Administrator) {
        items.push(("/admin/users", "nav-admin-users"));
    }
    if auth.actor.has_role_province_wide(Role::Administrator)
        || auth.actor.has_role_province_wide(Role::DepartmentLeader)
    {
        items.push(("/admin/audit", "nav-admin-audit"));
    }
    if auth.actor.has_role_province_wide(Role::Administrator) {
        items.push(("/admin/templates", "nav-admin-templates"));
    }
    items.push(("/api/docs", "nav-api"));
    items
}
