//! The worklist in its stored compact form — whole work items, or just their list rows —
//! decoded in parallel when loaded, and sent as is by the team server (see the protocol's
//! `work_items_packed` and `list_rows_packed`).

use super::codec::SHORTEST_VALUE;
use super::core::{db_error, decode_compact, Packed, SledStore};
use super::keys;
use super::packed_values::{PackedBody, PackedValues};
use super::parallel_scan;
use super::StoreError;
use serde::de::DeserializeOwned;

/// Decodes compactly stored values (key, value), split over the cores: decoding dominates
/// loading a large worklist.
pub fn decode_all<T, K, V>(raw: &[(K, V)]) -> Result<Vec<T>, StoreError>
where
    T: DeserializeOwned + Send,
    K: AsRef<[u8]> + Sync,
    V: AsRef<[u8]> + Sync,
{
    map_on_cores(raw, |(k, v)| decode_compact(k.as_ref(), v.as_ref()))
}

/// `f` of every item, in order, the items split into one run per core (at most 8); the
/// first error of a run stops it, and the error returned is the first in the items'
/// order. A panic is passed on (the values written before it are leaked, never dropped
/// twice).
///
/// Each run writes its results straight into its own part of the one vector returned.
/// Runs that collected vectors of their own had them copied into it afterwards, on one
/// core, into memory touched for the first time: on the first frame's path at 1M claims
/// (BENCHMARKS.md, "The first frame without a conversion pass").
pub(super) fn map_on_cores<I, T, E>(
    items: &[I],
    f: impl Fn(&I) -> Result<T, E> + Sync,
) -> Result<Vec<T>, E>
where
    I: Sync,
    T: Send,
    E: Send,
{
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    map_on_threads(items, cores.min(8), f)
}

/// `map_on_cores` on `threads` threads (at least one).
pub(super) fn map_on_threads<I, T, E>(
    items: &[I],
    threads: usize,
    f: impl Fn(&I) -> Result<T, E> + Sync,
) -> Result<Vec<T>, E>
where
    I: Sync,
    T: Send,
    E: Send,
{
    let run = items.len().div_ceil(threads.max(1)).max(1);
    let f = &f;
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    let slots = &mut out.spare_capacity_mut()[..items.len()];
    let ran: Vec<Result<(), E>> = std::thread::scope(|scope| {
        let runs: Vec<_> = items
            .chunks(run)
            .zip(slots.chunks_mut(run))
            .map(|(part, slots)| scope.spawn(move || fill(part, slots, f)))
            .collect();
        runs.into_iter()
            .map(|run| run.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    if ran.iter().all(Result::is_ok) {
        // SAFETY: every run returned Ok, and a run returns Ok only once it has written
        // every one of its slots; the runs' slots are `out`'s first `items.len()`.
        unsafe { out.set_len(items.len()) };
        return Ok(out);
    }
    // The runs that finished wrote every slot of theirs: drop those values, in place.
    let finished = ran.iter().map(Result::is_ok);
    for (ok, slots) in finished.zip(out.spare_capacity_mut()[..items.len()].chunks_mut(run)) {
        if ok {
            for slot in slots {
                // SAFETY: this run returned Ok, so it wrote every one of its slots, and
                // each is dropped once, here (`out` keeps its length of 0).
                unsafe { slot.assume_init_drop() };
            }
        }
    }
    Err(ran.into_iter().find_map(Result::err).expect("a run failed"))
}

/// Writes `f` of each item into its slot; Ok only once every slot is written. On an error
/// the slots written so far are dropped again, so a failed run leaves none written. (A
/// panic in `f` leaks the values written before it, never drops one twice.)
fn fill<I, T, E>(
    items: &[I],
    slots: &mut [std::mem::MaybeUninit<T>],
    f: &(impl Fn(&I) -> Result<T, E> + Sync),
) -> Result<(), E> {
    for (at, (item, slot)) in items.iter().zip(slots.iter_mut()).enumerate() {
        match f(item) {
            Ok(value) => {
                slot.write(value);
            }
            Err(e) => {
                for written in &mut slots[..at] {
                    // SAFETY: slots before `at` were written just above, and only once.
                    unsafe { written.assume_init_drop() };
                }
                return Err(e);
            }
        }
    }
    Ok(())
}

/// What can be sent packed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackedKind {
    /// Whole work items.
    WorkItems = 0,
    /// List rows only.
    ListRows = 1,
}

impl PackedKind {
    fn prefix(self) -> &'static [u8] {
        match self {
            PackedKind::WorkItems => keys::WORK_ITEMS,
            PackedKind::ListRows => keys::LIST_ROWS,
        }
    }
}

impl SledStore {
    /// Every work item (or list row) in its stored compact form, for the team server to
    /// send as is (see `PackedValues`). Kept until the next write, so teammates opening
    /// the app in between cost no scan.
    pub fn packed(&self, kind: PackedKind) -> Result<Packed, StoreError> {
        use std::sync::atomic::Ordering;
        let generation = self.generation.load(Ordering::SeqCst);
        let mut cache = self.packed_cache[kind as usize]
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some((built_at, packed)) = cache.as_ref() {
            if *built_at == generation {
                return Ok(packed.clone());
            }
        }
        let too_large = || StoreError::Corrupt {
            key: String::from_utf8_lossy(kind.prefix()).into_owned(),
            message: "a value over 4 GB".into(),
        };
        let mut out = Vec::new();
        let mut count = 0;
        let mut pack = |value: &[u8]| {
            let len = u32::try_from(value.len()).map_err(|_| too_large())?;
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(value);
            count += 1;
            Ok::<(), StoreError>(())
        };
        // List rows are on the first frame's path: from the snapshot and the rows written
        // since (see `list_snapshot`), sent from its chunks; else read as ranges at once
        // (see `parallel_scan`). Work items stream, never held twice in the server's
        // memory.
        let snapshot = match kind {
            PackedKind::ListRows => self.snapshot_rows()?,
            PackedKind::WorkItems => None,
        };
        let packed = match snapshot {
            Some(rows) => {
                let merged = rows.merged();
                let mut len = 0usize;
                for &at in &merged {
                    let (_, value) = rows.entry(at);
                    u32::try_from(value.len()).map_err(|_| too_large())?;
                    len += 4 + value.len();
                }
                PackedValues {
                    count: merged.len(),
                    len,
                    body: PackedBody::Snapshot(rows, merged),
                }
            }
            None => {
                match kind {
                    PackedKind::ListRows => {
                        for (_, value) in parallel_scan::scan_prefix(&self.db, kind.prefix())? {
                            pack(&value)?;
                        }
                    }
                    PackedKind::WorkItems => {
                        for entry in self.db.scan_prefix(kind.prefix()) {
                            pack(&entry.map_err(db_error)?.1)?;
                        }
                    }
                }
                PackedValues {
                    count,
                    len: out.len(),
                    body: PackedBody::Bytes(out),
                }
            }
        };
        let packed = std::sync::Arc::new(packed);
        // Only if nothing was written during the scan; else the next reader rebuilds.
        if self.generation.load(Ordering::SeqCst) == generation {
            *cache = Some((generation, packed.clone()));
        }
        Ok(packed)
    }
}

/// Splits what `packed` wrote back into values and decodes them.
pub fn unpack<T: DeserializeOwned + Send>(
    count: usize,
    bytes: &[u8],
) -> Result<Vec<T>, StoreError> {
    let corrupt = || StoreError::Connection("a damaged packed worklist from the server".into());
    if count > bytes.len() / (4 + SHORTEST_VALUE) {
        return Err(corrupt());
    }
    let mut values: Vec<(&[u8], &[u8])> = Vec::with_capacity(count);
    let mut rest = bytes;
    while !rest.is_empty() {
        let (len, tail) = rest.split_at_checked(4).ok_or_else(corrupt)?;
        let len = u32::from_le_bytes(len.try_into().map_err(|_| corrupt())?) as usize;
        let (value, tail) = tail.split_at_checked(len).ok_or_else(corrupt)?;
        if value.len() < SHORTEST_VALUE || values.len() == count {
            return Err(corrupt());
        }
        values.push((b"(from the team server)", value));
        rest = tail;
    }
    if values.len() != count {
        return Err(corrupt());
    }
    decode_all(&values)
}

#[cfg(test)]
#[path = "packed_tests.rs"]
mod tests;
