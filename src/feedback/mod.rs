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
use crate::ingest::{Dataset, InputFile};
use std::collections::HashMap;

/// The feedback inputs of a run, by employee index: managers' comments and
/// HR's decided appeals.
#[derive(Debug, Clone, Default)]
pub struct CommentsAndAppeals {
    pub comments: HashMap<usize, Comment>,
    /// Every appeal decided for the employee (accepted, rejected or pending).
    pub appeals: HashMap<usize, Vec<Appeal>>,
}

/// What `[feedback]` names, read and checked against the roster but not
/// yet applied: it needs no reconciled value, so it is read while the
/// projects are reconciled ([`crate::pipeline::prepare`]).
#[derive(Default)]
pub struct Read {
    comments: HashMap<usize, Comment>,
    appeals: Option<Vec<Appeal>>,
    files: Vec<InputFile>,
    problems: Vec<crate::error::Problem>,
}

/// Read the managers' comments and HR's decided appeals. The files read
/// join `data.files` when applied ([`apply`]), so they are part of the run id.
pub fn read(config: &Config, data: &Dataset) -> Read {
    let Some(fb) = &config.scheme.feedback else {
        return Read::default();
    };
    let mut read = Read::default();
    if let Some(c) = &fb.comments {
        read.comments = comments::load(config, data, c, &mut read.files, &mut read.problems);
    }
    if let Some(a) = &fb.appeals {
        read.appeals = Some(appeals::load(
            config,
            data,
            a,
            &mut read.files,
            &mut read.problems,
        ));
    }
    read
}

/// Apply what [`read`] read, after reconciliation: an accepted appeal
/// replaces the reconciled value (which the appeal records as the old one).
pub fn apply(config: &mut Config, data: &mut Dataset, read: Read) -> Result<CommentsAndAppeals> {
    let Read {
        comments,
        appeals,
        files,
        problems,
    } = read;
    data.files.extend(files);
    let mut inputs = CommentsAndAppeals {
        comments,
        ..CommentsAndAppeals::default()
    };
    if let Some(mut list) = appeals {
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
