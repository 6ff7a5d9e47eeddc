//! S&T enterprise certificates (Giấy chứng nhận doanh nghiệp khoa học và công nghệ, NĐ 13/2019/NĐ-CP and
//! NĐ 268/2025/NĐ-CP; research/domain.md §3): an enterprise applies online with the S&T results behind its
//! products and their evidence, the products, its revenue and R&D spending by year and the documents of a
//! checklist; the department checks the dossier, may ask for supplements (the statutory clock paused),
//! appraises it and issues the certificate or refuses it with reasons; a certificate is amended or
//! re-issued as a new version, revoked or cancelled with a reason and a decision.
//!
//! This module holds what needs no database: the tax code's check digit is
//! `crate::directory::TaxCode::parse_checked`; the statutory clock with the calendar of working days
//! ([`clock`]); the conditions of each legal basis as data, evaluated on the figures ([`eligibility`]);
//! the processing as data ([`Machine`]); the dossier typed and checked ([`ApplicationDraft`]). Storage is
//! `tiendo_db::certificates`, the use cases `tiendo_app::certificates`, the pages and the API
//! `tiendo_web::certificates`.

pub mod appraisal;
pub mod clock;
mod dossier;
pub mod eligibility;
mod machine;
mod step;
pub mod yearly;

pub use clock::{Clock, ClockRule, ClockState, DayKind, Holidays, Pause};
pub use dossier::{
    ApplicationDraft, ApplicationFields, ProductDraft, ResultDraft, StProduct, StResult, YearDraft, YearFigures,
};
pub use eligibility::{Check, Conditions, Facts, Outcome};
pub use machine::{ClockMode, DRAFT, Machine, Powers, Side, StateDef, TransitionDef};
pub use step::{StepDraft, StepInput, check_certificate_step, check_step};

use crate::sci_tech::code_enum;

code_enum! {
    /// The legal basis an application is decided under: the one in force on the day it was received.
    LegalBasis {
        /// Nghị định 13/2019/NĐ-CP (20/3/2019 – 13/10/2025).
        Nd13_2019 => "nd13_2019",
        /// Nghị định 268/2025/NĐ-CP (from 14/10/2025).
        Nd268_2025 => "nd268_2025",
    }
}

code_enum! {
    /// The size of an enterprise (Luật Hỗ trợ doanh nghiệp nhỏ và vừa), which NĐ 268/2025's conditions depend on.
    SizeClass {
        /// Doanh nghiệp lớn.
        Large => "large",
        /// Doanh nghiệp vừa.
        Medium => "medium",
        /// Doanh nghiệp nhỏ.
        Small => "small",
        /// Doanh nghiệp siêu nhỏ.
        Micro => "micro",
    }
}

code_enum! {
    /// The kind of an S&T result and of its evidence.
    ResultKind {
        /// Bằng độc quyền sáng chế.
        Patent => "patent",
        /// Bằng độc quyền giải pháp hữu ích.
        UtilitySolution => "utility_solution",
        /// Bằng bảo hộ giống cây trồng, giống vật nuôi.
        PlantVariety => "plant_variety",
        /// Giấy chứng nhận đăng ký quyền tác giả phần mềm.
        Software => "software",
        /// Other IP titles (kiểu dáng công nghiệp, thiết kế bố trí mạch tích hợp).
        OtherIp => "other_ip",
        /// Quyết định công nhận kết quả thực hiện nhiệm vụ KH&CN (acceptance of a task).
        Acceptance => "acceptance",
        /// Quyết định công nhận / thẩm định công nghệ (recognition, appraisal).
        Recognition => "recognition",
        /// Hợp đồng chuyển giao công nghệ.
        TechnologyTransfer => "technology_transfer",
        /// A result registered in the S&T task module (its task named).
        StTask => "st_task",
    }
}

code_enum! {
    /// Where a certificate stands.
    CertificateStatus {
        /// Còn hiệu lực.
        InForce => "in_force",
        /// Replaced by a newer version (amendment or re-issue).
        Superseded => "superseded",
        /// Thu hồi.
        Revoked => "revoked",
        /// Hủy bỏ hiệu lực.
        Cancelled => "cancelled",
        /// Chấm dứt (the enterprise dissolved).
        Terminated => "terminated",
    }
}

code_enum! {
    /// How a version of a certificate came to be.
    VersionKind {
        /// Cấp mới.
        Original => "original",
        /// Cấp thay đổi nội dung.
        Amendment => "amendment",
        /// Cấp lại (lost or damaged).
        Reissue => "reissue",
    }
}

code_enum! {
    /// What ends a certificate in force.
    EndAction {
        /// Thu hồi.
        Revoke => "revoke",
        /// Hủy bỏ hiệu lực.
        Cancel => "cancel",
        /// Chấm dứt.
        Terminate => "terminate",
    }
}

impl EndAction {
    /// The status it leaves the certificate in.
    pub fn status(self) -> CertificateStatus {
        match self {
            EndAction::Revoke => CertificateStatus::Revoked,
            EndAction::Cancel => CertificateStatus::Cancelled,
            EndAction::Terminate => CertificateStatus::Terminated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in ResultKind::ALL {
            assert_eq!(ResultKind::from_code(k.code()), Some(*k));
        }
        for s in CertificateStatus::ALL {
            assert_eq!(CertificateStatus::from_code(s.code()), Some(*s));
        }
        assert_eq!(EndAction::Revoke.status(), CertificateStatus::Revoked);
        assert_eq!(SizeClass::from_code("huge"), None);
    }
}
