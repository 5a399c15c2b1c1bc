//! A grade note (`score::GradeNote`) in the reader's language.

use crate::lang::Lang;
use crate::score::GradeNote;
use std::fmt;

impl GradeNote {
    pub fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }

    fn zh(&self) -> String {
        use GradeNote::*;
        match self {
            OverQuota {
                grade,
                cap,
                size,
                share,
                place,
                to,
            } => format!(
                "强制分布：{grade}名额{cap}人（{size}人×{share}），本人在该等级中排第{place}，调为{to}"
            ),
            UnderMinimum {
                grade,
                need,
                size,
                share,
                from,
            } => format!(
                "强制分布：{grade}及以下至少{need}人（{size}人×{share}），本人排名在后，由{from}调为{grade}"
            ),
            TieKept {
                grade,
                first,
                last,
                cap,
                kept,
            } => format!(
                "{grade}：第{first}至{last}名并列，均保留{grade}，名额由{cap}人增至{kept}人"
            ),
            TieMoved {
                grade,
                first,
                last,
                to,
                cap,
                kept,
            } => format!("{grade}：第{first}至{last}名并列，均调为{to}，名额{cap}人只用{kept}人"),
            TieSpared {
                grade,
                tied,
                need,
                met,
            } => format!("{grade}：边界上{tied}人并列，均不下调，最低名额{need}人只满足{met}人"),
            TieLowered { grade } => format!("{grade}：边界上并列者均下调为{grade}"),
            CutoffOnly { min_group, size } => {
                format!("校准组仅{size}人，不足{min_group}人：只按分数线定等级，不做强制分布")
            }
            AdvisoryOver {
                min_group,
                grade,
                have,
                cap,
            } => format!(
                "组内不足{min_group}人，名额仅作参考：{grade}有{have}人，超过参考名额{cap}人"
            ),
            AdvisoryUnder {
                min_group,
                grade,
                have,
                need,
            } => format!(
                "组内不足{min_group}人，名额仅作参考：{grade}及以下{have}人，少于参考名额{need}人"
            ),
            VetoCeiling { veto, ceiling } => format!("一票否决「{veto}」：等级不高于{ceiling}"),
            Provisional { why } => format!("暂定：对账未决（{}）", why.join("、")),
        }
    }

    fn en(&self) -> String {
        use GradeNote::*;
        match self {
            OverQuota {
                grade,
                cap,
                size,
                share,
                place,
                to,
            } => format!(
                "forced distribution: {grade} allows {cap} ({size} × {share}); ranked {place} among its holders, moved to {to}"
            ),
            UnderMinimum {
                grade,
                need,
                size,
                share,
                from,
            } => format!(
                "forced distribution: at least {need} must be {grade} or below ({size} × {share}); ranked behind, moved from {from} to {grade}"
            ),
            TieKept {
                grade,
                first,
                last,
                cap,
                kept,
            } => format!(
                "{grade}: places {first} to {last} are tied and all keep {grade}; the quota grows from {cap} to {kept}"
            ),
            TieMoved {
                grade,
                first,
                last,
                to,
                cap,
                kept,
            } => format!(
                "{grade}: places {first} to {last} are tied and all move to {to}; {kept} of the {cap} places are used"
            ),
            TieSpared {
                grade,
                tied,
                need,
                met,
            } => format!(
                "{grade}: {tied} tied at the boundary and none is moved down; the minimum of {need} is met by {met}"
            ),
            TieLowered { grade } => {
                format!("{grade}: everyone tied at the boundary moves down to {grade}")
            }
            CutoffOnly { min_group, size } => format!(
                "calibration group of {size}, fewer than {min_group}: graded by cut-off only, no forced distribution"
            ),
            AdvisoryOver {
                min_group,
                grade,
                have,
                cap,
            } => format!(
                "group under {min_group}, quotas only advise: {have} at {grade}, above the advised {cap}"
            ),
            AdvisoryUnder {
                min_group,
                grade,
                have,
                need,
            } => format!(
                "group under {min_group}, quotas only advise: {have} at {grade} or below, fewer than the advised {need}"
            ),
            VetoCeiling { veto, ceiling } => {
                format!("veto “{veto}”: grade no better than {ceiling}")
            }
            Provisional { why } => format!(
                "provisional: unresolved reconciliation ({})",
                why.join(", ")
            ),
        }
    }
}

/// The Chinese wording (the default language of the reports).
impl fmt::Display for GradeNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::Zh))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_reads_in_either_language() {
        let n = GradeNote::OverQuota {
            grade: "A".into(),
            cap: 2,
            size: 10,
            share: "20%".into(),
            place: 3,
            to: "B".into(),
        };
        assert_eq!(
            n.text(Lang::Zh),
            "强制分布：A名额2人（10人×20%），本人在该等级中排第3，调为B"
        );
        assert_eq!(
            n.text(Lang::En),
            "forced distribution: A allows 2 (10 × 20%); ranked 3 among its holders, moved to B"
        );
        let p = GradeNote::Provisional {
            why: vec!["P-1 合同金额".into()],
        };
        assert!(p.is_provisional());
        assert_eq!(p.to_string(), "暂定：对账未决（P-1 合同金额）");
        assert_eq!(
            p.text(Lang::En),
            "provisional: unresolved reconciliation (P-1 合同金额)"
        );
    }
}
