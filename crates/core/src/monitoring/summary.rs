//! The figures of a set of assignments: how many in each derived state, how many at risk or blocked, and
//! the weighted progress (each task's progress is the mean of its assignments'; tasks weigh by their
//! weight). And where a target (chỉ tiêu) stands against its values.

use std::collections::{BTreeMap, HashMap};

use super::deadline::{DerivedStatus, StatusKind, rollup};

/// Counts and progress of a set of assignments.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Assignments by derived state.
    pub counts: BTreeMap<StatusKind, i64>,
    /// All assignments except cancelled ones.
    pub total: i64,
    /// Weighted progress, 0–100.
    pub progress: f64,
    /// How many are at risk.
    pub at_risk: i64,
    /// How many are blocked.
    pub blocked: i64,
}

impl Summary {
    /// The count of a state.
    pub fn count(&self, kind: StatusKind) -> i64 {
        self.counts.get(&kind).copied().unwrap_or(0)
    }
}

/// The progress of an assignment whose latest accepted percent is `percent`: 100 once completed.
pub fn progress_of(percent: i64, status: &DerivedStatus) -> f64 {
    if status.kind.is_completed() { 100.0 } else { percent.clamp(0, 100) as f64 }
}

/// A summary being added up: counts by state, and per task its weight, the sum of its assignments'
/// progress and their number. Tallies of disjoint sets merge (a plan's and those of the plans under it).
#[derive(Debug, Clone, Default)]
pub struct Tally {
    summary: Summary,
    by_task: HashMap<i64, (f64, f64, f64)>,
}

impl Tally {
    /// Counts one assignment of task `task_id` (of weight `weight`) with its derived status.
    pub fn add(&mut self, task_id: i64, weight: f64, percent: i64, status: &DerivedStatus) {
        *self.summary.counts.entry(status.kind).or_insert(0) += 1;
        if status.kind == StatusKind::Cancelled {
            return;
        }
        self.summary.total += 1;
        self.summary.at_risk += i64::from(status.at_risk);
        self.summary.blocked += i64::from(status.blocked);
        let entry = self.by_task.entry(task_id).or_insert((weight, 0.0, 0.0));
        entry.1 += progress_of(percent, status);
        entry.2 += 1.0;
    }

    /// Adds another tally to this one.
    pub fn merge(&mut self, other: &Tally) {
        for (kind, n) in &other.summary.counts {
            *self.summary.counts.entry(*kind).or_insert(0) += n;
        }
        self.summary.total += other.summary.total;
        self.summary.at_risk += other.summary.at_risk;
        self.summary.blocked += other.summary.blocked;
        for (task, (weight, sum, n)) in &other.by_task {
            let entry = self.by_task.entry(*task).or_insert((*weight, 0.0, 0.0));
            entry.1 += sum;
            entry.2 += n;
        }
    }

    /// The counts, and the progress weighted by task.
    pub fn summary(&self) -> Summary {
        let items: Vec<(f64, f64)> = self.by_task.values().map(|(w, sum, n)| (*w, sum / n)).collect();
        Summary { progress: rollup(&items), ..self.summary.clone() }
    }
}

/// A target's definition, as far as its standing goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetGoal {
    /// The baseline value, if known.
    pub baseline: Option<f64>,
    /// The value to reach.
    pub target: f64,
    /// Whether more is better.
    pub higher_is_better: bool,
}

/// Where a target stands.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetFigures {
    /// The latest value recorded: (year, value).
    pub latest: Option<(i64, f64)>,
    /// Whether the latest value meets the target.
    pub met: Option<bool>,
    /// Share of the way from the baseline to the target, 0–100.
    pub reached: i64,
}

/// Where a target stands, given its values by year (oldest first).
pub fn target_figures(goal: TargetGoal, values: &[(i64, f64)]) -> TargetFigures {
    let latest = values.last().copied();
    let met = latest.map(|(_, v)| if goal.higher_is_better { v >= goal.target } else { v <= goal.target });
    let reached = match (latest, goal.baseline) {
        (Some((_, v)), Some(b)) if (goal.target - b).abs() > f64::EPSILON => {
            (((v - b) / (goal.target - b)) * 100.0).clamp(0.0, 100.0).round() as i64
        }
        (Some((_, v)), _) if goal.target.abs() > f64::EPSILON => {
            let ratio = if goal.higher_is_better { v / goal.target } else { goal.target / v.max(f64::EPSILON) };
            (ratio * 100.0).clamp(0.0, 100.0).round() as i64
        }
        _ => 0,
    };
    TargetFigures { latest, met, reached }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(kind: StatusKind) -> DerivedStatus {
        DerivedStatus { kind, due_on: None, days_late: None, at_risk: false, blocked: false }
    }

    #[test]
    fn progress_is_weighted_by_task_and_cancelled_assignments_do_not_count() {
        let mut a = Tally::default();
        a.add(1, 3.0, 40, &status(StatusKind::CompletedOnTime));
        a.add(1, 3.0, 0, &status(StatusKind::NotStarted));
        let mut b = Tally::default();
        b.add(2, 1.0, 0, &status(StatusKind::Overdue));
        b.add(2, 1.0, 90, &status(StatusKind::Cancelled));
        a.merge(&b);
        let s = a.summary();
        assert_eq!((s.total, s.count(StatusKind::Cancelled), s.count(StatusKind::Overdue)), (3, 1, 1));
        // Task 1: (100 + 0) / 2 = 50, weight 3; task 2: 0, weight 1.
        assert!((s.progress - 37.5).abs() < 1e-9, "{}", s.progress);
    }

    #[test]
    fn a_target_stands_between_its_baseline_and_its_goal() {
        let goal = TargetGoal { baseline: Some(6.0), target: 20.0, higher_is_better: true };
        let f = target_figures(goal, &[(2017, 8.0), (2020, 13.0)]);
        assert_eq!((f.latest, f.met, f.reached), (Some((2020, 13.0)), Some(false), 50));
        let days = TargetGoal { baseline: None, target: 7.0, higher_is_better: false };
        assert_eq!(target_figures(days, &[(2020, 7.0)]).met, Some(true));
        assert_eq!(target_figures(days, &[]).reached, 0);
    }
}
