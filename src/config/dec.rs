//! `Dec`: an exact decimal read from TOML. Integers and strings are exact;
//! a TOML float passes through f64, so it is read back through its shortest
//! decimal representation (`0.1` stays `0.1`). Write `"0.35"` as a string
//! where a value must be exact beyond what a float can say.

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(transparent)]
pub struct Dec(pub Decimal);

impl Dec {
    pub fn get(self) -> Decimal {
        self.0
    }
}

impl From<Decimal> for Dec {
    fn from(d: Decimal) -> Self {
        Dec(d)
    }
}

impl fmt::Display for Dec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.normalize())
    }
}

/// Parse a decimal written as text: `12.5`, `-3`, `20%` (= 0.2).
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    let s = s.trim();
    if let Some(p) = s.strip_suffix('%') {
        return Decimal::from_str(p.trim())
            .ok()
            .and_then(|d| d.checked_div(Decimal::ONE_HUNDRED));
    }
    Decimal::from_str(s)
        .ok()
        .or_else(|| Decimal::from_scientific(s).ok())
}

struct DecVisitor;

impl Visitor<'_> for DecVisitor {
    type Value = Dec;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number, or a decimal written as a string such as \"0.35\" or \"35%\"")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Dec, E> {
        Ok(Dec(Decimal::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Dec, E> {
        Ok(Dec(Decimal::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Dec, E> {
        if !v.is_finite() {
            return Err(E::custom("expected a finite number"));
        }
        // `{}` prints the shortest representation that reads back to `v`.
        parse_decimal(&format!("{v}"))
            .map(Dec)
            .ok_or_else(|| E::custom(format!("{v} is out of the decimal range")))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Dec, E> {
        parse_decimal(v)
            .map(Dec)
            .ok_or_else(|| E::custom(format!("`{v}` is not a decimal number")))
    }
}

/// A value in points (a KPI's weight, points per event): a number, or a
/// decimal as a string, but never a percentage: `weight = "15%"` would be
/// 0.15 points, and its only symptom a sum of 85.15 (issue 16). Used as
/// `#[serde(deserialize_with = "points")]`.
pub fn points<'de, D: Deserializer<'de>>(d: D) -> Result<Dec, D::Error> {
    d.deserialize_any(PointsVisitor)
}

/// [`points`] for an optional key: `#[serde(default, deserialize_with = "points_opt")]`.
pub fn points_opt<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Dec>, D::Error> {
    points(d).map(Some)
}

/// The text of the error for a percentage where points are meant (the
/// scheme's diagnostics recognise it by `PERCENT_NOT_POINTS`).
pub const PERCENT_NOT_POINTS: &str = "is a percentage, not points";

struct PointsVisitor;

impl Visitor<'_> for PointsVisitor {
    type Value = Dec;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number of points")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Dec, E> {
        DecVisitor.visit_i64(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Dec, E> {
        DecVisitor.visit_u64(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Dec, E> {
        DecVisitor.visit_f64(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Dec, E> {
        if v.trim().ends_with('%') {
            return Err(E::custom(format!("`{v}` {PERCENT_NOT_POINTS}")));
        }
        DecVisitor.visit_str(v)
    }
}

// One schema for both forms (a `pattern` applies only to strings, and
// `minimum`/`maximum` beside a `$ref` to it only to numbers), so that an
// editor says what is wrong with the value rather than "not valid under any
// of the given schemas".
impl schemars::JsonSchema for Dec {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Decimal".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A decimal: a number, or a string such as \"0.35\" or \"35%\" where it must be exact (\"35%\" = 0.35)",
            "type": ["number", "string"],
            "pattern": "^\\s*-?[0-9]+(\\.[0-9]+)?\\s*%?\\s*$"
        })
    }
}

/// The JSON schema of a value in points ([`points`]): a number, or a
/// decimal as a string, never a percentage.
pub struct Points;

impl schemars::JsonSchema for Points {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Points".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Points (a total is out of 100): a number, or a decimal as a string such as \"2.5\"; never a percentage",
            "type": ["number", "string"],
            "pattern": "^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$"
        })
    }
}

impl<'de> Deserialize<'de> for Dec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DecVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros_free::*;

    mod rust_decimal_macros_free {
        pub fn d(s: &str) -> rust_decimal::Decimal {
            s.parse().expect("test decimal")
        }
    }

    #[derive(Deserialize)]
    struct T {
        v: Dec,
    }

    fn read(s: &str) -> Decimal {
        toml::from_str::<T>(s).expect("parse").v.0
    }

    #[test]
    fn floats_ints_and_strings_are_exact() {
        assert_eq!(read("v = 0.1"), d("0.1"));
        assert_eq!(read("v = 1.2"), d("1.2"));
        assert_eq!(read("v = 30"), d("30"));
        assert_eq!(read("v = \"0.35\""), d("0.35"));
        assert_eq!(read("v = \"20%\""), d("0.2"));
        assert!(toml::from_str::<T>("v = \"abc\"").is_err());
    }

    #[derive(Deserialize, Debug)]
    struct P {
        #[serde(deserialize_with = "points")]
        #[allow(dead_code)]
        v: Dec,
    }

    #[test]
    fn points_are_never_a_percentage() {
        assert_eq!(toml::from_str::<P>("v = 15").expect("points").v.0, d("15"));
        let e = toml::from_str::<P>("v = \"15%\"").expect_err("a percentage");
        assert!(e.message().contains(PERCENT_NOT_POINTS), "{e}");
    }
}
