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
fn map_on_threads<I, T, E>(
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

/// Fewer bytes than any work item or list row takes stored (bincode gives each of their
/// nine or more strings and lists an 8-byte length): a packed value this short is damage.
/// It bounds the values a reply of N bytes can claim to hold by N / (4 + this), so the
/// vector the values are decoded into (~700 bytes each) stays a small multiple of what
/// was received, whatever count a server says.
pub(super) const SHORTEST_VALUE: usize = 64;

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
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    /// Counts its drops: every value made must be dropped exactly once.
    struct Counted<'a>(u32, &'a AtomicUsize);
    impl Drop for Counted<'_> {
        fn drop(&mut self) {
            self.1.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn every_value_comes_back_in_order_from_its_own_slot() {
        for threads in [1, 2, 3, 8] {
            for n in [0, 1, 2, 3, 7, 1000, 1001] {
                let items: Vec<u32> = (0..n).collect();
                let out =
                    map_on_threads(&items, threads, |&i| Ok::<_, ()>(format!("#{i}"))).unwrap();
                let expected: Vec<String> = items.iter().map(|i| format!("#{i}")).collect();
                assert_eq!(out, expected, "{n} items on {threads} threads");
            }
        }
    }

    #[test]
    fn a_failed_run_drops_every_value_made_once_and_gives_the_first_error() {
        let items: Vec<u32> = (0..1000).collect();
        for threads in [1, 2, 3, 8] {
            // The first and the last item of the first run, of a middle one and of the
            // last, and one in every run.
            let run = 1000usize.div_ceil(threads) as u32;
            let last = 999;
            for bad in [
                vec![0],
                vec![run - 1],
                vec![run.min(last)],
                vec![last],
                (0..threads as u32).map(|t| t * run + 3).collect(),
            ] {
                let dropped = AtomicUsize::new(0);
                let made = AtomicUsize::new(0);
                let got = map_on_threads(&items, threads, |&i| {
                    if bad.contains(&i) {
                        return Err(format!("bad {i}"));
                    }
                    made.fetch_add(1, Ordering::SeqCst);
                    Ok(Counted(i, &dropped))
                });
                let err = got.err().expect("an error");
                assert_eq!(err, format!("bad {}", bad[0]), "{threads} threads");
                assert_eq!(
                    dropped.load(Ordering::SeqCst),
                    made.load(Ordering::SeqCst),
                    "every value made is dropped once ({bad:?}, {threads} threads)"
                );
            }
        }
        let dropped = AtomicUsize::new(0);
        let all = map_on_cores(&items, |&i| Ok::<_, ()>(Counted(i, &dropped))).unwrap();
        assert_eq!(all.iter().map(|c| c.0).collect::<Vec<_>>(), items);
        drop(all);
        assert_eq!(dropped.load(Ordering::SeqCst), items.len());
    }

    #[test]
    fn a_panic_is_passed_on_and_no_value_is_dropped_twice() {
        let items: Vec<u32> = (0..1000).collect();
        for threads in [1, 2, 8] {
            let dropped = AtomicUsize::new(0);
            let made = AtomicUsize::new(0);
            let got = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                map_on_threads(&items, threads, |&i| {
                    assert!(i != 700, "a bug in the map");
                    made.fetch_add(1, Ordering::SeqCst);
                    Ok::<_, ()>(Counted(i, &dropped))
                })
            }));
            assert!(got.is_err(), "the panic comes back ({threads} threads)");
            // Values written before the panic may leak; none is dropped twice.
            assert!(dropped.load(Ordering::SeqCst) <= made.load(Ordering::SeqCst));
        }
    }

    /// A server (or someone who took its socket's place) may claim any count: a reply
    /// too short for it, or holding values too short to be rows, is refused before
    /// anything is reserved for that count.
    #[test]
    fn a_packed_reply_claiming_more_values_than_its_bytes_hold_is_refused() {
        let pack = |values: &[&[u8]]| {
            let mut out = Vec::new();
            for v in values {
                out.extend_from_slice(&(v.len() as u32).to_le_bytes());
                out.extend_from_slice(v);
            }
            out
        };
        let row = [7u8; SHORTEST_VALUE];
        let empty: Vec<&[u8]> = vec![&[]; 1000];
        let damaged = |count: usize, bytes: &[u8]| {
            matches!(
                unpack::<crate::domain::list_row::ListRow>(count, bytes),
                Err(StoreError::Connection(_))
            )
        };
        assert!(damaged(25_000_000, &pack(&empty)), "a huge count");
        assert!(damaged(1000, &pack(&empty)), "empty values");
        assert!(damaged(1, &pack(&[&row, &row])), "more values than counted");
        assert!(
            damaged(3, &pack(&[&row, &row])),
            "fewer values than counted"
        );
        // Values of a plausible size that are not rows: a decoding error, not a panic.
        assert!(unpack::<crate::domain::list_row::ListRow>(2, &pack(&[&row, &row])).is_err());
    }

    /// `SHORTEST_VALUE` must stay below what the smallest stored row or item takes.
    #[test]
    fn no_stored_row_or_item_is_shorter_than_the_shortest_value() {
        let mut item = crate::domain::test_support::work_item("");
        for text in [
            &mut item.key,
            &mut item.claim_id,
            &mut item.payer,
            &mut item.payer_claim_number,
            &mut item.patient_name,
            &mut item.member_id,
        ] {
            text.clear();
        }
        item.carcs.clear();
        let row = crate::domain::list_row::ListRow::from(&item);
        assert!(bincode::serialize(&row).unwrap().len() >= SHORTEST_VALUE);
        assert!(bincode::serialize(&item).unwrap().len() >= SHORTEST_VALUE);
    }

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
