//! Authorization: one function, `(actor, action, resource) → allow or deny`, used by the pages and the
//! API alike. Deny by default: an action is allowed only when a rule below says so.
//!
//! A user holds roles, each with a scope: the whole province, one organisation, or an organisation and
//! those under it. Resources carry the facts the rules need (the owning organisation's path from the
//! root, whether the actor sits on a council, who applied), computed by the repositories, so that this
//! module stays pure.

use serde::{Deserialize, Serialize};

pub mod account;
mod scope;
pub use scope::{AccessScope, Coverage};

/// A database id of an organisation.
pub type OrgId = i64;
/// A database id of a user account.
pub type UserId = i64;

/// The roles of DESIGN.md §1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Quản trị hệ thống: accounts, roles, units, templates, settings, audit.
    Administrator,
    /// Lãnh đạo Sở: sees everything in scope, approves.
    DepartmentLeader,
    /// Chuyên viên of the Sở: assigns tasks, reviews and returns reports, runs councils.
    DepartmentOfficer,
    /// Cán bộ xã/phường: reports for their commune or ward.
    LocalityOfficer,
    /// Cán bộ of another department or an institute: reports for the tasks they lead or coordinate.
    PartnerOfficer,
    /// Chuyên gia: scores in the councils they sit on.
    Expert,
    /// Tổ chức, cá nhân đăng ký: proposes tasks and applies for certificates.
    Applicant,
    /// Biên tập viên: writes and publishes news.
    Editor,
    /// Kiểm duyệt viên: moderates public comments.
    Moderator,
}

impl Role {
    /// Every role, in the order of DESIGN.md §1.
    pub const ALL: [Role; 9] = [
        Role::Administrator,
        Role::DepartmentLeader,
        Role::DepartmentOfficer,
        Role::LocalityOfficer,
        Role::PartnerOfficer,
        Role::Expert,
        Role::Applicant,
        Role::Editor,
        Role::Moderator,
    ];

    /// The stable code stored in the database and used in the API (`department_officer`).
    pub fn code(self) -> &'static str {
        match self {
            Role::Administrator => "administrator",
            Role::DepartmentLeader => "department_leader",
            Role::DepartmentOfficer => "department_officer",
            Role::LocalityOfficer => "locality_officer",
            Role::PartnerOfficer => "partner_officer",
            Role::Expert => "expert",
            Role::Applicant => "applicant",
            Role::Editor => "editor",
            Role::Moderator => "moderator",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Roles of the Sở's own staff.
    fn is_department_staff(self) -> bool {
        matches!(self, Role::DepartmentLeader | Role::DepartmentOfficer | Role::Administrator)
    }

    /// Roles that report for their own organisation.
    fn is_reporting_unit(self) -> bool {
        matches!(self, Role::LocalityOfficer | Role::PartnerOfficer)
    }

    /// Roles that fill their organisation's periodic reports: the reporting units, and the applicants of
    /// an enterprise (a certified S&T enterprise reports each year on the form it is assigned).
    pub fn reports_periodically(self) -> bool {
        self.is_reporting_unit() || self == Role::Applicant
    }

    /// Roles that propose S&T tasks and apply for them for their organisation: enterprises and institutes
    /// (applicants), communes and wards, partner departments and institutes.
    pub fn proposes(self) -> bool {
        matches!(self, Role::Applicant | Role::LocalityOfficer | Role::PartnerOfficer)
    }
}

/// Where a role applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "organization_id", rename_all = "snake_case")]
pub enum Scope {
    /// The whole province (every organisation).
    Province,
    /// One organisation.
    Organization(OrgId),
    /// An organisation and every organisation under it.
    Subtree(OrgId),
}

impl Scope {
    /// Whether the scope covers an organisation, given its path from the root (ancestors first, the
    /// organisation itself last).
    pub fn covers(&self, org_path: &[OrgId]) -> bool {
        match self {
            Scope::Province => true,
            Scope::Organization(id) => org_path.last() == Some(id),
            Scope::Subtree(id) => org_path.contains(id),
        }
    }

    /// Whether this scope includes everything `other` does (to grant a role with scope `other`, the
    /// granter's scope must include it). `other_path` is the path of `other`'s organisation.
    pub fn includes(&self, other: &Scope, other_path: &[OrgId]) -> bool {
        match (self, other) {
            (Scope::Province, _) => true,
            (_, Scope::Province) => false,
            (Scope::Organization(a), Scope::Organization(b)) => a == b,
            (Scope::Organization(_), Scope::Subtree(_)) => false,
            (Scope::Subtree(a), Scope::Organization(_) | Scope::Subtree(_)) => other_path.contains(a),
        }
    }
}

/// A role held with a scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Grant {
    /// The role.
    pub role: Role,
    /// Where it applies.
    pub scope: Scope,
}

/// Who is acting: an anonymous visitor (the public) or a signed-in user with their grants.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Actor {
    /// The account, `None` for the public.
    pub user_id: Option<UserId>,
    /// The roles held, each with its scope.
    pub grants: Vec<Grant>,
}

impl Actor {
    /// An anonymous visitor.
    pub fn public() -> Actor {
        Actor::default()
    }

    /// A signed-in user.
    pub fn user(user_id: UserId, grants: Vec<Grant>) -> Actor {
        Actor { user_id: Some(user_id), grants }
    }

    /// Whether the actor is signed in.
    pub fn is_signed_in(&self) -> bool {
        self.user_id.is_some()
    }

    /// Whether the actor holds `role` with a scope covering the organisation at `org_path`.
    pub fn has_role_over(&self, role: Role, org_path: &[OrgId]) -> bool {
        self.grants.iter().any(|g| g.role == role && g.scope.covers(org_path))
    }

    /// Whether the actor holds `role` anywhere.
    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// Whether the actor holds `role` over the whole province.
    pub fn has_role_province_wide(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role && g.scope == Scope::Province)
    }

    fn any_role_over(&self, pred: impl Fn(Role) -> bool, org_path: &[OrgId]) -> bool {
        self.grants.iter().any(|g| pred(g.role) && g.scope.covers(org_path))
    }
}

/// What the actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read.
    View,
    /// Create a new record.
    Create,
    /// Change an existing record.
    Edit,
    /// Delete or disable.
    Delete,
    /// Send one's own work onwards (a report, a dossier, an article for review).
    Submit,
    /// Accept or return someone else's submission.
    Review,
    /// Give the final approval (and lock).
    Approve,
    /// Make public.
    Publish,
    /// Approve, reject or hide public comments.
    Moderate,
    /// Score in a council.
    Score,
    /// Grant or revoke a role.
    Grant,
    /// Export personal data or whole registers.
    Export,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 12] = [
        Action::View,
        Action::Create,
        Action::Edit,
        Action::Delete,
        Action::Submit,
        Action::Review,
        Action::Approve,
        Action::Publish,
        Action::Moderate,
        Action::Score,
        Action::Grant,
        Action::Export,
    ];
}

/// The stage of a record that an organisation works on and then sends onwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Still being written by its owner; private to the owner's unit.
    Draft,
    /// Sent to the assigning side; awaiting review.
    Submitted,
    /// Accepted, approved or closed.
    Final,
}

/// What is acted upon, with the facts the rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource<'a> {
    /// Published news, public registers, the home page.
    PublicContent,
    /// The actor's own account (profile, password, personal API tokens).
    OwnAccount {
        /// The account in question.
        user_id: UserId,
    },
    /// Administrative units, organisations and people.
    Directory {
        /// The organisation concerned (for edits), as a path from the root; empty for the units map.
        org_path: &'a [OrgId],
    },
    /// The official map of administrative units (recording a later change).
    AdminUnits,
    /// A user account managed by an administrator.
    UserAccount {
        /// The path of the account's organisation.
        org_path: &'a [OrgId],
    },
    /// A role to grant or revoke, with its scope.
    RoleAssignment {
        /// The scope being granted.
        scope: Scope,
        /// The path of the scope's organisation (empty for the province).
        scope_path: &'a [OrgId],
    },
    /// The audit trail.
    AuditTrail,
    /// A record owned by an organisation and sent onwards: an assignment's progress update, a periodic
    /// report.
    UnitRecord {
        /// The owning organisation's path.
        owner_path: &'a [OrgId],
        /// Where the record is in its workflow.
        stage: Stage,
    },
    /// A periodic report (báo cáo định kỳ) of an organisation. Like a [`Resource::UnitRecord`], with one more
    /// rule: approving a final report unlocks it (the approver, with a reason).
    Report {
        /// The reporting organisation's path.
        owner_path: &'a [OrgId],
        /// Where the report is in its workflow.
        stage: Stage,
    },
    /// The statistics drawn from approved reports: completeness and timeliness, aggregates. Read by the
    /// department's staff; each report behind a number is checked on its own.
    ReportStatistics,
    /// The indicator catalogue, its figures and the scorecard (issue 19): read and exported by the
    /// department's staff and administrators, kept by the department's staff and province-wide
    /// administrators. Each report, task or directive behind a figure is listed only if the reader may
    /// see it.
    Indicators,
    /// Tasks and assignments made by the department to organisations.
    Assignment {
        /// The lead organisation's path.
        lead_path: &'a [OrgId],
        /// Whether the actor's organisations coordinate it.
        actor_coordinates: bool,
    },
    /// A council (selection, acceptance, appraisal).
    Council {
        /// Whether the actor sits on it.
        actor_is_member: bool,
        /// Whether the actor declared a conflict of interest.
        actor_has_conflict: bool,
    },
    /// A dossier: an S&T task proposal or a certificate application.
    Dossier {
        /// The applicant's account.
        applicant: UserId,
        /// Whether it has been submitted.
        submitted: bool,
    },
    /// An S&T task proposal (đề xuất nhiệm vụ KH&CN) or an application (hồ sơ đăng ký) answering a call,
    /// owned by its proposing organisation (or, for an individual, by the account that wrote it).
    Proposal {
        /// The proposing organisation's path; empty for an individual's proposal.
        owner_path: &'a [OrgId],
        /// Whether the actor wrote it.
        actor_is_author: bool,
        /// Whether it was sent to the department (it has left the draft).
        submitted: bool,
        /// Whether the proposing side may change it now (a draft, or revisions the department asked for).
        open_to_owner: bool,
    },
    /// An application for the S&T enterprise certificate (hồ sơ đề nghị cấp Giấy chứng nhận doanh nghiệp
    /// KH&CN), owned by its enterprise: the applicant accounts covering it write and send it; the
    /// department's staff process it once received, its leaders decide.
    CertApplication {
        /// The enterprise's path.
        owner_path: &'a [OrgId],
        /// Whether it was sent (it has left the draft).
        submitted: bool,
        /// Whether the actor was asked for an opinion on it in its appraisal: an expert asked, or a member
        /// of a council it was put before.
        actor_appraises: bool,
    },
    /// An approved S&T task under contract (hợp đồng thực hiện nhiệm vụ), carried out by its host
    /// organisation: the department's staff follow it and record payments and inspections, its leaders
    /// sign the decisions that change, suspend or terminate it, the host's accounts report progress.
    StContract {
        /// The host organisation's path.
        host_path: &'a [OrgId],
    },
    /// A call for proposals or for applications (đợt thông báo đề xuất, tuyển chọn, giao trực tiếp).
    Call {
        /// Whether it is published on the portal.
        published: bool,
    },
    /// A working visit (đoàn công tác) sent by an organisation, with its stops, minutes, photos and
    /// conclusions.
    Visit {
        /// The organising organisation's path (the side that assigns the directives).
        organizer_path: &'a [OrgId],
        /// Whether the organisations the actor acts for outside the department (reports for, or applies
        /// for) took part: hosted a stop, sent a member, or lead or coordinate one of its directives.
        actor_involved: bool,
    },
    /// A news article.
    Article {
        /// Whether it is published.
        published: bool,
    },
    /// A public comment.
    Comment,
    /// How public comments are moderated: pre-moderation, the word list, limits.
    ModerationSettings,
    /// Document templates and site settings.
    Settings,
}

/// The decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Allowed.
    Allow,
    /// Denied.
    Deny,
}

impl Decision {
    fn from(allowed: bool) -> Decision {
        if allowed { Decision::Allow } else { Decision::Deny }
    }

    /// Whether the decision allows.
    pub fn is_allowed(self) -> bool {
        self == Decision::Allow
    }
}

/// The authorization function. Everything not allowed by a rule is denied.
pub fn authorize(actor: &Actor, action: Action, resource: &Resource<'_>) -> Decision {
    use Action as A;
    let signed_in = actor.is_signed_in();
    let allowed = match resource {
        Resource::PublicContent => action == A::View,
        Resource::OwnAccount { user_id } => {
            actor.user_id == Some(*user_id) && matches!(action, A::View | A::Edit | A::Create | A::Delete)
        }
        Resource::Directory { org_path } => match action {
            A::View => signed_in,
            A::Create | A::Edit => {
                actor.any_role_over(|r| r.is_department_staff(), org_path)
                    || (org_path.is_empty() && actor.grants.iter().any(|g| g.role.is_department_staff()))
            }
            A::Delete | A::Export => actor.has_role_over(Role::Administrator, org_path),
            _ => false,
        },
        Resource::AdminUnits => match action {
            A::View => true,
            A::Create | A::Edit => actor.has_role_province_wide(Role::Administrator),
            _ => false,
        },
        Resource::UserAccount { org_path } => match action {
            A::View | A::Create | A::Edit | A::Delete | A::Export => actor.has_role_over(Role::Administrator, org_path),
            _ => false,
        },
        Resource::RoleAssignment { scope, scope_path } => {
            action == A::Grant
                && actor.grants.iter().any(|g| g.role == Role::Administrator && g.scope.includes(scope, scope_path))
        }
        Resource::AuditTrail => {
            action == A::View
                && (actor.has_role_province_wide(Role::Administrator)
                    || actor.has_role_province_wide(Role::DepartmentLeader))
        }
        Resource::UnitRecord { owner_path, stage } => {
            let owner_side = actor.any_role_over(|r| r.is_reporting_unit(), owner_path);
            let reviewer =
                actor.any_role_over(|r| matches!(r, Role::DepartmentLeader | Role::DepartmentOfficer), owner_path);
            let leader = actor.has_role_over(Role::DepartmentLeader, owner_path);
            match (action, stage) {
                (A::View, Stage::Draft) => owner_side,
                (A::View, _) => owner_side || reviewer || actor.has_role_over(Role::Administrator, owner_path),
                (A::Create | A::Edit | A::Submit, Stage::Draft) => owner_side,
                (A::Review, Stage::Submitted) => reviewer,
                (A::Approve, Stage::Submitted) => leader,
                (A::Export, Stage::Submitted | Stage::Final) => reviewer,
                _ => false,
            }
        }
        Resource::Report { owner_path, stage } => {
            let owner_side = actor.any_role_over(|r| r.reports_periodically(), owner_path);
            let reviewer =
                actor.any_role_over(|r| matches!(r, Role::DepartmentLeader | Role::DepartmentOfficer), owner_path);
            let leader = actor.has_role_over(Role::DepartmentLeader, owner_path);
            match (action, stage) {
                (A::View, Stage::Draft) => owner_side,
                (A::View, _) => owner_side || reviewer || actor.has_role_over(Role::Administrator, owner_path),
                (A::Create | A::Edit | A::Submit, Stage::Draft) => owner_side,
                (A::Review, Stage::Submitted) => reviewer,
                // Approving a submitted report locks it; "approving" a final one is unlocking it.
                (A::Approve, Stage::Submitted | Stage::Final) => leader,
                (A::Export, Stage::Submitted | Stage::Final) => reviewer,
                _ => false,
            }
        }
        Resource::ReportStatistics => {
            action == A::View
                && actor
                    .grants
                    .iter()
                    .any(|g| matches!(g.role, Role::Administrator | Role::DepartmentLeader | Role::DepartmentOfficer))
        }
        Resource::Indicators => {
            let reader = actor
                .grants
                .iter()
                .any(|g| matches!(g.role, Role::Administrator | Role::DepartmentLeader | Role::DepartmentOfficer));
            let keeper =
                actor.grants.iter().any(|g| matches!(g.role, Role::DepartmentLeader | Role::DepartmentOfficer))
                    || actor.has_role_province_wide(Role::Administrator);
            match action {
                A::View | A::Export => reader,
                A::Create | A::Edit | A::Delete => keeper,
                _ => false,
            }
        }
        Resource::Assignment { lead_path, actor_coordinates } => {
            let staff =
                actor.any_role_over(|r| matches!(r, Role::DepartmentLeader | Role::DepartmentOfficer), lead_path);
            let lead = actor.any_role_over(|r| r.is_reporting_unit(), lead_path);
            let coordinator = *actor_coordinates && actor.grants.iter().any(|g| g.role.is_reporting_unit());
            match action {
                A::View => staff || lead || coordinator || actor.has_role_over(Role::Administrator, lead_path),
                A::Create | A::Edit | A::Delete | A::Export => staff,
                A::Submit => lead,
                A::Review => staff,
                A::Approve => actor.has_role_over(Role::DepartmentLeader, lead_path),
                _ => false,
            }
        }
        Resource::Council { actor_is_member, actor_has_conflict } => {
            let staff = actor.grants.iter().any(|g| matches!(g.role, Role::DepartmentLeader | Role::DepartmentOfficer));
            let member = *actor_is_member && actor.has_role(Role::Expert);
            match action {
                A::View => staff || member,
                A::Create | A::Edit | A::Delete => staff,
                A::Score => member && !actor_has_conflict,
                A::Approve => actor.has_role(Role::DepartmentLeader),
                _ => false,
            }
        }
        Resource::Dossier { applicant, submitted } => {
            let own = actor.user_id == Some(*applicant) && actor.has_role(Role::Applicant);
            let staff = actor.grants.iter().any(|g| matches!(g.role, Role::DepartmentLeader | Role::DepartmentOfficer));
            match action {
                A::View => own || (staff && *submitted),
                A::Create => actor.has_role(Role::Applicant),
                A::Edit | A::Submit | A::Delete => own && !submitted,
                A::Review => staff && *submitted,
                A::Approve => actor.has_role(Role::DepartmentLeader) && *submitted,
                _ => false,
            }
        }
        Resource::Proposal { owner_path, actor_is_author, submitted, open_to_owner } => {
            let proposer = actor.grants.iter().any(|g| g.role.proposes());
            let own = (*actor_is_author && proposer)
                || (!owner_path.is_empty() && actor.any_role_over(Role::proposes, owner_path));
            let staff = actor.grants.iter().any(|g| matches!(g.role, Role::DepartmentLeader | Role::DepartmentOfficer));
            match action {
                A::View => own || (*submitted && (staff || actor.has_role(Role::Administrator))),
                A::Create => proposer,
                A::Edit | A::Submit => own && *open_to_owner,
                A::Delete => own && !*submitted,
                A::Review | A::Export => staff && *submitted,
                A::Approve => actor.has_role(Role::DepartmentLeader) && *submitted,
                _ => false,
            }
        }
        Resource::CertApplication { owner_path, submitted, actor_appraises } => {
            let own = !owner_path.is_empty() && actor.has_role_over(Role::Applicant, owner_path);
            let staff = actor.grants.iter().any(|g| matches!(g.role, Role::DepartmentLeader | Role::DepartmentOfficer));
            // The experts read only the applications put before them.
            let appraiser = *submitted && *actor_appraises && actor.has_role(Role::Expert);
            match action {
                A::View => own || appraiser || (*submitted && (staff || actor.has_role(Role::Administrator))),
                A::Score => appraiser,
                A::Create => actor.has_role(Role::Applicant),
                A::Edit | A::Submit => own,
                A::Delete => own && !*submitted,
                A::Review | A::Export => staff && *submitted,
                A::Approve => actor.has_role(Role::DepartmentLeader) && *submitted,
                _ => false,
            }
        }
        Resource::StContract { host_path } => {
            let host = !host_path.is_empty() && actor.any_role_over(Role::proposes, host_path);
            let staff = actor.grants.iter().any(|g| matches!(g.role, Role::DepartmentLeader | Role::DepartmentOfficer));
            match action {
                A::View => host || staff || actor.has_role(Role::Administrator),
                A::Review | A::Export => staff,
                A::Approve => actor.has_role(Role::DepartmentLeader),
                A::Submit => host,
                _ => false,
            }
        }
        Resource::Call { published } => {
            let staff = actor.grants.iter().any(|g| matches!(g.role, Role::DepartmentLeader | Role::DepartmentOfficer));
            match action {
                A::View | A::Export => *published || staff || actor.has_role(Role::Administrator),
                A::Create | A::Edit | A::Publish | A::Delete => staff,
                _ => false,
            }
        }
        Resource::Visit { organizer_path, actor_involved } => {
            let staff =
                actor.any_role_over(|r| matches!(r, Role::DepartmentLeader | Role::DepartmentOfficer), organizer_path);
            // Those it involved: the units that report (a stop hosted, a member sent, a directive led or
            // coordinated) and the applicants whose enterprise hosted a stop.
            let involved =
                *actor_involved && actor.grants.iter().any(|g| g.role.is_reporting_unit() || g.role == Role::Applicant);
            // Editors read visits to write the news about them; administrators see them as they see all.
            let reader = actor.any_role_over(|r| matches!(r, Role::Editor | Role::Administrator), organizer_path);
            match action {
                A::View | A::Export => staff || involved || reader,
                A::Create | A::Edit | A::Delete => staff,
                _ => false,
            }
        }
        Resource::Article { published } => {
            let editor = actor.has_role(Role::Editor);
            match action {
                A::View => *published || editor || actor.has_role(Role::DepartmentLeader),
                A::Create | A::Edit | A::Submit | A::Delete => editor,
                A::Review | A::Publish => editor || actor.has_role(Role::DepartmentLeader),
                _ => false,
            }
        }
        Resource::Comment => match action {
            A::Create => true,
            A::View | A::Moderate | A::Delete => actor.has_role(Role::Moderator),
            _ => false,
        },
        Resource::ModerationSettings => {
            matches!(action, A::View | A::Edit)
                && (actor.has_role(Role::Moderator) || actor.has_role_province_wide(Role::Administrator))
        }
        Resource::Settings => {
            matches!(action, A::View | A::Edit | A::Create) && actor.has_role_province_wide(Role::Administrator)
        }
    };
    Decision::from(allowed)
}

#[cfg(test)]
mod tests;
