//! `appraise whatif`: a draft scheme beside the base on the same inputs.
//! [`diff`] names the scheme's differences key by key, [`compare`] puts
//! everyone's scores under both side by side, [`impact`] tells what each
//! changed KPI or rule does, [`share`] whether the draft can be scored
//! on the base's prepared data. The workbook is written by `report::whatif`,
//! the command is `cmd::whatif`.

pub mod compare;
pub mod diff;
pub mod impact;
pub mod share;
