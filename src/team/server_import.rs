//! `import_file` on the server: the client sends the file as it is, the server spools it
//! into an unlinked file in the database folder and imports it exactly as an embedded
//! import does (`import::import_observed`: stored whole or not at all), telling
//! the client how it goes. No claim is turned into JSON and back on the
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

/// How long the server waits for the next bytes of a file being sent, or for a client to
/// take a progress line.
const SEND_WAIT: Duration = Duration::from_secs(30);

/// The whole file must arrive within this, plus a second per `SLOWEST_SEND` bytes: a
/// client trickling a byte at a time must not hold a thread for ever.
const SEND_BASE: Duration = Duration::from_secs(60);
const SLOWEST_SEND: u64 = 256 << 10;

/// File imports the server runs at once (each parses up to a transaction set in memory
/// and spools up to `IMPORT_FILE_MAX` on the database's disk); more are answered busy.
const IMPORTS_AT_ONCE: usize = 2;

// A file is taken only while the database's disk has room for it and an eighth more (what
// storing it needs comes on top; a disk that fills during the import is a storage error,
// rolled back): the spool must not be what fills a disk the whole team writes to.

/// The longest file name the server takes (it is written into every claim and the audit).
const NAME_MAX: usize = 4096;

static RUNNING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Counts a running file import while it lives.
struct Running;

impl Running {
    fn enter() -> Option<Running> {
        use std::sync::atomic::Ordering;
        let mut now = RUNNING.load(Ordering::SeqCst);
        loop {
            if now >= IMPORTS_AT_ONCE {
                return None;
            }
            match RUNNING.compare_exchange(now, now + 1, Ordering::SeqCst, Ordering::SeqCst) {
                Ok(_) => return Some(Running),
                Err(seen) => now = seen,
            }
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// The spooled file; each reading starts at its start.
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

    fn looks_cut_short(&self) -> bool {
        !crate::ingest::x12::interchange_end::file_ends_whole(&self.file)
    }
}

/// Copies exactly `bytes` bytes from the client into a nameless file in the database
/// folder (see `spool::nameless_file_in`), within the send deadline.
fn spool(
    store: &SledStore,
    bytes: u64,
    input: &mut BufReader<UnixStream>,
) -> std::io::Result<File> {
    let file = super::spool::nameless_file_in(store.path())?;
    let deadline =
        std::time::Instant::now() + SEND_BASE + Duration::from_secs(bytes / SLOWEST_SEND);
    let mut writer = std::io::BufWriter::with_capacity(256 << 10, file);
    let mut left = bytes;
    let mut chunk = vec![0u8; 64 << 10];
    let received = (|| {
        while left > 0 {
            let now = std::time::Instant::now();
            if now >= deadline {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    format!("{} of the file's {bytes} bytes came in time", bytes - left),
                ));
            }
            input
                .get_ref()
                .set_read_timeout(Some(SEND_WAIT.min(deadline - now)))?;
            let want = chunk.len().min(usize::try_from(left).unwrap_or(usize::MAX));
            let n = input.read(&mut chunk[..want])?;
            if n == 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    format!(
                        "the client sent {} of the file's {bytes} bytes",
                        bytes - left
                    ),
                ));
            }
            std::io::Write::write_all(&mut writer, &chunk[..n])?;
            left -= n as u64;
        }
        Ok(())
    })();
    input.get_ref().set_read_timeout(None)?;
    received?;
    writer.into_inner().map_err(|e| e.into_error())
}

/// Serves `import_file`; returns whether the store failed under it, and whether the client
/// took every reply (if not, the connection is closed: a line may have been cut). An error
/// is the connection's: the file's bytes could not all be read, so nothing else can be.
#[allow(clippy::too_many_arguments)]
pub(super) fn serve_file_import(
    store: &SledStore,
    user: &str,
    name: String,
    bytes: u64,
    rules: &PayerRules,
    input: &mut BufReader<UnixStream>,
    out: &mut UnixStream,
) -> std::io::Result<(bool, bool)> {
    // Refused before its bytes are read: the connection then closes, since what follows
    // the request line is the file, not another request.
    let refuse = |out: &mut UnixStream, why: String| -> std::io::Result<(bool, bool)> {
        send(out, &Response::refusal(why))?;
        Err(std::io::Error::other(
            "a file import refused before its bytes",
        ))
    };
    if name.len() > NAME_MAX || name.chars().any(char::is_control) {
        return refuse(
            out,
            "a file name over 4096 bytes or with control characters; nothing was imported".into(),
        );
    }
    if bytes > IMPORT_FILE_MAX {
        return refuse(out, format!(
            "{name}: {bytes} bytes is more than the team server takes in one file ({IMPORT_FILE_MAX}); split the file"
        ));
    }
    if crate::store::free_bytes(store.path())
        .is_some_and(|free| free < bytes.saturating_add(bytes / 8))
    {
        return refuse(out, format!(
            "{name}: the database's disk is too full to take its {bytes} bytes; nothing was imported (free space, or ask your admin)"
        ));
    }
    let Some(_running) = Running::enter() else {
        let busy = Response::from_error(&StoreError::Busy(format!(
            "{IMPORTS_AT_ONCE} file imports are running on the team server; nothing was imported — retry in a moment"
        )));
        send(out, &busy)?;
        return Err(std::io::Error::other("too many file imports at once"));
    };
    let file = match spool(store, bytes, input) {
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
    // The client may have gone, or stopped reading: the import still runs to its end (see
    // the module doc), and after the first line it did not take, nothing more is sent.
    out.set_write_timeout(Some(SEND_WAIT))?;
    let mut gone = false;
    let mut tell = |r: &Response| {
        if !gone && send(out, r).is_err() {
            gone = true;
        }
    };
    let imported = import_observed(store, &source, rules, user, 0, &mut |event| match event {
        ImportEvent::Read { claims } => tell(&Response::ImportRead { claims }),
        ImportEvent::ReadingAgain => tell(&Response::ReadingAgain),
        ImportEvent::Stored { set, outcome } => tell(&Response::SetStored {
            set,
            outcome: *outcome,
        }),
    });
    let (reply, failed) = match imported {
        Ok(report) => (Response::FileImported { report }, false),
        Err(ImportError::Ingest(e)) => {
            // Not audited, as nothing of it stays (a large one may have been stored as it
            // was read, then undone); the log keeps who sent it. The message is escaped.
            crate::team::server_log!("{user}: a file refused as malformed: {e}");
            (
                Response::BadFile {
                    message: e.to_string(),
                },
                false,
            )
        }
        Err(ImportError::Store { source, .. }) => (
            Response::from_error(&source),
            matches!(source, StoreError::Storage(_)),
        ),
        Err(other) => (Response::refusal(other.to_string()), false),
    };
    tell(&reply);
    out.set_write_timeout(None)?;
    Ok((failed, !gone))
}
