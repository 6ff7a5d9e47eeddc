//! The tax code (mã số thuế, MST) of an enterprise or organisation.
//!
//! Format only: 10 digits for the head office, or those 10 digits, a dash and 3 digits (not `000`) for a
//! branch or dependent unit. The tenth digit is said to be a check digit, but the only algorithm we found
//! is in third-party libraries citing unofficial web pages, and it declares every code ending in 0
//! invalid; we could not verify it against a legal text (the tax administration's decisions on the
//! structure of the code do not publish it), so a wrong check digit is not refused.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a text is not a tax code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TaxCodeError {
    /// Not 10 digits, nor 10 digits, a dash and 3 digits.
    #[error("a tax code has 10 digits, or 10 digits, a dash and 3 digits for a branch")]
    Format,
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
            // The check digit is not verified (see the module documentation): a code ending in 0 is fine.
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
    fn tax_codes_serialise_as_their_canonical_string() {
        let code = TaxCode::parse("0314409058002").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"0314409058-002\"");
        assert!(serde_json::from_str::<TaxCode>("\"12\"").is_err());
    }
}
