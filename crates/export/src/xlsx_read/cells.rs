//! SpreadsheetML cells: shared and inline strings, number formats that make a number a date or a
//! percentage, Excel's serial dates, A1 references, and the cells of a sheet.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::{ReadError, damaged, parse_xml};

/// A cell's value as stored, typed by the cell's number format.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    /// Text (shared, inline or a formula's text result).
    Text(String),
    /// A number with a plain number format.
    Number(f64),
    /// A number formatted as a percentage, as stored (`0.125` shows `12.5%`).
    Percent(f64),
    /// A number formatted as a date (or date and time), converted from Excel's serial.
    Date(NaiveDateTime),
    /// TRUE or FALSE.
    Bool(bool),
    /// An error value such as `#DIV/0!` or `#REF!`.
    Error(String),
}

/// One worksheet's non-empty cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The sheet's name as shown on its tab.
    pub name: String,
    /// Whether the sheet is hidden (or very hidden).
    pub hidden: bool,
    pub(super) cells: BTreeMap<(u32, u32), CellValue>,
}

impl Sheet {
    /// The cell at a 0-based row and column, if it holds anything.
    pub fn get(&self, row: u32, col: u32) -> Option<&CellValue> {
        self.cells.get(&(row, col))
    }

    /// The text of a cell that holds text, trimmed; `None` for an empty cell or another type.
    pub fn text(&self, row: u32, col: u32) -> Option<&str> {
        match self.get(row, col) {
            Some(CellValue::Text(t)) => Some(t.trim()),
            _ => None,
        }
    }

    /// The 0-based index of the last row holding a cell, if any.
    pub fn last_row(&self) -> Option<u32> {
        self.cells.keys().next_back().map(|(r, _)| *r)
    }

    /// The cells of a row, by 0-based column.
    pub fn row(&self, row: u32) -> impl Iterator<Item = (u32, &CellValue)> {
        self.cells.range((row, 0)..=(row, u32::MAX)).map(|((_, c), v)| (*c, v))
    }
}

/// How a number format shows a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NumberStyle {
    Plain,
    Percent,
    Date,
}

/// Decodes the `_xHHHH_` escapes that OOXML uses for control characters in strings.
fn unescape_ooxml(s: &str) -> String {
    if !s.contains("_x") {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("_x") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let decoded = tail
            .get(2..6)
            .filter(|_| tail.get(6..7) == Some("_"))
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .and_then(char::from_u32);
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of a string item (`<si>` or `<is>`): plain `<t>` or rich-text runs `<r><t>`; phonetic
/// guides (`<rPh>`) are not part of the value.
fn string_item(node: roxmltree::Node) -> String {
    let mut out = String::new();
    for child in node.children().filter(|n| n.is_element()) {
        match child.tag_name().name() {
            "t" => out.push_str(child.text().unwrap_or("")),
            "r" => {
                for t in child.children().filter(|n| n.tag_name().name() == "t") {
                    out.push_str(t.text().unwrap_or(""));
                }
            }
            _ => {}
        }
    }
    unescape_ooxml(&out)
}

pub(super) fn shared_strings(part: &str, xml: &str) -> Result<Vec<String>, ReadError> {
    let doc = parse_xml(part, xml)?;
    Ok(doc.root_element().children().filter(|n| n.tag_name().name() == "si").map(string_item).collect())
}

fn builtin_style(id: u32) -> NumberStyle {
    match id {
        9 | 10 => NumberStyle::Percent,
        14..=17 | 22 | 27..=36 | 50..=58 => NumberStyle::Date,
        _ => NumberStyle::Plain,
    }
}

/// How a custom format code shows positive numbers: a percentage when it has `%`, a date when it
/// has a day, a year, or a month without hours and seconds (`mm` alone is a month, `h:mm` minutes).
/// Quoted text, escaped characters and `[...]` (colours, locales, conditions) are ignored.
fn classify_format(code: &str) -> NumberStyle {
    let mut plain = String::new();
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            ';' => break,
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            c => plain.extend(c.to_lowercase()),
        }
    }
    if plain.contains('%') {
        NumberStyle::Percent
    } else if plain.contains('d')
        || plain.contains('y')
        || (plain.contains('m') && !plain.contains('h') && !plain.contains('s'))
    {
        NumberStyle::Date
    } else {
        NumberStyle::Plain
    }
}

pub(super) fn number_styles(part: &str, xml: &str) -> Result<Vec<NumberStyle>, ReadError> {
    let doc = parse_xml(part, xml)?;
    let root = doc.root_element();
    let custom: HashMap<u32, NumberStyle> = root
        .children()
        .filter(|n| n.tag_name().name() == "numFmts")
        .flat_map(|n| n.children().filter(|f| f.tag_name().name() == "numFmt"))
        .filter_map(|f| Some((f.attribute("numFmtId")?.parse().ok()?, classify_format(f.attribute("formatCode")?))))
        .collect();
    Ok(root
        .children()
        .filter(|n| n.tag_name().name() == "cellXfs")
        .flat_map(|n| n.children().filter(|x| x.tag_name().name() == "xf"))
        .map(|xf| {
            let id: u32 = xf.attribute("numFmtId").and_then(|v| v.parse().ok()).unwrap_or(0);
            custom.get(&id).copied().unwrap_or_else(|| builtin_style(id))
        })
        .collect())
}

/// `E12` → (11, 4), 0-based.
pub fn parse_cell_ref(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let col = letters.chars().fold(0u32, |acc, c| acc * 26 + (c.to_ascii_uppercase() as u32 - 'A' as u32 + 1));
    let row: u32 = digits.parse().ok()?;
    (row >= 1 && col >= 1).then(|| (row - 1, col - 1))
}

/// The letters of a 0-based column: 0 → `A`, 27 → `AB`.
pub fn column_letter(col: u32) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// Excel's serial day as a date and time, in the 1900 system (with its fictitious 29 February
/// 1900) or the 1904 system; `None` outside Excel's range of years 1900–9999.
pub fn serial_to_datetime(serial: f64, date1904: bool) -> Option<NaiveDateTime> {
    if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let (epoch, days) = if date1904 {
        (NaiveDate::from_ymd_opt(1904, 1, 1)?, serial)
    } else if serial < 61.0 {
        // Serials before 1 March 1900 count from 31 December 1899 (serial 60 is Excel's 29
        // February 1900, which did not exist; it reads as 1 March).
        (NaiveDate::from_ymd_opt(1899, 12, 31)?, serial)
    } else {
        (NaiveDate::from_ymd_opt(1899, 12, 30)?, serial)
    };
    let whole = days.floor();
    let millis = ((days - whole) * 86_400_000.0).round() as i64;
    epoch.and_hms_opt(0, 0, 0).map(|t| t + Duration::days(whole as i64) + Duration::milliseconds(millis))
}

pub(super) fn parse_cells(
    part: &str,
    xml: &str,
    shared: &[String],
    styles: &[NumberStyle],
    date1904: bool,
) -> Result<BTreeMap<(u32, u32), CellValue>, ReadError> {
    let doc = parse_xml(part, xml)?;
    let mut cells = BTreeMap::new();
    let Some(data) = doc.root_element().children().find(|n| n.tag_name().name() == "sheetData") else {
        return Ok(cells);
    };
    let mut row_index: u32 = 0;
    let mut first_row = true;
    for row in data.children().filter(|n| n.tag_name().name() == "row") {
        row_index = match row.attribute("r").and_then(|r| r.parse::<u32>().ok()) {
            Some(r) if r >= 1 => r - 1,
            _ if first_row => 0,
            _ => row_index + 1,
        };
        first_row = false;
        let mut col: Option<u32> = None;
        for c in row.children().filter(|n| n.tag_name().name() == "c") {
            let (r, cc) = match c.attribute("r") {
                Some(reference) => parse_cell_ref(reference)
                    .ok_or_else(|| damaged(part, format!("cell reference {reference:?} is not A1 notation")))?,
                None => (row_index, col.map_or(0, |c| c + 1)),
            };
            col = Some(cc);
            let child_text = |name: &str| c.children().find(|n| n.tag_name().name() == name).and_then(|n| n.text());
            let style = c
                .attribute("s")
                .and_then(|s| s.parse::<usize>().ok())
                .and_then(|s| styles.get(s).copied())
                .unwrap_or(NumberStyle::Plain);
            let value = match c.attribute("t").unwrap_or("n") {
                "s" => {
                    let Some(v) = child_text("v") else { continue };
                    let index: usize = v.trim().parse().map_err(|_| damaged(part, "shared string index"))?;
                    CellValue::Text(
                        shared.get(index).cloned().ok_or_else(|| damaged(part, "shared string index out of range"))?,
                    )
                }
                "inlineStr" => match c.children().find(|n| n.tag_name().name() == "is") {
                    Some(is) => CellValue::Text(string_item(is)),
                    None => continue,
                },
                "str" => CellValue::Text(unescape_ooxml(child_text("v").unwrap_or(""))),
                "b" => CellValue::Bool(matches!(child_text("v").map(str::trim), Some("1" | "true"))),
                "e" => CellValue::Error(child_text("v").unwrap_or("#N/A").to_owned()),
                "d" => {
                    let Some(v) = child_text("v") else { continue };
                    let v = v.trim();
                    match NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S%.f")
                        .ok()
                        .or_else(|| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)))
                    {
                        Some(dt) => CellValue::Date(dt),
                        None => CellValue::Text(v.to_owned()),
                    }
                }
                _ => {
                    let Some(v) = child_text("v") else { continue };
                    let n: f64 = v.trim().parse().map_err(|_| damaged(part, format!("{v:?} is not a number")))?;
                    match style {
                        NumberStyle::Plain => CellValue::Number(n),
                        NumberStyle::Percent => CellValue::Percent(n),
                        NumberStyle::Date => {
                            serial_to_datetime(n, date1904).map_or(CellValue::Number(n), CellValue::Date)
                        }
                    }
                }
            };
            if matches!(&value, CellValue::Text(t) if t.is_empty()) {
                continue;
            }
            cells.insert((r, cc), value);
        }
    }
    Ok(cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_and_column_letters_round_trip() {
        assert_eq!(parse_cell_ref("A1"), Some((0, 0)));
        assert_eq!(parse_cell_ref("E12"), Some((11, 4)));
        assert_eq!(parse_cell_ref("AB3"), Some((2, 27)));
        assert_eq!(parse_cell_ref("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(parse_cell_ref("12"), None);
        assert_eq!(parse_cell_ref("A0"), None);
        for col in [0, 25, 26, 27, 701, 702, 16_383] {
            let letters = column_letter(col);
            assert_eq!(parse_cell_ref(&format!("{letters}1")), Some((0, col)), "{letters}");
        }
        assert_eq!(column_letter(16_383), "XFD");
    }

    #[test]
    fn format_codes_are_classified_by_what_they_show() {
        assert_eq!(classify_format("dd/mm/yyyy"), NumberStyle::Date);
        assert_eq!(classify_format("[$-42A]DD/MM/YYYY"), NumberStyle::Date);
        assert_eq!(classify_format("mmm yyyy"), NumberStyle::Date);
        assert_eq!(classify_format("0.0%"), NumberStyle::Percent);
        assert_eq!(classify_format("#,##0 \"đ\""), NumberStyle::Plain);
        assert_eq!(classify_format("#,##0 \"ngày\""), NumberStyle::Plain, "quoted text is not a format");
        assert_eq!(classify_format("[Red]#,##0.00"), NumberStyle::Plain, "a colour is not a day");
        assert_eq!(classify_format("h:mm"), NumberStyle::Plain, "a time of day is not a date");
        assert_eq!(classify_format("General"), NumberStyle::Plain);
        assert_eq!(builtin_style(14), NumberStyle::Date);
        assert_eq!(builtin_style(3), NumberStyle::Plain);
        assert_eq!(builtin_style(10), NumberStyle::Percent);
    }

    #[test]
    fn serials_are_excel_dates_in_both_systems() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap().and_hms_opt(0, 0, 0).unwrap();
        assert_eq!(serial_to_datetime(46086.0, false), Some(d(2026, 3, 5)));
        assert_eq!(serial_to_datetime(61.0, false), Some(d(1900, 3, 1)));
        assert_eq!(serial_to_datetime(1.0, false), Some(d(1900, 1, 1)));
        assert_eq!(serial_to_datetime(44624.0, true), Some(d(2026, 3, 5)));
        assert_eq!(serial_to_datetime(46086.5, false).unwrap().format("%H:%M").to_string(), "12:00");
        assert_eq!(serial_to_datetime(-1.0, false), None);
    }

    #[test]
    fn ooxml_escapes_are_decoded() {
        assert_eq!(unescape_ooxml("a_x000D_b"), "a\rb");
        assert_eq!(unescape_ooxml("tax_x"), "tax_x");
        assert_eq!(unescape_ooxml("_x00"), "_x00");
    }
}
