//! The records of other modules an indicator may count or add up, each named in a formula as `@code`
//! (`@st_tasks_approved`). Each source says what it measures and by which date a record falls in a year;
//! the SQL that reads it is one arm per source in `tiendo_db::indicators::sources`.
//!
//! Most sources are events placed in a year by their date; `certified_enterprises` is a stock: the
//! enterprises holding a certificate in force at the end of the year (or today, for the current year).
//!
//! Adding a source is: one variant here with its code and measure, one arm in the database's reader and
//! one in its drill-down list, and its names in the Fluent files (`source-<code>`). No source is stubbed
//! before its module exists: a formula naming a source that is not listed here is refused
//! (`unknown_source`).

/// A module's records an indicator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Source {
    /// S&T proposals sent to the department, by the day they were sent.
    StProposalsSubmitted,
    /// S&T tasks approved (the decision approving the task), by the day of the approval.
    StTasksApproved,
    /// The budget (VND) of the S&T tasks approved, by the day of the approval.
    StTasksBudget,
    /// Directives (assignments with a fixed deadline, cancelled ones excepted) due in the year.
    DirectivesDue,
    /// Of those, the ones completed on or before their deadline.
    DirectivesOnTime,
    /// Periodic reports due in the year.
    ReportsDue,
    /// Of those, the ones sent on or before their due day (Vietnam time).
    ReportsOnTime,
    /// S&T enterprises holding a certificate in force at the end of the year (today for the current
    /// year): a certificate counts from its first version's day until it is revoked, cancelled or
    /// terminated.
    CertifiedEnterprises,
}

/// What a source gives for a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// How many records.
    Count,
    /// The sum of an amount (VND).
    Money,
}

impl Source {
    /// Every source, in the order forms list them.
    pub const ALL: [Source; 8] = [
        Source::StProposalsSubmitted,
        Source::StTasksApproved,
        Source::StTasksBudget,
        Source::DirectivesDue,
        Source::DirectivesOnTime,
        Source::ReportsDue,
        Source::ReportsOnTime,
        Source::CertifiedEnterprises,
    ];

    /// The stable code (written `@code` in a formula).
    pub fn code(self) -> &'static str {
        match self {
            Source::StProposalsSubmitted => "st_proposals_submitted",
            Source::StTasksApproved => "st_tasks_approved",
            Source::StTasksBudget => "st_tasks_budget",
            Source::DirectivesDue => "directives_due",
            Source::DirectivesOnTime => "directives_on_time",
            Source::ReportsDue => "reports_due",
            Source::ReportsOnTime => "reports_on_time",
            Source::CertifiedEnterprises => "certified_enterprises",
        }
    }

    /// The source of a code.
    pub fn parse(code: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|s| s.code() == code)
    }

    /// What it measures.
    pub fn measure(self) -> Measure {
        match self {
            Source::StTasksBudget => Measure::Money,
            _ => Measure::Count,
        }
    }

    /// The module whose records it reads: `sci_tech`, `monitoring`, `reporting` or `certificates` (where
    /// the drill-down links go).
    pub fn module(self) -> &'static str {
        match self {
            Source::StProposalsSubmitted | Source::StTasksApproved | Source::StTasksBudget => "sci_tech",
            Source::DirectivesDue | Source::DirectivesOnTime => "monitoring",
            Source::ReportsDue | Source::ReportsOnTime => "reporting",
            Source::CertifiedEnterprises => "certificates",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_source_round_trips_its_code() {
        for s in Source::ALL {
            assert_eq!(Source::parse(s.code()), Some(s));
        }
        assert_eq!(Source::parse("certified_enterprise"), None);
        assert_eq!(Source::parse("certified_enterprises"), Some(Source::CertifiedEnterprises));
    }
}
