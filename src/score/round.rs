//! Rounding, always explicit: 四舍五入 (half away from zero) or banker's.
//! rust_decimal's `round_dp` is banker's rounding, so it is never called.

use crate::config::{RoundMode, Rounding};
use rust_decimal::{Decimal, RoundingStrategy};

/// Round `x` to `places`, or leave it alone when the stage keeps every digit.
pub fn round(x: Decimal, places: Option<u32>, mode: RoundMode) -> Decimal {
    match places {
        None => x,
        Some(p) => x.round_dp_with_strategy(p, strategy(mode)),
    }
}

fn strategy(mode: RoundMode) -> RoundingStrategy {
    match mode {
        RoundMode::HalfAwayFromZero => RoundingStrategy::MidpointAwayFromZero,
        RoundMode::HalfEven => RoundingStrategy::MidpointNearestEven,
    }
}

pub use crate::exact::{div, mul_exact, quot};

/// The rounding stages of a scheme.
#[derive(Debug, Clone, Copy)]
pub struct Stages<'a>(pub &'a Rounding);

impl Stages<'_> {
    pub fn rate(&self, x: Decimal) -> Decimal {
        round(x, self.0.rate, self.0.mode)
    }
    pub fn score(&self, x: Decimal) -> Decimal {
        round(x, self.0.score, self.0.mode)
    }
    pub fn weighted(&self, x: Decimal) -> Decimal {
        round(x, self.0.weighted, self.0.mode)
    }
    pub fn total(&self, x: Decimal) -> Decimal {
        round(x, self.0.total, self.0.mode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn half_away_from_zero_is_not_bankers() {
        let m = RoundMode::HalfAwayFromZero;
        assert_eq!(round(d("2.345"), Some(2), m), d("2.35"));
        assert_eq!(round(d("2.5"), Some(0), m), d("3"));
        assert_eq!(round(d("-2.5"), Some(0), m), d("-3"));
        assert_eq!(round(d("0.875"), Some(2), m), d("0.88"));
    }

    #[test]
    fn half_even_when_asked() {
        let m = RoundMode::HalfEven;
        assert_eq!(round(d("2.345"), Some(2), m), d("2.34"));
        assert_eq!(round(d("2.5"), Some(0), m), d("2"));
    }

    /// Issue 15: 17471 / 20000 = 0.87355 exactly, a half at 4 places.
    #[test]
    fn an_exact_quotient_on_a_half_rounds_away_from_zero() {
        let q = div(d("17471"), d("20000")).expect("q");
        assert_eq!(q, d("0.87355"));
        let m = RoundMode::HalfAwayFromZero;
        assert_eq!(round(q, Some(4), m), d("0.8736"));
        assert_eq!(round(-q, Some(4), m), d("-0.8736"));
    }

    /// Issue 15: 2.62065 − 10⁻²⁸ over 3 is 0.87355 − 3.3·10⁻²⁹: below the
    /// half. rust_decimal's quotient rounds it onto 0.87355 exactly (the
    /// wrong side for any later rounding); `div` does not.
    #[test]
    fn a_quotient_a_hair_below_a_half_stays_below_it() {
        let a = d("2.6206499999999999999999999999");
        let b = d("3");
        let m = RoundMode::HalfAwayFromZero;
        assert_eq!(
            a / b,
            d("0.87355"),
            "the 28-digit quotient lands on the half"
        );
        let q = div(a, b).expect("q");
        assert!(q < d("0.87355"));
        assert_eq!(round(q, Some(4), m), d("0.8735"));
        assert_eq!(round(q, Some(4), RoundMode::HalfEven), d("0.8735"));
        // A hair above: stays above, and rounds up under half-even too.
        let q = div(d("2.6206500000000000000000000001"), b).expect("q");
        assert!(q > d("0.87355"));
        assert_eq!(round(q, Some(4), RoundMode::HalfEven), d("0.8736"));
        // Negative quotients mirror it.
        let q = div(-a, b).expect("q");
        assert_eq!(round(q, Some(4), m), d("-0.8735"));
        // A comparison with a short bound is right too: 0.8 − ε is below 0.8.
        let q = div(d("2.3999999999999999999999999999"), b).expect("q");
        assert!(q < d("0.8"));
        assert_eq!(div(Decimal::ONE, Decimal::ZERO), None);
    }

    #[test]
    fn a_product_is_exact_or_none() {
        assert_eq!(mul_exact(d("1.5"), d("2.25")), Some(d("3.375")));
        let long = d("1.234567890123456789012345678");
        assert_eq!(mul_exact(long, long), None, "rust_decimal rounds it");
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        /// Exact rounding of (n / 10^ns) ÷ (m / 10^ms) to `p` places, half
        /// away from zero, in integers: the reference.
        fn exact(n: u64, ns: u32, m: u64, ms: u32, p: u32) -> Decimal {
            // n·10^(ms+p) / (m·10^ns), rounded half away from zero.
            let num = u128::from(n) * 10u128.pow(ms + p);
            let den = u128::from(m) * 10u128.pow(ns);
            let q = (2 * num + den) / (2 * den);
            Decimal::from_i128_with_scale(q as i128, p)
        }

        proptest! {
            /// Random halves h at p places, and a = h·b + δ·10⁻²⁸ for a
            /// divisor b that does not divide exactly: the quotient is on
            /// the half (δ = 0) or within 10⁻²⁸ of it, where a 28-digit
            /// intermediate can round onto it or off it. Rounding `div`
            /// gives the side exact arithmetic gives, in both modes.
            #[test]
            fn near_a_half_the_side_is_exact(
                p in 1u32..8,
                h in 0u64..10_000_000,
                b in 101u32..790,
                delta in -3i64..=3,
            ) {
                let p = p.min(7);
                let h = h % 10u64.pow(p);
                // The half: (10h + 5) / 10^(p+1) < 1; b in [1.01, 7.9).
                let half = Decimal::from_i128_with_scale(i128::from(10 * h + 5), p + 1);
                let b = Decimal::new(i64::from(b), 2);
                let hb = half * b;
                let a = hb + Decimal::new(delta, 28);
                prop_assert_eq!(a - hb, Decimal::new(delta, 28));
                let q = div(a, b).expect("q");
                let up = half + Decimal::new(5, p + 1);
                let down = half - Decimal::new(5, p + 1);
                let away = match delta.signum() {
                    -1 => down,
                    _ => up,
                };
                prop_assert_eq!(round(q, Some(p), RoundMode::HalfAwayFromZero), away);
                let even = match delta.signum() {
                    -1 => down,
                    1 => up,
                    _ => if (h % 2) == 0 { down } else { up },
                };
                prop_assert_eq!(round(q, Some(p), RoundMode::HalfEven), even);
            }

            /// Any quotient of two decimals, rounded at p places, is the
            /// exactly rounded value.
            #[test]
            fn every_quotient_rounds_as_exact_arithmetic_says(
                n in 0u64..1_000_000_000_000,
                ns in 0u32..8,
                m in 1u64..1_000_000_000_000,
                ms in 0u32..8,
                p in 0u32..8,
            ) {
                let a = Decimal::from_i128_with_scale(i128::from(n), ns);
                let b = Decimal::from_i128_with_scale(i128::from(m), ms);
                let q = div(a, b).expect("q");
                prop_assert_eq!(
                    round(q, Some(p), RoundMode::HalfAwayFromZero),
                    exact(n, ns, m, ms, p)
                );
                prop_assert_eq!(
                    round(-q, Some(p), RoundMode::HalfAwayFromZero),
                    -exact(n, ns, m, ms, p)
                );
            }
        }
    }

    #[test]
    fn no_places_keeps_every_digit() {
        assert_eq!(
            round(d("43.75"), None, RoundMode::HalfAwayFromZero),
            d("43.75")
        );
    }
}
