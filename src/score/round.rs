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

    #[test]
    fn no_places_keeps_every_digit() {
        assert_eq!(
            round(d("43.75"), None, RoundMode::HalfAwayFromZero),
            d("43.75")
        );
    }
}
