//! The digest that seals the scores shown in an employee's workbook. It is
//! SHA-256 over a key, the run id, the employee id and every sealed cell as
//! `ref=value`; the key is derived from the scheme's and the inputs' SHA-256
//! (listed in the run's `manifest.json`, not in the workbook), so a digest
//! cannot be recomputed from the workbook alone. Numbers are sealed at 15
//! significant digits (then in the shortest text for that value): Excel
//! shows and LibreOffice saves 15 digits, so a workbook re-saved by either
//! reads back, through calamine, as the same text.
//!
//! Only the cells written are sealed (their references are listed beside
//! the digest); a blank cell is in no digest, so `collect` also refuses a
//! sealed sheet holding a value in any cell not listed.

use sha2::{Digest, Sha256};

/// The key of a run: from the scheme's and the inputs' SHA-256, in order.
pub fn key<'a>(config_sha: &str, input_shas: impl IntoIterator<Item = &'a str>) -> String {
    let mut h = Sha256::new();
    h.update(b"appraise-feedback\n");
    h.update(config_sha.as_bytes());
    for s in input_shas {
        h.update(b"\n");
        h.update(s.as_bytes());
    }
    crate::config::hex(&h.finalize())
}

/// A sealed cell's value as text: at 15 significant digits, shortest form.
///
/// Most values already have a shortest form of at most 15 digits, and then
/// that form is the answer: every 15-digit decimal is a distinct double
/// (DBL_DIG), so the nearest 15-digit decimal to the double is its shortest
/// form padded. Only 16- and 17-digit values take the slow exact rounding.
pub fn number(x: f64) -> String {
    if !x.is_finite() || x == 0.0 {
        return format!("{}", if x == 0.0 { 0.0 } else { x });
    }
    let shortest = format!("{x}");
    if significant_digits(&shortest) <= 15 {
        return shortest;
    }
    let y: f64 = format!("{x:.14e}").parse().unwrap_or(x);
    format!("{y}")
}

/// Digits after any leading zeros (`0.00120` → 3).
fn significant_digits(s: &str) -> usize {
    s.bytes()
        .filter(u8::is_ascii_digit)
        .skip_while(|&b| b == b'0')
        .count()
}

/// The digest over sealed cells `(ref, value)`.
pub fn seal(key: &str, run_id: &str, employee: &str, cells: &[(String, String)]) -> String {
    let mut s = Sealer::new(key, run_id, employee);
    for (r, v) in cells {
        s.cell(r, v);
    }
    s.finish()
}

/// [`seal`] a cell at a time, as a workbook is written.
pub struct Sealer(Sha256);

impl Sealer {
    pub fn new(key: &str, run_id: &str, employee: &str) -> Self {
        let mut h = Sha256::new();
        h.update(key.as_bytes());
        h.update(b"\n");
        h.update(run_id.as_bytes());
        h.update(b"\n");
        h.update(employee.as_bytes());
        Sealer(h)
    }

    pub fn cell(&mut self, r: &str, v: &str) {
        self.0.update(b"\n");
        self.0.update(r.as_bytes());
        self.0.update(b"=");
        self.0.update(v.as_bytes());
    }

    pub fn finish(self) -> String {
        crate::config::hex(&self.0.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_changed_value_changes_the_digest() {
        let cells = vec![("D13".to_string(), number(43.75))];
        let a = seal("k", "run", "HF00001", &cells);
        let b = seal("k", "run", "HF00001", &[("D13".to_string(), number(44.0))]);
        let c = seal("other", "run", "HF00001", &cells);
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(number(44.0), "44");
        assert_eq!(number(0.8125), "0.8125");
    }

    /// The fast path gives what exact rounding to 15 digits gives, over
    /// values of every magnitude and of few and many digits.
    #[test]
    fn the_shortest_form_is_the_fifteen_digit_form_when_short() {
        let slow = |x: f64| {
            let y: f64 = format!("{x:.14e}").parse().unwrap_or(x);
            format!("{y}")
        };
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        for i in 0..200_000u64 {
            let r = next();
            let x = match i % 4 {
                // Any double.
                0 => f64::from_bits(r),
                // Decimals of a few places, as scores and amounts are.
                1 => (r % 10_000_000) as f64 / 10f64.powi((r % 7) as i32),
                2 => (r % 1_000_000_000_000_000) as f64 / 1e9,
                // Sums that pick up binary noise.
                _ => (r % 1000) as f64 * 0.1 + (r % 7) as f64 * 0.01,
            };
            if x.is_finite() && x != 0.0 {
                assert_eq!(number(x), slow(x), "{x:e}");
            }
        }
    }

    #[test]
    fn numbers_as_libreoffice_saves_them_seal_the_same() {
        // The 17-digit double written, and the 15 digits LibreOffice keeps.
        assert_eq!(number(0.8199926766752106), number(0.819992676675211));
        assert_eq!(number(0.8199926766752106), "0.819992676675211");
        assert_eq!(number(1234567.891), "1234567.891");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_ne!(number(0.8199), number(0.8198));
    }
}
