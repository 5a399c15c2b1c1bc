//! Words both the writer and the reader of feedback workbooks use: sheet
//! names and dropdown values, in Chinese and English. Readers accept either
//! language, so a workbook written with `--lang en` is collected by a
//! Chinese run and the other way round.

use crate::lang::{Lang, in_lang};

/// Overall answers of `员工反馈`, in order, one row each (label in A,
/// answer in B). Where the KPI rows and the overall block start is written
/// in the meta sheet (`kpi_row`, `overall_row`).
pub const OVERALL_ROWS: usize = 6;

/// The hidden sheet with the run id and the digest (same in every language).
pub const META_SHEET: &str = "_appraise";
/// First cell of the meta sheet: the layout version. Version 2 (issue 16)
/// puts a KPI's name before its id, on the result and the answer sheet.
pub const META_FORMAT: &str = "appraise-feedback-2";
/// The layout before issue 16, still read: the id first, then the name.
pub const META_FORMAT_1: &str = "appraise-feedback-1";

/// Columns (0-based) that differ between the layout versions `collect`
/// reads; the actual (C), the weighted score (H), the answer (C) and its
/// reason (D) are in the same place in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// The KPI id on the result sheet.
    pub result_id: u32,
    /// The KPI name on the answer sheet.
    pub answer_name: u32,
}

/// The layout of a meta sheet's `format`, if it is one `collect` reads.
pub fn layout(format: &str) -> Option<Layout> {
    match format {
        META_FORMAT => Some(Layout {
            result_id: 1,
            answer_name: 0,
        }),
        META_FORMAT_1 => Some(Layout {
            result_id: 0,
            answer_name: 1,
        }),
        _ => None,
    }
}

pub fn result_sheet(lang: Lang) -> &'static str {
    in_lang(lang, "考核结果", "Result")
}
pub fn comments_sheet(lang: Lang) -> &'static str {
    in_lang(lang, "上级评语", "Manager comments")
}
pub fn answer_sheet(lang: Lang) -> &'static str {
    in_lang(lang, "员工反馈", "Feedback")
}
pub fn deepening_sheet(lang: Lang) -> &'static str {
    in_lang(lang, "深挖机会", "Deepening opportunities")
}

/// (yes, no) of the per-KPI dropdown.
pub fn agree(lang: Lang) -> [&'static str; 2] {
    [
        in_lang(lang, "同意", "Agree"),
        in_lang(lang, "不同意", "Disagree"),
    ]
}
/// (confirm, appeal) of the overall dropdown.
pub fn confirm(lang: Lang) -> [&'static str; 2] {
    [
        in_lang(lang, "确认", "Confirm"),
        in_lang(lang, "申诉", "Appeal"),
    ]
}
/// (accept, reject) of HR's decision dropdown.
pub fn decision(lang: Lang) -> [&'static str; 2] {
    [
        in_lang(lang, "采纳", "Accept"),
        in_lang(lang, "驳回", "Reject"),
    ]
}

/// Which of the two words (either language) `text` is: Some(true) for the
/// first, Some(false) for the second, None for blank or anything else.
pub fn which(text: &str, words: fn(Lang) -> [&'static str; 2]) -> Option<bool> {
    let t = text.trim();
    for lang in [Lang::Zh, Lang::En] {
        let [yes, no] = words(lang);
        if t.eq_ignore_ascii_case(yes) {
            return Some(true);
        }
        if t.eq_ignore_ascii_case(no) {
            return Some(false);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn either_language_is_understood() {
        assert_eq!(which("不同意", agree), Some(false));
        assert_eq!(which(" agree ", agree), Some(true));
        assert_eq!(which("申诉", confirm), Some(false));
        assert_eq!(which("Accept", decision), Some(true));
        assert_eq!(which("", confirm), None);
        assert_eq!(which("也许", agree), None);
    }

    // issue 16: the name now comes first; a workbook written before is
    // still read.
    #[test]
    fn both_layouts_are_read() {
        assert_eq!(layout(META_FORMAT).map(|l| l.result_id), Some(1));
        assert_eq!(layout(META_FORMAT_1).map(|l| l.answer_name), Some(1));
        assert_eq!(layout("appraise-feedback-9"), None);
    }
}
