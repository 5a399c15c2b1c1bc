//! A grade note (`score::GradeNote`) in the reader's language.

use crate::lang::Lang;
use crate::score::GradeNote;
use std::fmt;

impl GradeNote {
    #[allow(clippy::too_many_lines)] // issue 17: split by the issue-16 rewrite of this file
    pub fn text(&self, lang: Lang) -> String {
        use GradeNote::*;
        let zh = lang == Lang::Zh;
        match self {
            OverQuota {
                grade,
                cap,
                size,
                share,
                place,
                to,
            } => {
                if zh {
                    format!(
                        "强制分布：{grade}名额{cap}人（{size}人×{share}），本人在该等级中排第{place}，调为{to}"
                    )
                } else {
                    format!(
                        "forced distribution: {grade} allows {cap} ({size} × {share}); ranked {place} among its holders, moved to {to}"
                    )
                }
            }
            UnderMinimum {
                grade,
                need,
                size,
                share,
                from,
            } => {
                if zh {
                    format!(
                        "强制分布：{grade}及以下至少{need}人（{size}人×{share}），本人排名在后，由{from}调为{grade}"
                    )
                } else {
                    format!(
                        "forced distribution: at least {need} must be {grade} or below ({size} × {share}); ranked behind, moved from {from} to {grade}"
                    )
                }
            }
            TieKept {
                grade,
                first,
                last,
                cap,
                kept,
            } => {
                if zh {
                    format!(
                        "{grade}：第{first}至{last}名并列，均保留{grade}，名额由{cap}人增至{kept}人"
                    )
                } else {
                    format!(
                        "{grade}: places {first} to {last} are tied and all keep {grade}; the quota grows from {cap} to {kept}"
                    )
                }
            }
            TieMoved {
                grade,
                first,
                last,
                to,
                cap,
                kept,
            } => {
                if zh {
                    format!("{grade}：第{first}至{last}名并列，均调为{to}，名额{cap}人只用{kept}人")
                } else {
                    format!(
                        "{grade}: places {first} to {last} are tied and all move to {to}; {kept} of the {cap} places are used"
                    )
                }
            }
            TieSpared {
                grade,
                tied,
                need,
                met,
            } => {
                if zh {
                    format!("{grade}：边界上{tied}人并列，均不下调，最低名额{need}人只满足{met}人")
                } else {
                    format!(
                        "{grade}: {tied} tied at the boundary and none is moved down; the minimum of {need} is met by {met}"
                    )
                }
            }
            TieLowered { grade } => {
                if zh {
                    format!("{grade}：边界上并列者均下调为{grade}")
                } else {
                    format!("{grade}: everyone tied at the boundary moves down to {grade}")
                }
            }
            AdvisoryOver {
                min_group,
                grade,
                have,
                cap,
            } => {
                if zh {
                    format!(
                        "组内不足{min_group}人，名额仅作参考：{grade}有{have}人，超过参考名额{cap}人"
                    )
                } else {
                    format!(
                        "group under {min_group}, quotas only advise: {have} at {grade}, above the advised {cap}"
                    )
                }
            }
            AdvisoryUnder {
                min_group,
                grade,
                have,
                need,
            } => {
                if zh {
                    format!(
                        "组内不足{min_group}人，名额仅作参考：{grade}及以下{have}人，少于参考名额{need}人"
                    )
                } else {
                    format!(
                        "group under {min_group}, quotas only advise: {have} at {grade} or below, fewer than the advised {need}"
                    )
                }
            }
            VetoCeiling { veto, ceiling } => {
                if zh {
                    format!("一票否决「{veto}」：等级不高于{ceiling}")
                } else {
                    format!("veto “{veto}”: grade no better than {ceiling}")
                }
            }
            Provisional { why } => {
                if zh {
                    format!("暂定：对账未决（{}）", why.join("、"))
                } else {
                    format!(
                        "provisional: unresolved reconciliation ({})",
                        why.join(", ")
                    )
                }
            }
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
