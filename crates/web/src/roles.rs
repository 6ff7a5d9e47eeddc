//! Roles and scopes as people read them.

use tiendo_core::authz::Role;
use tiendo_db::identity::GrantRow;

use tiendo_app::i18n::Tr;

/// A grant ready for display.
#[derive(Debug, Clone)]
pub struct GrantView {
    /// Row id (for the remove button).
    pub id: i64,
    /// The translated role name.
    pub role: String,
    /// The translated scope ("Toàn tỉnh", "Đơn vị: …").
    pub scope: String,
}

/// The translated name of a role.
pub fn role_label(tr: &Tr, role: Role) -> String {
    tr.t(&format!("role-{}", role.code()))
}

/// Formats stored grants.
pub fn grant_views(tr: &Tr, rows: &[GrantRow]) -> Vec<GrantView> {
    rows.iter()
        .map(|row| {
            let role = Role::from_code(&row.role).map_or_else(|| row.role.clone(), |r| role_label(tr, r));
            let org = row.organization_name.clone().unwrap_or_default();
            let scope = match row.scope_kind.as_str() {
                "province" => tr.t("scope-province"),
                "organization" => tr.t_with("scope-organization", &[("org", &org)]),
                _ => tr.t_with("scope-subtree", &[("org", &org)]),
            };
            GrantView { id: row.id, role, scope }
        })
        .collect()
}
