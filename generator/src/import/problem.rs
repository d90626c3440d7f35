//! Data problems, reported the way compilers report errors:
//! `file:line:col: error: message`, so editors and terminals can jump to them.

use std::fmt;
use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: PathBuf,
    /// 1-based line of the file (the header is line 1).
    pub line: u64,
    /// 1-based field number in the row, when one field is at fault.
    pub column: Option<usize>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path.display(), self.line)?;
        if let Some(c) = self.column {
            write!(f, ":{c}")?;
        }
        write!(f, ": error: {}", self.message)
    }
}

/// Every problem found in one file; an error so that `?` carries them up.
#[derive(Debug)]
pub struct Problems(pub Vec<Problem>);

/// How many problems are printed before the rest are only counted.
const SHOWN: usize = 50;

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in self.0.iter().take(SHOWN) {
            writeln!(f, "{p}")?;
        }
        if self.0.len() > SHOWN {
            writeln!(f, "… and {} more problems", self.0.len() - SHOWN)?;
        }
        write!(
            f,
            "{} problem(s) in the input; nothing was written",
            self.0.len()
        )
    }
}

impl std::error::Error for Problems {}
