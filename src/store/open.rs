//! Opening the embedded store: the folder's permissions, sled's lock (waited for, bounded),
//! torn snapshots, interrupted imports, the schema and the worklist snapshot's upkeep; and
//! opening it once more as a writer of much finishes (`settle`), so the next process to
//! open it has nothing of sled's to replay.

use super::core::{db_error, SledStore, DATA_FILE};
use super::kv::{Kv, SimDisk};
use super::permissions::{self, Access};
use super::StoreError;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// sled's page cache; its default (1 GB) would make memory grow with the database.
const CACHE_BYTES: u64 = 128 * 1024 * 1024;

/// How long to wait for a database another process holds before saying it is in use.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_millis(1500);

impl SledStore {
    /// Opens (or creates) the database folder at `path`: owner-only (0700/0600), unless
    /// the folder was made a team folder on purpose (its group and the setgid bit, see
    /// `permissions::access_for`). Never the primary group by accident.
    pub fn open(path: &Path) -> Result<SledStore, StoreError> {
        SledStore::open_with(path, permissions::access_for(path))
    }

    /// Opens for a team server: as `open_for_worklist` (a team server on a personal
    /// database serves its owner only; on a team folder, the folder's group), waiting at
    /// most `lock_wait` for a database another process holds: a server starting just as
    /// the one before it stops finds that one settling it (`settle`).
    pub fn open_shared(
        path: &Path,
        lock_wait: std::time::Duration,
    ) -> Result<SledStore, StoreError> {
        SledStore::open_reading_rows(path, lock_wait)
    }

    /// Opens as `open` for a caller that reads the worklist first (the UI, `list`, a team
    /// server): meanwhile another thread reads the snapshot's chunks from the file beside
    /// the database (see `rows_file`), which the first read of the rows uses if it is the
    /// snapshot sled holds.
    pub fn open_for_worklist(path: &Path) -> Result<SledStore, StoreError> {
        SledStore::open_reading_rows(path, LOCK_WAIT)
    }

    fn open_reading_rows(
        path: &Path,
        lock_wait: std::time::Duration,
    ) -> Result<SledStore, StoreError> {
        let reading = super::snapshot_format::BesideAhead::start(path);
        let store = SledStore::open_waiting(path, permissions::access_for(path), lock_wait)?;
        *store
            .snapshot
            .beside
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(reading);
        Ok(store)
    }

    fn open_with(path: &Path, access: Access) -> Result<SledStore, StoreError> {
        SledStore::open_waiting(path, access, LOCK_WAIT)
    }

    /// As `open_with`, waiting at most `lock_wait` for a database another process holds.
    pub(super) fn open_waiting(
        path: &Path,
        access: Access,
        lock_wait: std::time::Duration,
    ) -> Result<SledStore, StoreError> {
        permissions::prepare_folder(path, access)?;
        // Data written before: an open that then finds no schema key is a damaged
        // database (a truncated data file opens as an empty one), never a new one.
        // (sled writes its `conf` and data file at the first open, which also writes the
        // schema record before it returns.)
        let had_data = path.join(DATA_FILE).exists() || path.join("conf").exists();
        // Another process may hold the database for a moment (a teammate's quick command,
        // or sled's flusher thread finishing after a close): wait briefly before giving up.
        let started = std::time::Instant::now();
        prefetch_segment_headers(path);
        let db = loop {
            super::durability::clear_torn_snapshots(path);
            let opened = sled::Config::new()
                .path(path)
                .cache_capacity(CACHE_BYTES)
                .open();
            match opened {
                Ok(db) => break db,
                Err(sled::Error::Io(io))
                    if io.kind() == std::io::ErrorKind::WouldBlock
                        || io.to_string().contains("lock") =>
                {
                    if started.elapsed() >= lock_wait {
                        return Err(StoreError::Locked {
                            path: path.to_path_buf(),
                        });
                    }
                    std::thread::sleep(std::time::Duration::from_millis(25));
                }
                Err(other) => return Err(db_error(other)),
            }
        };
        // Holding sled's lock: what a killed writer of the rows file left goes.
        super::rows_file::clear_staged(path);
        let data_file = std::fs::File::open(path.join(DATA_FILE)).ok();
        let store = SledStore::on(Kv::Sled(db), path, access, data_file, had_data)?;
        permissions::restrict(path, access)?;
        Ok(store)
    }

    /// Opens the store on a simulated disk (`SimDisk`) for the power-loss tests, with the
    /// same work at open as `open` (an interrupted import rolled back, the schema checked
    /// or written). `path` names the database in messages; nothing is written there.
    pub fn open_simulated(disk: Arc<SimDisk>, path: &Path) -> Result<SledStore, StoreError> {
        let had_data = !disk.is_empty();
        SledStore::on(Kv::Sim(disk), path, Access::Private, None, had_data)
    }

    /// The store on `db`, after the checks every open makes.
    fn on(
        db: Kv,
        path: &Path,
        access: Access,
        data_file: Option<std::fs::File>,
        had_data: bool,
    ) -> Result<SledStore, StoreError> {
        let store = SledStore {
            db,
            path: path.to_path_buf(),
            write: Mutex::new(()),
            data_file,
            synced_blobs: Mutex::default(),
            import_gate: Mutex::new(None),
            packed_cache: [Mutex::new(None), Mutex::new(None)],
            contracts_index: Mutex::new(None),
            generation: std::sync::atomic::AtomicU64::new(0),
            snapshot: Default::default(),
            gate_free: std::sync::Condvar::new(),
            limits: super::import_gate::WriteLimits::default(),
            revoked: Mutex::default(),
            access,
            scratch: None,
            moded_at: Mutex::new(None),
            blocks: Default::default(),
            pending_index: Default::default(),
            run_filters: Default::default(),
            unmarked_rows: Default::default(),
        };
        // An interrupted import is undone byte for byte in the layout it was written in,
        // so roll back before migrating (never on a newer schema this build cannot read).
        store.refuse_newer_schema()?;
        store.roll_back_interrupted_imports()?;
        store.check_schema(had_data)?;
        // Marks left by other processes (each CLI save is one; a team server exits when
        // idle) count too: a rebuild if due, so they stay bounded across processes.
        store.refresh_list_snapshot_or_leave_it();
        Ok(store)
    }
}

/// How long `settle` waits for the database after closing it: sled's flusher thread
/// lets go of it at once; longer means another process took it, and that process does the
/// work instead.
const SETTLE_WAIT: std::time::Duration = std::time::Duration::from_millis(200);

impl SledStore {
    /// Closes the store, then opens and closes it once more, so that the next process to
    /// open it starts from sled's snapshot instead of replaying this one's writes.
    ///
    /// sled records where its pages lie (its `snap.*` file) only when it opens: the first
    /// open after a process wrote reads that process's log back and writes the snapshot,
    /// which was ~70 ms of the next teammate's first frame after a 20,000-claim import into
    /// a 1M-claim store (BENCHMARKS.md, "Settled after writing, and the rows read while
    /// sled opens"). Writers of much call this as they finish (an import, a restore,
    /// `bench-data`, a team server stopping) and pay it themselves. Everything was flushed before; if the database cannot be opened
    /// again at once (another process took it, or it fails), the next open does the work,
    /// as before, and says what is wrong if anything is. Whether it was settled.
    pub fn settle(self) -> bool {
        // A private copy (`open_copy`) goes with the store: nothing to open again.
        if !self.db.is_sled() || self.scratch.is_some() {
            return false;
        }
        if !self.files_still_here() {
            // Removed or replaced under us (a test's temporary folder, an admin's mistake):
            // closing would wait for ever on sled flushing into files that are gone (seen
            // as a team server that never exited), and opening again would make a new,
            // empty database there. Its caller is about to exit: the store is left as is.
            std::mem::forget(self);
            return false;
        }
        let (path, access) = (self.path.clone(), self.access);
        drop(self);
        SledStore::open_waiting(&path, access, SETTLE_WAIT).is_ok()
    }

    /// Whether sled's data file is still the one this store opened, under its name.
    fn files_still_here(&self) -> bool {
        use std::os::unix::fs::MetadataExt;
        let Some(held) = &self.data_file else {
            // Opened without it (the durability benchmark): nothing to compare.
            return true;
        };
        match (
            held.metadata(),
            std::fs::metadata(self.path.join(DATA_FILE)),
        ) {
            (Ok(held), Ok(named)) => {
                held.nlink() > 0 && held.ino() == named.ino() && held.dev() == named.dev()
            }
            _ => false,
        }
    }
}

/// sled's segments: its default size, which this store never changes.
const SEGMENT_BYTES: u64 = 512 * 1024;

/// Asks the kernel, on another thread, to start reading the head of every segment of
/// sled's data file. sled's open reads each segment's 20-byte header with a `pread` of
/// its own: 1,512 of them at 1M claims, which after the OS dropped its page cache were
/// most of a ~105 ms `show` (`strace -T`). Asked for all at once (`POSIX_FADV_WILLNEED`
/// starts the reads and returns), the disk serves them together while sled's open starts:
/// 86–99 ms instead of 105–112 (BENCHMARKS.md, "Compact strings on the first frame's
/// path"); warm, the ~1,500 calls measured within the runs' noise (a warm `show` A/B
/// 1.04, a warm first frame 146.5 against 142.5 ms). Advice only: whatever fails here
/// (no file yet, not a plain file, a link planted at its name, which `O_NOFOLLOW`
/// refuses) changes nothing but the wait.
fn prefetch_segment_headers(folder: &Path) {
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::io::AsRawFd;
    let Ok(file) = std::fs::OpenOptions::new()
        .read(true)
        // A terminal device planted at the name never becomes a server's controlling
        // terminal (a team server runs in its own session).
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC | libc::O_NOCTTY)
        .open(folder.join(DATA_FILE))
    else {
        return;
    };
    let Ok(meta) = file.metadata() else {
        return;
    };
    // Below a few segments there is nothing worth a thread.
    if !meta.is_file() || meta.len() < 8 * SEGMENT_BYTES {
        return;
    }
    let _ = std::thread::Builder::new()
        .name("segment-heads".into())
        .spawn(move || {
            let fd = file.as_raw_fd();
            for offset in (0..meta.len()).step_by(SEGMENT_BYTES as usize) {
                // Where `off_t` is 32 bits, no further than it reaches.
                let Ok(offset) = libc::off_t::try_from(offset) else {
                    break;
                };
                // SAFETY: `fd` is open (the thread owns `file`); the call only advises the
                // kernel about a range of it.
                unsafe {
                    libc::posix_fadvise(fd, offset, 4096, libc::POSIX_FADV_WILLNEED);
                }
            }
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_segment_prefetch_does_not_wait_on_a_fifo_planted_as_the_data_file() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = std::ffi::CString::new(dir.path().join(DATA_FILE).to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
        let (done, finished) = std::sync::mpsc::channel();
        let folder = dir.path().to_path_buf();
        std::thread::spawn(move || {
            prefetch_segment_headers(&folder);
            let _ = done.send(());
        });
        // A FIFO opened for reading without O_NONBLOCK waits for a writer forever.
        finished
            .recv_timeout(std::time::Duration::from_secs(5))
            .expect("the prefetch returned at once on a FIFO");
    }
}
