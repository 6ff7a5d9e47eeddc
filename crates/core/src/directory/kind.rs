//! The kinds of organisations (loại cơ quan, đơn vị).

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::geo::code::UnknownName;
use crate::lang::Lang;

/// The kind of an organisation. The stored code (`as_str`) never changes; names are for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// Tỉnh ủy: the Provincial Party Committee (issues "NQ/TU" resolutions).
    ProvincialPartyCommittee,
    /// Đảng ủy: another Party committee (of a commune, a ward, an agency).
    PartyCommittee,
    /// Hội đồng nhân dân (HĐND): a People's Council, of the province or of a commune.
    PeoplesCouncil,
    /// Ủy ban nhân dân tỉnh (UBND tỉnh): the Provincial People's Committee.
    ProvincialCommittee,
    /// Ủy ban nhân dân cấp huyện: the People's Committee of a district, thị xã or provincial city (until
    /// 30/06/2025, when the district level was abolished).
    DistrictCommittee,
    /// Ủy ban nhân dân xã, phường, đặc khu: the People's Committee of a commune-level unit.
    CommuneCommittee,
    /// Sở, ban, ngành: a provincial department or agency (Sở KH&CN).
    Department,
    /// Phòng, đơn vị trực thuộc: a division or an attached unit of a department.
    Division,
    /// Bộ, cơ quan ngang bộ: a ministry or ministerial agency (Bộ KH&CN).
    Ministry,
    /// Viện nghiên cứu: a research institute.
    ResearchInstitute,
    /// Trường: a university, college or school.
    University,
    /// Doanh nghiệp: an enterprise (has a tax code).
    Enterprise,
    /// Tổ chức khoa học và công nghệ: a science and technology organisation (centre, foundation...).
    StOrganization,
    /// Hội, hiệp hội: an association.
    Association,
    /// Khác: anything else.
    Other,
}

impl OrgKind {
    /// Every kind, in the order forms offer them.
    pub const ALL: [OrgKind; 15] = [
        OrgKind::ProvincialPartyCommittee,
        OrgKind::PartyCommittee,
        OrgKind::PeoplesCouncil,
        OrgKind::ProvincialCommittee,
        OrgKind::DistrictCommittee,
        OrgKind::CommuneCommittee,
        OrgKind::Department,
        OrgKind::Division,
        OrgKind::Ministry,
        OrgKind::ResearchInstitute,
        OrgKind::University,
        OrgKind::Enterprise,
        OrgKind::StOrganization,
        OrgKind::Association,
        OrgKind::Other,
    ];

    /// The stable code stored in the database and used in the API (`commune_committee`).
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::ProvincialPartyCommittee => "provincial_party_committee",
            OrgKind::PartyCommittee => "party_committee",
            OrgKind::PeoplesCouncil => "peoples_council",
            OrgKind::ProvincialCommittee => "provincial_committee",
            OrgKind::DistrictCommittee => "district_committee",
            OrgKind::CommuneCommittee => "commune_committee",
            OrgKind::Department => "department",
            OrgKind::Division => "division",
            OrgKind::Ministry => "ministry",
            OrgKind::ResearchInstitute => "research_institute",
            OrgKind::University => "university",
            OrgKind::Enterprise => "enterprise",
            OrgKind::StOrganization => "st_organization",
            OrgKind::Association => "association",
            OrgKind::Other => "other",
        }
    }

    /// The Vietnamese name.
    pub fn vi_name(self) -> &'static str {
        match self {
            OrgKind::ProvincialPartyCommittee => "Tỉnh ủy",
            OrgKind::PartyCommittee => "Đảng ủy",
            OrgKind::PeoplesCouncil => "Hội đồng nhân dân",
            OrgKind::ProvincialCommittee => "Ủy ban nhân dân tỉnh",
            OrgKind::DistrictCommittee => "Ủy ban nhân dân cấp huyện (đến 30/06/2025)",
            OrgKind::CommuneCommittee => "Ủy ban nhân dân xã, phường, đặc khu",
            OrgKind::Department => "Sở, ban, ngành",
            OrgKind::Division => "Phòng, đơn vị trực thuộc",
            OrgKind::Ministry => "Bộ, cơ quan ngang bộ",
            OrgKind::ResearchInstitute => "Viện nghiên cứu",
            OrgKind::University => "Trường đại học, cao đẳng, trường học",
            OrgKind::Enterprise => "Doanh nghiệp",
            OrgKind::StOrganization => "Tổ chức khoa học và công nghệ",
            OrgKind::Association => "Hội, hiệp hội",
            OrgKind::Other => "Khác",
        }
    }

    /// The English name.
    pub fn en_name(self) -> &'static str {
        match self {
            OrgKind::ProvincialPartyCommittee => "Provincial Party Committee",
            OrgKind::PartyCommittee => "Party committee",
            OrgKind::PeoplesCouncil => "People's Council",
            OrgKind::ProvincialCommittee => "Provincial People's Committee",
            OrgKind::DistrictCommittee => "District People's Committee (until 30/06/2025)",
            OrgKind::CommuneCommittee => "Commune, ward or special zone People's Committee",
            OrgKind::Department => "Provincial department or agency",
            OrgKind::Division => "Division or attached unit",
            OrgKind::Ministry => "Ministry or ministerial agency",
            OrgKind::ResearchInstitute => "Research institute",
            OrgKind::University => "University, college or school",
            OrgKind::Enterprise => "Enterprise",
            OrgKind::StOrganization => "Science and technology organisation",
            OrgKind::Association => "Association",
            OrgKind::Other => "Other",
        }
    }

    /// The name in a language.
    pub fn name(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.vi_name(),
            Lang::En => self.en_name(),
        }
    }

    /// Whether organisations of this kind are registered businesses with a tax code of their own. Others
    /// may have one too (a public research institute does), but are not expected to.
    pub fn expects_tax_code(self) -> bool {
        matches!(self, OrgKind::Enterprise)
    }
}

impl FromStr for OrgKind {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OrgKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| UnknownName(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn kinds_round_trip_through_their_codes_and_serde() {
        for kind in OrgKind::ALL {
            assert_eq!(kind.as_str().parse::<OrgKind>().unwrap(), kind);
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.as_str()));
        }
        assert!("ubnd".parse::<OrgKind>().is_err());
    }

    #[test]
    fn codes_and_names_are_distinct() {
        let codes: HashSet<_> = OrgKind::ALL.iter().map(|k| k.as_str()).collect();
        let vi: HashSet<_> = OrgKind::ALL.iter().map(|k| k.vi_name()).collect();
        let en: HashSet<_> = OrgKind::ALL.iter().map(|k| k.en_name()).collect();
        assert_eq!(codes.len(), OrgKind::ALL.len());
        assert_eq!(vi.len(), OrgKind::ALL.len());
        assert_eq!(en.len(), OrgKind::ALL.len());
        assert_eq!(OrgKind::ProvincialPartyCommittee.name(Lang::Vi), "Tỉnh ủy");
        assert_eq!(OrgKind::CommuneCommittee.name(Lang::En), "Commune, ward or special zone People's Committee");
    }
}
