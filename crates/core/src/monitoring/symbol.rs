//! Document numbers and symbols (số, ký hiệu) as Vietnamese officials write them, parsed into their parts:
//!
//! | written | system | number | year | type | issuer |
//! |---|---|---|---|---|---|
//! | `07-NQ/TU` | Party | 7 | | NQ | TU |
//! | `46-CTr/TU` | Party | 46 | | CTr | TU |
//! | `Số: 123/QĐ-UBND` | State | 123 | | QĐ | UBND |
//! | `456/SKHCN-QLKH` | State (công văn) | 456 | | CV | SKHCN, unit QLKH |
//! | `12/2024/QĐ-UBND` | State (normative) | 12 | 2024 | QĐ | UBND |
//! | `93/2025/QH15` | State (normative) | 93 | 2025 | — | QH15 |
//!
//! Rules from Nghị định 30/2020/NĐ-CP (state documents) and Hướng dẫn 36-HD/VPTW (Party documents). Users
//! type without diacritics and in capitals (`QD`, `CTR`): those are understood.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Which body of rules a document follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocSystem {
    /// State documents (Nghị định 30/2020/NĐ-CP): `123/QĐ-UBND`.
    State,
    /// Party documents (Hướng dẫn 36-HD/VPTW): `07-NQ/TU`.
    Party,
}

impl DocSystem {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            DocSystem::State => "state",
            DocSystem::Party => "party",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<DocSystem> {
        match code {
            "state" => Some(DocSystem::State),
            "party" => Some(DocSystem::Party),
            _ => None,
        }
    }
}

macro_rules! doc_types {
    ($($variant:ident => $code:literal, $vi:literal, $en:literal;)+) => {
        /// A type of document, by its abbreviation (Nghị định 30/2020/NĐ-CP Appendix III; Party types).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum DocType {
            $(
                #[doc = $vi]
                $variant,
            )+
        }

        impl DocType {
            /// Every type, in the order of the appendix.
            pub const ALL: &'static [DocType] = &[$(DocType::$variant),+];

            /// The abbreviation as written in symbols (`QĐ`, `CTr`); `CV` for công văn, which has none.
            pub fn code(self) -> &'static str {
                match self { $(DocType::$variant => $code),+ }
            }

            /// The Vietnamese name.
            pub fn name_vi(self) -> &'static str {
                match self { $(DocType::$variant => $vi),+ }
            }

            /// The English name.
            pub fn name_en(self) -> &'static str {
                match self { $(DocType::$variant => $en),+ }
            }
        }
    };
}

doc_types! {
    NghiQuyet => "NQ", "Nghị quyết", "Resolution";
    KetLuan => "KL", "Kết luận", "Conclusion";
    ChiThi => "CT", "Chỉ thị", "Directive";
    ChuongTrinh => "CTr", "Chương trình", "Programme";
    KeHoach => "KH", "Kế hoạch", "Plan";
    QuyetDinh => "QĐ", "Quyết định", "Decision";
    ThongBao => "TB", "Thông báo", "Notice";
    BaoCao => "BC", "Báo cáo", "Report";
    CongVan => "CV", "Công văn", "Official letter";
    HuongDan => "HD", "Hướng dẫn", "Guidance";
    QuyChe => "QC", "Quy chế", "Regulation";
    QuyDinh => "QyĐ", "Quy định", "Rules";
    ThongCao => "TC", "Thông cáo", "Communiqué";
    PhuongAn => "PA", "Phương án", "Scheme";
    DeAn => "ĐA", "Đề án", "Proposal";
    DuAn => "DA", "Dự án", "Project";
    BienBan => "BB", "Biên bản", "Minutes";
    ToTrinh => "TTr", "Tờ trình", "Submission";
    HopDong => "HĐ", "Hợp đồng", "Contract";
    CongDien => "CĐ", "Công điện", "Official dispatch";
    GiayMoi => "GM", "Giấy mời", "Invitation";
    NghiDinh => "NĐ", "Nghị định", "Decree";
    ThongTu => "TT", "Thông tư", "Circular";
    Luat => "L", "Luật", "Law";
}

impl DocType {
    /// Recognises an abbreviation as typed: exact, then in capitals, then without the đ stroke.
    pub fn from_code(typed: &str) -> Option<DocType> {
        let typed = typed.trim();
        if let Some(t) = DocType::ALL.iter().find(|t| t.code() == typed) {
            return Some(*t);
        }
        let upper = typed.to_uppercase();
        // Capitals first (CTR → CTr), then the đ typed as d (QD → QĐ, ND → NĐ, CD → CĐ, QYD → QyĐ). DA and HD
        // are real types of their own (Dự án, Hướng dẫn), so they are matched exactly above.
        DocType::ALL
            .iter()
            .find(|t| t.code().to_uppercase() == upper)
            .or_else(|| DocType::ALL.iter().find(|t| t.code().to_uppercase().replace('Đ', "D") == upper))
            .copied()
    }

    /// Parses a stored code (the abbreviation).
    pub fn from_stored(code: &str) -> Option<DocType> {
        DocType::ALL.iter().find(|t| t.code() == code).copied()
    }
}

/// A parsed number and symbol.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentSymbol {
    /// State or Party.
    pub system: DocSystem,
    /// The number (số).
    pub number: u32,
    /// The year, for legal normative documents (`12/2024/QĐ-UBND`).
    pub year: Option<i32>,
    /// The type, when the symbol carries it (a law `93/2025/QH15` does not).
    pub doc_type: Option<DocType>,
    /// The issuer's abbreviation (`UBND`, `TU`, `SKHCN`, `QH15`).
    pub issuer: String,
    /// The drafting unit of a công văn (`QLKH` in `456/SKHCN-QLKH`), or a further part of the issuer.
    pub unit: Option<String>,
}

/// What is wrong with a symbol; each variant names the part.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SymbolError {
    /// Nothing was typed.
    #[error("the number and symbol are empty")]
    Empty,
    /// It does not start with the document's number.
    #[error("the symbol must start with the document's number, as in 07-NQ/TU or 123/QĐ-UBND")]
    MissingNumber,
    /// The number is zero or too large.
    #[error("the number {0} is not a document number")]
    BadNumber(String),
    /// The year of a normative document is not a plausible year.
    #[error("{0} is not a year (expected four digits, as in 12/2024/QĐ-UBND)")]
    BadYear(String),
    /// The part after the number has no document type where one is required.
    #[error("the document type is missing after the number (as NQ in 07-NQ/TU)")]
    MissingType,
    /// The type abbreviation is not known.
    #[error("{0} is not a known document type abbreviation")]
    UnknownType(String),
    /// The issuing body's abbreviation is missing.
    #[error("the issuing body is missing (as UBND in 123/QĐ-UBND or TU in 07-NQ/TU)")]
    MissingIssuer,
    /// Characters that belong to no part.
    #[error("{0:?} does not belong in a document symbol")]
    Unexpected(String),
}

impl SymbolError {
    /// A stable code for the field error.
    pub fn code(&self) -> &'static str {
        match self {
            SymbolError::Empty => "symbol_empty",
            SymbolError::MissingNumber => "symbol_missing_number",
            SymbolError::BadNumber(_) => "symbol_bad_number",
            SymbolError::BadYear(_) => "symbol_bad_year",
            SymbolError::MissingType => "symbol_missing_type",
            SymbolError::UnknownType(_) => "symbol_unknown_type",
            SymbolError::MissingIssuer => "symbol_missing_issuer",
            SymbolError::Unexpected(_) => "symbol_unexpected",
        }
    }

    /// The offending text, for the message.
    pub fn part(&self) -> &str {
        match self {
            SymbolError::BadNumber(s)
            | SymbolError::BadYear(s)
            | SymbolError::UnknownType(s)
            | SymbolError::Unexpected(s) => s,
            _ => "",
        }
    }
}

fn strip_prefix_so(text: &str) -> &str {
    let trimmed = text.trim();
    for prefix in ["Số:", "số:", "SỐ:", "So:", "so:", "SO:", "Số", "số", "SỐ"] {
        if let Some(rest) = trimmed.strip_prefix(prefix) {
            return rest.trim_start();
        }
    }
    trimmed
}

fn parse_number(text: &str) -> Result<u32, SymbolError> {
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) {
        return Err(SymbolError::MissingNumber);
    }
    match text.parse::<u32>() {
        Ok(0) | Err(_) => Err(SymbolError::BadNumber(text.to_owned())),
        Ok(n) if n > 99_999 => Err(SymbolError::BadNumber(text.to_owned())),
        Ok(n) => Ok(n),
    }
}

fn check_code(part: &str) -> Result<(), SymbolError> {
    if part.is_empty() {
        return Err(SymbolError::MissingIssuer);
    }
    if let Some(bad) = part.chars().find(|c| !(c.is_alphanumeric() || *c == '&' || *c == '.')) {
        return Err(SymbolError::Unexpected(bad.to_string()));
    }
    Ok(())
}

impl DocumentSymbol {
    /// Parses a number and symbol as typed (NFC or NFD; with or without "Số:").
    pub fn parse(typed: &str) -> Result<DocumentSymbol, SymbolError> {
        let normalized = crate::text::normalize_input(typed);
        let text = strip_prefix_so(&normalized).replace(' ', "");
        if text.is_empty() {
            return Err(SymbolError::Empty);
        }
        let digits: String = text.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.is_empty() {
            return Err(SymbolError::MissingNumber);
        }
        let number = parse_number(&digits)?;
        let rest = &text[digits.len()..];
        if let Some(party) = rest.strip_prefix('-') {
            // Party: 07-NQ/TU
            let (kind, issuer) = party.split_once('/').ok_or(SymbolError::MissingIssuer)?;
            if kind.is_empty() {
                return Err(SymbolError::MissingType);
            }
            let doc_type = DocType::from_code(kind).ok_or_else(|| SymbolError::UnknownType(kind.to_owned()))?;
            let (issuer, unit) = match issuer.split_once('-') {
                Some((i, u)) => (i, Some(u)),
                None => (issuer, None),
            };
            check_code(issuer)?;
            if let Some(u) = unit {
                check_code(u)?;
            }
            return Ok(DocumentSymbol {
                system: DocSystem::Party,
                number,
                year: None,
                doc_type: Some(doc_type),
                issuer: issuer.to_owned(),
                unit: unit.map(str::to_owned),
            });
        }
        let Some(after) = rest.strip_prefix('/') else {
            return Err(if rest.is_empty() {
                SymbolError::MissingType
            } else {
                SymbolError::Unexpected(rest.to_owned())
            });
        };
        let mut parts: Vec<&str> = after.split('/').collect();
        let mut year = None;
        if parts.len() == 2 {
            let y = parts.remove(0);
            if y.len() != 4 || !y.chars().all(|c| c.is_ascii_digit()) {
                return Err(SymbolError::BadYear(y.to_owned()));
            }
            let value: i32 = y.parse().map_err(|_| SymbolError::BadYear(y.to_owned()))?;
            if !(1945..=2100).contains(&value) {
                return Err(SymbolError::BadYear(y.to_owned()));
            }
            year = Some(value);
        } else if parts.len() > 2 {
            return Err(SymbolError::Unexpected(format!("/{}", parts[2])));
        }
        let tail = parts[0];
        if tail.is_empty() {
            return Err(SymbolError::MissingType);
        }
        let segments: Vec<&str> = tail.split('-').collect();
        let first = segments[0];
        match DocType::from_code(first) {
            Some(doc_type) if segments.len() >= 2 => {
                let issuer = segments[1];
                check_code(issuer)?;
                let unit = (segments.len() > 2).then(|| segments[2..].join("-"));
                if let Some(u) = &unit {
                    check_code(u)?;
                }
                Ok(DocumentSymbol {
                    system: DocSystem::State,
                    number,
                    year,
                    doc_type: Some(doc_type),
                    issuer: issuer.to_owned(),
                    unit,
                })
            }
            Some(_) => Err(SymbolError::MissingIssuer),
            None if year.is_some() && segments.len() == 1 => {
                // A law or a resolution of the National Assembly: 93/2025/QH15, the type is chosen apart.
                check_code(first)?;
                Ok(DocumentSymbol {
                    system: DocSystem::State,
                    number,
                    year,
                    doc_type: None,
                    issuer: first.to_owned(),
                    unit: None,
                })
            }
            None if segments.len() >= 2 => {
                // A công văn: 456/SKHCN-QLKH (no type; issuer, then the drafting unit).
                check_code(first)?;
                let unit = segments[1..].join("-");
                check_code(&unit)?;
                Ok(DocumentSymbol {
                    system: DocSystem::State,
                    number,
                    year,
                    doc_type: Some(DocType::CongVan),
                    issuer: first.to_owned(),
                    unit: Some(unit),
                })
            }
            None => Err(SymbolError::UnknownType(first.to_owned())),
        }
    }
}

impl fmt::Display for DocumentSymbol {
    /// The canonical way of writing the symbol, with the leading zero the rules require below 10.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = self.unit.as_ref().map(|u| format!("-{u}")).unwrap_or_default();
        match self.system {
            DocSystem::Party => {
                let kind = self.doc_type.map_or("", |t| t.code());
                write!(f, "{:02}-{kind}/{}{unit}", self.number, self.issuer)
            }
            DocSystem::State => {
                let year = self.year.map(|y| format!("/{y}")).unwrap_or_default();
                match self.doc_type {
                    Some(DocType::CongVan) => write!(f, "{:02}{year}/{}{unit}", self.number, self.issuer),
                    Some(t) => write!(f, "{:02}{year}/{}-{}{unit}", self.number, t.code(), self.issuer),
                    None => write!(f, "{:02}{year}/{}{unit}", self.number, self.issuer),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> DocumentSymbol {
        DocumentSymbol::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn party_symbols_parse() {
        let s = parse("07-NQ/TU");
        assert_eq!(
            (s.system, s.number, s.doc_type, s.issuer.as_str()),
            (DocSystem::Party, 7, Some(DocType::NghiQuyet), "TU")
        );
        assert_eq!(s.to_string(), "07-NQ/TU");
        assert_eq!(parse("46-CTr/TU").doc_type, Some(DocType::ChuongTrinh));
        assert_eq!(parse("46-CTR/TU").to_string(), "46-CTr/TU");
        assert_eq!(parse("57-NQ/TW").issuer, "TW");
        assert_eq!(parse("7-nq/tu").to_string(), "07-NQ/tu");
    }

    #[test]
    fn state_symbols_parse() {
        let s = parse("Số: 123/QĐ-UBND");
        assert_eq!(
            (s.system, s.number, s.doc_type, s.issuer.as_str(), s.year),
            (DocSystem::State, 123, Some(DocType::QuyetDinh), "UBND", None)
        );
        assert_eq!(s.to_string(), "123/QĐ-UBND");
        assert_eq!(parse("123/QD-UBND").doc_type, Some(DocType::QuyetDinh));
        assert_eq!(parse("45/BC-SKHCN").doc_type, Some(DocType::BaoCao));
        assert_eq!(parse("1679/NQ-UBTVQH15").issuer, "UBTVQH15");
        let cv = parse("456/SKHCN-QLKH");
        assert_eq!(
            (cv.doc_type, cv.issuer.as_str(), cv.unit.as_deref()),
            (Some(DocType::CongVan), "SKHCN", Some("QLKH"))
        );
        assert_eq!(cv.to_string(), "456/SKHCN-QLKH");
        assert_eq!(parse("số 5/BC-SKHCN").to_string(), "05/BC-SKHCN");
    }

    #[test]
    fn normative_symbols_carry_a_year() {
        let s = parse("12/2024/QĐ-UBND");
        assert_eq!((s.year, s.doc_type), (Some(2024), Some(DocType::QuyetDinh)));
        assert_eq!(s.to_string(), "12/2024/QĐ-UBND");
        let law = parse("93/2025/QH15");
        assert_eq!((law.year, law.doc_type, law.issuer.as_str()), (Some(2025), None, "QH15"));
        assert_eq!(law.to_string(), "93/2025/QH15");
        assert_eq!(parse("13/2019/NĐ-CP").doc_type, Some(DocType::NghiDinh));
        assert_eq!(parse("19/2025/QĐ-TTg").issuer, "TTg");
    }

    #[test]
    fn nfd_input_and_spaces_are_accepted() {
        assert_eq!(parse("Số:  123 / QĐ - UBND").to_string(), "123/QĐ-UBND");
        assert_eq!(parse("S\u{1ed1}: 12/2024/Q\u{110}-UBND").year, Some(2024));
    }

    #[test]
    fn errors_name_the_wrong_part() {
        assert_eq!(DocumentSymbol::parse("  "), Err(SymbolError::Empty));
        assert_eq!(DocumentSymbol::parse("NQ/TU"), Err(SymbolError::MissingNumber));
        assert_eq!(DocumentSymbol::parse("0-NQ/TU"), Err(SymbolError::BadNumber("0".into())));
        assert_eq!(DocumentSymbol::parse("07-XYZ/TU"), Err(SymbolError::UnknownType("XYZ".into())));
        assert_eq!(DocumentSymbol::parse("07-NQ"), Err(SymbolError::MissingIssuer));
        assert_eq!(DocumentSymbol::parse("07-NQ/"), Err(SymbolError::MissingIssuer));
        assert_eq!(DocumentSymbol::parse("12/24/QĐ-UBND"), Err(SymbolError::BadYear("24".into())));
        assert_eq!(DocumentSymbol::parse("12/1800/QĐ-UBND"), Err(SymbolError::BadYear("1800".into())));
        assert_eq!(DocumentSymbol::parse("123/QĐ"), Err(SymbolError::MissingIssuer));
        assert_eq!(DocumentSymbol::parse("123"), Err(SymbolError::MissingType));
        assert_eq!(DocumentSymbol::parse("123/XYZ"), Err(SymbolError::UnknownType("XYZ".into())));
        assert!(matches!(DocumentSymbol::parse("123/QĐ-UB#ND"), Err(SymbolError::Unexpected(_))));
    }

    #[test]
    fn types_are_recognised_in_capitals_and_without_the_stroke() {
        assert_eq!(DocType::from_code("QĐ"), Some(DocType::QuyetDinh));
        assert_eq!(DocType::from_code("QD"), Some(DocType::QuyetDinh));
        assert_eq!(DocType::from_code("QYD"), Some(DocType::QuyDinh));
        assert_eq!(DocType::from_code("TTR"), Some(DocType::ToTrinh));
        assert_eq!(DocType::from_code("HD"), Some(DocType::HuongDan));
        assert_eq!(DocType::from_code("HĐ"), Some(DocType::HopDong));
        assert_eq!(DocType::from_code("DA"), Some(DocType::DuAn));
        assert_eq!(DocType::from_code("ĐA"), Some(DocType::DeAn));
        assert_eq!(DocType::from_code("ZZ"), None);
    }
}
