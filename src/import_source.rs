//! Where an imported file's bytes come from (a file, bytes in memory, a team server's
//! spooled copy), and why a file did not import.

use crate::ingest::x12::interchange_end;
use crate::ingest::IngestError;
use crate::store::StoreError;
use std::io::BufRead;

/// Why a file did not import.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    /// The file could not be read or parsed (the error names file, segment and element).
    Ingest(#[from] IngestError),
    #[error("{file}: {source}")]
    /// The store refused or failed; nothing of the file was kept.
    Store {
        /// The file.
        file: String,
        /// What the store said.
        source: StoreError,
    },
    #[error("{0}")]
    /// The team server refused the file as it stands (its message names the place).
    BadFile(String),
    #[error("the import stopped")]
    /// Parsing stopped because storing failed (the store's error is the one reported).
    Stopped,
}

/// Where the file's bytes come from; opened once per reading (a large file that looks cut
/// short is read twice, see `import_observed`).
pub trait Source: Sync {
    /// The name errors and the audit log use.
    fn name(&self) -> &str;
    /// The bytes from the start.
    fn open(&self) -> Result<Box<dyn BufRead + '_>, IngestError>;
    /// Whether the bytes can be read again and do not end as a whole interchange does
    /// (`interchange_end`): looked at cheaply before a large file is stored as it is read,
    /// so that a file cut short is read whole first. A pipe or a device, which cannot be
    /// read twice, is never looked at: it is stored as it is read, and refused (undone)
    /// if it turns out malformed.
    fn looks_cut_short(&self) -> bool;
}

/// A file on disk.
pub struct FileSource(pub std::path::PathBuf, pub String);

impl FileSource {
    /// The file at `path`, named as given.
    pub fn new(path: &std::path::Path) -> FileSource {
        FileSource(path.to_path_buf(), path.display().to_string())
    }
}

impl Source for FileSource {
    fn name(&self) -> &str {
        &self.1
    }

    fn open(&self) -> Result<Box<dyn BufRead + '_>, IngestError> {
        let file = std::fs::File::open(&self.0)
            .map_err(|e| IngestError::file(&self.1, format!("cannot open: {e}")))?;
        Ok(Box::new(std::io::BufReader::with_capacity(
            256 * 1024,
            file,
        )))
    }

    fn looks_cut_short(&self) -> bool {
        use std::os::unix::fs::OpenOptionsExt;
        // Never waiting for a writer, should the path name a FIFO.
        let opened = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&self.0);
        // Not openable: the reading says why.
        opened.is_ok_and(|file| {
            file.metadata().is_ok_and(|m| m.is_file()) && !interchange_end::file_ends_whole(&file)
        })
    }
}

/// Bytes already in memory (embedded demo data, tests).
pub struct BytesSource<'a>(pub String, pub &'a [u8]);

impl Source for BytesSource<'_> {
    fn name(&self) -> &str {
        &self.0
    }

    fn open(&self) -> Result<Box<dyn BufRead + '_>, IngestError> {
        Ok(Box::new(self.1))
    }

    fn looks_cut_short(&self) -> bool {
        !interchange_end::bytes_end_whole(self.1)
    }
}
