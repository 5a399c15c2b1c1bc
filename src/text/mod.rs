//! Text for people, in one place above `score`: the one-line explanations
//! of a KPI's score, grade notes and where a value came from, in the
//! reader's language (`lang::Lang`). Scoring and reading keep data only;
//! the reports and commands word it here.

pub mod explain;
pub mod explain_steps;
pub mod grade_note;
pub mod notes;
pub mod policy;
pub mod source;
pub mod unit;
