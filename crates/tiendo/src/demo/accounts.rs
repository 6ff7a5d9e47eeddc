//! The demo accounts: one per role, attached to the demo organisations (looked up by name; an
//! organisation that is missing leaves the account without one and its role province-wide).

use tiendo_app::identity::accounts::{self, NewAccount, ProfileDraft};
use tiendo_app::{App, Session};
use tiendo_core::authz::{Actor, Grant, Role, Scope};

use super::DemoAccount;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "TienDo@2026";

struct Spec {
    username: &'static str,
    name: &'static str,
    role: Role,
    organization: &'static str,
    /// Whether the role applies to the organisation only (else the whole province).
    scoped: bool,
}

const ACCOUNTS: &[Spec] = &[
    Spec {
        username: "quantri",
        name: "Quản trị hệ thống",
        role: Role::Administrator,
        organization: "Sở Khoa học và Công nghệ tỉnh Quảng Ninh",
        scoped: false,
    },
    Spec {
        username: "lanhdao",
        name: "Hoàng Bá Nam",
        role: Role::DepartmentLeader,
        organization: "Sở Khoa học và Công nghệ tỉnh Quảng Ninh",
        scoped: false,
    },
    Spec {
        username: "chuyenvien",
        name: "Phạm Thu Trang",
        role: Role::DepartmentOfficer,
        organization: "Sở Khoa học và Công nghệ tỉnh Quảng Ninh",
        scoped: false,
    },
    Spec {
        username: "phuong.haan",
        name: "Trần Văn Hải",
        role: Role::LocalityOfficer,
        organization: "UBND phường Hà An",
        scoped: true,
    },
    Spec {
        username: "vien.ptv",
        name: "Nguyễn Đắc Bình Minh",
        role: Role::PartnerOfficer,
        organization: "Viện Nghiên cứu và Phát triển Vùng",
        scoped: true,
    },
    Spec {
        username: "chuyengia",
        name: "Lê Minh Tuấn",
        role: Role::Expert,
        organization: "Viện Nghiên cứu và Phát triển Vùng",
        scoped: false,
    },
    Spec {
        username: "minhhan",
        name: "Nguyễn Thị Hằng",
        role: Role::Applicant,
        organization: "Công ty TNHH thủy sản Minh Hàn",
        scoped: true,
    },
    Spec {
        username: "bientap",
        name: "Đỗ Thu Hà",
        role: Role::Editor,
        organization: "Sở Khoa học và Công nghệ tỉnh Quảng Ninh",
        scoped: false,
    },
    Spec {
        username: "kiemduyet",
        name: "Vũ Quang Huy",
        role: Role::Moderator,
        organization: "Sở Khoa học và Công nghệ tỉnh Quảng Ninh",
        scoped: false,
    },
];

async fn org_id(app: &App, name: &str) -> anyhow::Result<Option<i64>> {
    Ok(tiendo_db::directory::organization_by_name(app.db(), name).await?.map(|o| o.id))
}

/// Creates the accounts through the use case of the administrator page (the system acting as a
/// province-wide administrator) and returns them for printing.
pub async fn seed(app: &App, lang_role: impl Fn(Role) -> String) -> anyhow::Result<Vec<DemoAccount>> {
    let system = Session::system(Actor {
        user_id: None,
        grants: vec![Grant { role: Role::Administrator, scope: Scope::Province }],
    });
    let mut printed = Vec::new();
    for spec in ACCOUNTS {
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
        accounts::create(app, &system, new, "http://127.0.0.1:8080")
            .await
            .map_err(|e| anyhow::anyhow!("demo account {}: {e:?}", spec.username))?;
        printed.push(DemoAccount {
            username: spec.username.to_owned(),
            password: DEMO_PASSWORD.to_owned(),
            role: format!("{} — {}", lang_role(spec.role), spec.organization),
        });
    }
    Ok(printed)
}
