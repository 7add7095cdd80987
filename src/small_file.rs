//! Reading a small text file a person names (an edited letter, a keymap): opened without
//! waiting, so a FIFO put in its place cannot hang the command; only a regular file is
//! read, and at most `max` bytes of it.

use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Why a small file was not read.
#[derive(Debug, thiserror::Error)]
pub enum SmallFileError {
    /// It could not be opened (missing, not allowed …).
    #[error("cannot read it: {0}")]
    Open(#[from] std::io::Error),
    /// A folder, a FIFO, a device.
    #[error("not a regular file")]
    NotRegular,
    /// Longer than `max`.
    #[error("longer than {0} bytes")]
    TooLong(u64),
    /// Not UTF-8 text.
    #[error("not a text file (UTF-8)")]
    NotText,
}

/// The file's text, if it is a regular file of at most `max` bytes of UTF-8.
pub fn read(path: &Path, max: u64) -> Result<String, SmallFileError> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    if !file.metadata()?.is_file() {
        return Err(SmallFileError::NotRegular);
    }
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(SmallFileError::TooLong(max));
    }
    String::from_utf8(bytes).map_err(|_| SmallFileError::NotText)
}
