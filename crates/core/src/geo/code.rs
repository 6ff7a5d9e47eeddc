//! Unit codes (mã số đơn vị hành chính) and the three levels of the map.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The level of an administrative unit (cấp hành chính).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitLevel {
    /// Province level (cấp tỉnh): tỉnh and thành phố trực thuộc trung ương. Codes have 2 digits.
    Province,
    /// District level (cấp huyện), abolished on 1/7/2025: huyện, quận, thị xã, thành phố thuộc tỉnh. Codes
    /// have 3 digits.
    District,
    /// Commune level (cấp xã): xã, phường, thị trấn (until 2025), đặc khu (since 2025). Codes have 5 digits.
    Commune,
}

impl UnitLevel {
    /// Every level, from the top.
    pub const ALL: [UnitLevel; 3] = [UnitLevel::Province, UnitLevel::District, UnitLevel::Commune];

    /// The stored form: `province`, `district`, `commune`.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitLevel::Province => "province",
            UnitLevel::District => "district",
            UnitLevel::Commune => "commune",
        }
    }

    /// The number of digits of a code at this level.
    pub fn code_len(self) -> usize {
        match self {
            UnitLevel::Province => 2,
            UnitLevel::District => 3,
            UnitLevel::Commune => 5,
        }
    }

    /// The Vietnamese name of the level ("cấp tỉnh").
    pub fn vi_name(self) -> &'static str {
        match self {
            UnitLevel::Province => "cấp tỉnh",
            UnitLevel::District => "cấp huyện",
            UnitLevel::Commune => "cấp xã",
        }
    }

    /// The English name of the level.
    pub fn en_name(self) -> &'static str {
        match self {
            UnitLevel::Province => "province level",
            UnitLevel::District => "district level",
            UnitLevel::Commune => "commune level",
        }
    }
}

impl FromStr for UnitLevel {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        UnitLevel::ALL.into_iter().find(|l| l.as_str() == s).ok_or_else(|| UnknownName(s.to_owned()))
    }
}

/// A stored name (of a level, a kind, a succession kind) that this version does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {0:?}")]
pub struct UnknownName(pub String);

/// Why a text is not a unit code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// The text is empty.
    #[error("a unit code cannot be empty")]
    Empty,
    /// The text contains something other than the digits 0-9.
    #[error("a unit code has only digits, got {0:?}")]
    NotDigits(String),
    /// The number of digits is not 2, 3 or 5.
    #[error("a unit code has 2 (province), 3 (district) or 5 (commune) digits, got {0:?}")]
    BadLength(String),
}

/// The code of an administrative unit, as a string with its leading zeros: 2 digits for a province
/// (`22` Quảng Ninh), 3 for a pre-2025 district (`206` thị xã Quảng Yên), 5 for a commune-level unit
/// (`07030` phường Hoành Bồ).
///
/// A code names a unit only together with a date: the same code may belong to successive units (the old
/// and the new phường Hoành Bồ are both `07030`).
///
/// Held inline (at most five ASCII digits, no allocation): the gazetteer holds tens of thousands of codes.
// Not `Copy`, though it could be: callers written for the `String` it once held clone it.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AdminUnitCode {
    digits: [u8; 5],
    len: u8,
}

impl AdminUnitCode {
    /// Parses a code; surrounding whitespace is ignored, nothing else is.
    pub fn parse(raw: &str) -> Result<AdminUnitCode, CodeError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(CodeError::Empty);
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CodeError::NotDigits(s.to_owned()));
        }
        if !matches!(s.len(), 2 | 3 | 5) {
            return Err(CodeError::BadLength(s.to_owned()));
        }
        let mut digits = [b'0'; 5];
        digits[..s.len()].copy_from_slice(s.as_bytes());
        Ok(AdminUnitCode { digits, len: s.len() as u8 })
    }

    /// The code as written.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored (checked by `parse`).
        std::str::from_utf8(&self.digits[..usize::from(self.len)]).unwrap_or_default()
    }

    /// The level a code of this length belongs to.
    pub fn level(&self) -> UnitLevel {
        match self.len {
            2 => UnitLevel::Province,
            3 => UnitLevel::District,
            _ => UnitLevel::Commune,
        }
    }
}

impl PartialOrd for AdminUnitCode {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Codes order as their text ("07030" < "206" < "22").
impl Ord for AdminUnitCode {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Debug for AdminUnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("AdminUnitCode").field(&self.as_str()).finish()
    }
}

impl fmt::Display for AdminUnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AdminUnitCode {
    type Err = CodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AdminUnitCode::parse(s)
    }
}

impl TryFrom<String> for AdminUnitCode {
    type Error = CodeError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        AdminUnitCode::parse(&value)
    }
}

impl From<AdminUnitCode> for String {
    fn from(code: AdminUnitCode) -> String {
        code.as_str().to_owned()
    }
}

impl AsRef<str> for AdminUnitCode {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_keep_leading_zeros_and_know_their_level() {
        let cases = [
            ("22", UnitLevel::Province),
            ("01", UnitLevel::Province),
            ("206", UnitLevel::District),
            ("07030", UnitLevel::Commune),
            (" 00001 ", UnitLevel::Commune),
        ];
        for (raw, level) in cases {
            let code = AdminUnitCode::parse(raw).unwrap();
            assert_eq!(code.as_str(), raw.trim());
            assert_eq!(code.level(), level, "{raw}");
            assert_eq!(code.as_str().len(), level.code_len());
        }
    }

    #[test]
    fn malformed_codes_are_refused_with_the_reason() {
        let cases = [
            ("", CodeError::Empty),
            ("  ", CodeError::Empty),
            ("7030", CodeError::BadLength("7030".into())),
            ("1", CodeError::BadLength("1".into())),
            ("070300", CodeError::BadLength("070300".into())),
            ("07O30", CodeError::NotDigits("07O30".into())),
            ("-22", CodeError::NotDigits("-22".into())),
            ("٢٢", CodeError::NotDigits("٢٢".into())),
        ];
        for (raw, err) in cases {
            assert_eq!(AdminUnitCode::parse(raw), Err(err), "{raw:?}");
        }
    }

    #[test]
    fn codes_order_as_their_text_and_take_no_allocation() {
        let mut codes: Vec<AdminUnitCode> =
            ["22", "07030", "206", "01"].iter().map(|c| AdminUnitCode::parse(c).unwrap()).collect();
        codes.sort();
        assert_eq!(codes.iter().map(AdminUnitCode::as_str).collect::<Vec<_>>(), ["01", "07030", "206", "22"]);
        assert!(std::mem::size_of::<Option<AdminUnitCode>>() <= 8);
    }

    #[test]
    fn codes_serialize_as_strings() {
        let code = AdminUnitCode::parse("07030").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"07030\"");
        let back: AdminUnitCode = serde_json::from_str("\"07030\"").unwrap();
        assert_eq!(back, code);
        assert!(serde_json::from_str::<AdminUnitCode>("\"7030\"").is_err());
    }

    #[test]
    fn levels_round_trip_through_their_stored_form() {
        for level in UnitLevel::ALL {
            assert_eq!(level.as_str().parse::<UnitLevel>().unwrap(), level);
        }
        assert!("ward".parse::<UnitLevel>().is_err());
    }
}
