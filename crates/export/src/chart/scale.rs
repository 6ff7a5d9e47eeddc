//! A linear scale with "nice" ticks (steps of 1, 2 or 5 times a power of ten).

/// Maps a data interval onto a drawing interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearScale {
    /// Data interval (d0, d1).
    pub domain: (f64, f64),
    /// Drawing interval (r0, r1); r1 < r0 is allowed (y grows downwards on a page).
    pub range: (f64, f64),
}

impl LinearScale {
    /// A scale from `domain` to `range`.
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Self {
        LinearScale { domain, range }
    }

    /// The drawing coordinate of `value`.
    pub fn map(&self, value: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if d1 == d0 {
            return r0;
        }
        r0 + (value - d0) / (d1 - d0) * (r1 - r0)
    }

    /// The same scale with its domain widened to the nice ticks around it.
    pub fn nice(self, count: usize) -> Self {
        let ticks = nice_ticks(self.domain.0, self.domain.1, count);
        match (ticks.first(), ticks.last()) {
            (Some(&a), Some(&b)) if b > a => LinearScale { domain: (a, b), ..self },
            _ => self,
        }
    }

    /// About `count` nice tick values covering the domain.
    pub fn ticks(&self, count: usize) -> Vec<f64> {
        nice_ticks(self.domain.0, self.domain.1, count)
    }
}

/// The step between about `count` ticks over `[lo, hi]`: 1, 2 or 5 times a power of ten.
pub fn nice_step(lo: f64, hi: f64, count: usize) -> f64 {
    let span = (hi - lo).abs();
    if span == 0.0 || !span.is_finite() {
        return 1.0;
    }
    let raw = span / count.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let fraction = raw / power;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// Tick values from a multiple of the step at or below `lo` to one at or above `hi`.
/// A degenerate interval gives ticks around its value; 0 to 1 when it is 0.
pub fn nice_ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    let (lo, hi) = if lo == hi { if lo == 0.0 { (0.0, 1.0) } else { (lo.min(0.0), hi.max(0.0)) } } else { (lo, hi) };
    let step = nice_step(lo, hi, count);
    let start = (lo / step).floor() as i64;
    let end = (hi / step).ceil() as i64;
    // Round away binary noise (0.6000000000000001) at the step's precision.
    let decimals = (-step.log10().floor()).max(0.0) as i32;
    let unit = 10f64.powi(decimals);
    (start..=end).map(|i| (i as f64 * step * unit).round() / unit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_use_steps_of_one_two_or_five() {
        assert_eq!(nice_ticks(0.0, 100.0, 5), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(nice_ticks(0.0, 87.0, 5), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(nice_ticks(0.0, 7.3, 4), vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(nice_ticks(0.0, 0.9, 3), vec![0.0, 0.5, 1.0]);
        assert_eq!(nice_ticks(-12.0, 38.0, 5), vec![-20.0, -10.0, 0.0, 10.0, 20.0, 30.0, 40.0]);
    }

    #[test]
    fn degenerate_domains_still_give_an_axis() {
        assert_eq!(nice_ticks(0.0, 0.0, 5), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(nice_ticks(50.0, 50.0, 5).first(), Some(&0.0));
    }

    #[test]
    fn map_is_linear_and_may_invert_the_range() {
        let s = LinearScale::new((0.0, 50.0), (200.0, 0.0));
        assert_eq!(s.map(0.0), 200.0);
        assert_eq!(s.map(25.0), 100.0);
        assert_eq!(s.map(50.0), 0.0);
        let n = LinearScale::new((0.0, 87.0), (0.0, 1.0)).nice(5);
        assert_eq!(n.domain, (0.0, 100.0));
    }
}
