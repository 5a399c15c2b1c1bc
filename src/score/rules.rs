//! The rule primitives of docs/scoring.md §1 as pure functions of decimals. Each
//! returns the score (a fraction of the KPI's weight) and what it did, so the
//! explanation is built from the same numbers as the score.

use super::round::{div, quot};
use crate::config::Dec;
use crate::config::rule::{Band, Below, InverseMode};
use rust_decimal::Decimal;

/// Default floor and cap of ratio-like rules (docs/scoring.md §1, Rules: 0 and 1.2).
pub fn default_floor() -> Decimal {
    Decimal::ZERO
}

pub fn default_cap() -> Decimal {
    Decimal::new(12, 1)
}

/// Which bound, if any, a score was held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clamp {
    None,
    Floor,
    Cap,
}

pub fn clamp(x: Decimal, floor: Option<Dec>, cap: Option<Dec>) -> (Decimal, Clamp) {
    if let Some(f) = floor
        && x < f.get()
    {
        return (f.get(), Clamp::Floor);
    }
    if let Some(c) = cap
        && x > c.get()
    {
        return (c.get(), Clamp::Cap);
    }
    (x, Clamp::None)
}

fn or_default(v: Option<Dec>, d: Decimal) -> Option<Dec> {
    Some(v.unwrap_or(Dec(d)))
}

/// 完成比率: clamp(rate, floor, cap).
pub fn ratio(rate: Decimal, floor: Option<Dec>, cap: Option<Dec>) -> (Decimal, Clamp) {
    clamp(
        rate,
        or_default(floor, default_floor()),
        or_default(cap, default_cap()),
    )
}

/// 反向指标: lower is better. `None` when the actual is zero under `ratio`
/// mode and no zero-actual score is configured other than the cap.
pub fn inverse(
    actual: Decimal,
    target: Decimal,
    mode: InverseMode,
    floor: Option<Dec>,
    cap: Option<Dec>,
    zero_actual: Option<Dec>,
) -> Option<(Decimal, Clamp)> {
    let floor = or_default(floor, default_floor());
    let cap = or_default(cap, default_cap());
    let raw = match mode {
        InverseMode::Ratio if actual.is_zero() => {
            let z = zero_actual.or(cap).map_or(default_cap(), Dec::get);
            return Some((z, Clamp::None));
        }
        InverseMode::Ratio => div(target, actual)?,
        InverseMode::TwoMinus => Decimal::TWO - div(actual, target)?,
        InverseMode::Deviation => Decimal::ONE - div(actual - target, target.abs())?,
    };
    Some(clamp(raw, floor, cap))
}

/// Where x fell among the points of a piecewise rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// Below the first point (a threshold): zero, or held at the first point.
    Below { x0: Decimal, held: bool },
    /// Between two points, interpolated.
    Between {
        x0: Decimal,
        y0: Decimal,
        x1: Decimal,
        y1: Decimal,
    },
    /// At or above the last point: its score.
    Above { x1: Decimal },
}

/// 门槛/目标/挑战: linear between (x, y) points.
pub fn piecewise(x: Decimal, points: &[(Dec, Dec)], below: Below) -> (Decimal, Segment) {
    let pts: Vec<(Decimal, Decimal)> = points.iter().map(|(a, b)| (a.get(), b.get())).collect();
    let Some(&(fx, fy)) = pts.first() else {
        return (Decimal::ZERO, Segment::Above { x1: Decimal::ZERO });
    };
    if x < fx {
        return match below {
            Below::Zero => (
                Decimal::ZERO,
                Segment::Below {
                    x0: fx,
                    held: false,
                },
            ),
            Below::Clamp => (fy, Segment::Below { x0: fx, held: true }),
        };
    }
    for w in pts.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if x >= x0 && x < x1 {
            let y = y0 + quot((x - x0) * (y1 - y0), x1 - x0);
            return (y, Segment::Between { x0, y0, x1, y1 });
        }
    }
    let (lx, ly) = pts[pts.len() - 1];
    (ly, Segment::Above { x1: lx })
}

/// 分段: the band holding x, [from, to).
pub fn bands(x: Decimal, bands: &[Band]) -> (Decimal, Option<usize>) {
    for (i, b) in bands.iter().enumerate() {
        let above = b.from.is_none_or(|f| x >= f.get());
        let below = b.to.is_none_or(|t| x < t.get());
        if above && below {
            return (b.score.get(), Some(i));
        }
    }
    (Decimal::ZERO, None)
}

/// Index of the last lower bound ≤ x (the first when x is below them all).
pub fn band_index(x: Decimal, bounds: &[Dec]) -> usize {
    bounds.iter().rposition(|b| x >= b.get()).unwrap_or(0)
}

/// 二维: table[row of y][column of x].
pub fn matrix(
    x: Decimal,
    y: Decimal,
    columns: &[Dec],
    rows: &[Dec],
    table: &[Vec<Dec>],
) -> (Decimal, usize, usize) {
    let c = band_index(x, columns);
    let r = band_index(y, rows);
    let s = table
        .get(r)
        .and_then(|row| row.get(c))
        .map_or(Decimal::ZERO, |d| d.get());
    (s, r, c)
}

/// 达标: actual ≥ target.
pub fn gate(actual: Decimal, target: Decimal, pass: Dec, fail: Dec) -> (Decimal, bool) {
    if actual >= target {
        (pass.get(), true)
    } else {
        (fail.get(), false)
    }
}

/// 排名: best − (rank − 1)(best − worst)/(n − 1); alone in the group: best.
pub fn rank_score(rank: Decimal, n: usize, best: Decimal, worst: Decimal) -> Decimal {
    if n <= 1 {
        return best;
    }
    best - quot(
        (rank - Decimal::ONE) * (best - worst),
        Decimal::from(n as u64 - 1),
    )
}

/// 同比/环比: growth g = (actual − base)/|base|; `None` when base ≤ 0.
pub fn growth(actual: Decimal, base: Decimal) -> Option<Decimal> {
    if base <= Decimal::ZERO {
        return None;
    }
    div(actual - base, base.abs())
}

/// The growth rule's rate g ÷ target = (actual − base) ÷ (|base| × target)
/// in one division, so it is rounded once ([`div`]); `None` when base ≤ 0,
/// or when the denominator is not exact (the caller divides twice).
pub fn growth_rate(actual: Decimal, base: Decimal, target: Decimal) -> Option<Decimal> {
    if base <= Decimal::ZERO {
        return None;
    }
    div(actual - base, super::round::mul_exact(base.abs(), target)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }
    fn dec(s: &str) -> Dec {
        Dec(d(s))
    }

    #[test]
    fn ratio_clamps_to_floor_and_cap() {
        assert_eq!(ratio(d("0.875"), None, None), (d("0.875"), Clamp::None));
        assert_eq!(ratio(d("1.5"), None, None), (d("1.2"), Clamp::Cap));
        assert_eq!(ratio(d("-0.1"), None, None), (d("0"), Clamp::Floor));
        assert_eq!(ratio(d("1.5"), None, Some(dec("1"))), (d("1"), Clamp::Cap));
    }

    #[test]
    fn inverse_modes() {
        // churn 4 % against a 5 % target.
        let (a, t) = (d("0.04"), d("0.05"));
        assert_eq!(
            inverse(a, t, InverseMode::Ratio, None, None, None),
            Some((d("1.2"), Clamp::Cap))
        );
        assert_eq!(
            inverse(a, t, InverseMode::TwoMinus, None, None, None),
            Some((d("1.2"), Clamp::None))
        );
        assert_eq!(
            inverse(d("0.06"), t, InverseMode::TwoMinus, None, None, None),
            Some((d("0.8"), Clamp::None))
        );
        assert_eq!(
            inverse(d("0.06"), t, InverseMode::Deviation, None, None, None),
            Some((d("0.8"), Clamp::None))
        );
        assert_eq!(
            inverse(d("0.1"), t, InverseMode::Ratio, None, None, None),
            Some((d("0.5"), Clamp::None))
        );
        // A zero actual under `ratio` scores the configured value, by default the cap.
        assert_eq!(
            inverse(d("0"), t, InverseMode::Ratio, None, None, None),
            Some((d("1.2"), Clamp::None))
        );
        assert_eq!(
            inverse(d("0"), t, InverseMode::Ratio, None, None, Some(dec("1"))),
            Some((d("1"), Clamp::None))
        );
        assert_eq!(
            inverse(d("0.2"), t, InverseMode::TwoMinus, None, None, None),
            Some((d("0"), Clamp::Floor))
        );
    }

    #[test]
    fn piecewise_threshold_target_challenge() {
        let pts = [
            (dec("0.8"), dec("0.6")),
            (dec("1.0"), dec("1.0")),
            (dec("1.2"), dec("1.2")),
        ];
        assert_eq!(piecewise(d("0.79"), &pts, Below::Zero).0, d("0"));
        assert_eq!(piecewise(d("0.79"), &pts, Below::Clamp).0, d("0.6"));
        assert_eq!(piecewise(d("0.8"), &pts, Below::Zero).0, d("0.6"));
        // 0.875: 0.6 + 0.075 × 0.4 / 0.2 = 0.75
        assert_eq!(piecewise(d("0.875"), &pts, Below::Zero).0, d("0.75"));
        assert_eq!(piecewise(d("1.1"), &pts, Below::Zero).0, d("1.1"));
        assert_eq!(piecewise(d("1.5"), &pts, Below::Zero).0, d("1.2"));
    }

    #[test]
    fn bands_are_half_open() {
        let b = |from: Option<&str>, to: Option<&str>, score: &str| Band {
            from: from.map(dec),
            to: to.map(dec),
            score: dec(score),
        };
        let table = [
            b(None, Some("80"), "0.5"),
            b(Some("80"), Some("90"), "0.8"),
            b(Some("90"), None, "1"),
        ];
        assert_eq!(bands(d("79.9"), &table), (d("0.5"), Some(0)));
        assert_eq!(bands(d("80"), &table), (d("0.8"), Some(1)));
        assert_eq!(bands(d("90"), &table), (d("1"), Some(2)));
        let closed = [b(Some("0"), Some("1"), "1")];
        assert_eq!(bands(d("1"), &closed), (d("0"), None));
    }

    #[test]
    fn matrix_looks_up_both_bands() {
        let cols = [dec("0"), dec("0.8"), dec("1.0")];
        let rows = [dec("0"), dec("0.9")];
        let table = vec![
            vec![dec("0.3"), dec("0.6"), dec("0.8")],
            vec![dec("0.5"), dec("0.9"), dec("1.1")],
        ];
        assert_eq!(
            matrix(d("0.85"), d("0.95"), &cols, &rows, &table),
            (d("0.9"), 1, 1)
        );
        assert_eq!(
            matrix(d("1.3"), d("0.5"), &cols, &rows, &table),
            (d("0.8"), 0, 2)
        );
    }

    #[test]
    fn gate_passes_at_the_target() {
        assert_eq!(gate(d("0.9"), d("0.9"), dec("1"), dec("0")), (d("1"), true));
        assert_eq!(
            gate(d("0.89"), d("0.9"), dec("1"), dec("0")),
            (d("0"), false)
        );
    }

    #[test]
    fn rank_scores_spread_between_best_and_worst() {
        assert_eq!(rank_score(d("1"), 5, d("1"), d("0.6")), d("1"));
        assert_eq!(rank_score(d("5"), 5, d("1"), d("0.6")), d("0.6"));
        assert_eq!(rank_score(d("3"), 5, d("1"), d("0.6")), d("0.8"));
        assert_eq!(rank_score(d("2.5"), 4, d("1"), d("0.4")), d("0.7"));
        assert_eq!(rank_score(d("1"), 1, d("1"), d("0.6")), d("1"));
    }

    #[test]
    fn growth_against_base() {
        assert_eq!(growth(d("110"), d("100")), Some(d("0.1")));
        assert_eq!(growth(d("90"), d("100")), Some(d("-0.1")));
        assert_eq!(growth(d("90"), d("0")), None);
        assert_eq!(growth(d("90"), d("-5")), None);
    }
}
