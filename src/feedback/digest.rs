//! The digest that seals the scores shown in an employee's workbook. It is
//! SHA-256 over a key, the run id, the employee id and every sealed cell as
//! `ref=value`; the key is derived from the scheme's and the inputs' SHA-256
//! (listed in the run's `manifest.json`, not in the workbook), so a digest
//! cannot be recomputed from the workbook alone. Numbers are sealed at 15
//! significant digits (then in the shortest text for that value): Excel
//! shows and LibreOffice saves 15 digits, so a workbook re-saved by either
//! reads back, through calamine, as the same text.

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
pub fn number(x: f64) -> String {
    if !x.is_finite() || x == 0.0 {
        return format!("{}", if x == 0.0 { 0.0 } else { x });
    }
    let y: f64 = format!("{x:.14e}").parse().unwrap_or(x);
    format!("{y}")
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
