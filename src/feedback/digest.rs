//! The digest that seals the scores shown in an employee's workbook. It is
//! SHA-256 over a key, the run id, the employee id and every sealed cell as
//! `ref=value`; the key is derived from the scheme's and the inputs' SHA-256
//! (listed in the run's `manifest.json`, not in the workbook), so a digest
//! cannot be recomputed from the workbook alone. Numbers are sealed in the
//! shortest text that reads back as the same f64, which is what Excel
//! stores, so a value read back with calamine gives the same text.

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

/// A sealed cell's value as text.
pub fn number(x: f64) -> String {
    format!("{x}")
}

/// The digest over sealed cells `(ref, value)`.
pub fn seal(key: &str, run_id: &str, employee: &str, cells: &[(String, String)]) -> String {
    let mut h = Sha256::new();
    h.update(key.as_bytes());
    h.update(b"\n");
    h.update(run_id.as_bytes());
    h.update(b"\n");
    h.update(employee.as_bytes());
    for (r, v) in cells {
        h.update(b"\n");
        h.update(r.as_bytes());
        h.update(b"=");
        h.update(v.as_bytes());
    }
    crate::config::hex(&h.finalize())
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
}
