//! The text format of the built-in unit lists (`crates/db/data/admin_units.tsv`, described in the README
//! next to it): one tab-separated record per line, `U` for a unit and `S` for a succession.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::code::AdminUnitCode;
use super::unit::{AdminUnit, Succession};

/// Units and successions read from a data file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dataset {
    /// Every unit, in file order (parents before children).
    pub units: Vec<AdminUnit>,
    /// Every succession, in file order.
    pub successions: Vec<Succession>,
}

/// A line of the data file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct DatasetError {
    /// The line number, from 1.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

fn err(line: usize, message: impl Into<String>) -> DatasetError {
    DatasetError { line, message: message.into() }
}

fn opt(field: &str) -> Option<&str> {
    (!field.is_empty()).then_some(field)
}

fn date(line: usize, field: &str) -> Result<Option<NaiveDate>, DatasetError> {
    opt(field)
        .map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| err(line, format!("bad date {s:?}: {e}"))))
        .transpose()
}

fn code(line: usize, field: &str) -> Result<AdminUnitCode, DatasetError> {
    AdminUnitCode::parse(field).map_err(|e| err(line, e.to_string()))
}

/// Reads a data file. Every line is checked; the first bad one is reported.
pub fn parse(text: &str) -> Result<Dataset, DatasetError> {
    let mut data = Dataset::default();
    // (from_code, to_code, kind, is_default, line) until every unit is known.
    let mut pending = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = raw.split('\t').collect();
        match fields.as_slice() {
            ["U", code_f, kind, name, parent, from, to, basis] => {
                let unit = AdminUnit {
                    code: code(line, code_f)?,
                    kind: kind.parse().map_err(|e| err(line, format!("kind: {e}")))?,
                    name: (*name).to_owned(),
                    parent_code: opt(parent).map(|p| code(line, p)).transpose()?,
                    valid_from: date(line, from)?,
                    valid_to: date(line, to)?,
                    legal_basis: opt(basis).map(str::to_owned),
                };
                if unit.name.is_empty() {
                    return Err(err(line, "empty name"));
                }
                if unit.code.level() != unit.kind.level() {
                    return Err(err(line, format!("code {} does not fit a {}", unit.code, unit.kind.as_str())));
                }
                if !unit.validity().is_well_formed() {
                    return Err(err(line, "valid_from is not before valid_to"));
                }
                data.units.push(unit);
            }
            ["S", from, to, kind, default] => {
                let kind = kind.parse().map_err(|e| err(line, format!("succession kind: {e}")))?;
                let is_default = match *default {
                    "1" => true,
                    "0" => false,
                    other => {
                        return Err(err(line, format!("is_default must be 0 or 1, got {other:?}")));
                    }
                };
                pending.push((code(line, from)?, code(line, to)?, kind, is_default, line));
            }
            _ => {
                return Err(err(line, "expected U with 8 fields or S with 5 fields, separated by tabs"));
            }
        }
    }
    let mut by_code: HashMap<&AdminUnitCode, Vec<&AdminUnit>> = HashMap::new();
    for unit in &data.units {
        by_code.entry(&unit.code).or_default().push(unit);
    }
    for (from, to, kind, is_default, line) in pending {
        // The old unit ends on the day the new one starts; exactly one such pair must exist.
        let olds = by_code.get(&from).map(Vec::as_slice).unwrap_or_default();
        let news = by_code.get(&to).map(Vec::as_slice).unwrap_or_default();
        let pairs: Vec<(&AdminUnit, &AdminUnit)> = olds
            .iter()
            .filter(|o| o.valid_to.is_some())
            .flat_map(|o| news.iter().filter(move |n| n.valid_from == o.valid_to).map(move |n| (*o, *n)))
            .collect();
        let [(_, new)] = pairs.as_slice() else {
            return Err(err(
                line,
                format!("{} pairs of units {from} ending and {to} starting on the same day, expected one", pairs.len()),
            ));
        };
        data.successions.push(Succession {
            from_code: from,
            to_code: to,
            effective: new.valid_from.expect("matched on a known start"),
            kind,
            is_default,
            share: None,
            legal_basis: new.legal_basis.clone(),
        });
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geo::kind::UnitKind;
    use crate::geo::unit::SuccessionKind;

    const SAMPLE: &str = "# comment\n\
U\t22\tprovince\tQuảng Ninh\t\t\t\t\n\
U\t193\tcity\tHạ Long\t22\t\t2025-07-01\t\n\
U\t07030\tward\tHoành Bồ\t193\t\t2025-07-01\t\n\
U\t07030\tward\tHoành Bồ\t22\t2025-07-01\t\tNQ 1679/NQ-UBTVQH15\n\
S\t07030\t07030\tmerge\t1\n";

    #[test]
    fn a_sample_is_read_with_the_succession_dated_by_its_units() {
        let data = parse(SAMPLE).unwrap();
        assert_eq!(data.units.len(), 4);
        assert_eq!(data.units[1].kind, UnitKind::City);
        assert_eq!(data.units[0].valid_to, None);
        assert_eq!(data.units[3].legal_basis.as_deref(), Some("NQ 1679/NQ-UBTVQH15"));
        let s = &data.successions[0];
        assert_eq!(s.effective, "2025-07-01".parse().unwrap());
        assert_eq!(s.kind, SuccessionKind::Merge);
        assert!(s.is_default);
        assert_eq!(s.legal_basis.as_deref(), Some("NQ 1679/NQ-UBTVQH15"));
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let cases = [
            ("U\t22\tprovince\tQuảng Ninh\t\t\t\n", "expected U with 8 fields"),
            ("U\t022\tprovince\tX\t\t\t\t\n", "does not fit a province"),
            ("U\t22\tprovinc\tX\t\t\t\t\n", "kind"),
            ("U\t22\tprovince\t\t\t\t\t\n", "empty name"),
            ("U\t22\tprovince\tX\t\t2025-07-01\t2025-07-01\t\n", "not before"),
            ("U\t22\tprovince\tX\t\t2025-13-01\t\t\n", "bad date"),
            ("S\t22\t22\tmerge\t2\n", "is_default"),
            ("S\t22\t23\tmerge\t1\n", "0 pairs"),
        ];
        for (text, needle) in cases {
            let e = parse(text).unwrap_err();
            assert_eq!(e.line, 1, "{text:?}");
            assert!(e.message.contains(needle), "{text:?}: {e}");
        }
    }

    #[test]
    fn the_built_in_file_is_read_whole() {
        let data = parse(include_str!("../../../db/data/admin_units.tsv")).unwrap();
        assert_eq!(data.units.len(), 63 + 23 + 696 + 10_035 + 3_321);
        assert_eq!(data.successions.len(), 10_654);
    }
}
