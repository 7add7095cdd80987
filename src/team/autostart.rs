//! Starting a team server on demand, the way tmux starts its server: under a lock so
//! clients starting at the same instant end up on one server, detached from the terminal,
//! logging to `server.log` in the database folder.

use super::client::RemoteStore;
use crate::store::permissions::{access_for, open_in_folder, prepare_folder};
use crate::store::rows_delta::BesideAhead;
use crate::store::StoreError;
use std::os::unix::io::AsRawFd;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::time::{Duration, Instant};

fn io(e: std::io::Error) -> StoreError {
    StoreError::Connection(e.to_string())
}

/// Holds `<db>/server.lock` while one client starts the server, so two clients starting
/// at the same instant end up on one server.
struct StartLock {
    /// Held for its lock, which closing the file releases.
    _file: std::fs::File,
}

impl StartLock {
    fn take(db: &Path) -> Result<StartLock, StoreError> {
        let file = open_in_folder(&db.join("server.lock"), false).map_err(io)?;
        // SAFETY: flock on a file descriptor we own; released when the file closes.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
            return Err(io(std::io::Error::last_os_error()));
        }
        Ok(StartLock { _file: file })
    }
}

/// Connects to the database's server, starting one in the background if none answers.
/// The started server (this very program) exits `idle_secs` after its last client leaves.
pub fn connect_or_start(db: &Path, idle_secs: u64) -> Result<RemoteStore, StoreError> {
    let exe = std::env::current_exe().map_err(io)?;
    connect_or_start_with(db, idle_secs, &exe, false)
}

/// As `connect_or_start`, for a client about to load the worklist: if it starts the
/// server, it reads the worklist snapshot's chunks beside the database while the server
/// opens (see `RemoteStore::read_rows_ahead`). A running server sends them sooner from
/// its cache (BENCHMARKS.md, "The team UI reads its worklist beside the database").
pub fn connect_or_start_for_worklist(db: &Path, idle_secs: u64) -> Result<RemoteStore, StoreError> {
    let exe = std::env::current_exe().map_err(io)?;
    connect_or_start_with(db, idle_secs, &exe, true)
}

/// As `connect_or_start` (`for_worklist`: `connect_or_start_for_worklist`), running `exe`
/// (a denialdesk binary) as the server.
pub fn connect_or_start_with(
    db: &Path,
    idle_secs: u64,
    exe: &Path,
    for_worklist: bool,
) -> Result<RemoteStore, StoreError> {
    let with_autostart = |mut store: RemoteStore| {
        let (db, exe) = (db.to_path_buf(), exe.to_path_buf());
        store.restart = Some(Box::new(move || {
            connect_or_start_with(&db, idle_secs, &exe, false).map(drop)
        }));
        store
    };
    match RemoteStore::connect(db) {
        Ok(store) => return Ok(with_autostart(store)),
        Err(refused @ StoreError::Remote(_)) => return Err(refused),
        Err(_) => {}
    }
    prepare_folder(db, access_for(db))?;
    let _lock = StartLock::take(db)?;
    // Someone may have started it while we waited for the lock.
    if let Ok(store) = RemoteStore::connect(db) {
        return Ok(with_autostart(store));
    }
    // The server takes a while to open the database: the worklist is read meanwhile.
    let ahead = for_worklist.then(|| BesideAhead::start(db));
    let with_rows_ahead = |store: RemoteStore| {
        let store = with_autostart(store);
        if let Some(ahead) = ahead {
            store.read_rows_ahead(ahead);
        }
        store
    };
    let log = open_in_folder(&db.join("server.log"), true).map_err(io)?;
    // Why a server failed to start is read back through this descriptor, never by the
    // name, which a teammate could have swapped for a link meanwhile.
    let mut log_reader = log.try_clone().map_err(io)?;
    let mut command = std::process::Command::new(exe);
    command
        .arg("--db")
        .arg(db)
        .args(["serve", "--idle-exit", &idle_secs.to_string()])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(log);
    // SAFETY: setsid in the child before exec detaches it from our terminal and session.
    unsafe {
        command.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    let mut child = command
        .spawn()
        .map_err(|e| StoreError::Connection(format!("cannot start the team server: {e}")))?;
    let started = Instant::now();
    let mut failed = |why: String| {
        let last = last_line(&mut log_reader);
        StoreError::Connection(format!(
            "the team server did not start ({why}): {}",
            crate::text::escape(last.trim_start_matches("error: "))
        ))
    };
    loop {
        // Its first frame waits on this: a finer look for the first second (a server
        // opens a 1M-claim database in ~0.1 s), then every 30 ms.
        let look_again = if started.elapsed() < Duration::from_secs(1) {
            5
        } else {
            30
        };
        std::thread::sleep(Duration::from_millis(look_again));
        match RemoteStore::connect(db) {
            Ok(store) => return Ok(with_rows_ahead(store)),
            Err(refused @ StoreError::Remote(_)) => return Err(refused),
            Err(e) => {
                // A server that exited has said why in its log: no need to wait longer.
                if let Ok(Some(status)) = child.try_wait() {
                    return Err(failed(format!("it exited with {status}")));
                }
                if started.elapsed() > Duration::from_secs(10) {
                    return Err(failed(e.to_string()));
                }
            }
        }
    }
}

/// The log's last line (at most its last 4 KB are read).
fn last_line(log: &mut std::fs::File) -> String {
    use std::io::{Read, Seek, SeekFrom};
    let end = log.seek(SeekFrom::End(0)).unwrap_or(0);
    let _ = log.seek(SeekFrom::Start(end.saturating_sub(4096)));
    let mut tail = Vec::new();
    let _ = log.take(4096).read_to_end(&mut tail);
    String::from_utf8_lossy(&tail)
        .lines()
        .last()
        .unwrap_or("")
        .to_string()
}
