//! A column of an input sheet as the scheme names it: its header, or a
//! table with the header and the value's type.

use super::dec::Dec;
use schemars::JsonSchema;
use serde::Deserialize;

/// A column: its header, or a table with the header and the value's type.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Column {
    Header(String),
    Typed(TypedColumn),
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TypedColumn {
    pub header: String,
    #[serde(default, rename = "type")]
    pub kind: ColumnType,
    /// Smallest value allowed (e.g. 0 where negatives are impossible).
    #[serde(default)]
    pub min: Option<Dec>,
    /// An empty cell is allowed (the KPI's missing policy decides).
    #[serde(default = "yes")]
    pub optional: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ColumnType {
    #[default]
    Number,
    Text,
    Date,
}

impl Column {
    pub fn header(&self) -> &str {
        match self {
            Column::Header(h) => h,
            Column::Typed(t) => &t.header,
        }
    }

    pub fn kind(&self) -> ColumnType {
        match self {
            Column::Header(_) => ColumnType::Number,
            Column::Typed(t) => t.kind,
        }
    }

    pub fn min(&self) -> Option<Dec> {
        match self {
            Column::Header(_) => None,
            Column::Typed(t) => t.min,
        }
    }
}
