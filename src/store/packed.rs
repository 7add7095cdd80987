//! The worklist in its stored compact form — whole work items, or just their list rows —
//! decoded in parallel when loaded, and sent as is by the team server (see the protocol's
//! `work_items_packed` and `list_rows_packed`).

use super::core::{db_error, decode_compact, Packed, SledStore};
use super::keys;
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
/// first error stops it. For work that does not panic (a panic is passed on).
pub(super) fn map_on_cores<I, T, E>(
    items: &[I],
    f: impl Fn(&I) -> Result<T, E> + Sync,
) -> Result<Vec<T>, E>
where
    I: Sync,
    T: Send,
    E: Send,
{
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let run = items.len().div_ceil(threads).max(1);
    let f = &f;
    std::thread::scope(|scope| {
        let parts: Vec<_> = items
            .chunks(run)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Result<Vec<T>, E>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for part in parts {
            match part.join() {
                Ok(done) => out.extend(done?),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        Ok(out)
    })
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
    /// send as is: (count, bytes of `u32 LE length + value` per value). The client decodes
    /// them with `unpack`, in parallel, instead of parsing a large JSON reply. Kept until
    /// the next write, so teammates opening the app in between cost no scan.
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
        let mut out = Vec::new();
        let mut count = 0;
        let mut pack = |value: &[u8]| {
            let len = u32::try_from(value.len()).map_err(|_| StoreError::Corrupt {
                key: String::from_utf8_lossy(kind.prefix()).into_owned(),
                message: "a value over 4 GB".into(),
            })?;
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(value);
            count += 1;
            Ok::<(), StoreError>(())
        };
        // List rows are on the first frame's path: from the snapshot and the rows written
        // since (see `list_snapshot`), else read as ranges at once (see `parallel_scan`).
        // Work items stream, never held twice in the server's memory.
        match kind {
            PackedKind::ListRows => match self.snapshot_rows()? {
                Some(rows) => {
                    for (_, value) in rows.entries() {
                        pack(value)?;
                    }
                }
                None => {
                    for (_, value) in parallel_scan::scan_prefix(&self.db, kind.prefix())? {
                        pack(&value)?;
                    }
                }
            },
            PackedKind::WorkItems => {
                for entry in self.db.scan_prefix(kind.prefix()) {
                    pack(&entry.map_err(db_error)?.1)?;
                }
            }
        }
        let packed = std::sync::Arc::new((count, out));
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
    let mut values: Vec<(&[u8], &[u8])> = Vec::with_capacity(count);
    let mut rest = bytes;
    while !rest.is_empty() {
        let (len, tail) = rest.split_at_checked(4).ok_or_else(corrupt)?;
        let len = u32::from_le_bytes(len.try_into().map_err(|_| corrupt())?) as usize;
        let (value, tail) = tail.split_at_checked(len).ok_or_else(corrupt)?;
        values.push((b"(from the team server)", value));
        rest = tail;
    }
    if values.len() != count {
        return Err(corrupt());
    }
    decode_all(&values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A teammate opening the app asks for the list rows; another may be fetching every
    /// work item (a second+ at 1M claims on a cold disk). The rows must not wait for it.
    #[test]
    fn list_rows_are_served_while_the_work_items_are_being_packed() {
        let dir = tempfile::tempdir().unwrap();
        let store = std::sync::Arc::new(SledStore::open(&dir.path().join("db")).unwrap());
        let scanning = store.packed_cache[PackedKind::WorkItems as usize]
            .lock()
            .unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let other = store.clone();
        std::thread::spawn(move || tx.send(other.packed(PackedKind::ListRows).map(|p| p.0)));
        let rows = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("list rows served while the work items are being packed");
        assert_eq!(rows.unwrap(), 0);
        drop(scanning);
    }
}
