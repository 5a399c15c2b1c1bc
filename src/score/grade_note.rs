//! Why a grade is what it is, beyond the cut-offs: forced-distribution
//! moves, ties at a quota's boundary, advisory quotas, veto ceilings and
//! provisional results. Kept as data and worded in the reader's language
//! when written.

use crate::lang::Lang;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GradeNote {
    /// Moved down: `grade` holds at most `cap` (`size` × `share`); this
    /// person ranked `place` among its holders.
    OverQuota {
        grade: String,
        cap: usize,
        size: usize,
        share: String,
        place: usize,
        to: String,
    },
    /// Moved down: at least `need` (`size` × `share`) must be at `grade` or
    /// below, and this person ranked behind.
    UnderMinimum {
        grade: String,
        need: usize,
        size: usize,
        share: String,
        from: String,
    },
    /// A tie across a maximum's boundary: all kept, the quota grows.
    TieKept {
        grade: String,
        first: usize,
        last: usize,
        cap: usize,
        kept: usize,
    },
    /// A tie across a maximum's boundary: all moved down to `to`.
    TieMoved {
        grade: String,
        first: usize,
        last: usize,
        to: String,
        cap: usize,
        kept: usize,
    },
    /// A tie across a minimum's boundary: none moved, the minimum is met
    /// only in part.
    TieSpared {
        grade: String,
        tied: usize,
        need: usize,
        met: usize,
    },
    /// A tie across a minimum's boundary: all moved to `grade`.
    TieLowered { grade: String },
    /// A group smaller than `min_group`: quotas only advise.
    AdvisoryOver {
        min_group: usize,
        grade: String,
        have: usize,
        cap: usize,
    },
    AdvisoryUnder {
        min_group: usize,
        grade: String,
        have: usize,
        need: usize,
    },
    /// A veto caps the grade.
    VetoCeiling { veto: String, ceiling: String },
    /// Scored with unresolved reconciliation conflicts (projects and fields).
    Provisional { why: Vec<String> },
}

impl GradeNote {
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

    pub fn is_provisional(&self) -> bool {
        matches!(self, GradeNote::Provisional { .. })
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
