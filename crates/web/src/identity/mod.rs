//! Identity: signing in and out, the one-time password link, the user's own account (password, personal
//! API tokens), account administration (profiles, status, roles, password links, tokens) and the audit
//! trail. Every change is a use case of `tiendo_app::identity`.

pub mod api;
pub mod pages;

use chrono::{DateTime, Utc};
use tiendo_core::authz::Role;
use tiendo_db::identity::{ApiToken, GrantRow};

use crate::auth::policy::{Policy, Routes};
use tiendo_app::i18n::Tr;
use tiendo_app::identity::role_label;

/// A grant ready for display.
#[derive(Debug, Clone)]
pub struct GrantView {
    /// Row id (for the remove button).
    pub id: i64,
    /// The translated role name.
    pub role: String,
    /// The translated scope ("Toàn tỉnh", "Đơn vị: …"), as HTML (the unit marked as data).
    pub scope: String,
}

/// Formats stored grants.
pub fn grant_views(tr: &Tr, rows: &[GrantRow]) -> Vec<GrantView> {
    rows.iter()
        .map(|row| {
            let role = Role::from_code(&row.role).map_or_else(|| row.role.clone(), |r| role_label(tr, r));
            let org = row.organization_name.clone().unwrap_or_default();
            let scope = match row.scope_kind.as_str() {
                "province" => tiendo_app::i18n::escape(&tr.t("scope-province")),
                "organization" => tr.t_data("scope-organization", &[("org", &org)]),
                _ => tr.t_data("scope-subtree", &[("org", &org)]),
            };
            GrantView { id: row.id, role, scope }
        })
        .collect()
}

/// A token as listed (never the secret).
#[derive(Debug, Clone)]
pub struct TokenView {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) prefix: String,
    pub(crate) created: String,
    pub(crate) expires: String,
    pub(crate) last_used: String,
    pub(crate) active: bool,
}

/// Formats stored tokens, active or not at `now`.
pub fn token_views(tokens: Vec<ApiToken>, now: DateTime<Utc>) -> Vec<TokenView> {
    tokens
        .into_iter()
        .map(|t| TokenView {
            active: tiendo_app::identity::tokens::is_active(&t, now),
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created: tiendo_core::fmt::datetime(t.created_at),
            expires: t.expires_at.map(tiendo_core::fmt::datetime).unwrap_or_default(),
            last_used: t.last_used_at.map(tiendo_core::fmt::datetime).unwrap_or_default(),
        })
        .collect()
}

/// The identity pages with their policies: signing in and out, the password link, the own account, the
/// administration of accounts (administrators) and the audit trail (province-wide administrators and
/// department leaders; the use case checks the province-wide scope).
pub fn routes() -> Routes {
    use pages::{account, audit, login, users};
    const ADMIN: Policy = Policy::AnyRole(&[Role::Administrator]);
    const AUDITORS: Policy = Policy::AnyRole(&[Role::Administrator, Role::DepartmentLeader]);
    Routes::new()
        .get("/login", login::show, Policy::Public)
        .post("/login", login::submit, Policy::Public)
        .post("/logout", login::logout, Policy::SignedIn)
        .get("/reset-password/{token}", login::reset_form, Policy::Public)
        .post("/reset-password/{token}", login::reset_submit, Policy::Public)
        .get("/account", account::show, Policy::SignedIn)
        .get("/account/password", account::password_form, Policy::SignedIn)
        .post("/account/password", account::change_password, Policy::SignedIn)
        .post("/account/tokens", account::create_token, Policy::SignedIn)
        .post("/account/tokens/{id}/revoke", account::revoke_token, Policy::SignedIn)
        .get("/admin/users", users::list, ADMIN)
        .get("/admin/users/new", users::new_form, ADMIN)
        .post("/admin/users", users::create, ADMIN)
        .get("/admin/users/{id}", users::show, ADMIN)
        .post("/admin/users/{id}", users::update, ADMIN)
        .post("/admin/users/{id}/status", users::set_status, ADMIN)
        .post("/admin/users/{id}/reset", users::reset, ADMIN)
        .post("/admin/users/{id}/unlock", users::unlock_sign_in, ADMIN)
        .post("/admin/users/{id}/grants", users::add_grant, ADMIN)
        .post("/admin/users/{id}/grants/{grant_id}/delete", users::remove_grant, ADMIN)
        .post("/admin/users/{id}/tokens/{token_id}/revoke", users::revoke_token, ADMIN)
        .get("/admin/audit", audit::search, AUDITORS)
}
