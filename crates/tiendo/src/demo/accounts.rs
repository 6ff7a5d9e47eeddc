//! The demo accounts: one per role, attached to the demo organisations (looked up by name; an
//! organisation that is missing leaves the account without one and its role province-wide).

use chrono::Utc;
use tiendo_core::authz::{Grant, Role, Scope};
use tiendo_db::audit::{self, NewEvent, Who};
use tiendo_db::identity::{self, NewUser};
use tiendo_db::{Db, Exec, Query};

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

async fn org_id(db: &Db, name: &str) -> anyhow::Result<Option<i64>> {
    let row: Option<(i64,)> = db
        .fetch_optional(Query::new("SELECT id FROM organizations WHERE name = $1 ORDER BY id LIMIT 1").bind(name))
        .await?;
    Ok(row.map(|(id,)| id))
}

/// Creates the accounts and returns them for printing.
pub async fn seed(db: &Db, lang_role: impl Fn(Role) -> String) -> anyhow::Result<Vec<DemoAccount>> {
    let hash = tiendo_app::password::hash(DEMO_PASSWORD.to_owned())
        .await
        .map_err(|e| anyhow::anyhow!("cannot hash the demo password: {e}"))?;
    let now = Utc::now();
    let tx = db.begin().await?;
    let mut printed = Vec::new();
    for spec in ACCOUNTS {
        let organization_id = org_id(db, spec.organization).await?;
        let id = identity::create_user(
            &tx,
            &NewUser {
                username: spec.username.to_owned(),
                display_name: spec.name.to_owned(),
                email: Some(format!("{}@demo.tiendo.vn", spec.username.replace('.', "-"))),
                person_id: None,
                organization_id,
                password_hash: hash.clone(),
                must_change_password: false,
            },
            now,
        )
        .await?;
        let scope = match (spec.scoped, organization_id) {
            (true, Some(org)) => Scope::Organization(org),
            _ => Scope::Province,
        };
        identity::add_grant(&tx, id, &Grant { role: spec.role, scope }, None, now).await?;
        audit::append(
            &tx,
            &Who::system(),
            &NewEvent::new("create", "user", id, format!("Tạo tài khoản demo {}", spec.username)),
        )
        .await?;
        printed.push(DemoAccount {
            username: spec.username.to_owned(),
            password: DEMO_PASSWORD.to_owned(),
            role: format!("{} — {}", lang_role(spec.role), spec.organization),
        });
    }
    tx.commit().await?;
    Ok(printed)
}
