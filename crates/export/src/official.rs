//! The formatting rules of Vietnamese official documents (Nghị định 30/2020/NĐ-CP, Phụ lục I, and
//! for Party documents Hướng dẫn 36-HD/VPTW): number and symbol, place and date line, heading
//! numbers, signature prefixes.

use chrono::{Datelike, NaiveDate};

/// Which set of rules a document follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentSystem {
    /// Văn bản hành chính (Nghị định 30/2020/NĐ-CP): national title and motto on the right.
    State,
    /// Văn bản của Đảng (Hướng dẫn 36-HD/VPTW): "ĐẢNG CỘNG SẢN VIỆT NAM" on the right.
    Party,
}

/// What a draft prints in place of its number (see [`DocumentNumber::line`]): thirteen no-break
/// spaces, about 15 mm at 13 points.
pub const DRAFT_NUMBER_SPACE: &str = "\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}";

/// Số và ký hiệu: the number of a document and its symbol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentNumber {
    /// The running number within the year (state) or the committee term (Party).
    pub number: u32,
    /// The year, written only for legal normative documents (`12/2024/QĐ-UBND`).
    pub year: Option<i32>,
    /// Type abbreviation (`BC`, `QĐ`, `NQ`...); `None` for a công văn.
    pub kind_code: Option<String>,
    /// Issuer abbreviation, e.g. `SKHCN`, `TU`, or `SKHCN-QLKH` for a công văn.
    pub issuer_code: String,
    /// The number and symbol as a register of their own writes them (an S&T enterprise certificate's
    /// `01/2020/DNKHCN`), printed after `Số: ` in place of the parts above.
    pub written: Option<String>,
}

impl DocumentNumber {
    /// A number with a type and issuer, e.g. `DocumentNumber::new(45, "BC", "SKHCN")`.
    pub fn new(number: u32, kind_code: &str, issuer_code: &str) -> Self {
        DocumentNumber {
            number,
            year: None,
            kind_code: Some(kind_code.to_owned()),
            issuer_code: issuer_code.to_owned(),
            written: None,
        }
    }

    /// A number kept by a register of its own, printed as written: `Số: 01/2020/DNKHCN`.
    pub fn as_written(text: &str) -> Self {
        DocumentNumber {
            number: 0,
            year: None,
            kind_code: None,
            issuer_code: String::new(),
            written: Some(text.trim().to_owned()),
        }
    }

    /// The line printed under the issuing authority.
    ///
    /// State documents: `Số: 45/BC-SKHCN`, `Số: 12/2024/QĐ-UBND`, `Số: 456/SKHCN-QLKH`.
    /// Party documents: `Số 07-NQ/TU` (no colon, number-type/issuer). Numbers below 10 get a
    /// leading zero in both systems. A draft (number 0) leaves [`DRAFT_NUMBER_SPACE`] for the
    /// number: `Số:             /TB-SKHCN`.
    pub fn line(&self, system: DocumentSystem) -> String {
        if let Some(written) = &self.written {
            return match system {
                DocumentSystem::State => format!("Số: {written}"),
                DocumentSystem::Party => format!("Số {written}"),
            };
        }
        // A draft has no number yet: the clerk writes it by hand at registration, in a space about
        // 15 mm wide of no-break spaces, which neither Word nor the PDF layout collapses.
        let n = if self.number == 0 { DRAFT_NUMBER_SPACE.to_owned() } else { format!("{:02}", self.number) };
        match system {
            DocumentSystem::State => {
                let mut s = format!("Số: {n}/");
                if let Some(year) = self.year {
                    s.push_str(&format!("{year}/"));
                }
                if let Some(kind) = &self.kind_code {
                    s.push_str(kind);
                    s.push('-');
                }
                s.push_str(&self.issuer_code);
                s
            }
            DocumentSystem::Party => match &self.kind_code {
                Some(kind) => format!("Số {n}-{kind}/{}", self.issuer_code),
                None => format!("Số {n}/{}", self.issuer_code),
            },
        }
    }
}

/// `Quảng Ninh, ngày 05 tháng 3 năm 2026`: days below 10 and the months January and February
/// get a leading zero (so that nobody can add a digit afterwards); other months do not.
pub fn place_date_line(place: &str, date: NaiveDate) -> String {
    let month = if date.month() <= 2 { format!("{:02}", date.month()) } else { date.month().to_string() };
    format!("{place}, ngày {:02} tháng {month} năm {}", date.day(), date.year())
}

/// Upper-case Roman numeral for section headings (`I`, `II`, `IV`...).
pub fn roman(mut n: u32) -> String {
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// Numbers headings by level: `I.`, `1.`, `1.1.`, `a)`. Keeps one counter per level and resets
/// the deeper ones when a shallower heading appears.
#[derive(Debug, Default)]
pub struct HeadingCounter {
    counts: [u32; 4],
}

impl HeadingCounter {
    /// The label of the next heading at `level` (1 to 4).
    pub fn next(&mut self, level: u8) -> String {
        let i = usize::from(level.clamp(1, 4)) - 1;
        self.counts[i] += 1;
        for deeper in &mut self.counts[i + 1..] {
            *deeper = 0;
        }
        match i {
            0 => format!("{}.", roman(self.counts[0])),
            1 => format!("{}.", self.counts[1]),
            2 => format!("{}.{}.", self.counts[1], self.counts[2]),
            _ => {
                let letter = char::from_u32(u32::from('a') + (self.counts[3] - 1) % 26).unwrap_or('a');
                format!("{letter})")
            }
        }
    }
}

/// Thẩm quyền ký: how the signer signs when not in their own name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigningMode {
    /// `KT.` (ký thay): a deputy signs for the head.
    OnBehalf,
    /// `TL.` (thừa lệnh): signs by order of the head.
    ByOrder,
    /// `TM.` (thay mặt): signs for a collective body.
    ForCollective,
    /// `Q.` (quyền): acting head.
    Acting,
    /// `TUQ.` (thừa ủy quyền): signs under delegated authority.
    Delegated,
}

impl SigningMode {
    /// The prefix written before the authority line.
    pub fn prefix(self) -> &'static str {
        match self {
            SigningMode::OnBehalf => "KT.",
            SigningMode::ByOrder => "TL.",
            SigningMode::ForCollective => "TM.",
            SigningMode::Acting => "Q.",
            SigningMode::Delegated => "TUQ.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn place_date_line_pads_days_below_ten_and_months_one_and_two_only() {
        assert_eq!(place_date_line("Quảng Ninh", d(2026, 3, 5)), "Quảng Ninh, ngày 05 tháng 3 năm 2026");
        assert_eq!(place_date_line("Hà Nội", d(2026, 1, 15)), "Hà Nội, ngày 15 tháng 01 năm 2026");
        assert_eq!(place_date_line("Hà Nội", d(2026, 2, 9)), "Hà Nội, ngày 09 tháng 02 năm 2026");
        assert_eq!(place_date_line("Hà Nội", d(2026, 12, 31)), "Hà Nội, ngày 31 tháng 12 năm 2026");
        assert_eq!(place_date_line("Hà Nội", d(2026, 10, 10)), "Hà Nội, ngày 10 tháng 10 năm 2026");
    }

    #[test]
    fn state_number_line_has_colon_slash_and_leading_zero() {
        let n = DocumentNumber::new(45, "BC", "SKHCN");
        assert_eq!(n.line(DocumentSystem::State), "Số: 45/BC-SKHCN");
        let n = DocumentNumber::new(5, "QĐ", "UBND");
        assert_eq!(n.line(DocumentSystem::State), "Số: 05/QĐ-UBND");
        let normative = DocumentNumber { year: Some(2024), ..DocumentNumber::new(12, "QĐ", "UBND") };
        assert_eq!(normative.line(DocumentSystem::State), "Số: 12/2024/QĐ-UBND");
        let official_letter = DocumentNumber {
            number: 456,
            year: None,
            kind_code: None,
            issuer_code: "SKHCN-QLKH".into(),
            written: None,
        };
        assert_eq!(official_letter.line(DocumentSystem::State), "Số: 456/SKHCN-QLKH");
        assert_eq!(DocumentNumber::as_written(" 01/2020/DNKHCN ").line(DocumentSystem::State), "Số: 01/2020/DNKHCN");
    }

    #[test]
    fn party_number_line_is_number_dash_type_slash_issuer_without_colon() {
        let n = DocumentNumber::new(7, "NQ", "TU");
        assert_eq!(n.line(DocumentSystem::Party), "Số 07-NQ/TU");
    }

    #[test]
    fn headings_are_numbered_roman_then_arabic_then_decimal_then_letters() {
        let mut c = HeadingCounter::default();
        assert_eq!(c.next(1), "I.");
        assert_eq!(c.next(2), "1.");
        assert_eq!(c.next(3), "1.1.");
        assert_eq!(c.next(3), "1.2.");
        assert_eq!(c.next(4), "a)");
        assert_eq!(c.next(4), "b)");
        assert_eq!(c.next(2), "2.");
        assert_eq!(c.next(3), "2.1.");
        assert_eq!(c.next(1), "II.");
        assert_eq!(c.next(2), "1.");
        assert_eq!(roman(4), "IV");
        assert_eq!(roman(9), "IX");
        assert_eq!(roman(14), "XIV");
    }
}

#[cfg(test)]
mod draft_number_tests {
    use super::*;

    #[test]
    fn a_draft_leaves_the_number_blank() {
        let n = DocumentNumber::new(0, "BC", "SKHCN");
        assert_eq!(n.line(DocumentSystem::State), format!("Số: {DRAFT_NUMBER_SPACE}/BC-SKHCN"));
        assert_eq!(DRAFT_NUMBER_SPACE.chars().count(), 13);
        assert_eq!(DocumentNumber::new(5, "BC", "SKHCN").line(DocumentSystem::State), "Số: 05/BC-SKHCN");
    }
}
