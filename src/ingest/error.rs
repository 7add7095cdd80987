//! Import errors that name the place: file, segment number, element, and what was expected.

use std::fmt;

/// Where in a file something went wrong, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestError {
    /// The file.
    pub file: String,
    /// 1-based position of the segment in the file (ISA is 1).
    pub segment: Option<usize>,
    /// The segment's id, e.g. "CLP".
    pub segment_id: Option<String>,
    /// The element, e.g. "CLP04".
    pub element: Option<String>,
    /// What is wrong, control characters escaped.
    pub message: String,
}

/// Control characters written as escapes (see `crate::text`).
pub fn escape(text: &str) -> String {
    crate::text::escape(text).into_owned()
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", escape(&self.file))?;
        if let Some(n) = self.segment {
            write!(f, ": segment {n}")?;
            if let Some(id) = &self.segment_id {
                write!(f, " ({})", escape(id))?;
            }
        }
        if let Some(e) = &self.element {
            write!(f, ", element {}", escape(e))?;
        }
        write!(f, ": {}", escape(&self.message))
    }
}

impl std::error::Error for IngestError {}

impl IngestError {
    /// An error about the file as a whole (unreadable, not X12).
    pub fn file(file: &str, message: impl Into<String>) -> IngestError {
        IngestError {
            file: file.to_string(),
            segment: None,
            segment_id: None,
            element: None,
            message: message.into(),
        }
    }
}
