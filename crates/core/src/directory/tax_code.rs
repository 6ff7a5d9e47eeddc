//! The tax code (mã số thuế, MST) of an enterprise or organisation.
//!
//! [`TaxCode::parse`] checks the format only: 10 digits for the head office, or those 10 digits, a dash
//! and 3 digits (not `000`) for a branch or dependent unit. The directory keeps any well-formed code (its
//! records come from many sources, some of them hand-typed long ago).
//!
//! The tenth digit is a check digit (N10 in the structure of the code, Thông tư 105/2020/TT-BTC and the
//! earlier circulars): with the weights 31, 29, 23, 19, 17, 13, 7, 5, 3 on the first nine digits, the
//! check digit is `10 − (weighted sum mod 11)`, and a remainder of 0 (which would give 10) is never
//! issued. The rule agrees with the codes of large enterprises published on their own sites (Vietcombank
//! 0100112437, Viettel 0100109106, FPT 0101248141, Vinamilk 0300588569, Petrolimex 0100107370: a code
//! may end in 0). [`TaxCode::parse_checked`] applies it where an enterprise states its own code (the S&T
//! enterprise certificate application); a branch's code is checked on its head office's ten digits.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a text is not a tax code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaxCodeError {
    /// Not 10 digits, nor 10 digits, a dash and 3 digits.
    #[error("a tax code has 10 digits, or 10 digits, a dash and 3 digits for a branch")]
    Format,
    /// Well formed, but the tenth digit is not the check digit of the first nine.
    #[error("the tenth digit of a tax code is not the check digit of the first nine")]
    CheckDigit,
}

/// The weights of the first nine digits in the check digit.
const WEIGHTS: [u32; 9] = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/// The check digit of nine digits (`None` for the nine digits no code is issued with: a weighted sum
/// divisible by 11).
pub fn check_digit(first_nine: &[u8; 9]) -> Option<u8> {
    let sum: u32 = first_nine.iter().zip(WEIGHTS).map(|(d, w)| u32::from(*d) * w).sum();
    let digit = 10 - sum % 11;
    u8::try_from(digit).ok().filter(|d| *d < 10)
}

/// A tax code, in its canonical form: `5701234567` or `5701234567-001`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TaxCode(String);

impl TaxCode {
    /// Parses a tax code as people write it: spaces and dots between digits are ignored, and the branch
    /// suffix may come with or without its dash (`0314409058 - 002`, `0314409058002`).
    pub fn parse(raw: &str) -> Result<TaxCode, TaxCodeError> {
        let compact: String = raw.chars().filter(|c| !c.is_whitespace() && *c != '.').collect();
        if !compact.is_ascii() {
            return Err(TaxCodeError::Format);
        }
        let (head, branch) = match compact.split_once('-') {
            Some((head, branch)) => (head.to_owned(), Some(branch.to_owned())),
            None if compact.len() == 13 => (compact[..10].to_owned(), Some(compact[10..].to_owned())),
            None => (compact, None),
        };
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(&head, 10) {
            return Err(TaxCodeError::Format);
        }
        match branch {
            None => Ok(TaxCode(head)),
            Some(b) if digits(&b, 3) && b != "000" => Ok(TaxCode(format!("{head}-{b}"))),
            Some(_) => Err(TaxCodeError::Format),
        }
    }

    /// Parses a tax code as [`TaxCode::parse`] does, and checks its tenth digit ([`check_digit`]).
    pub fn parse_checked(raw: &str) -> Result<TaxCode, TaxCodeError> {
        let code = TaxCode::parse(raw)?;
        if code.has_valid_check_digit() { Ok(code) } else { Err(TaxCodeError::CheckDigit) }
    }

    /// Whether the tenth digit is the check digit of the first nine.
    pub fn has_valid_check_digit(&self) -> bool {
        let digits: Vec<u8> = self.0.bytes().take(10).map(|b| b - b'0').collect();
        let mut nine = [0u8; 9];
        nine.copy_from_slice(&digits[..9]);
        check_digit(&nine) == Some(digits[9])
    }

    /// The canonical form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The head office's code: the first 10 digits.
    pub fn head_office(&self) -> &str {
        &self.0[..10]
    }

    /// The branch number, for a branch.
    pub fn branch(&self) -> Option<&str> {
        self.0.get(11..)
    }
}

impl fmt::Display for TaxCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for TaxCode {
    type Error = TaxCodeError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        TaxCode::parse(&value)
    }
}

impl From<TaxCode> for String {
    fn from(code: TaxCode) -> String {
        code.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_office_and_branch_codes_are_accepted_in_the_usual_spellings() {
        let cases = [
            ("5701234567", "5701234567"),
            (" 5701234567 ", "5701234567"),
            ("57 0123 4567", "5701234567"),
            ("57.01.234.567", "5701234567"),
            ("0314409058-002", "0314409058-002"),
            ("0314409058 - 002", "0314409058-002"),
            ("0314409058002", "0314409058-002"),
            // `parse` checks the format only: a wrong check digit is kept (see the module documentation).
            ("0100233480", "0100233480"),
        ];
        for (raw, canonical) in cases {
            let code = TaxCode::parse(raw).unwrap_or_else(|e| panic!("{raw:?}: {e}"));
            assert_eq!(code.as_str(), canonical, "{raw:?}");
        }
        let branch = TaxCode::parse("0314409058-002").unwrap();
        assert_eq!(branch.head_office(), "0314409058");
        assert_eq!(branch.branch(), Some("002"));
        assert_eq!(TaxCode::parse("0314409058").unwrap().branch(), None);
    }

    #[test]
    fn malformed_codes_are_refused() {
        for raw in [
            "",
            "123",
            "570123456",
            "57012345678",
            "570123456X",
            "5701234567-",
            "5701234567-01",
            "5701234567-0001",
            "5701234567-000",
            "5701234567000",
            "5701234567-00a",
            "5701-234567",
            "٥٧٠١٢٣٤٥٦٧",
        ] {
            assert_eq!(TaxCode::parse(raw), Err(TaxCodeError::Format), "{raw:?}");
        }
    }

    #[test]
    fn the_check_digit_agrees_with_published_codes() {
        for raw in ["0100112437", "0100109106", "0101248141", "0300588569", "0100107370", "0100107370-001"] {
            assert!(TaxCode::parse_checked(raw).is_ok(), "{raw}");
        }
        // One digit off, two digits swapped, the branch of a wrong head office.
        for raw in ["0100112438", "0100112473", "0100233480", "0100233480-001", "5701234567"] {
            assert_eq!(TaxCode::parse_checked(raw), Err(TaxCodeError::CheckDigit), "{raw}");
        }
        assert_eq!(TaxCode::parse_checked("12"), Err(TaxCodeError::Format));
    }

    fn nine() -> impl proptest::strategy::Strategy<Value = [u8; 9]> {
        proptest::array::uniform9(0u8..10)
    }

    proptest::proptest! {
        #[test]
        fn a_code_built_with_its_check_digit_is_accepted_with_or_without_a_branch(d in nine(), branch in 1u16..1000) {
            if let Some(c) = check_digit(&d) {
                let head: String = d.iter().chain(std::iter::once(&c)).map(|x| char::from(b'0' + x)).collect();
                proptest::prop_assert!(TaxCode::parse_checked(&head).is_ok());
                let branch_code = format!("{head}-{branch:03}");
                proptest::prop_assert!(TaxCode::parse_checked(&branch_code).is_ok());
            }
        }

        #[test]
        fn changing_any_one_digit_breaks_the_check(d in nine(), at in 0usize..10, by in 1u8..10) {
            if let Some(c) = check_digit(&d) {
                let mut all: Vec<u8> = d.to_vec();
                all.push(c);
                all[at] = (all[at] + by) % 10;
                let text: String = all.iter().map(|x| char::from(b'0' + x)).collect();
                // Every weight is prime to 11 and below it, so a single changed digit changes the sum mod 11.
                proptest::prop_assert_eq!(TaxCode::parse_checked(&text), Err(TaxCodeError::CheckDigit));
            }
        }

        #[test]
        fn exactly_one_tenth_digit_fits_unless_none_is_issued(d in nine()) {
            let fits = (0u8..10)
                .filter(|c| {
                    let text: String = d.iter().chain(std::iter::once(c)).map(|x| char::from(b'0' + x)).collect();
                    TaxCode::parse_checked(&text).is_ok()
                })
                .count();
            proptest::prop_assert_eq!(fits, usize::from(check_digit(&d).is_some()));
        }
    }

    #[test]
    fn tax_codes_serialise_as_their_canonical_string() {
        let code = TaxCode::parse("0314409058002").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"0314409058-002\"");
        assert!(serde_json::from_str::<TaxCode>("\"12\"").is_err());
    }
}
