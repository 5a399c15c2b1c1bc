//! `[limits]`: how big an input may be before it is refused. The defaults
//! hold any real branch's exports with room to spare and keep a hostile
//! file (a zip bomb, a stray cell at XFD1048576) from taking the machine's
//! memory: the largest sheet the defaults admit takes about 320 MiB.

use super::locate::{Locator, at};
use crate::error::Problem;
use schemars::JsonSchema;
use serde::Deserialize;

/// Size limits on input workbooks. Every key is optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Rows a sheet may use (a cell below this row is refused).
    pub max_rows: u32,
    /// Columns a sheet may use (a cell right of this column is refused).
    pub max_columns: u32,
    /// Cells a sheet may span, counting the blanks inside each used row.
    pub max_cells: u64,
    /// Largest part of a workbook once unpacked, in MiB.
    pub max_unpacked_mib: u64,
    /// Largest ratio of a part's unpacked to packed size (a zip bomb's is in the thousands).
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_rows: 1_048_576,
            max_columns: 500,
            max_cells: 10_000_000,
            max_unpacked_mib: 512,
            max_ratio: 200,
        }
    }
}

/// Zero limits would refuse every file: say so at the key.
pub(super) fn check(limits: &Limits, loc: &Locator) -> Vec<Problem> {
    let path = at("limits");
    [
        ("max_rows", u64::from(limits.max_rows)),
        ("max_columns", u64::from(limits.max_columns)),
        ("max_cells", limits.max_cells),
        ("max_unpacked_mib", limits.max_unpacked_mib),
        ("max_ratio", limits.max_ratio),
    ]
    .into_iter()
    .filter(|(_, v)| *v == 0)
    .map(|(key, _)| {
        Problem::new(
            loc.find(&path.key(key)),
            crate::t!(
                "`{key}` 为 0 会拒收所有工作簿",
                "`{key}` of 0 would refuse every workbook"
            ),
        )
        .help(crate::lang::Text::new(
            "调高它，或删除该键以使用默认值",
            "raise it, or remove the key to use the default",
        ))
    })
    .collect()
}

impl Limits {
    /// `max_unpacked_mib` in bytes.
    pub fn max_unpacked_bytes(&self) -> u64 {
        self.max_unpacked_mib.saturating_mul(1024 * 1024)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct T {
        #[serde(default)]
        limits: Limits,
    }

    #[test]
    fn every_key_is_optional() {
        let t: T = toml::from_str("[limits]\nmax_rows = 10").expect("parse");
        assert_eq!(t.limits.max_rows, 10);
        assert_eq!(t.limits.max_columns, 500);
        let t: T = toml::from_str("").expect("parse");
        assert_eq!(t.limits, Limits::default());
        assert!(toml::from_str::<T>("[limits]\nmax_row = 10").is_err());
    }
}
