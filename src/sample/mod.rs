//! Deterministic sample data for a branch like the study's.

use crate::Result;
use std::path::Path;

pub fn write(_out: &Path, _account_managers: usize, _seed: u64) -> Result<()> {
    Err(crate::Error::Other("sample: not yet built".into()))
}
