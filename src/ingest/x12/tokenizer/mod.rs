//! Splits an X12 interchange into segments and elements. Separators come from the ISA
//! header, never assumed; segments may be separated by line breaks or not. Streams: one
//! segment in memory at a time.

use crate::ingest::error::IngestError;
use std::io::BufRead;

mod control;

/// The four delimiters an interchange declares in its ISA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Separators {
    /// ISA's fourth byte: between elements.
    pub element: u8,
    /// ISA16: between components.
    pub component: u8,
    /// ISA11 in 5010; 4010 has the standards id `U` there instead.
    pub repetition: Option<u8>,
    /// The byte after ISA16: ends a segment.
    pub segment: u8,
}

/// Longest segment accepted: guards memory against a file with no terminators at all.
const MAX_SEGMENT_BYTES: usize = 64 * 1024;

/// A segment read from the file; elements are numbered as X12 numbers them (CLP01 = 1).
pub struct Segment<'a> {
    text: &'a str,
    /// Byte offsets of element separators in `text`.
    splits: &'a [usize],
    /// Its position in the file, from 1 (as errors name it).
    pub number: usize,
    /// The delimiters of its interchange.
    pub separators: Separators,
}

impl<'a> Segment<'a> {
    /// The segment id ("CLP").
    pub fn id(&self) -> &'a str {
        self.raw_element(0)
    }

    fn raw_element(&self, i: usize) -> &'a str {
        let start = if i == 0 { 0 } else { self.splits[i - 1] + 1 };
        let end = self.splits.get(i).copied().unwrap_or(self.text.len());
        &self.text[start..end]
    }

    /// Element `i` (1-based), or "" when absent.
    pub fn element(&self, i: usize) -> &'a str {
        if i == 0 || i > self.splits.len() {
            ""
        } else {
            self.raw_element(i).trim_end_matches(' ')
        }
    }

    /// How many elements follow the id.
    pub fn len(&self) -> usize {
        self.splits.len()
    }

    /// Whether element `n` is absent or empty.
    pub fn is_empty(&self) -> bool {
        self.splits.is_empty()
    }

    /// Components of a composite element (SVC01 = HC:99213:25).
    pub fn components(&self, i: usize) -> impl Iterator<Item = &'a str> {
        let sep = self.separators.component as char;
        self.element(i).split(sep)
    }

    /// The raw text of the segment, for fingerprints.
    pub fn text(&self) -> &'a str {
        self.text
    }
}

fn io_error(file: &str, e: std::io::Error) -> IngestError {
    IngestError::file(file, format!("cannot read: {e}"))
}

/// Reads segments one by one from a buffered reader.
pub struct SegmentReader<R> {
    reader: R,
    file: String,
    separators: Option<Separators>,
    buf: Vec<u8>,
    splits: Vec<usize>,
    number: usize,
}

impl<R: BufRead> SegmentReader<R> {
    /// A tokenizer over `reader`, naming `file` in errors.
    pub fn new(reader: R, file: &str) -> Self {
        SegmentReader {
            reader,
            file: file.to_string(),
            separators: None,
            buf: Vec::with_capacity(256),
            splits: Vec::with_capacity(32),
            number: 0,
        }
    }

    /// The file's name, for errors.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Segments read so far.
    pub fn count(&self) -> usize {
        self.number
    }

    fn error(&self, message: impl Into<String>) -> IngestError {
        IngestError {
            file: self.file.clone(),
            segment: Some(self.number.max(1)),
            segment_id: None,
            element: None,
            message: message.into(),
        }
    }

    /// Reads the ISA header, which declares the separators. Called at the start of each
    /// interchange.
    fn read_isa(&mut self) -> Result<bool, IngestError> {
        // Skip a byte-order mark and blank lines before the header.
        loop {
            let available = self
                .reader
                .fill_buf()
                .map_err(|e| io_error(&self.file, e))?;
            if available.is_empty() {
                return Ok(false);
            }
            let skip = available.iter().take_while(|&&b| before_isa(b)).count();
            if skip == 0 {
                break;
            }
            self.reader.consume(skip);
        }
        self.buf.clear();
        // ISA is fixed-width: 106 bytes including its terminator.
        let mut header = [0u8; 106];
        let mut filled = 0;
        while filled < header.len() {
            let n = self
                .reader
                .read(&mut header[filled..])
                .map_err(|e| io_error(&self.file, e))?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        self.number += 1;
        if filled < 3 || &header[..3] != b"ISA" {
            return Err(self
                .error("not an X12 interchange: expected the file to start with an ISA segment"));
        }
        if filled < header.len() {
            return Err(self.error("truncated ISA header: it must be 106 characters long"));
        }
        let element = header[3];
        let seps_at: Vec<usize> = header
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == element)
            .map(|(i, _)| i)
            .collect();
        if seps_at.len() != 16 || seps_at[15] != 103 {
            return Err(self.error(format!(
                "malformed ISA header: expected 16 fixed-width elements separated by {:?}",
                element as char
            )));
        }
        if let Some(why) = control::unusable_separator(&header) {
            return Err(self.error(why));
        }
        let repetition = header[82];
        let separators = Separators {
            element,
            component: header[104],
            repetition: (repetition != b'U' && !repetition.is_ascii_alphanumeric())
                .then_some(repetition),
            segment: header[105],
        };
        self.separators = Some(separators);
        self.buf.extend_from_slice(&header[..105]);
        self.split_buf()
    }

    fn split_buf(&mut self) -> Result<bool, IngestError> {
        let sep = self.separators.expect("separators known").element;
        self.splits.clear();
        self.splits.extend(
            self.buf
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == sep)
                .map(|(i, _)| i),
        );
        if std::str::from_utf8(&self.buf).is_err() {
            return Err(self.error("segment is not text (invalid UTF-8 or binary data)"));
        }
        Ok(true)
    }

    /// The next segment, or `None` at a clean end of file.
    pub fn next_segment(&mut self) -> Result<Option<Segment<'_>>, IngestError> {
        let got = match self.separators {
            None => self.read_isa()?,
            Some(seps) => self.read_delimited(seps)?,
        };
        if !got {
            return Ok(None);
        }
        Ok(Some(Segment {
            // Checked in split_buf.
            text: std::str::from_utf8(&self.buf).unwrap_or_default(),
            splits: &self.splits,
            number: self.number,
            separators: self.separators.expect("separators known"),
        }))
    }

    fn read_delimited(&mut self, seps: Separators) -> Result<bool, IngestError> {
        loop {
            // Line breaks between segments are layout, not data.
            let available = self
                .reader
                .fill_buf()
                .map_err(|e| io_error(&self.file, e))?;
            let skip = available
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n') && **b != seps.segment)
                .count();
            if skip > 0 {
                self.reader.consume(skip);
                continue;
            }
            if available.is_empty() {
                return Ok(false);
            }
            if is_padding(available[0]) {
                // Spaces, NULs and a DOS end-of-file mark (Ctrl-Z) pad many files after
                // their last IEA. Accepted only when nothing else follows; the reader
                // still requires the IEA, so padding cannot hide a truncated file.
                return self.skip_padding_to_end();
            }
            if available.starts_with(b"ISA") {
                // A further interchange in the same file declares its own separators.
                return self.read_isa();
            }
            break;
        }
        self.buf.clear();
        let n = std::io::Read::take(&mut self.reader, MAX_SEGMENT_BYTES as u64)
            .read_until(seps.segment, &mut self.buf)
            .map_err(|e| io_error(&self.file, e))?;
        self.number += 1;
        if self.buf.last() == Some(&seps.segment) {
            self.buf.pop();
            if seps.segment == b'\n' && self.buf.last() == Some(&b'\r') {
                // CRLF line endings with a line-feed terminator.
                self.buf.pop();
            }
        } else if n >= MAX_SEGMENT_BYTES {
            return Err(self.error(format!(
                "segment longer than {MAX_SEGMENT_BYTES} bytes: missing segment terminator {:?}?",
                seps.segment as char
            )));
        } else {
            return Err(self.error(format!(
                "file ends in the middle of a segment (no terminator {:?}): truncated file?",
                seps.segment as char
            )));
        }
        self.check_control_characters(seps)?;
        self.split_buf()
    }

    /// A control character inside a segment is never data (see `control`): refuse it,
    /// rather than store a claim id with a newline in it or misread the segment id.
    fn check_control_characters(&self, seps: Separators) -> Result<(), IngestError> {
        match control::control_character(&self.buf, seps) {
            Some(why) => Err(self.error(why)),
            None => Ok(()),
        }
    }

    /// Consumes padding to the end of the file; anything else after it is an error.
    fn skip_padding_to_end(&mut self) -> Result<bool, IngestError> {
        loop {
            let available = self
                .reader
                .fill_buf()
                .map_err(|e| io_error(&self.file, e))?;
            if available.is_empty() {
                return Ok(false);
            }
            let pad = available.iter().take_while(|&&b| after_last_iea(b)).count();
            if pad == 0 {
                let found = available[0];
                self.number += 1;
                return Err(self.error(format!(
                    "unexpected {:?} after padding: spaces, NULs or Ctrl-Z are accepted only at the end of the file, after the last IEA",
                    found as char
                )));
            }
            self.reader.consume(pad);
        }
    }
}

/// Bytes some systems pad a file with after its last segment.
fn is_padding(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | 0 | 0x1a)
}

/// Bytes the reader skips before an interchange's ISA: blanks, line breaks and a UTF-8
/// byte-order mark.
pub(crate) fn before_isa(b: u8) -> bool {
    matches!(b, b' ' | b'\r' | b'\n' | b'\t' | 0xEF | 0xBB | 0xBF)
}

/// Bytes the reader accepts after the last IEA: padding and line breaks.
pub(crate) fn after_last_iea(b: u8) -> bool {
    is_padding(b) || b == b'\r' || b == b'\n'
}

#[cfg(test)]
mod tests;
