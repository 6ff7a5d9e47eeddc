//! What a change of a contract (điều chỉnh, gia hạn) changed: the differences between two of its
//! versions, in the order the contract's paper lists them (the end, the money, the people, the
//! products, the schedule). Each change is kept as a whole version (`st_contract_versions`); this says
//! in a line what a reader of the contract wants to know of it.

use chrono::NaiveDate;

use super::BudgetSource;
use super::contract::ContractFields;

/// One difference between two versions of a contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The end moved (an extension).
    End {
        /// Before.
        from: NaiveDate,
        /// After.
        to: NaiveDate,
    },
    /// The total of a source changed.
    Source {
        /// Which source.
        source: BudgetSource,
        /// Before, in đồng (0 when absent).
        from: i64,
        /// After, in đồng.
        to: i64,
    },
    /// The lump-sum (khoán) part of the state budget changed.
    LumpSum {
        /// Before, in đồng.
        from: i64,
        /// After, in đồng.
        to: i64,
    },
    /// The budget by year was spread otherwise.
    Years,
    /// The instalments' amounts, dates or conditions changed.
    Instalments,
    /// Another host organisation.
    Host,
    /// Another principal investigator.
    PrincipalInvestigator,
    /// The team changed.
    Team,
    /// The ordered products changed.
    Products,
    /// The milestones changed.
    Milestones,
    /// Progress reports are due at another period.
    ReportPeriod {
        /// Before, in months.
        from: u32,
        /// After, in months.
        to: u32,
    },
}

/// What changed from `before` to `after`; empty when nothing did.
pub fn differences(before: &ContractFields, after: &ContractFields) -> Vec<Difference> {
    let mut out = Vec::new();
    if before.ends_on != after.ends_on {
        out.push(Difference::End { from: before.ends_on, to: after.ends_on });
    }
    for &source in BudgetSource::ALL {
        let (from, to) = (before.source_total(source), after.source_total(source));
        if from != to {
            out.push(Difference::Source { source, from, to });
        }
    }
    if before.lump_sum != after.lump_sum {
        out.push(Difference::LumpSum { from: before.lump_sum, to: after.lump_sum });
    }
    let mut years = (before.years.clone(), after.years.clone());
    years.0.sort_by_key(|y| (y.year, y.source));
    years.1.sort_by_key(|y| (y.year, y.source));
    if years.0 != years.1 {
        out.push(Difference::Years);
    }
    if before.instalments != after.instalments {
        out.push(Difference::Instalments);
    }
    if before.host_org_id != after.host_org_id {
        out.push(Difference::Host);
    }
    if before.pi_name != after.pi_name {
        out.push(Difference::PrincipalInvestigator);
    }
    let names = |f: &ContractFields| {
        let mut team: Vec<(String, Option<String>)> = f.team.iter().map(|m| (m.name.clone(), m.role.clone())).collect();
        team.sort();
        team
    };
    if names(before) != names(after) {
        out.push(Difference::Team);
    }
    if before.products != after.products {
        out.push(Difference::Products);
    }
    if before.milestones != after.milestones {
        out.push(Difference::Milestones);
    }
    if before.report_every_months != after.report_every_months {
        out.push(Difference::ReportPeriod { from: before.report_every_months, to: after.report_every_months });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sci_tech::contract::tests_support::sample_fields;

    #[test]
    fn an_extension_moves_the_end_and_its_milestones_and_nothing_else() {
        let before = sample_fields();
        let mut after = before.clone();
        after.ends_on = NaiveDate::from_ymd_opt(2023, 9, 30).unwrap();
        after.milestones[1].due_on = NaiveDate::from_ymd_opt(2023, 6, 30).unwrap();
        assert_eq!(
            differences(&before, &after),
            [Difference::End { from: before.ends_on, to: after.ends_on }, Difference::Milestones]
        );
        assert!(differences(&before, &before).is_empty());
    }

    #[test]
    fn a_change_of_budget_and_members_names_each_part() {
        let before = sample_fields();
        let mut after = before.clone();
        after.sources.retain(|l| l.source != BudgetSource::Counterpart);
        after.years.retain(|y| y.source != BudgetSource::Counterpart);
        after.lump_sum = 600_000_000;
        after.pi_name = "PGS.TS. Trần Văn Nam".into();
        after.team.reverse();
        after.report_every_months = 3;
        assert_eq!(
            differences(&before, &after),
            [
                Difference::Source { source: BudgetSource::Counterpart, from: 300_000_000, to: 0 },
                Difference::LumpSum { from: 800_000_000, to: 600_000_000 },
                Difference::Years,
                Difference::PrincipalInvestigator,
                Difference::ReportPeriod { from: 6, to: 3 },
            ],
            "a team listed in another order is the same team"
        );
    }
}
