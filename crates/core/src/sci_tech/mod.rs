//! S&T tasks (nhiệm vụ khoa học và công nghệ cấp tỉnh), part 1: from the call for proposals to the decision
//! approving a task. The department opens calls (đợt thông báo đề xuất đặt hàng, tuyển chọn, giao trực
//! tiếp; under the 2025 law also tài trợ and nhiệm vụ cơ sở); organisations, communes, enterprises and
//! individuals send proposals and dossiers; officers screen them; councils judge them; leaders approve the
//! list and the tasks.
//!
//! This module holds what needs no database: the state machine as data ([`Machine`], read from
//! `machine.toml`), what users type (a call, a proposal with its products and budget by source, a decision
//! document) checked into typed values, where a call stands at an instant (its deadline to the minute, in
//! Vietnam's time), and what an actor may do with a proposal. Storage is `tiendo_db::sci_tech`, the use
//! cases `tiendo_app::sci_tech`, the pages and the API `tiendo_web::sci_tech`.

macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in the order forms list them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored and used in the API.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The value with this code.
            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

pub(crate) use code_enum;

pub mod acceptance;
mod access;
pub mod amendment;
mod call;
pub mod conflicts;
pub mod contract;
pub mod council;
pub(crate) mod decision;
pub mod grading;
pub mod implementation;
pub(crate) mod input;
mod machine;
mod proposal;
pub mod rubric;
pub mod scoring;
pub mod task_report;

pub use crate::visits::Issue;
pub use access::{Powers, Refusal, available_transitions, check_transition};
pub use call::{CallDraft, CallFields, CallPhase, local_instant};
pub use decision::{Decision, DecisionDraft, TransitionDraft, TransitionInput, check_transition_input};
pub use machine::{DRAFT, DocumentRule, Machine, Side, StateDef, TransitionDef};
pub use proposal::{
    BudgetLine, BudgetLineDraft, Product, ProductDraft, ProposalDraft, ProposalFields, TeamMember, TeamMemberDraft,
};

code_enum! {
    /// The legal regime a call is run under: Luật KH&CN 2013 (with NĐ 08/2014 and the circulars) or Luật
    /// KH, CN và ĐMST 2025 (NĐ 267/2025). The same machine serves both; the regime says which routes exist.
    Regime {
        /// Luật Khoa học và Công nghệ 29/2013/QH13.
        Law2013 => "2013",
        /// Luật Khoa học, Công nghệ và Đổi mới sáng tạo 93/2025/QH15.
        Law2025 => "2025",
    }
}

code_enum! {
    /// What a call asks for, and so the route its submissions take through the machine.
    Route {
        /// Đề xuất đặt hàng: proposals of tasks, judged by the identification council and listed.
        Order => "order",
        /// Tuyển chọn: applications to carry out a listed task, judged by the selection council.
        Selection => "selection",
        /// Giao trực tiếp: the dossier of the organisation invited to carry out a listed task.
        Direct => "direct",
        /// Tài trợ (2025): applications at the applicant's initiative, without a listed task.
        Grant => "grant",
        /// Nhiệm vụ cơ sở (2025): a grassroots task, screened and judged once.
        Grassroots => "grassroots",
    }
}

impl Route {
    /// Whether the call answers a listed task (selection or direct assignment).
    pub fn needs_listed_task(self) -> bool {
        matches!(self, Route::Selection | Route::Direct)
    }
}

code_enum! {
    /// How a listed task is to be carried out (phương thức), decided with the approved list.
    AssignmentMode {
        /// Tuyển chọn: a public call, the best dossier wins.
        Selection => "selection",
        /// Giao trực tiếp: one organisation is invited.
        Direct => "direct",
    }
}

code_enum! {
    /// Who proposes (the call is open to organisations, communes, enterprises and individuals).
    ProposerKind {
        /// Cơ quan, tổ chức (a department, an institute, a university).
        Organization => "organization",
        /// UBND xã, phường (a locality).
        Commune => "commune",
        /// Doanh nghiệp.
        Enterprise => "enterprise",
        /// Cá nhân.
        Individual => "individual",
    }
}

code_enum! {
    /// A source of the estimated budget (nguồn kinh phí).
    BudgetSource {
        /// Ngân sách nhà nước (sự nghiệp KH&CN của tỉnh).
        StateBudget => "state_budget",
        /// Vốn đối ứng của tổ chức chủ trì.
        Counterpart => "counterpart",
        /// Nguồn khác (quỹ, tài trợ, vay).
        Other => "other",
    }
}

impl Regime {
    /// The day Luật Khoa học, công nghệ và đổi mới sáng tạo 93/2025/QH15 took effect.
    pub fn law_2025_effective() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2025, 10, 1).expect("a valid date")
    }

    /// The law in force on `day`: Luật KH&CN 2013 until 30 September 2025, the 2025 law from 1 October.
    pub fn in_force_on(day: chrono::NaiveDate) -> Regime {
        if day < Regime::law_2025_effective() { Regime::Law2013 } else { Regime::Law2025 }
    }
}

impl ProposerKind {
    /// The kind a proposing role suggests: an applicant proposes for its enterprise, a locality officer for
    /// its commune, a partner officer for its institute.
    pub fn suggested_for(role: crate::authz::Role) -> ProposerKind {
        match role {
            crate::authz::Role::Applicant => ProposerKind::Enterprise,
            crate::authz::Role::LocalityOfficer => ProposerKind::Commune,
            _ => ProposerKind::Organization,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for r in Route::ALL {
            assert_eq!(Route::from_code(r.code()), Some(*r));
        }
        for r in Regime::ALL {
            assert_eq!(Regime::from_code(r.code()), Some(*r));
        }
        for s in BudgetSource::ALL {
            assert_eq!(BudgetSource::from_code(s.code()), Some(*s));
        }
        assert_eq!(ProposerKind::from_code("citizen"), None);
    }

    #[test]
    fn the_2025_law_is_in_force_from_the_first_of_october_2025() {
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(Regime::in_force_on(day(2021, 1, 15)), Regime::Law2013);
        assert_eq!(Regime::in_force_on(day(2025, 9, 30)), Regime::Law2013);
        assert_eq!(Regime::in_force_on(day(2025, 10, 1)), Regime::Law2025);
    }
}
