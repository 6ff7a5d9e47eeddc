//! `tiendo user …` and `tiendo audit verify`: account administration from the command line, for the
//! first administrator and for operators.

use std::io::Read;

use anyhow::{Context, anyhow, bail};
use chrono::Utc;
use tiendo_app::{password, secret};
use tiendo_core::authz::{Grant, Role, Scope};
use tiendo_db::audit::{self, Change, NewEvent, Who};
use tiendo_db::identity::{self, NewUser};
use tiendo_db::{Db, orgtree};

use crate::config::Config;

/// Parses `ROLE` or `ROLE=SCOPE`, with SCOPE `province` (the default), `org:ID` or `subtree:ID`.
pub fn parse_role(spec: &str) -> anyhow::Result<Grant> {
    let (role, scope) = spec.split_once('=').unwrap_or((spec, "province"));
    let role = Role::from_code(role.trim()).ok_or_else(|| {
        let known: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
        anyhow!("unknown role {role:?}; use one of {}", known.join(", "))
    })?;
    let scope = match scope.trim().split_once(':') {
        None if scope.trim() == "province" => Scope::Province,
        Some(("org", id)) => {
            Scope::Organization(id.parse().map_err(|_| anyhow!("invalid organisation id in {spec:?}"))?)
        }
        Some(("subtree", id)) => {
            Scope::Subtree(id.parse().map_err(|_| anyhow!("invalid organisation id in {spec:?}"))?)
        }
        _ => bail!("invalid scope in {spec:?}; use province, org:ID or subtree:ID"),
    };
    Ok(Grant { role, scope })
}

/// The options of `tiendo user create`.
#[derive(Debug, Clone)]
pub struct CreateUser {
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// E-mail.
    pub email: Option<String>,
    /// Organisation id.
    pub organization_id: Option<i64>,
    /// Roles with scopes.
    pub roles: Vec<Grant>,
    /// Read the initial password from standard input instead of issuing a reset link.
    pub password_stdin: bool,
}

fn base_url(config: &Config) -> String {
    config.public_url.clone().unwrap_or_else(|| format!("http://{}", config.listen)).trim_end_matches('/').to_owned()
}

/// Creates an account and prints how its owner sets the password.
pub async fn create(db: &Db, config: &Config, opts: CreateUser) -> anyhow::Result<()> {
    let username = opts.username.trim().to_lowercase();
    if !tiendo_web::pages::admin::users::valid_username(&username) {
        bail!("invalid username {username:?}: use 3–40 of a-z, 0-9, dot, hyphen, underscore");
    }
    if identity::user_for_login(db, &username).await?.is_some() {
        bail!("the username {username} is taken");
    }
    if let Some(org) = opts.organization_id
        && orgtree::name(db, org).await?.is_none()
    {
        bail!("no organisation has the id {org}");
    }
    let typed = if opts.password_stdin {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).context("read the password from standard input")?;
        let text = text.trim_end_matches(['\r', '\n']).to_owned();
        if let Err(weak) = password::check_strength(&text, &username) {
            bail!(
                "the password is too weak ({}): at least {} characters of two kinds",
                weak.code(),
                password::MIN_LENGTH
            );
        }
        Some(text)
    } else {
        None
    };
    let hash = password::hash(typed.clone().unwrap_or_else(|| secret::random_hex(32)))
        .await
        .map_err(|e| anyhow!("cannot hash the password: {e}"))?;
    let now = Utc::now();
    let tx = db.begin().await?;
    let id = identity::create_user(
        &tx,
        &NewUser {
            username: username.clone(),
            display_name: tiendo_core::text::normalize_input(&opts.display_name),
            email: opts.email.clone(),
            person_id: None,
            organization_id: opts.organization_id,
            password_hash: hash,
            must_change_password: false,
        },
        now,
    )
    .await?;
    audit::append(
        &tx,
        &Who::cli(),
        &NewEvent::new("create", "user", id, format!("Tạo tài khoản {username} bằng dòng lệnh"))
            .with_changes(vec![Change::new("username", None::<String>, &username)]),
    )
    .await?;
    for grant in &opts.roles {
        if let Scope::Organization(o) | Scope::Subtree(o) = grant.scope
            && orgtree::name(&tx, o).await?.is_none()
        {
            bail!("no organisation has the id {o}");
        }
        identity::add_grant(&tx, id, grant, None, now).await?;
        audit::append(
            &tx,
            &Who::cli(),
            &NewEvent::new("grant_role", "user", id, format!("Giao vai trò {} cho {username}", grant.role.code())),
        )
        .await?;
    }
    let link = if typed.is_none() {
        let token = secret::random_hex(32);
        identity::create_reset(&tx, id, &secret::digest(&token), None, now + chrono::Duration::hours(72), now).await?;
        Some(format!("{}/reset-password/{token}", base_url(config)))
    } else {
        None
    };
    tx.commit().await?;
    println!("Created account {username} (id {id}).");
    match link {
        Some(link) => println!("Its owner sets the password at (one-time, 72 hours):\n  {link}"),
        None => println!("The password was read from standard input."),
    }
    Ok(())
}

/// Issues a password reset link for an account and prints it.
pub async fn reset_password(db: &Db, config: &Config, username: &str) -> anyhow::Result<()> {
    let username = username.trim().to_lowercase();
    let (user, _) =
        identity::user_for_login(db, &username).await?.ok_or_else(|| anyhow!("no account is named {username}"))?;
    let token = secret::random_hex(32);
    let now = Utc::now();
    let tx = db.begin().await?;
    identity::create_reset(&tx, user.id, &secret::digest(&token), None, now + chrono::Duration::hours(72), now).await?;
    audit::append(
        &tx,
        &Who::cli(),
        &NewEvent::new(
            "issue_reset",
            "user",
            user.id,
            format!("Cấp liên kết đặt lại mật khẩu cho {username} bằng dòng lệnh"),
        ),
    )
    .await?;
    tx.commit().await?;
    println!("Password reset link for {username} (one-time, 72 hours):\n  {}/reset-password/{token}", base_url(config));
    Ok(())
}

/// Lists every account with its roles.
pub async fn list(db: &Db) -> anyhow::Result<()> {
    let users = identity::all_users(db).await?;
    println!("{:<20} {:<30} {:<9} {:<30} ROLES", "USERNAME", "NAME", "STATUS", "ORGANISATION");
    for u in users {
        let roles: Vec<String> = identity::grants(db, u.id)
            .await?
            .into_iter()
            .map(|g| match g.organization_id {
                None => g.role,
                Some(o) => format!("{}={}:{o}", g.role, if g.scope_kind == "subtree" { "subtree" } else { "org" }),
            })
            .collect();
        println!(
            "{:<20} {:<30} {:<9} {:<30} {}",
            u.username,
            u.display_name,
            u.status,
            u.organization_name.unwrap_or_default(),
            roles.join(", ")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_specs_parse_with_a_default_province_scope() {
        assert_eq!(parse_role("administrator").unwrap(), Grant { role: Role::Administrator, scope: Scope::Province });
        assert_eq!(
            parse_role("locality_officer=org:12").unwrap(),
            Grant { role: Role::LocalityOfficer, scope: Scope::Organization(12) }
        );
        assert_eq!(parse_role("expert=subtree:3").unwrap().scope, Scope::Subtree(3));
        assert!(parse_role("king").unwrap_err().to_string().contains("unknown role"));
        assert!(parse_role("expert=org:x").is_err());
    }
}
