//! Display formats: dates `dd/mm/yyyy`, Vietnamese number separators, money in đồng.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::lang::Lang;
use crate::time::to_vietnam;

/// `05/03/2026`: day and month with leading zeros, as Vietnamese officials write dates.
pub fn date(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// Parses a date as people type it: `31/12/2026`, `1/7/2025` (day first, the Vietnamese order) or the
/// ISO `2026-12-31` that date inputs send.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(d);
    }
    let parts: Vec<&str> = s.split(['/', '.', '-']).collect();
    if parts.len() != 3 || parts[2].len() != 4 {
        return None;
    }
    let day = parts[0].parse().ok()?;
    let month = parts[1].parse().ok()?;
    let year = parts[2].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// `05/03/2026 14:07` in Vietnamese local time.
pub fn datetime(instant: DateTime<Utc>) -> String {
    let local = to_vietnam(instant);
    format!("{} {}", date(crate::time::vietnam_date(instant)), local.format("%H:%M"))
}

/// Groups the digits of a non-negative integer with `sep` every three digits.
fn group_digits(digits: &str, sep: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// An integer with thousands separators: `1.234.567` in Vietnamese, `1,234,567` in English.
pub fn integer(n: i64, lang: Lang) -> String {
    let sep = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let grouped = group_digits(&n.unsigned_abs().to_string(), sep);
    if n < 0 { format!("-{grouped}") } else { grouped }
}

/// A decimal number with at most `decimals` fraction digits (trailing zeros dropped):
/// `1.234,5` in Vietnamese, `1,234.5` in English.
pub fn decimal(x: f64, decimals: usize, lang: Lang) -> String {
    if !x.is_finite() {
        return "—".to_owned();
    }
    let (thousands, point) = match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    };
    let text = format!("{:.*}", decimals, x.abs());
    let (int_part, frac_part) = text.split_once('.').unwrap_or((&text, ""));
    let frac = frac_part.trim_end_matches('0');
    let mut out = String::new();
    if x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    out.push_str(&group_digits(int_part, thousands));
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

/// An amount of money in đồng: `1.250.000 đ`.
pub fn money(dong: i64, lang: Lang) -> String {
    format!("{} đ", integer(dong, lang))
}

/// An amount of đồng in words, as a contract writes it after the figure (`bằng chữ`): `Một tỷ tám trăm
/// năm mươi triệu đồng`. Groups of three digits are read in full after the first (`một tỷ không trăm
/// năm mươi triệu`), empty groups are skipped, and the usual forms are kept: `mười lăm`, `hai mươi mốt`,
/// `ba mươi tư`, `một trăm linh năm`.
pub fn dong_in_words(dong: i64) -> String {
    let mut words = if dong == 0 { "không".to_owned() } else { unsigned_in_words(dong.unsigned_abs(), true) };
    if dong < 0 {
        words = format!("âm {words}");
    }
    let mut chars = words.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>()).unwrap_or_default();
    format!("{first}{} đồng", chars.as_str())
}

/// A positive number in words; `leading` when nothing is read before it (no `không trăm` then).
fn unsigned_in_words(n: u64, leading: bool) -> String {
    const BILLION: u64 = 1_000_000_000;
    if n >= BILLION {
        // Above a billion the count of billions is read as a number of its own: `một nghìn tỷ`.
        let mut out = format!("{} tỷ", unsigned_in_words(n / BILLION, leading));
        if !n.is_multiple_of(BILLION) {
            out.push(' ');
            out.push_str(&unsigned_in_words(n % BILLION, false));
        }
        return out;
    }
    let groups = [(n / 1_000_000, "triệu"), (n / 1_000 % 1_000, "nghìn"), (n % 1_000, "")];
    let mut parts: Vec<String> = Vec::new();
    let mut started = !leading;
    for (group, scale) in groups {
        if group == 0 {
            continue;
        }
        let mut part = group_in_words(group, !started);
        if !scale.is_empty() {
            part.push(' ');
            part.push_str(scale);
        }
        parts.push(part);
        started = true;
    }
    parts.join(" ")
}

/// A group of three digits (1–999) in words; `leading` leaves out an empty hundreds and tens.
fn group_in_words(n: u64, leading: bool) -> String {
    const DIGITS: [&str; 10] = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];
    let (hundreds, tens, units) = ((n / 100) as usize, (n / 10 % 10) as usize, (n % 10) as usize);
    let mut words: Vec<&str> = Vec::new();
    if hundreds > 0 || !leading {
        words.extend([DIGITS[hundreds], "trăm"]);
    }
    match tens {
        0 if units > 0 && !words.is_empty() => words.push("linh"),
        0 => {}
        1 => words.push("mười"),
        t => words.extend([DIGITS[t], "mươi"]),
    }
    match units {
        0 => {}
        1 if tens >= 2 => words.push("mốt"),
        4 if tens >= 2 => words.push("tư"),
        5 if tens >= 1 => words.push("lăm"),
        u => words.push(DIGITS[u]),
    }
    words.join(" ")
}

/// Why a typed number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberError {
    /// Nothing typed.
    Empty,
    /// Letters or symbols that are not a number ("N/A", "khoảng 5", "12a").
    NotANumber,
    /// Separators in the wrong places ("1.23.4", "1,2,3").
    BadGrouping,
}

impl NumberError {
    /// A stable code for field errors.
    pub fn code(self) -> &'static str {
        match self {
            NumberError::Empty => "required",
            NumberError::NotANumber => "not_a_number",
            NumberError::BadGrouping => "number_grouping",
        }
    }
}

/// Parses a number as Vietnamese officials type it: `1.234.567` (dots group thousands), `1.234,5` (a comma
/// before the decimals), `12,5`, `-3`, spaces anywhere. A single dot followed by other than exactly three
/// digits is read as a decimal point (`1.5`), the way spreadsheets exported in English write it. Anything else
/// (`N/A`, `—`, `5 người`) is refused rather than guessed.
pub fn parse_number(text: &str) -> Result<f64, NumberError> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() {
        return Err(NumberError::Empty);
    }
    let (negative, body) = match t.strip_prefix('-').or_else(|| t.strip_prefix('−')) {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(&t)),
    };
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') {
        return Err(NumberError::NotANumber);
    }
    // `1.234.567`: a first group of one to three digits, then groups of exactly three.
    let groups_ok = |int: &str| {
        let parts: Vec<&str> = int.split('.').collect();
        match parts.as_slice() {
            [only] => !only.is_empty(),
            [first, rest @ ..] => (1..=3).contains(&first.len()) && rest.iter().all(|g| g.len() == 3),
            [] => false,
        }
    };
    let normalized = if let Some((int, frac)) = body.split_once(',') {
        if frac.is_empty() || frac.contains([',', '.']) || !groups_ok(int) {
            return Err(NumberError::BadGrouping);
        }
        format!("{}.{frac}", int.replace('.', ""))
    } else if body.matches('.').count() > 1 {
        if !groups_ok(body) {
            return Err(NumberError::BadGrouping);
        }
        body.replace('.', "")
    } else if let Some((int, frac)) = body.split_once('.') {
        if int.is_empty() || frac.is_empty() {
            return Err(NumberError::BadGrouping);
        }
        if frac.len() == 3 { format!("{int}{frac}") } else { body.to_owned() }
    } else {
        body.to_owned()
    };
    let value: f64 = normalized.parse().map_err(|_| NumberError::NotANumber)?;
    if !value.is_finite() {
        return Err(NumberError::NotANumber);
    }
    Ok(if negative { -value } else { value })
}

/// Parses an amount of đồng exactly, as integers (never through a float): `1.250.000.000`, `1 250 000 000`,
/// `1250000000`, optionally followed by `đ`, `đồng` or `VND`. A decimal part or a minus sign is refused
/// (`money_format`): money is counted in whole đồng and is never negative in a form.
pub fn parse_dong(text: &str) -> Result<i64, &'static str> {
    let t = text.trim();
    let t = ["đồng", "đ", "VNĐ", "VND", "vnđ", "vnd"]
        .iter()
        .find_map(|suffix| t.strip_suffix(suffix))
        .unwrap_or(t)
        .trim_end();
    let body: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if body.is_empty() {
        return Err(NumberError::Empty.code());
    }
    if body.starts_with(['-', '−']) || body.contains(',') {
        return Err("money_format");
    }
    if !body.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(NumberError::NotANumber.code());
    }
    let parts: Vec<&str> = body.split('.').collect();
    let grouped = match parts.as_slice() {
        [_] => true,
        [first, rest @ ..] => (1..=3).contains(&first.len()) && rest.iter().all(|g| g.len() == 3),
        [] => false,
    };
    if !grouped {
        // `12.5` is a decimal amount, not a grouping mistake.
        return Err(if parts.len() == 2 { "money_format" } else { NumberError::BadGrouping.code() });
    }
    let digits = body.replace('.', "");
    match digits.parse::<i64>() {
        Ok(n) if n <= 1_000_000_000_000_000 => Ok(n),
        _ => Err("money_format"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn amounts_of_dong_are_read_in_words_the_way_contracts_write_them() {
        for (n, words) in [
            (0, "Không đồng"),
            (5, "Năm đồng"),
            (15, "Mười lăm đồng"),
            (21, "Hai mươi mốt đồng"),
            (105, "Một trăm linh năm đồng"),
            (1_024, "Một nghìn không trăm hai mươi tư đồng"),
            (300_000_000, "Ba trăm triệu đồng"),
            (450_000_000, "Bốn trăm năm mươi triệu đồng"),
            (1_200_000_000, "Một tỷ hai trăm triệu đồng"),
            (1_850_000_000, "Một tỷ tám trăm năm mươi triệu đồng"),
            (1_050_000_000, "Một tỷ không trăm năm mươi triệu đồng"),
            (2_300_015_000, "Hai tỷ ba trăm triệu không trăm mười lăm nghìn đồng"),
            (1_000_500, "Một triệu năm trăm đồng"),
            (1_000_000_000_000, "Một nghìn tỷ đồng"),
            (
                12_345_678_901,
                "Mười hai tỷ ba trăm bốn mươi lăm triệu sáu trăm bảy mươi tám nghìn chín trăm linh một đồng",
            ),
        ] {
            assert_eq!(dong_in_words(n), words, "{n}");
        }
    }

    #[test]
    fn numbers_are_read_as_vietnamese_officials_type_them() {
        assert_eq!(parse_number("1.234.567"), Ok(1_234_567.0));
        assert_eq!(parse_number("1.234"), Ok(1234.0));
        assert_eq!(parse_number("1.234,5"), Ok(1234.5));
        assert_eq!(parse_number("12,5"), Ok(12.5));
        assert_eq!(parse_number(" 1 250 000 "), Ok(1_250_000.0));
        assert_eq!(parse_number("1.5"), Ok(1.5));
        assert_eq!(parse_number("-3"), Ok(-3.0));
        assert_eq!(parse_number("0"), Ok(0.0));
        assert_eq!(parse_number("N/A"), Err(NumberError::NotANumber));
        assert_eq!(parse_number("5 người"), Err(NumberError::NotANumber));
        assert_eq!(parse_number("—"), Err(NumberError::NotANumber));
        assert_eq!(parse_number(""), Err(NumberError::Empty));
        assert_eq!(parse_number("1.23.4"), Err(NumberError::BadGrouping));
        assert_eq!(parse_number("1,2,3"), Err(NumberError::BadGrouping));
        assert_eq!(parse_number("12.3456,7"), Err(NumberError::BadGrouping));
    }

    #[test]
    fn dates_have_leading_zeros() {
        assert_eq!(date(NaiveDate::from_ymd_opt(2026, 3, 5).unwrap()), "05/03/2026");
    }

    #[test]
    fn dates_parse_day_first_or_iso() {
        let d = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
        assert_eq!(parse_date("01/07/2025"), Some(d));
        assert_eq!(parse_date("1/7/2025"), Some(d));
        assert_eq!(parse_date("2025-07-01"), Some(d));
        assert_eq!(parse_date("31/02/2025"), None);
        assert_eq!(parse_date("07/01/25"), None);
        assert_eq!(parse_date("hôm nay"), None);
    }

    #[test]
    fn datetimes_are_shown_in_vietnam_time() {
        let t = Utc.with_ymd_and_hms(2020, 2, 27, 1, 30, 0).unwrap();
        assert_eq!(datetime(t), "27/02/2020 08:30");
    }

    #[test]
    fn numbers_use_the_language_separators() {
        assert_eq!(integer(1_234_567, Lang::Vi), "1.234.567");
        assert_eq!(integer(-1_000, Lang::En), "-1,000");
        assert_eq!(integer(999, Lang::Vi), "999");
        assert_eq!(decimal(1234.5, 2, Lang::Vi), "1.234,5");
        assert_eq!(decimal(1234.5, 2, Lang::En), "1,234.5");
        assert_eq!(decimal(-0.001, 2, Lang::Vi), "0");
        assert_eq!(decimal(12.0, 2, Lang::Vi), "12");
        assert_eq!(money(1_250_000, Lang::Vi), "1.250.000 đ");
        assert_eq!(parse_dong("1.250.000.000"), Ok(1_250_000_000));
        assert_eq!(parse_dong(" 1 250 000 000 đồng"), Ok(1_250_000_000));
        assert_eq!(parse_dong("350000000 VND"), Ok(350_000_000));
        assert_eq!(parse_dong("999.999.999.999.999"), Ok(999_999_999_999_999));
        assert_eq!(parse_dong("9.007.199.254.740.993"), Err("money_format"), "over a million billion đồng");
        assert_eq!(parse_dong("12,5"), Err("money_format"));
        assert_eq!(parse_dong("12.5"), Err("money_format"));
        assert_eq!(parse_dong("-5"), Err("money_format"));
        assert_eq!(parse_dong("1.23.456"), Err("number_grouping"));
        assert_eq!(parse_dong("khoảng 5 tỷ"), Err("not_a_number"));
        assert_eq!(parse_dong(""), Err("required"));
    }
}
