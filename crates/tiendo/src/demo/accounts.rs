//! The demo accounts: one per role, attached to the demo organisations (looked up by name; an
//! organisation that is missing leaves the account without one and its role province-wide). The
//! administrator was created at the command line the day the Sở installed Tiến Độ (spring 2017); they
//! created the others on the day each started to use it (the ward officer after the 2025 reform).

use anyhow::anyhow;
use chrono::NaiveDate;
use tiendo_app::identity::accounts::{self, NewAccount, ProfileDraft};
use tiendo_app::{App, Session};
use tiendo_core::authz::{Actor, Grant, Role, Scope};

use super::DemoAccount;
use super::story::{at, day};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "TienDo@2026";

struct Spec {
    username: &'static str,
    name: &'static str,
    role: Role,
    organization: &'static str,
    /// Whether the role applies to the organisation only (else the whole province).
    scoped: bool,
    /// The day the account was created.
    created: (i32, u32, u32),
}

/// The day the Sở installed Tiến Độ: its administrator's account, the directory of the time and the
/// staff's accounts date from it.
pub(super) fn installed() -> NaiveDate {
    day(2017, 4, 3)
}

const ACCOUNTS: &[Spec] = &[
    Spec {
        username: "quantri",
        name: "Quản trị hệ thống",
        role: Role::Administrator,
        organization: "Sở Khoa học và Công nghệ tỉnh Quảng Ninh",
        scoped: false,
        created: (2017, 4, 3),
    },
    Spec {
        username: "lanhdao",
        name: "Hoàng Bá Nam",
        role: Role::DepartmentLeader,
        organization: "Sở Khoa học và Công nghệ tỉnh Quảng Ninh",
        scoped: false,
        created: (2017, 4, 3),
    },
    Spec {
        username: "chuyenvien",
        name: "Phạm Thu Trang",
        role: Role::DepartmentOfficer,
        organization: "Sở Khoa học và Công nghệ tỉnh Quảng Ninh",
        scoped: false,
        created: (2017, 4, 3),
    },
    Spec {
        username: "phuong.haan",
        name: "Trần Văn Hải",
        role: Role::LocalityOfficer,
        organization: "UBND phường Hà An",
        scoped: true,
        created: (2025, 7, 2),
    },
    Spec {
        username: "vien.ptv",
        name: "Nguyễn Đắc Bình Minh",
        role: Role::PartnerOfficer,
        organization: "Viện Nghiên cứu và Phát triển Vùng",
        scoped: true,
        created: (2017, 5, 10),
    },
    Spec {
        username: "chuyengia",
        name: "Lê Minh Tuấn",
        role: Role::Expert,
        organization: "Viện Nghiên cứu và Phát triển Vùng",
        scoped: false,
        created: (2019, 3, 4),
    },
    Spec {
        username: "minhhan",
        name: "Nguyễn Thị Hằng",
        role: Role::Applicant,
        organization: "Công ty TNHH thủy sản Minh Hàn",
        scoped: true,
        created: (2020, 3, 16),
    },
    Spec {
        username: "bientap",
        name: "Đỗ Thu Hà",
        role: Role::Editor,
        organization: "Sở Khoa học và Công nghệ tỉnh Quảng Ninh",
        scoped: false,
        created: (2017, 4, 3),
    },
    Spec {
        username: "kiemduyet",
        name: "Vũ Quang Huy",
        role: Role::Moderator,
        organization: "Sở Khoa học và Công nghệ tỉnh Quảng Ninh",
        scoped: false,
        created: (2017, 4, 3),
    },
];

async fn org_id(app: &App, name: &str) -> anyhow::Result<Option<i64>> {
    Ok(tiendo_db::directory::organization_by_name(app.db(), name).await?.map(|o| o.id))
}

/// The administrator as first created at the command line on the day of the installation, before any
/// organisation was recorded (`seed` then attaches it to the Sở).
pub(super) async fn bootstrap(app: &App) -> anyhow::Result<()> {
    let spec = &ACCOUNTS[0];
    let cli = Session::cli(Actor {
        user_id: None,
        grants: vec![Grant { role: Role::Administrator, scope: Scope::Province }],
    });
    let new = NewAccount {
        username: spec.username.to_owned(),
        profile: ProfileDraft {
            display_name: spec.name.to_owned(),
            email: format!("{}@demo.tiendo.vn", spec.username),
            organization_id: String::new(),
        },
        roles: vec![Grant { role: spec.role, scope: Scope::Province }],
        password: Some(DEMO_PASSWORD.to_owned()),
        ..NewAccount::default()
    };
    accounts::create(&app.at(at(installed())), &cli, new, "http://127.0.0.1:8080")
        .await
        .map_err(|e| anyhow!("demo account {}: {e:?}", spec.username))?;
    Ok(())
}

/// Attaches the administrator to the Sở once the directory has it (the administrator editing their own
/// profile on the day of the installation).
pub(super) async fn attach_administrator(app: &App) -> anyhow::Result<()> {
    let spec = &ACCOUNTS[0];
    let admin = super::story::account(app.db(), spec.username).await?;
    let id = admin.user_id().ok_or_else(|| anyhow!("the demo administrator has no account"))?;
    let profile = ProfileDraft {
        display_name: spec.name.to_owned(),
        email: format!("{}@demo.tiendo.vn", spec.username),
        organization_id: org_id(app, spec.organization).await?.map(|o| o.to_string()).unwrap_or_default(),
    };
    accounts::update(&app.at(at(installed())), &admin, id, &profile)
        .await
        .map_err(|e| anyhow!("attaching the demo administrator to the Sở: {e:?}"))
}

/// Creates the other accounts through the use case of the administrator page, each on its day by the
/// administrator, and returns every account for printing.
pub async fn seed(app: &App, lang_role: impl Fn(Role) -> String) -> anyhow::Result<Vec<DemoAccount>> {
    let admin = super::story::account(app.db(), ACCOUNTS[0].username).await?;
    let mut printed = Vec::new();
    for spec in ACCOUNTS {
        if spec.username != ACCOUNTS[0].username {
            let organization_id = org_id(app, spec.organization).await?;
            let scope = match (spec.scoped, organization_id) {
                (true, Some(org)) => Scope::Organization(org),
                _ => Scope::Province,
            };
            let new = NewAccount {
                username: spec.username.to_owned(),
                profile: ProfileDraft {
                    display_name: spec.name.to_owned(),
                    email: format!("{}@demo.tiendo.vn", spec.username.replace('.', "-")),
                    organization_id: organization_id.map(|o| o.to_string()).unwrap_or_default(),
                },
                roles: vec![Grant { role: spec.role, scope }],
                password: Some(DEMO_PASSWORD.to_owned()),
                ..NewAccount::default()
            };
            let (y, m, d) = spec.created;
            accounts::create(&app.at(at(day(y, m, d))), &admin, new, "http://127.0.0.1:8080")
                .await
                .map_err(|e| anyhow!("demo account {}: {e:?}", spec.username))?;
        }
        printed.push(DemoAccount {
            username: spec.username.to_owned(),
            password: DEMO_PASSWORD.to_owned(),
            role: format!("{} — {}", lang_role(spec.role), spec.organization),
        });
    }
    Ok(printed)
}
