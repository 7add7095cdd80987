//! The server's store, and its recovery when the disk fails under it. sled keeps the first
//! I/O error it meets (a full disk) and fails every later call with it, and what it held
//! in memory past its last flush is not on disk. So after a storage error the server
//! closes the store — what was being written is gone with it, exactly as after a crash —
//! and reopens it from disk as soon as it can (an interrupted file import is rolled back at
//! that open). Until then every request is answered "not saved, retry"; once space is back
//! the next request finds the store open again, without anyone restarting the server.

use crate::store::import_gate::WriteLimits;
use crate::store::{SledStore, StoreError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a starting server waits for the database: the server before it may still be
/// settling it as it stops (at 1M claims ~0.2 s, a second or so with a snapshot rebuild
/// due), and the client that started this one waits 10 s for its socket.
const START_LOCK_WAIT: Duration = Duration::from_secs(8);

/// How long a reopen after a storage error waits for the database (requests wait on it).
const REOPEN_LOCK_WAIT: Duration = Duration::from_millis(1500);

/// How often a closed store is tried again.
const RETRY_EVERY: Duration = Duration::from_secs(1);
/// How long a closing store waits for the requests still using it.
const CLOSE_WAIT: Duration = Duration::from_secs(30);

pub struct StoreSlot {
    path: PathBuf,
    limits: WriteLimits,
    /// The open store, `None` while it is being recovered; and when it was last tried.
    current: Mutex<(Option<Arc<SledStore>>, Option<Instant>)>,
}

impl StoreSlot {
    pub fn open(path: &Path, limits: WriteLimits) -> Result<StoreSlot, StoreError> {
        let store = open_store(path, limits, START_LOCK_WAIT)?;
        Ok(StoreSlot {
            path: path.to_path_buf(),
            limits,
            current: Mutex::new((Some(Arc::new(store)), None)),
        })
    }

    /// The open store, reopened first if a storage error closed it. `Ok((store, true))`:
    /// it was just reopened (clients should reload what they show).
    pub fn get(&self) -> Result<(Arc<SledStore>, bool), StoreError> {
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(store) = &current.0 {
            return Ok((Arc::clone(store), false));
        }
        if current.1.is_some_and(|at| at.elapsed() < RETRY_EVERY) {
            return Err(recovering());
        }
        current.1 = Some(Instant::now());
        match open_store(&self.path, self.limits, REOPEN_LOCK_WAIT) {
            Ok(store) => {
                crate::team::server_log!("the database is open again after a storage error");
                let store = Arc::new(store);
                current.0 = Some(Arc::clone(&store));
                Ok((store, true))
            }
            Err(e) => {
                crate::team::server_log!(
                    "reopening the database: {}",
                    crate::text::escape(&e.to_string())
                );
                Err(recovering())
            }
        }
    }

    /// Closes `store` after it reported a storage error: once the requests still using it
    /// finish (bounded), it is dropped, which releases the database for the reopen.
    pub fn failed(&self, store: Arc<SledStore>) {
        {
            let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
            match &current.0 {
                Some(open) if Arc::ptr_eq(open, &store) => {
                    crate::team::server_log!(
                        "storage error: closing the database to recover it from disk"
                    );
                    current.0 = None;
                    current.1 = None;
                }
                // Another request closed it already.
                _ => return,
            }
        }
        let started = Instant::now();
        while Arc::strong_count(&store) > 1 && started.elapsed() < CLOSE_WAIT {
            std::thread::sleep(Duration::from_millis(10));
        }
        drop(store);
    }
}

impl StoreSlot {
    /// Closes the store as the server stops, settled (`SledStore::settle`) when nothing
    /// else holds it, so the next process to open the database does not replay what this
    /// server wrote. Whether it was settled.
    pub fn settle(self) -> bool {
        let current = self.current.into_inner().unwrap_or_else(|p| p.into_inner());
        current
            .0
            .and_then(|store| Arc::try_unwrap(store).ok())
            .is_some_and(SledStore::settle)
    }
}

fn open_store(
    path: &Path,
    limits: WriteLimits,
    lock_wait: Duration,
) -> Result<SledStore, StoreError> {
    let mut store = SledStore::open_shared(path, lock_wait)?;
    store.set_write_limits(limits);
    Ok(store)
}

fn recovering() -> StoreError {
    StoreError::Storage(
        "the database is being recovered after a storage error (a full disk?)".into(),
    )
}
