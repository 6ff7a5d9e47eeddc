//! `tiendo user …` and `tiendo audit verify`: account administration from the command line, for the
//! first administrator and for operators.

use std::io::Read;

use anyhow::{Context, anyhow, bail};
use tiendo_app::identity::accounts::{self, LinkDelivery, NewAccount, ProfileDraft, ResetDelivery};
use tiendo_app::{App, Session, password};
use tiendo_core::authz::{Actor, Grant, Role, Scope};
use tiendo_db::Db;
use tiendo_db::identity;

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

/// The site's address for password links when the configuration names no public URL.
fn base_url(config: &Config) -> String {
    format!("http://{}", config.listen)
}

/// The application over the configured database, for the use cases of the command line.
fn app(db: &Db, config: &Config) -> anyhow::Result<App> {
    Ok(App::new(db.clone(), config.file_store()?, config.site_settings()))
}

/// The operator at the command line: an administrator of the whole province (the first administrator is
/// created this way), labelled `cli` in the audit trail.
pub fn operator() -> Session {
    Session::cli(Actor { user_id: None, grants: vec![Grant { role: Role::Administrator, scope: Scope::Province }] })
}

/// A refusal of a use case, as one line for the operator.
fn explain(error: tiendo_app::Error, new: &NewAccount) -> anyhow::Error {
    let tiendo_app::Error::Invalid(fields) = error else { return anyhow!(error) };
    let username = new.username.trim().to_lowercase();
    let arg = |f: &tiendo_app::FieldError, name: &str| {
        f.args.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    };
    let lines: Vec<String> = fields
        .iter()
        .map(|f| match (f.field.as_str(), f.code.as_str()) {
            ("username", "username_format" | "required") => {
                format!("invalid username {username:?}: use 3–40 of a-z, 0-9, dot, hyphen, underscore")
            }
            ("username", "username_taken") => format!("the username {username} is taken"),
            ("organization_id", "unknown_organization") => {
                format!("no organisation has the id {}", new.profile.organization_id.trim())
            }
            ("roles", "unknown_organization") => format!("no organisation has the id {}", arg(f, "id")),
            ("display_name", "required") => "the name is empty (--name)".to_owned(),
            ("display_name", "too_long") => format!("the name is longer than {} characters", arg(f, "max")),
            ("email", _) => "the e-mail address is not valid".to_owned(),
            ("password", code) => {
                format!("the password is too weak ({code}): at least {} characters of two kinds", password::MIN_LENGTH)
            }
            (field, code) => format!("{field}: {code}"),
        })
        .collect();
    anyhow!(lines.join("; "))
}

/// Creates an account through the same use case as the administrator page (`tiendo_app::identity::
/// accounts::create`) and prints how its owner sets the password: the link (valid for the configured
/// `reset_validity`), unless the password was read from standard input.
pub async fn create(db: &Db, config: &Config, opts: CreateUser) -> anyhow::Result<()> {
    let typed = if opts.password_stdin {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).context("read the password from standard input")?;
        Some(text.trim_end_matches(['\r', '\n']).to_owned())
    } else {
        None
    };
    let new = NewAccount {
        username: opts.username,
        profile: ProfileDraft {
            display_name: opts.display_name,
            email: opts.email.unwrap_or_default(),
            organization_id: opts.organization_id.map(|o| o.to_string()).unwrap_or_default(),
        },
        roles: opts.roles,
        password: typed,
        delivery: LinkDelivery::Show,
    };
    let app = app(db, config)?;
    let created =
        accounts::create(&app, &operator(), new.clone(), &base_url(config)).await.map_err(|e| explain(e, &new))?;
    println!("Created account {} (id {}).", created.username, created.id);
    match created.reset {
        Some(ResetDelivery::Shown(link)) => {
            println!("Its owner sets the password at (one-time, {}):\n  {link}", validity(&app));
        }
        Some(ResetDelivery::Emailed(address)) => println!("The password link was e-mailed to {address}."),
        None => println!("The password was read from standard input."),
    }
    Ok(())
}

/// How long a password link stays valid, for people ("72 hours").
fn validity(app: &App) -> String {
    format!("{} hours", accounts::link_validity(app).num_hours())
}

/// Issues a password link for an account through the same use case as the administrator page, and prints
/// it.
pub async fn reset_password(db: &Db, config: &Config, username: &str) -> anyhow::Result<()> {
    let username = username.trim().to_lowercase();
    let (user, _) =
        identity::user_for_login(db, &username).await?.ok_or_else(|| anyhow!("no account is named {username}"))?;
    let app = app(db, config)?;
    let delivery =
        accounts::issue_reset_link(&app, &operator(), user.id, LinkDelivery::Show, &base_url(config)).await?;
    match delivery {
        ResetDelivery::Shown(link) => {
            println!("Password reset link for {username} (one-time, {}):\n  {link}", validity(&app));
        }
        ResetDelivery::Emailed(address) => println!("The password reset link was e-mailed to {address}."),
    }
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
