//! Academic titles (học hàm: GS., PGS.) and degrees (học vị and professional degrees: TSKH., TS., ThS.,
//! KS., CN., BS., ...), written before a person's name as "PGS.TS. Nguyễn Văn A".

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::geo::code::UnknownName;
use crate::lang::Lang;
use crate::text::fold;

/// An academic title (học hàm), conferred by the State Council for Professorship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcademicRank {
    /// Giáo sư (GS.).
    Professor,
    /// Phó giáo sư (PGS.).
    AssociateProfessor,
}

impl AcademicRank {
    /// Every title, highest first.
    pub const ALL: [AcademicRank; 2] = [AcademicRank::Professor, AcademicRank::AssociateProfessor];

    /// The stable code (`associate_professor`).
    pub fn as_str(self) -> &'static str {
        match self {
            AcademicRank::Professor => "professor",
            AcademicRank::AssociateProfessor => "associate_professor",
        }
    }

    /// The abbreviation written before a name, with its dot ("PGS.").
    pub fn abbreviation(self) -> &'static str {
        match self {
            AcademicRank::Professor => "GS.",
            AcademicRank::AssociateProfessor => "PGS.",
        }
    }

    /// The name in a language ("Phó giáo sư", "Associate Professor").
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (AcademicRank::Professor, Lang::Vi) => "Giáo sư",
            (AcademicRank::Professor, Lang::En) => "Professor",
            (AcademicRank::AssociateProfessor, Lang::Vi) => "Phó giáo sư",
            (AcademicRank::AssociateProfessor, Lang::En) => "Associate Professor",
        }
    }
}

impl FromStr for AcademicRank {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AcademicRank::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| UnknownName(s.to_owned()))
    }
}

/// A degree (học vị) or a professional degree written before a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Degree {
    /// Tiến sĩ khoa học (TSKH.).
    DoctorOfScience,
    /// Tiến sĩ (TS.).
    Doctor,
    /// Thạc sĩ (ThS.).
    Master,
    /// Kỹ sư (KS.).
    Engineer,
    /// Kiến trúc sư (KTS.).
    Architect,
    /// Bác sĩ (BS.).
    Physician,
    /// Dược sĩ (DS.).
    Pharmacist,
    /// Cử nhân (CN.).
    Bachelor,
}

impl Degree {
    /// Every degree, highest first.
    pub const ALL: [Degree; 8] = [
        Degree::DoctorOfScience,
        Degree::Doctor,
        Degree::Master,
        Degree::Engineer,
        Degree::Architect,
        Degree::Physician,
        Degree::Pharmacist,
        Degree::Bachelor,
    ];

    /// The stable code (`doctor_of_science`).
    pub fn as_str(self) -> &'static str {
        match self {
            Degree::DoctorOfScience => "doctor_of_science",
            Degree::Doctor => "doctor",
            Degree::Master => "master",
            Degree::Engineer => "engineer",
            Degree::Architect => "architect",
            Degree::Physician => "physician",
            Degree::Pharmacist => "pharmacist",
            Degree::Bachelor => "bachelor",
        }
    }

    /// The abbreviation written before a name, with its dot ("ThS.").
    pub fn abbreviation(self) -> &'static str {
        match self {
            Degree::DoctorOfScience => "TSKH.",
            Degree::Doctor => "TS.",
            Degree::Master => "ThS.",
            Degree::Engineer => "KS.",
            Degree::Architect => "KTS.",
            Degree::Physician => "BS.",
            Degree::Pharmacist => "DS.",
            Degree::Bachelor => "CN.",
        }
    }

    /// The name in a language ("Thạc sĩ", "Master").
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Degree::DoctorOfScience, Lang::Vi) => "Tiến sĩ khoa học",
            (Degree::DoctorOfScience, Lang::En) => "Doctor of Science",
            (Degree::Doctor, Lang::Vi) => "Tiến sĩ",
            (Degree::Doctor, Lang::En) => "Doctor (PhD)",
            (Degree::Master, Lang::Vi) => "Thạc sĩ",
            (Degree::Master, Lang::En) => "Master",
            (Degree::Engineer, Lang::Vi) => "Kỹ sư",
            (Degree::Engineer, Lang::En) => "Engineer",
            (Degree::Architect, Lang::Vi) => "Kiến trúc sư",
            (Degree::Architect, Lang::En) => "Architect",
            (Degree::Physician, Lang::Vi) => "Bác sĩ",
            (Degree::Physician, Lang::En) => "Medical doctor",
            (Degree::Pharmacist, Lang::Vi) => "Dược sĩ",
            (Degree::Pharmacist, Lang::En) => "Pharmacist",
            (Degree::Bachelor, Lang::Vi) => "Cử nhân",
            (Degree::Bachelor, Lang::En) => "Bachelor",
        }
    }
}

impl FromStr for Degree {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Degree::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| UnknownName(s.to_owned()))
    }
}

/// Why a written title is not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HonorificError {
    /// A part is neither a known title nor a known degree.
    #[error("{0:?} is not a known academic title or degree")]
    Unknown(String),
    /// Two titles or two degrees are written ("GS.PGS.").
    #[error("at most one academic title and one degree")]
    Repeated,
}

/// What is written before a person's name: an optional academic title and an optional degree, as
/// "PGS.TS.", "GS.TSKH.", "TS.", "ThS." or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Honorific {
    /// The academic title (học hàm).
    pub rank: Option<AcademicRank>,
    /// The degree (học vị).
    pub degree: Option<Degree>,
}

impl Honorific {
    /// A title and a degree.
    pub fn new(rank: Option<AcademicRank>, degree: Option<Degree>) -> Honorific {
        Honorific { rank, degree }
    }

    /// Reads the abbreviations as people write them: "PGS.TS.", "PGS. TS", "pgs-ts", "Ths.", "GS.TSKH";
    /// an empty text is no title.
    pub fn parse(raw: &str) -> Result<Honorific, HonorificError> {
        let mut out = Honorific::default();
        let folded = fold(raw);
        for part in folded.split(['.', '-', ',', ' ']).filter(|p| !p.is_empty()) {
            let rank = AcademicRank::ALL.into_iter().find(|r| fold(r.abbreviation()).trim_end_matches('.') == part);
            let degree = Degree::ALL.into_iter().find(|d| fold(d.abbreviation()).trim_end_matches('.') == part);
            match (rank, degree) {
                (Some(r), _) if out.rank.is_none() => out.rank = Some(r),
                (None, Some(d)) if out.degree.is_none() => out.degree = Some(d),
                (Some(_), _) | (None, Some(_)) => return Err(HonorificError::Repeated),
                (None, None) => return Err(HonorificError::Unknown(part.to_owned())),
            }
        }
        Ok(out)
    }

    /// Whether there is neither a title nor a degree.
    pub fn is_empty(&self) -> bool {
        self.rank.is_none() && self.degree.is_none()
    }

    /// The abbreviations, title first: "PGS.TS.", "TS.", "" for none.
    pub fn abbreviation(&self) -> String {
        let mut out = String::new();
        if let Some(rank) = self.rank {
            out.push_str(rank.abbreviation());
        }
        if let Some(degree) = self.degree {
            out.push_str(degree.abbreviation());
        }
        out
    }

    /// A name with its title: "TS. Nguyễn Đắc Bình Minh".
    pub fn before(&self, full_name: &str) -> String {
        if self.is_empty() { full_name.to_owned() } else { format!("{} {full_name}", self.abbreviation()) }
    }
}

impl fmt::Display for Honorific {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.abbreviation())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_titles_are_read_in_their_usual_spellings() {
        use AcademicRank::*;
        use Degree::*;
        let cases = [
            ("PGS.TS.", Some(AssociateProfessor), Some(Doctor)),
            ("PGS. TS", Some(AssociateProfessor), Some(Doctor)),
            ("pgs-ts", Some(AssociateProfessor), Some(Doctor)),
            ("GS.TSKH.", Some(Professor), Some(DoctorOfScience)),
            ("TS.", None, Some(Doctor)),
            ("Ths.", None, Some(Master)),
            ("ThS", None, Some(Master)),
            ("KS.", None, Some(Engineer)),
            ("CN.", None, Some(Bachelor)),
            ("BS.", None, Some(Physician)),
            ("GS.", Some(Professor), None),
            ("", None, None),
            ("  ", None, None),
        ];
        for (raw, rank, degree) in cases {
            assert_eq!(Honorific::parse(raw), Ok(Honorific::new(rank, degree)), "{raw:?}");
        }
    }

    #[test]
    fn unknown_or_repeated_parts_are_refused() {
        assert_eq!(Honorific::parse("Dr."), Err(HonorificError::Unknown("dr".into())));
        assert_eq!(Honorific::parse("GS.PGS."), Err(HonorificError::Repeated));
        assert_eq!(Honorific::parse("TS.ThS."), Err(HonorificError::Repeated));
    }

    #[test]
    fn the_abbreviation_puts_the_title_before_the_degree_and_reads_back() {
        for rank in [None, Some(AcademicRank::Professor), Some(AcademicRank::AssociateProfessor)] {
            for degree in std::iter::once(None).chain(Degree::ALL.map(Some)) {
                let h = Honorific::new(rank, degree);
                assert_eq!(Honorific::parse(&h.abbreviation()), Ok(h), "{h}");
            }
        }
        let h = Honorific::new(Some(AcademicRank::AssociateProfessor), Some(Degree::Doctor));
        assert_eq!(h.abbreviation(), "PGS.TS.");
        assert_eq!(h.before("Nguyễn Văn A"), "PGS.TS. Nguyễn Văn A");
        assert_eq!(Honorific::default().before("Hoàng Bá Nam"), "Hoàng Bá Nam");
    }

    #[test]
    fn codes_round_trip() {
        for r in AcademicRank::ALL {
            assert_eq!(r.as_str().parse::<AcademicRank>().unwrap(), r);
        }
        for d in Degree::ALL {
            assert_eq!(d.as_str().parse::<Degree>().unwrap(), d);
            assert!(!d.name(Lang::Vi).is_empty() && !d.name(Lang::En).is_empty());
        }
    }
}
