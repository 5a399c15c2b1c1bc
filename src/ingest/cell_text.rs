//! The text of key cells (employee id, project id) and header cells, as
//! matched against the scheme.

use calamine::Data;

/// A key cell (employee id, project id) as text.
pub fn key_text(d: &Data) -> Option<String> {
    match d {
        Data::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(format!("{}", *f as i64)),
        _ => None,
    }
}

/// Header text as matched against the scheme: trimmed, with full-width
/// brackets and spaces made half-width, so 收入（万元） matches 收入(万元).
pub fn normalise_header(s: &str) -> String {
    s.trim()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '：' => ':',
            '％' => '%',
            c => c,
        })
        .collect()
}
