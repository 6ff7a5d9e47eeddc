//! Where a figure stands against its target, by one stated rule (shown on the scorecard and in its
//! exports):
//!
//! - **met**: the latest figure reaches the target (at least it when higher is better, at most it when
//!   lower is);
//! - otherwise, when the target year has come, **off track**;
//! - otherwise the figure is compared with the straight line from the baseline (the baseline given with
//!   the target, else the first figure) to the target in the target year: **on track** when it has made at
//!   least the progress expected by its year, **at risk** when at least 80 % of it, **off track** below.
//!
//! Without a figure, or without a target, there is no status.

/// A status against the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// The target is reached.
    Met,
    /// On the way to the target by the expected pace.
    OnTrack,
    /// Behind the expected pace, by less than a fifth.
    AtRisk,
    /// Far behind, or the target year has passed without reaching it.
    OffTrack,
}

impl Status {
    /// Every status, best first.
    pub const ALL: [Status; 4] = [Status::Met, Status::OnTrack, Status::AtRisk, Status::OffTrack];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::OffTrack => "off_track",
        }
    }
}

/// The share of the expected progress under which a figure is at risk rather than on track.
pub const AT_RISK_FROM: f64 = 0.8;

/// What the rule needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    /// The target.
    pub target: f64,
    /// The year it is for.
    pub target_year: i32,
    /// The starting point and its year, if known.
    pub baseline: Option<(i32, f64)>,
    /// Whether more is better.
    pub higher_is_better: bool,
}

impl Standing {
    /// The status of the series of `(year, figure)` (in year order; the first is the baseline when none
    /// is given), as of its latest figure.
    pub fn status(&self, series: &[(i32, f64)]) -> Option<Status> {
        let &(year, value) = series.last()?;
        let sign = if self.higher_is_better { 1.0 } else { -1.0 };
        if sign * (value - self.target) >= 0.0 {
            return Some(Status::Met);
        }
        if year >= self.target_year {
            return Some(Status::OffTrack);
        }
        let (base_year, base) = self.baseline.or_else(|| series.first().copied())?;
        if base_year >= self.target_year || year <= base_year {
            // Nothing to measure a pace against yet: behind the target, within its time.
            return Some(Status::OnTrack);
        }
        let elapsed = f64::from(year - base_year) / f64::from(self.target_year - base_year);
        let expected = sign * (self.target - base) * elapsed;
        if expected <= 0.0 {
            return Some(Status::OnTrack);
        }
        let made = sign * (value - base);
        let share = made / expected;
        Some(if share >= 1.0 {
            Status::OnTrack
        } else if share >= AT_RISK_FROM {
            Status::AtRisk
        } else {
            Status::OffTrack
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn higher(target: f64, year: i32, baseline: (i32, f64)) -> Standing {
        Standing { target, target_year: year, baseline: Some(baseline), higher_is_better: true }
    }

    #[test]
    fn the_rule_met_on_track_at_risk_off_track() {
        // From 1.0 in 2020 to 2.0 in 2030: by 2025 the expected figure is 1.5.
        let s = higher(2.0, 2030, (2020, 1.0));
        assert_eq!(s.status(&[(2025, 2.1)]), Some(Status::Met));
        assert_eq!(s.status(&[(2025, 1.5)]), Some(Status::OnTrack));
        assert_eq!(s.status(&[(2025, 1.45)]), Some(Status::AtRisk), "90 % of the expected progress");
        assert_eq!(s.status(&[(2025, 1.2)]), Some(Status::OffTrack));
        assert_eq!(s.status(&[(2030, 1.99)]), Some(Status::OffTrack), "the year has come");
        assert_eq!(s.status(&[]), None);
    }

    #[test]
    fn lower_is_better_mirrors_the_rule() {
        // Days to handle a dossier: from 20 in 2020 to 10 in 2030.
        let s = Standing { target: 10.0, target_year: 2030, baseline: Some((2020, 20.0)), higher_is_better: false };
        assert_eq!(s.status(&[(2025, 9.0)]), Some(Status::Met));
        assert_eq!(s.status(&[(2025, 15.0)]), Some(Status::OnTrack));
        assert_eq!(s.status(&[(2025, 15.8)]), Some(Status::AtRisk));
        assert_eq!(s.status(&[(2025, 19.0)]), Some(Status::OffTrack));
    }

    #[test]
    fn without_a_baseline_the_first_figure_is_the_start() {
        let s = Standing { target: 100.0, target_year: 2030, baseline: None, higher_is_better: true };
        assert_eq!(s.status(&[(2020, 50.0), (2025, 75.0)]), Some(Status::OnTrack));
        assert_eq!(s.status(&[(2020, 50.0), (2025, 55.0)]), Some(Status::OffTrack));
        assert_eq!(s.status(&[(2020, 50.0)]), Some(Status::OnTrack), "one figure: no pace yet");
    }
}
