//! Two-way feedback (docs/feedback.md): what goes out with each employee's
//! workbook and what comes back. This module holds the run's feedback inputs
//! (managers' comments, HR's decided appeals), the labels and the hidden
//! sheet both sides agree on, and the reading of returned workbooks; the
//! workbooks themselves are written in `report::feedback` and `report::team`.

pub mod appeals;
pub mod carry;
pub mod collect;
pub mod comments;
pub mod digest;
pub mod labels;

pub use appeals::{Appeal, Decision};
pub use comments::Comment;

use crate::config::Config;
use crate::error::Result;
use crate::ingest::Dataset;
use std::collections::HashMap;

/// The feedback inputs of a run, by employee index: managers' comments and
/// HR's decided appeals.
#[derive(Debug, Clone, Default)]
pub struct CommentsAndAppeals {
    pub comments: HashMap<usize, Comment>,
    /// Every appeal decided for the employee (accepted, rejected or pending).
    pub appeals: HashMap<usize, Vec<Appeal>>,
}

/// Read `[feedback]` inputs and apply accepted appeals to the data (new
/// actual values) and the scheme (an adjustment section for appeal points).
/// The files read join `data.files`, so they are part of the run id.
pub fn load(config: &mut Config, data: &mut Dataset) -> Result<CommentsAndAppeals> {
    let Some(fb) = config.scheme.feedback.clone() else {
        return Ok(CommentsAndAppeals::default());
    };
    let mut inputs = CommentsAndAppeals::default();
    let mut problems = Vec::new();
    if let Some(c) = &fb.comments {
        inputs.comments = comments::load(config, data, c, &mut problems);
    }
    if let Some(a) = &fb.appeals {
        let mut list = appeals::load(config, data, a, &mut problems);
        appeals::remember_old(&mut list, data, config);
        if problems.is_empty() {
            appeals::apply(config, data, &list);
        }
        for ap in list {
            inputs.appeals.entry(ap.emp).or_default().push(ap);
        }
    }
    if problems.is_empty() {
        Ok(inputs)
    } else {
        Err(crate::Error::Data(problems))
    }
}

/// A name made safe as one path component (see `ingest::file_names`).
pub use crate::ingest::file_names::file_part;
