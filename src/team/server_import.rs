//! `import_file` on the server: the client sends the file as it is, the server spools it
//! into an unlinked file in the database folder and imports it exactly as an embedded
//! import does (`import::import_observed`: checked whole first, then stored whole or not
//! at all), telling the client how it goes. No claim is turned into JSON and back on the
//! way, so the team path costs what the embedded one does plus the copy of the file.
//!
//! Once the whole file has arrived, the import runs to its end even if the client goes
//! away: it is one unit either way, and the audit log names who sent it.

use super::protocol::{send, IMPORT_FILE_MAX};
use super::reply::Response;
use crate::domain::payer_rules::PayerRules;
use crate::import::{import_observed, ImportError, ImportEvent, Source};
use crate::ingest::IngestError;
use crate::store::{SledStore, StoreError};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::FileExt;
use std::os::unix::net::UnixStream;
use std::time::Duration;

/// How long the server waits for the next bytes of a file being sent.
const SEND_WAIT: Duration = Duration::from_secs(30);

/// The spooled file; each pass reads it from the start.
struct Spooled {
    file: File,
    name: String,
}

/// Reads a file from `at` on, without moving a shared offset.
struct ReadAt<'a> {
    file: &'a File,
    at: u64,
}

impl Read for ReadAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.file.read_at(buf, self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

impl Source for Spooled {
    fn name(&self) -> &str {
        &self.name
    }

    fn open(&self) -> Result<Box<dyn BufRead + '_>, IngestError> {
        Ok(Box::new(BufReader::with_capacity(
            256 << 10,
            ReadAt {
                file: &self.file,
                at: 0,
            },
        )))
    }
}

/// Copies exactly `bytes` bytes from the client into a new, unlinked file in the database
/// folder (owner-only, never through a link someone planted).
fn spool(
    store: &SledStore,
    session: u64,
    bytes: u64,
    input: &mut BufReader<UnixStream>,
) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let path = store
        .path()
        .join(format!(".import-{}-{session}.tmp", std::process::id()));
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&path)?;
    // Unlinked at once: a crash leaves no copy of the PHI behind.
    std::fs::remove_file(&path)?;
    input.get_ref().set_read_timeout(Some(SEND_WAIT))?;
    let mut writer = std::io::BufWriter::with_capacity(256 << 10, file);
    let copied = std::io::copy(&mut input.by_ref().take(bytes), &mut writer);
    input.get_ref().set_read_timeout(None)?;
    let copied = copied?;
    if copied != bytes {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            format!("the client sent {copied} of the file's {bytes} bytes"),
        ));
    }
    writer.into_inner().map_err(|e| e.into_error())
}

/// Serves `import_file`; returns whether the store failed under it. An error is the
/// connection's: the file's bytes could not all be read, so nothing else can be.
#[allow(clippy::too_many_arguments)]
pub(super) fn serve_file_import(
    store: &SledStore,
    user: &str,
    session: u64,
    name: String,
    bytes: u64,
    rules: &PayerRules,
    input: &mut BufReader<UnixStream>,
    out: &mut UnixStream,
) -> std::io::Result<bool> {
    if bytes > IMPORT_FILE_MAX {
        let refusal = format!(
            "{name}: {bytes} bytes is more than the team server takes in one file ({IMPORT_FILE_MAX}); split the file"
        );
        send(out, &Response::refusal(refusal))?;
        return Err(std::io::Error::other("a file over the limit"));
    }
    let file = match spool(store, session, bytes, input) {
        Ok(file) => file,
        Err(e) => {
            crate::team::server_log!("receiving {name} from {user}: {e}");
            let _ = send(
                out,
                &Response::refusal(format!(
                    "{name}: the team server could not take the file ({e}); nothing was imported"
                )),
            );
            return Err(e);
        }
    };
    let source = Spooled { file, name };
    // The client may have gone: the import still runs to its end (see the module doc).
    let mut tell = |r: &Response| {
        let _ = send(out, r);
    };
    let imported = import_observed(store, &source, rules, user, 0, &mut |event| match event {
        ImportEvent::Read { claims } => tell(&Response::ImportRead { claims }),
        ImportEvent::Stored { set, outcome } => tell(&Response::SetStored {
            control_number: set.control_number.clone(),
            payer: set.payer.clone(),
            trace_number: set.trace_number.clone(),
            remit_date: set.remit_date,
            outcome: *outcome,
        }),
    });
    let (reply, failed) = match imported {
        Ok(report) => (Response::FileImported { report }, false),
        Err(ImportError::Ingest(e)) => (
            Response::BadFile {
                message: e.to_string(),
            },
            false,
        ),
        Err(ImportError::Store { source, .. }) => (
            Response::from_error(&source),
            matches!(source, StoreError::Storage(_)),
        ),
        Err(other) => (Response::refusal(other.to_string()), false),
    };
    send(out, &reply)?;
    Ok(failed)
}
