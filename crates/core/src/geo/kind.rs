//! The kinds of administrative units (loại đơn vị hành chính).

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::code::{UnitLevel, UnknownName};

/// The kind of an administrative unit. Since 1/7/2025 only tỉnh, thành phố trực thuộc trung ương, xã, phường
/// and đặc khu exist; the others are kept for history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Tỉnh: a province.
    Province,
    /// Thành phố trực thuộc trung ương: a centrally governed city (Hà Nội, Hồ Chí Minh, Hải Phòng, ...).
    Municipality,
    /// Huyện: a rural district (until 2025).
    RuralDistrict,
    /// Quận: an urban district (until 2025).
    UrbanDistrict,
    /// Thị xã: a district-level town (until 2025).
    Town,
    /// Thành phố thuộc tỉnh (or thuộc thành phố trực thuộc trung ương, like Thủ Đức): a district-level city
    /// (until 2025).
    City,
    /// Xã: a rural commune.
    Commune,
    /// Phường: an urban ward.
    Ward,
    /// Thị trấn: a commune-level township (until 2025).
    Township,
    /// Đặc khu: a commune-level special zone, on islands (since 2025).
    SpecialZone,
}

impl UnitKind {
    /// Every kind, provinces first.
    pub const ALL: [UnitKind; 10] = [
        UnitKind::Province,
        UnitKind::Municipality,
        UnitKind::RuralDistrict,
        UnitKind::UrbanDistrict,
        UnitKind::Town,
        UnitKind::City,
        UnitKind::Commune,
        UnitKind::Ward,
        UnitKind::Township,
        UnitKind::SpecialZone,
    ];

    /// The level units of this kind belong to.
    pub fn level(self) -> UnitLevel {
        match self {
            UnitKind::Province | UnitKind::Municipality => UnitLevel::Province,
            UnitKind::RuralDistrict | UnitKind::UrbanDistrict | UnitKind::Town | UnitKind::City => UnitLevel::District,
            UnitKind::Commune | UnitKind::Ward | UnitKind::Township | UnitKind::SpecialZone => UnitLevel::Commune,
        }
    }

    /// The stored form (`province`, `municipality`, `rural_district`, ..., `special_zone`).
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Province => "province",
            UnitKind::Municipality => "municipality",
            UnitKind::RuralDistrict => "rural_district",
            UnitKind::UrbanDistrict => "urban_district",
            UnitKind::Town => "town",
            UnitKind::City => "city",
            UnitKind::Commune => "commune",
            UnitKind::Ward => "ward",
            UnitKind::Township => "township",
            UnitKind::SpecialZone => "special_zone",
        }
    }

    /// The Vietnamese name of the kind, in lower case ("thành phố trực thuộc trung ương", "thị xã").
    pub fn vi_name(self) -> &'static str {
        match self {
            UnitKind::Province => "tỉnh",
            UnitKind::Municipality => "thành phố trực thuộc trung ương",
            UnitKind::RuralDistrict => "huyện",
            UnitKind::UrbanDistrict => "quận",
            UnitKind::Town => "thị xã",
            UnitKind::City => "thành phố thuộc tỉnh",
            UnitKind::Commune => "xã",
            UnitKind::Ward => "phường",
            UnitKind::Township => "thị trấn",
            UnitKind::SpecialZone => "đặc khu",
        }
    }

    /// The English name of the kind.
    pub fn en_name(self) -> &'static str {
        match self {
            UnitKind::Province => "province",
            UnitKind::Municipality => "centrally governed city",
            UnitKind::RuralDistrict => "rural district",
            UnitKind::UrbanDistrict => "urban district",
            UnitKind::Town => "district-level town",
            UnitKind::City => "provincial city",
            UnitKind::Commune => "commune",
            UnitKind::Ward => "ward",
            UnitKind::Township => "township",
            UnitKind::SpecialZone => "special zone",
        }
    }

    /// The word that starts a unit's full name ("Phường" in "Phường Hoành Bồ", "Thành phố" in "Thành phố Hạ
    /// Long" and "Thành phố Hà Nội").
    pub fn prefix(self) -> &'static str {
        match self {
            UnitKind::Province => "Tỉnh",
            UnitKind::Municipality | UnitKind::City => "Thành phố",
            UnitKind::RuralDistrict => "Huyện",
            UnitKind::UrbanDistrict => "Quận",
            UnitKind::Town => "Thị xã",
            UnitKind::Commune => "Xã",
            UnitKind::Ward => "Phường",
            UnitKind::Township => "Thị trấn",
            UnitKind::SpecialZone => "Đặc khu",
        }
    }
}

impl FromStr for UnitKind {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        UnitKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| UnknownName(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_belong_to_one_level() {
        for kind in UnitKind::ALL {
            assert_eq!(kind.as_str().parse::<UnitKind>().unwrap(), kind);
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        let count = |level| UnitKind::ALL.iter().filter(|k| k.level() == level).count();
        assert_eq!(count(UnitLevel::Province), 2);
        assert_eq!(count(UnitLevel::District), 4);
        assert_eq!(count(UnitLevel::Commune), 4);
        assert!("huyen".parse::<UnitKind>().is_err());
    }

    #[test]
    fn prefixes_and_names_are_vietnamese() {
        assert_eq!(UnitKind::Ward.prefix(), "Phường");
        assert_eq!(UnitKind::City.prefix(), UnitKind::Municipality.prefix());
        assert_eq!(UnitKind::Town.vi_name(), "thị xã");
        assert_eq!(UnitKind::SpecialZone.en_name(), "special zone");
    }
}
