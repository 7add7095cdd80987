//! The narrow key-value seam under the store: every read and write the store makes goes
//! through `Kv`, which is sled in the product and, in tests, a simulated disk (`SimDisk`)
//! that keeps what was written apart from what a flush made durable. A power cut is then
//! simulated at every write: the disk after it holds the flushed writes and any prefix of
//! the ones after (what sled promises: atomic batches, applied in order, durable once
//! flushed), and the store is reopened on it (tests/power_loss.rs).
//!
//! The seam is at the level of keys because sled owns its files: unlike redb's
//! `StorageBackend`, sled cannot be handed a file to write through, so the bytes sled
//! writes below this line are sled's own crash tests' concern, and what is above it (which
//! writes the store groups into one batch, and when it flushes) is ours.

use sled::IVec;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// The key-value store the store runs on.
pub(super) enum Kv {
    Sled(sled::Db),
    Sim(Arc<SimDisk>),
}

/// Writes applied together or not at all (sled's `Batch`, readable by the simulation):
/// a later write to the same key wins.
#[derive(Debug, Default, Clone)]
pub struct Batch {
    writes: Vec<(IVec, Option<IVec>)>,
}

impl Batch {
    pub fn insert<K: Into<IVec>, V: Into<IVec>>(&mut self, key: K, value: V) {
        self.writes.push((key.into(), Some(value.into())));
    }

    pub fn remove<K: Into<IVec>>(&mut self, key: K) {
        self.writes.push((key.into(), None));
    }

    /// Keeps only the writes to keys `keep` accepts.
    pub(super) fn retain(&mut self, keep: impl Fn(&[u8]) -> bool) {
        self.writes.retain(|(key, _)| keep(key));
    }
}

/// Entries in key order, from either side. (sled's is the large variant and the one the
/// product uses: boxing it would cost every scan an allocation for the tests' sake.)
#[allow(clippy::large_enum_variant)]
pub(super) enum Iter {
    Sled(sled::Iter),
    Sim(std::vec::IntoIter<(IVec, IVec)>),
}

impl Iterator for Iter {
    type Item = sled::Result<(IVec, IVec)>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Sled(i) => i.next(),
            Iter::Sim(i) => i.next().map(Ok),
        }
    }
}

impl DoubleEndedIterator for Iter {
    fn next_back(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Sled(i) => i.next_back(),
            Iter::Sim(i) => i.next_back().map(Ok),
        }
    }
}

impl Iter {
    pub(super) fn keys(self) -> impl DoubleEndedIterator<Item = sled::Result<IVec>> {
        self.map(|entry| entry.map(|(key, _)| key))
    }
}

impl Kv {
    pub(super) fn get<K: AsRef<[u8]>>(&self, key: K) -> sled::Result<Option<IVec>> {
        match self {
            Kv::Sled(db) => db.get(key),
            Kv::Sim(disk) => Ok(disk.lock().written.get(key.as_ref()).cloned()),
        }
    }

    pub(super) fn contains_key<K: AsRef<[u8]>>(&self, key: K) -> sled::Result<bool> {
        Ok(self.get(key)?.is_some())
    }

    pub(super) fn insert<K: AsRef<[u8]>, V: Into<IVec>>(
        &self,
        key: K,
        value: V,
    ) -> sled::Result<Option<IVec>> {
        match self {
            Kv::Sled(db) => db.insert(key, value),
            Kv::Sim(disk) => Ok(disk.write(vec![(IVec::from(key.as_ref()), Some(value.into()))])),
        }
    }

    pub(super) fn apply_batch(&self, batch: Batch) -> sled::Result<()> {
        match self {
            Kv::Sled(db) => {
                let mut writes = sled::Batch::default();
                for (key, value) in batch.writes {
                    match value {
                        Some(value) => writes.insert(key, value),
                        None => writes.remove(key),
                    }
                }
                db.apply_batch(writes)
            }
            Kv::Sim(disk) => disk.write_batch(batch.writes),
        }
    }

    /// Every entry whose key starts with `prefix`.
    pub(super) fn scan_prefix<P: AsRef<[u8]>>(&self, prefix: P) -> Iter {
        match self {
            Kv::Sled(db) => Iter::Sled(db.scan_prefix(prefix)),
            Kv::Sim(disk) => {
                let prefix = prefix.as_ref();
                let state = disk.lock();
                let found: Vec<_> = state
                    .written
                    .range::<[u8], _>((
                        std::ops::Bound::Included(prefix),
                        std::ops::Bound::Unbounded,
                    ))
                    .take_while(|(k, _)| k.starts_with(prefix))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                Iter::Sim(found.into_iter())
            }
        }
    }

    /// Every entry whose key is in `range`.
    pub(super) fn range<K: AsRef<[u8]>, R: std::ops::RangeBounds<K>>(&self, range: R) -> Iter {
        match self {
            Kv::Sled(db) => Iter::Sled(db.range(range)),
            Kv::Sim(disk) => {
                use std::ops::Bound;
                fn bound<K: AsRef<[u8]>>(b: Bound<&K>) -> Bound<&[u8]> {
                    match b {
                        Bound::Included(k) => Bound::Included(k.as_ref()),
                        Bound::Excluded(k) => Bound::Excluded(k.as_ref()),
                        Bound::Unbounded => Bound::Unbounded,
                    }
                }
                let bounds = (bound(range.start_bound()), bound(range.end_bound()));
                let state = disk.lock();
                let found: Vec<_> = state
                    .written
                    .range::<[u8], _>(bounds)
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                Iter::Sim(found.into_iter())
            }
        }
    }

    pub(super) fn iter(&self) -> Iter {
        self.scan_prefix([])
    }

    /// The durability point: every write before it survives a power cut.
    pub(super) fn flush(&self) -> sled::Result<()> {
        match self {
            Kv::Sled(db) => db.flush().map(drop),
            Kv::Sim(disk) => {
                let mut state = disk.lock();
                let durable = state.log.len();
                state.durable = durable;
                state.flushes.push(durable);
                Ok(())
            }
        }
    }

    /// A number never handed out before, even across crashes.
    pub(super) fn generate_id(&self) -> sled::Result<u64> {
        match self {
            Kv::Sled(db) => db.generate_id(),
            Kv::Sim(disk) => {
                let mut state = disk.lock();
                state.next_id += 1;
                Ok(state.next_id - 1)
            }
        }
    }

    /// Whether this is sled (which has files of its own to sync and set modes on).
    pub(super) fn is_sled(&self) -> bool {
        matches!(self, Kv::Sled(_))
    }
}

/// A simulated disk: every write the store made, in order, and the points where it
/// flushed. Reads see every write; a power cut keeps the flushed ones and may keep any
/// prefix of the rest.
#[derive(Debug, Default)]
pub struct SimDisk {
    state: Mutex<SimState>,
}

#[derive(Debug, Default)]
struct SimState {
    /// What reads see: every write applied.
    written: BTreeMap<IVec, IVec>,
    /// Every write, in order; each (a batch, an insert, a remove) atomic.
    log: Vec<Vec<(IVec, Option<IVec>)>>,
    /// How many writes of `log` the last flush made durable.
    durable: usize,
    /// How many writes of `log` each flush made durable, in turn.
    flushes: Vec<usize>,
    /// `generate_id`'s next number: never reused, even after a power cut (as sled's).
    next_id: u64,
    /// Batches that write or remove a key with this prefix are refused, this many more
    /// times: a disk error on one write, for tests of what the store does then.
    refused: Option<(Vec<u8>, usize)>,
}

impl SimDisk {
    /// An empty disk.
    pub fn new() -> Arc<SimDisk> {
        Arc::new(SimDisk::default())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SimState> {
        // A test that panicked while holding it has failed already: its state is still
        // what was written.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Applies one atomic write; the value the first key had before (as sled's insert).
    fn write(&self, writes: Vec<(IVec, Option<IVec>)>) -> Option<IVec> {
        let mut state = self.lock();
        let mut before = None;
        for (i, (key, value)) in writes.iter().enumerate() {
            let old = match value {
                Some(value) => state.written.insert(key.clone(), value.clone()),
                None => state.written.remove(key),
            };
            if i == 0 {
                before = old;
            }
        }
        state.log.push(writes);
        before
    }

    /// Refuses the next `times` batches that write or remove a key starting with
    /// `prefix`, with an I/O error and nothing of them written. Unlike sled's, the error
    /// is not sticky: later writes land, as after a damaged value rather than a dead disk.
    pub fn refuse_batches_with(&self, prefix: &[u8], times: usize) {
        self.lock().refused = Some((prefix.to_vec(), times));
    }

    /// Applies one batch, unless it is to be refused (see `refuse_batches_with`).
    fn write_batch(&self, writes: Vec<(IVec, Option<IVec>)>) -> sled::Result<()> {
        if let Some((prefix, times)) = self.lock().refused.as_mut() {
            if *times > 0 && writes.iter().any(|(key, _)| key.starts_with(prefix)) {
                *times -= 1;
                let refused = std::io::Error::other("the simulated disk refused this write");
                return Err(sled::Error::Io(refused));
            }
        }
        self.write(writes);
        Ok(())
    }

    /// How many atomic writes were made.
    pub fn writes(&self) -> usize {
        self.lock().log.len()
    }

    /// How many writes are durable: those before the last flush.
    pub fn durable(&self) -> usize {
        self.lock().durable
    }

    /// The disk as the machine finds it after a power cut that kept the first `kept`
    /// writes (at most `writes()`; a real cut keeps at least `durable()`).
    pub fn after_power_cut(&self, kept: usize) -> Arc<SimDisk> {
        let state = self.lock();
        assert!(
            kept <= state.log.len(),
            "{kept} of {} writes",
            state.log.len()
        );
        let mut written = BTreeMap::new();
        for writes in &state.log[..kept] {
            for (key, value) in writes {
                match value {
                    Some(value) => written.insert(key.clone(), value.clone()),
                    None => written.remove(key),
                };
            }
        }
        Arc::new(SimDisk {
            state: Mutex::new(SimState {
                written,
                log: state.log[..kept].to_vec(),
                durable: kept,
                flushes: state
                    .flushes
                    .iter()
                    .copied()
                    .filter(|f| *f <= kept)
                    .collect(),
                next_id: state.next_id,
                refused: None,
            }),
        })
    }

    /// Makes on `db` every write made here, in order, each atomic write as one batch, with
    /// a flush where this disk had one (then `after_flush`, where the store syncs sled's
    /// data file): what the store asked of sled, without the store's own work (reads,
    /// decisions, encoding). Only the keys `keep` accepts are written. The floor benchmark
    /// times it (`benches/sled_floor.rs`).
    pub fn replay_into(
        &self,
        db: &sled::Db,
        keep: &dyn Fn(&[u8]) -> bool,
        after_flush: &mut dyn FnMut() -> std::io::Result<()>,
    ) -> sled::Result<()> {
        let state = self.lock();
        let mut flushes = state.flushes.iter().peekable();
        for (n, writes) in state.log.iter().enumerate() {
            let mut batch = sled::Batch::default();
            for (key, value) in writes.iter().filter(|(key, _)| keep(key)) {
                match value {
                    Some(value) => batch.insert(key.clone(), value.clone()),
                    None => batch.remove(key.clone()),
                }
            }
            db.apply_batch(batch)?;
            while flushes.next_if(|f| **f <= n + 1).is_some() {
                db.flush()?;
                after_flush()?;
            }
        }
        Ok(())
    }

    /// Every entry, in key order: what a test compares beyond what a backup holds (list
    /// rows, indexes, journals).
    pub fn entries(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        let state = self.lock();
        state
            .written
            .iter()
            .map(|(k, v)| (k.to_vec(), v.to_vec()))
            .collect()
    }

    /// Whether anything was ever written (a new database, or one that had data).
    pub fn is_empty(&self) -> bool {
        self.lock().written.is_empty()
    }
}
