//! A tiny SplitMix64 generator, written out by hand.
//!
//! The sample must be byte-identical for a given seed forever: tests, docs and
//! bug reports quote its figures. A generator from a crate (`rand`, `fastrand`)
//! may change its algorithm or its range-reduction between versions, which
//! would silently change every sample; twenty lines of our own cannot.
//!
//! Each file writer takes its own stream from [`Rng::derive`], so adding a new
//! sheet or file later never shifts the numbers of the existing ones.
//!
//! It is public because the fuzzer (`tests/suite/fuzz.rs`) draws from it
//! too: the project has one PRNG.

/// SplitMix64 (Steele, Lea & Flood 2014), as in `java.util.SplittableRandom`.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    /// An independent stream for one part of the sample, named by `label`.
    pub fn derive(seed: u64, label: &str) -> Self {
        // FNV-1a of the label, then one SplitMix step to spread it.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in label.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        let mut mix = Rng::new(seed ^ h);
        Rng::new(mix.next_u64())
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`), by a widening multiply (Lemire, without
    /// the rejection step: the bias is below 2⁻⁴⁰ for the ranges used here).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// An integer in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        debug_assert!(lo <= hi, "range {lo}..={hi}");
        let span = hi.abs_diff(lo).saturating_add(1);
        lo.wrapping_add(self.below(span) as i64)
    }

    /// An index into a collection of `len` items (`len > 0`).
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// One item of a non-empty slice (the slices are the constant word lists).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// A decimal with `places` digits after the point, between `lo` and `hi`
    /// given in units of the last place (`decimal(8000, 60000, 2)` is
    /// 80.00..=600.00). The integer is divided by a power of ten only at the
    /// end, so the f64 is the one nearest the decimal and prints back as it.
    pub fn decimal(&mut self, lo: i64, hi: i64, places: u32) -> f64 {
        to_decimal(self.range(lo, hi), places)
    }
}

/// `units` / 10^`places` as the f64 nearest that decimal.
pub fn to_decimal(units: i64, places: u32) -> f64 {
    units as f64 / 10f64.powi(places as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_reference_values() {
        // First outputs for seed 0 / 1234567, as published with the algorithm.
        let mut r = Rng::new(0);
        assert_eq!(r.next_u64(), 0xe220_a839_7b1d_cdaf);
        let mut r = Rng::new(1_234_567);
        assert_eq!(r.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(r.next_u64(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn ranges_stay_inside_and_cover() {
        let mut r = Rng::new(7);
        let mut seen = [false; 5];
        for _ in 0..1000 {
            let v = r.range(-2, 2);
            assert!((-2..=2).contains(&v));
            seen[(v + 2) as usize] = true;
        }
        assert!(seen.iter().all(|s| *s));
    }

    #[test]
    fn decimals_print_back_exactly() {
        let mut r = Rng::new(3);
        for _ in 0..1000 {
            let units = r.range(0, 1_000_000);
            let s = to_decimal(units, 2).to_string();
            let back: f64 = s.parse().expect("a number");
            assert_eq!((back * 100.0).round() as i64, units, "{s}");
            assert!(s.split('.').nth(1).is_none_or(|f| f.len() <= 2), "{s}");
        }
    }

    #[test]
    fn derived_streams_differ_and_repeat() {
        let a = Rng::derive(1, "boss").next_u64();
        let b = Rng::derive(1, "events").next_u64();
        assert_ne!(a, b);
        assert_eq!(a, Rng::derive(1, "boss").next_u64());
    }
}
