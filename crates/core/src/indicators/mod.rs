//! Indicators (KPI, chỉ số): the catalogue that the province's scorecard, plan targets and their exports
//! read (issue 19). An indicator has a code, a name in Vietnamese and English, a unit, a direction, a
//! periodicity, the level it is reported at, a layer (strategic or operational, as the NQ 57 monitoring
//! system has them) and a parent in the tree; and a definition, which is data:
//!
//! - a typed yearly figure ([`Definition::Typed`]), as plan targets were before;
//! - a [`Formula`]: a numerator and an optional denominator, each a sum of terms over report fields (the
//!   report indicators that template fields report into), records of a module ([`Source`]) and constants,
//!   as DHIS2 indicators are.
//!
//! Nothing here reads a database: the formula is parsed and checked here ([`formula`]), the tree is
//! checked for cycles ([`tree`]), the status of a figure against its target is one rule ([`status`]).

pub mod formula;
pub mod source;
pub mod status;
pub mod tree;

pub use formula::{Expr, Formula, FormulaError, Operand, OverUnits, Term};
pub use source::Source;
pub use status::{Standing, Status};

/// Whether more is better (spending on R&D) or less is (days to handle a dossier).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Higher is better.
    Higher,
    /// Lower is better.
    Lower,
}

impl Direction {
    /// Every direction, in the order forms list them.
    pub const ALL: [Direction; 2] = [Direction::Higher, Direction::Lower];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
        }
    }

    /// The direction of a code.
    pub fn parse(code: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// How often an indicator has a figure. The scorecard shows years; finer indicators are read over the
/// year by the reporting engine's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Periodicity {
    /// Once a year.
    Yearly,
    /// Twice a year.
    HalfYearly,
    /// Every quarter.
    Quarterly,
    /// Every month.
    Monthly,
}

impl Periodicity {
    /// Every periodicity, coarsest first.
    pub const ALL: [Periodicity; 4] =
        [Periodicity::Yearly, Periodicity::HalfYearly, Periodicity::Quarterly, Periodicity::Monthly];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Periodicity::Yearly => "yearly",
            Periodicity::HalfYearly => "half_yearly",
            Periodicity::Quarterly => "quarterly",
            Periodicity::Monthly => "monthly",
        }
    }

    /// The periodicity of a code.
    pub fn parse(code: &str) -> Option<Periodicity> {
        Periodicity::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// The level an indicator is reported at: the province as a whole, or each commune-level unit (whose
/// figures the province's adds up or averages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// The province.
    Province,
    /// Each commune-level unit.
    Commune,
}

impl Level {
    /// Every level.
    pub const ALL: [Level; 2] = [Level::Province, Level::Commune];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::Commune => "commune",
        }
    }

    /// The level of a code.
    pub fn parse(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// The layer of the NQ 57 system: strategic indicators (the resolution's goals) and the operational ones
/// under them (what the agencies do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    /// A goal of the resolution.
    Strategic,
    /// A measure of the work under a goal.
    Operational,
}

impl Layer {
    /// Every layer.
    pub const ALL: [Layer; 2] = [Layer::Strategic, Layer::Operational];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Layer::Strategic => "strategic",
            Layer::Operational => "operational",
        }
    }

    /// The layer of a code.
    pub fn parse(code: &str) -> Option<Layer> {
        Layer::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// How an indicator's figures are obtained.
#[derive(Debug, Clone, PartialEq)]
pub enum Definition {
    /// Typed by hand, one figure a year (and unit).
    Typed,
    /// Computed from reports and records.
    Formula(Formula),
}

impl Definition {
    /// The stable code of the kind: `typed` or `formula`.
    pub fn kind(&self) -> &'static str {
        match self {
            Definition::Typed => "typed",
            Definition::Formula(_) => "formula",
        }
    }
}

/// The kinds of definition, for forms and the API.
pub const DEFINITION_KINDS: [&str; 2] = ["typed", "formula"];

/// The first and last years an indicator or a target may name.
pub const YEARS: std::ops::RangeInclusive<i32> = 1945..=2100;

/// Whether an indicator covering `first..=last` (each bound optional) has a figure for `year`: a target
/// for a year outside is refused (`period_not_covered`).
pub fn covers(first: Option<i32>, last: Option<i32>, year: i32) -> bool {
    first.is_none_or(|f| f <= year) && last.is_none_or(|l| year <= l)
}

/// Whether a code is well formed: letters, digits, `.`, `_` and `-`, 1–40 characters, starting with a
/// letter (`NQ57.RD_GRDP`).
pub fn valid_code(code: &str) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && code.len() <= 40
        && code.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for d in Direction::ALL {
            assert_eq!(Direction::parse(d.code()), Some(d));
        }
        for p in Periodicity::ALL {
            assert_eq!(Periodicity::parse(p.code()), Some(p));
        }
        for l in Level::ALL {
            assert_eq!(Level::parse(l.code()), Some(l));
        }
        for l in Layer::ALL {
            assert_eq!(Layer::parse(l.code()), Some(l));
        }
        assert_eq!(Direction::parse("up"), None);
    }

    #[test]
    fn a_target_year_outside_the_indicators_years_is_not_covered() {
        assert!(covers(Some(2021), Some(2030), 2030));
        assert!(!covers(Some(2021), Some(2030), 2031));
        assert!(!covers(Some(2021), None, 2020));
        assert!(covers(None, None, 1990));
    }

    #[test]
    fn codes_are_letters_digits_and_separators() {
        assert!(valid_code("NQ57.RD_GRDP"));
        assert!(valid_code("KPI-1"));
        assert!(!valid_code("1KPI"));
        assert!(!valid_code(""));
        assert!(!valid_code("chỉ số"));
        assert!(!valid_code(&"A".repeat(41)));
    }
}
