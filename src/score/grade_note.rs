//! Why a grade is what it is, beyond the cut-offs: forced-distribution
//! moves, ties at a quota's boundary, advisory quotas, veto ceilings and
//! provisional results. Kept as data and worded in the reader's language
//! when written (`text::grade_note`).

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
    /// Issue 19: the person's calibration group has `size` people, fewer
    /// than `min_group`: graded by cut-off only, quotas not applied.
    CutoffOnly { min_group: usize, size: usize },
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
    pub fn is_provisional(&self) -> bool {
        matches!(self, GradeNote::Provisional { .. })
    }
}
