//! The authorization table: every role × scope × action, for every kind of resource.
//!
//! The organisation tree of the fixtures: 1 UBND tỉnh (root) → 2 Sở KH&CN, 30 UBND phường Hà An,
//! 31 UBND phường Hoành Bồ. Records belong to 30. Scopes, by their relation to 30:
//!
//! | letter | scope |
//! |---|---|
//! | P | the whole province |
//! | O | organisation 30 itself (own) |
//! | T | the subtree of 1 (an ancestor of 30) |
//! | X | organisation 31 (another locality) |
//! | Y | the subtree of 31 |
//! | D | organisation 2 (the Sở itself) |
//!
//! Actions: V view, C create, E edit, D delete, S submit, R review, A approve, P publish, M moderate,
//! O score, G grant, X export. A role/scope not listed is denied everything.

use super::*;

const ME: UserId = 7;
const SOMEONE_ELSE: UserId = 8;
const OWNER_PATH: &[OrgId] = &[1, 30];

fn scope(letter: char) -> Scope {
    match letter {
        'P' => Scope::Province,
        'O' => Scope::Organization(30),
        'T' => Scope::Subtree(1),
        'X' => Scope::Organization(31),
        'Y' => Scope::Subtree(31),
        'D' => Scope::Organization(2),
        other => panic!("unknown scope letter {other}"),
    }
}

const SCOPES: [char; 6] = ['P', 'O', 'T', 'X', 'Y', 'D'];

fn action(letter: char) -> Action {
    match letter {
        'V' => Action::View,
        'C' => Action::Create,
        'E' => Action::Edit,
        'D' => Action::Delete,
        'S' => Action::Submit,
        'R' => Action::Review,
        'A' => Action::Approve,
        'P' => Action::Publish,
        'M' => Action::Moderate,
        'O' => Action::Score,
        'G' => Action::Grant,
        'X' => Action::Export,
        other => panic!("unknown action letter {other}"),
    }
}

fn letter_of(a: Action) -> char {
    "VCEDSRAPMOGX".chars().find(|&c| action(c) == a).expect("every action has a letter")
}

/// Parses lines like `locality_officer: P=VCES O=VCES`, with `*` for every scope.
fn expectations(table: &str) -> Vec<(Role, char, String)> {
    let mut out = Vec::new();
    for line in table.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (role, cells) = line.split_once(':').unwrap_or_else(|| panic!("bad line {line}"));
        let role = Role::from_code(role.trim()).unwrap_or_else(|| panic!("unknown role {role}"));
        for cell in cells.split_whitespace() {
            let (scopes, actions) = cell.split_once('=').unwrap_or_else(|| panic!("bad cell {cell}"));
            let scopes: Vec<char> = if scopes == "*" { SCOPES.to_vec() } else { scopes.chars().collect() };
            for s in scopes {
                out.push((role, s, actions.to_owned()));
            }
        }
    }
    out
}

/// Checks every role × scope × action against the table for one resource.
fn check(name: &str, resource: &Resource<'_>, table: &str) {
    let expected = expectations(table);
    let mut failures = Vec::new();
    for role in Role::ALL {
        for s in SCOPES {
            let actor = Actor::user(ME, vec![Grant { role, scope: scope(s) }]);
            let allowed: String =
                expected.iter().filter(|(r, sc, _)| *r == role && *sc == s).flat_map(|(_, _, a)| a.chars()).collect();
            for a in Action::ALL {
                let want = allowed.contains(letter_of(a));
                let got = authorize(&actor, a, resource).is_allowed();
                if want != got {
                    failures.push(format!(
                        "{name}: {} with scope {s} {} {a:?} (expected {})",
                        role.code(),
                        if got { "may" } else { "may not" },
                        if want { "allow" } else { "deny" }
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} mismatches:\n{}", failures.len(), failures.join("\n"));
}

const EVERY_ROLE_VIEWS: &str = "
    administrator: *=V
    department_leader: *=V
    department_officer: *=V
    locality_officer: *=V
    partner_officer: *=V
    expert: *=V
    applicant: *=V
    editor: *=V
    moderator: *=V";

#[test]
fn public_content_is_readable_by_everyone_and_changeable_by_no_one() {
    check("public content", &Resource::PublicContent, EVERY_ROLE_VIEWS);
    assert!(authorize(&Actor::public(), Action::View, &Resource::PublicContent).is_allowed());
    assert!(!authorize(&Actor::public(), Action::Edit, &Resource::PublicContent).is_allowed());
}

#[test]
fn an_account_is_managed_by_its_owner_only() {
    let every_role_all = EVERY_ROLE_VIEWS.replace("*=V", "*=VCED");
    check("own account", &Resource::OwnAccount { user_id: ME }, &every_role_all);
    check("another account", &Resource::OwnAccount { user_id: SOMEONE_ELSE }, "");
    assert!(!authorize(&Actor::public(), Action::View, &Resource::OwnAccount { user_id: ME }).is_allowed());
}

#[test]
fn the_directory_is_read_by_signed_in_users_and_kept_by_department_staff_in_scope() {
    let table = "
        administrator: POT=VCEDX XYD=V
        department_leader: POT=VCE XYD=V
        department_officer: POT=VCE XYD=V
        locality_officer: *=V
        partner_officer: *=V
        expert: *=V
        applicant: *=V
        editor: *=V
        moderator: *=V";
    check("directory entry of 30", &Resource::Directory { org_path: OWNER_PATH }, table);
    assert!(!authorize(&Actor::public(), Action::View, &Resource::Directory { org_path: OWNER_PATH }).is_allowed());
}

#[test]
fn only_a_province_administrator_records_map_changes() {
    let table = EVERY_ROLE_VIEWS.replace("administrator: *=V", "administrator: P=VCE OTXYD=V");
    check("admin units", &Resource::AdminUnits, &table);
}

#[test]
fn user_accounts_are_managed_by_administrators_whose_scope_covers_them() {
    check("user of 30", &Resource::UserAccount { org_path: OWNER_PATH }, "administrator: POT=VCEDX");
}

#[test]
fn a_role_can_be_granted_only_within_the_granters_own_scope() {
    let in_30 = Resource::RoleAssignment { scope: Scope::Organization(30), scope_path: OWNER_PATH };
    check("grant a role in 30", &in_30, "administrator: POT=G");
    let province = Resource::RoleAssignment { scope: Scope::Province, scope_path: &[] };
    check("grant a province-wide role", &province, "administrator: P=G");
    let subtree_1 = Resource::RoleAssignment { scope: Scope::Subtree(1), scope_path: &[1] };
    check("grant a role over the subtree of 1", &subtree_1, "administrator: PT=G");
}

#[test]
fn the_audit_trail_is_read_by_province_administrators_and_leaders() {
    check("audit trail", &Resource::AuditTrail, "administrator: P=V\ndepartment_leader: P=V");
}

#[test]
fn a_draft_is_private_to_the_unit_that_writes_it() {
    let draft = Resource::UnitRecord { owner_path: OWNER_PATH, stage: Stage::Draft };
    check("draft of 30", &draft, "locality_officer: POT=VCES\npartner_officer: POT=VCES");
}

#[test]
fn a_submitted_record_is_reviewed_by_the_department_and_approved_by_its_leader() {
    let submitted = Resource::UnitRecord { owner_path: OWNER_PATH, stage: Stage::Submitted };
    check(
        "submitted record of 30",
        &submitted,
        "
        administrator: POT=V
        department_leader: POT=VRAX
        department_officer: POT=VRX
        locality_officer: POT=V
        partner_officer: POT=V",
    );
    let fin = Resource::UnitRecord { owner_path: OWNER_PATH, stage: Stage::Final };
    check(
        "final record of 30",
        &fin,
        "
        administrator: POT=V
        department_leader: POT=VX
        department_officer: POT=VX
        locality_officer: POT=V
        partner_officer: POT=V",
    );
}

#[test]
fn a_report_is_filled_by_its_unit_returned_by_the_department_and_approved_or_unlocked_by_its_leader() {
    let draft = Resource::Report { owner_path: OWNER_PATH, stage: Stage::Draft };
    check("draft report of 30", &draft, "applicant: POT=VCES\nlocality_officer: POT=VCES\npartner_officer: POT=VCES");
    let submitted = Resource::Report { owner_path: OWNER_PATH, stage: Stage::Submitted };
    check(
        "submitted report of 30",
        &submitted,
        "
        administrator: POT=V
        applicant: POT=V
        department_leader: POT=VRAX
        department_officer: POT=VRX
        locality_officer: POT=V
        partner_officer: POT=V",
    );
    let approved = Resource::Report { owner_path: OWNER_PATH, stage: Stage::Final };
    check(
        "approved report of 30",
        &approved,
        "
        administrator: POT=V
        applicant: POT=V
        department_leader: POT=VAX
        department_officer: POT=VX
        locality_officer: POT=V
        partner_officer: POT=V",
    );
}

#[test]
fn report_statistics_are_read_by_department_staff() {
    check(
        "report statistics",
        &Resource::ReportStatistics,
        "administrator: *=V\ndepartment_leader: *=V\ndepartment_officer: *=V",
    );
}

#[test]
fn indicators_are_read_by_department_staff_and_kept_by_them_and_province_wide_administrators() {
    check(
        "indicators",
        &Resource::Indicators,
        "administrator: P=VCEDX OTXYD=VX\ndepartment_leader: *=VCEDX\ndepartment_officer: *=VCEDX",
    );
}

#[test]
fn an_assignment_is_managed_by_the_department_and_reported_on_by_its_lead_and_coordinators() {
    let led_by_30 = Resource::Assignment { lead_path: OWNER_PATH, actor_coordinates: false };
    check(
        "assignment led by 30",
        &led_by_30,
        "
        administrator: POT=V
        department_leader: POT=VCEDRAX
        department_officer: POT=VCEDRX
        locality_officer: POT=VS
        partner_officer: POT=VS",
    );
    let coordinated = Resource::Assignment { lead_path: OWNER_PATH, actor_coordinates: true };
    check(
        "assignment led by 30, coordinated by the actor",
        &coordinated,
        "
        administrator: POT=V
        department_leader: POT=VCEDRAX
        department_officer: POT=VCEDRX
        locality_officer: POT=VS XYD=V
        partner_officer: POT=VS XYD=V",
    );
}

#[test]
fn a_visit_is_kept_by_the_organisers_staff_and_read_by_those_it_involved() {
    let organised_by_30 = Resource::Visit { organizer_path: OWNER_PATH, actor_involved: false };
    let staff = "
        administrator: POT=VX
        department_leader: POT=VCEDX
        department_officer: POT=VCEDX
        editor: POT=VX";
    check("visit organised by 30", &organised_by_30, staff);
    let involving_actor = Resource::Visit { organizer_path: OWNER_PATH, actor_involved: true };
    check(
        "visit organised by 30 that involved the actor",
        &involving_actor,
        &format!("{staff}\nlocality_officer: *=VX\npartner_officer: *=VX\napplicant: *=VX"),
    );
}

#[test]
fn an_expert_opens_only_the_councils_they_sit_on_and_scores_without_conflict() {
    let staff = "
        department_leader: *=VCEDA
        department_officer: *=VCED";
    let member = Resource::Council { actor_is_member: true, actor_has_conflict: false };
    check("council, member", &member, &format!("{staff}\nexpert: *=VO"));
    let not_member = Resource::Council { actor_is_member: false, actor_has_conflict: false };
    check("council, not a member", &not_member, staff);
    let conflicted = Resource::Council { actor_is_member: true, actor_has_conflict: true };
    check("council, member with a conflict", &conflicted, &format!("{staff}\nexpert: *=V"));
}

#[test]
fn an_applicant_opens_only_their_own_dossiers() {
    let own_draft = Resource::Dossier { applicant: ME, submitted: false };
    check("own draft dossier", &own_draft, "applicant: *=VCESD");
    let others_draft = Resource::Dossier { applicant: SOMEONE_ELSE, submitted: false };
    check("another applicant's draft", &others_draft, "applicant: *=C");
    let others_submitted = Resource::Dossier { applicant: SOMEONE_ELSE, submitted: true };
    check(
        "another applicant's submitted dossier",
        &others_submitted,
        "
        applicant: *=C
        department_leader: *=VRA
        department_officer: *=VR",
    );
}

#[test]
fn a_proposal_belongs_to_its_proposing_organisation_and_reaches_the_staff_once_sent() {
    let proposers_draft = "
        applicant: POT=VCESD XYD=C
        locality_officer: POT=VCESD XYD=C
        partner_officer: POT=VCESD XYD=C";
    let draft =
        Resource::Proposal { owner_path: OWNER_PATH, actor_is_author: false, submitted: false, open_to_owner: true };
    check("draft proposal", &draft, proposers_draft);
    let staff = "
        department_leader: *=VRAX
        department_officer: *=VRX
        administrator: *=V";
    let sent =
        Resource::Proposal { owner_path: OWNER_PATH, actor_is_author: false, submitted: true, open_to_owner: false };
    check(
        "proposal being screened",
        &sent,
        &format!("applicant: POT=VC XYD=C\nlocality_officer: POT=VC XYD=C\npartner_officer: POT=VC XYD=C\n{staff}"),
    );
    let revising =
        Resource::Proposal { owner_path: OWNER_PATH, actor_is_author: false, submitted: true, open_to_owner: true };
    check(
        "proposal sent back for revisions",
        &revising,
        &format!(
            "applicant: POT=VCES XYD=C\nlocality_officer: POT=VCES XYD=C\npartner_officer: POT=VCES XYD=C\n{staff}"
        ),
    );
    // An individual's proposal: only its author (holding a proposing role) and, once sent, the staff.
    let own = Resource::Proposal { owner_path: &[], actor_is_author: true, submitted: false, open_to_owner: true };
    check("an individual's own draft", &own, "applicant: *=VCESD\nlocality_officer: *=VCESD\npartner_officer: *=VCESD");
}

#[test]
fn a_certificate_application_belongs_to_its_enterprise_and_reaches_the_staff_once_sent() {
    let draft = Resource::CertApplication { owner_path: OWNER_PATH, submitted: false, actor_appraises: false };
    check("draft certificate application", &draft, "applicant: POT=VCESD XYD=C");
    let asked_on_draft = Resource::CertApplication { owner_path: OWNER_PATH, submitted: false, actor_appraises: true };
    check("a draft is nobody's to appraise", &asked_on_draft, "applicant: POT=VCESD XYD=C");
    let sent = Resource::CertApplication { owner_path: OWNER_PATH, submitted: true, actor_appraises: false };
    check(
        "certificate application received",
        &sent,
        "applicant: POT=VCES XYD=C
        department_leader: *=VRAX
        department_officer: *=VRX
        administrator: *=V",
    );
    // An expert reads (and gives an opinion on) only the applications put before them.
    let appraised = Resource::CertApplication { owner_path: OWNER_PATH, submitted: true, actor_appraises: true };
    check(
        "certificate application before the expert",
        &appraised,
        "applicant: POT=VCES XYD=C
        department_leader: *=VRAX
        department_officer: *=VRX
        administrator: *=V
        expert: *=VO",
    );
}

#[test]
fn calls_are_kept_by_the_staff_and_read_by_everyone_once_published() {
    let staff = "department_leader: *=VCEDPX\ndepartment_officer: *=VCEDPX";
    check("draft call", &Resource::Call { published: false }, &format!("{staff}\nadministrator: *=VX"));
    let table = EVERY_ROLE_VIEWS
        .replace("*=V", "*=VX")
        .replace("department_leader: *=VX", "department_leader: *=VCEDPX")
        .replace("department_officer: *=VX", "department_officer: *=VCEDPX");
    check("published call", &Resource::Call { published: true }, &table);
    assert!(authorize(&Actor::public(), Action::View, &Resource::Call { published: true }).is_allowed());
}

#[test]
fn editors_write_and_publish_news() {
    let published = Resource::Article { published: true };
    let table = EVERY_ROLE_VIEWS
        .replace("editor: *=V", "editor: *=VCESDRP")
        .replace("department_leader: *=V", "department_leader: *=VRP");
    check("published article", &published, &table);
    let draft = Resource::Article { published: false };
    check("draft article", &draft, "editor: *=VCESDRP\ndepartment_leader: *=VRP");
    assert!(!authorize(&Actor::public(), Action::View, &draft).is_allowed());
}

#[test]
fn anyone_may_comment_and_moderators_moderate() {
    let table = EVERY_ROLE_VIEWS.replace("*=V", "*=C").replace("moderator: *=C", "moderator: *=CVMD");
    check("comment", &Resource::Comment, &table);
    assert!(authorize(&Actor::public(), Action::Create, &Resource::Comment).is_allowed());
}

#[test]
fn moderators_and_province_administrators_set_moderation() {
    check("moderation settings", &Resource::ModerationSettings, "moderator: *=VE\nadministrator: P=VE");
}

#[test]
fn settings_belong_to_province_administrators() {
    check("settings", &Resource::Settings, "administrator: P=VCE");
}

#[test]
fn the_public_may_do_nothing_but_read_public_content_and_comment() {
    let resources = [
        Resource::OwnAccount { user_id: ME },
        Resource::Directory { org_path: OWNER_PATH },
        Resource::UserAccount { org_path: OWNER_PATH },
        Resource::RoleAssignment { scope: Scope::Province, scope_path: &[] },
        Resource::AuditTrail,
        Resource::UnitRecord { owner_path: OWNER_PATH, stage: Stage::Final },
        Resource::Report { owner_path: OWNER_PATH, stage: Stage::Final },
        Resource::ReportStatistics,
        Resource::Indicators,
        Resource::Assignment { lead_path: OWNER_PATH, actor_coordinates: false },
        Resource::Council { actor_is_member: false, actor_has_conflict: false },
        Resource::Dossier { applicant: ME, submitted: true },
        Resource::Proposal { owner_path: OWNER_PATH, actor_is_author: false, submitted: true, open_to_owner: false },
        Resource::Call { published: false },
        Resource::Article { published: false },
        Resource::Visit { organizer_path: OWNER_PATH, actor_involved: true },
        Resource::ModerationSettings,
        Resource::Settings,
    ];
    for r in &resources {
        for a in Action::ALL {
            assert!(!authorize(&Actor::public(), a, r).is_allowed(), "the public may {a:?} {r:?}");
        }
    }
}

#[test]
fn several_grants_add_up() {
    let actor = Actor::user(
        ME,
        vec![
            Grant { role: Role::LocalityOfficer, scope: Scope::Organization(30) },
            Grant { role: Role::Editor, scope: Scope::Province },
        ],
    );
    let draft = Resource::UnitRecord { owner_path: OWNER_PATH, stage: Stage::Draft };
    assert!(authorize(&actor, Action::Submit, &draft).is_allowed());
    assert!(authorize(&actor, Action::Publish, &Resource::Article { published: false }).is_allowed());
    let other_draft = Resource::UnitRecord { owner_path: &[1, 31], stage: Stage::Draft };
    assert!(!authorize(&actor, Action::View, &other_draft).is_allowed());
}
