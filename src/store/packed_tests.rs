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
            let out = map_on_threads(&items, threads, |&i| Ok::<_, ()>(format!("#{i}"))).unwrap();
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
    assert!(super::super::codec::encode_item(&item).len() >= SHORTEST_VALUE);
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
    std::thread::spawn(move || tx.send(other.packed(PackedKind::ListRows).map(|p| p.count())));
    let rows = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("list rows served while the work items are being packed");
    assert_eq!(rows.unwrap(), 0);
    drop(scanning);
}

/// The rows a team server sends from the snapshot's chunks, after saves and an import
/// marked rows, are the stored rows: as read, and as packed into one buffer before.
#[test]
fn list_rows_sent_from_the_snapshot_are_the_stored_rows() {
    use crate::import::{import_observed, BytesSource};
    use crate::store::{Store, WorkStore};
    let dir = tempfile::tempdir().unwrap();
    let store = SledStore::open(&dir.path().join("db")).unwrap();
    let import = |n: u64, claims: usize| {
        let text = crate::demo::synthetic_835_in_sets(claims, 100, n, 300);
        let source = BytesSource(format!("remit-{n}.835"), text.as_bytes());
        import_observed(&store, &source, &Default::default(), "t", 0, &mut |_| {}).unwrap();
    };
    import(1, 1_500);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    for item in store.list_rows().unwrap().iter().step_by(30) {
        let note = crate::domain::action::WorkAction::AddNote("called".into());
        WorkStore::apply(&store, &item.key, &note, today, "maria").unwrap();
    }
    import(2, 20);
    // A file import rolled back: its rows written and gone, their marks left.
    let text = crate::demo::synthetic_835_in_sets(20, 10, 3, 300);
    let mut reader = crate::ingest::Reader835::new(text.as_bytes(), "remit-3.835");
    let import = store.begin_file_import("remit-3.835", "t").unwrap();
    while let Some(set) = reader.next_remittance().unwrap() {
        let rules = Default::default();
        store
            .import_remittance_in(import, &set, &rules, "t")
            .unwrap();
    }
    store.roll_back_file_import(import, "t").unwrap();
    let marks = store.db.scan_prefix(keys::ROW_MARKS).count();
    assert!(marks > 2, "rows marked since the snapshot: {marks}");
    let packed = store.packed(PackedKind::ListRows).unwrap();
    assert!(
        matches!(packed.body, PackedBody::Snapshot(..)),
        "sent from the chunks"
    );
    let mut sent = Vec::new();
    packed.write_to(&mut sent).unwrap();
    assert_eq!(sent.len(), packed.len());
    let rows: Vec<crate::domain::list_row::ListRow> = unpack(packed.count(), &sent).unwrap();
    // As a scan of the rows themselves gives them (the snapshot's read is the same merge,
    // so only the scan checks it).
    let scanned: Vec<crate::domain::list_row::ListRow> =
        decode_all(&parallel_scan::scan_prefix(&store.db, keys::LIST_ROWS).unwrap()).unwrap();
    assert_eq!(rows, scanned);
}
