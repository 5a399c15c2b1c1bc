//! `appraise schema`: print the JSON Schema of the scheme file
//! (`config::json_schema`).

use crate::Result;

pub fn run() -> Result<()> {
    say!("{}", crate::config::json_schema::json());
    Ok(())
}
