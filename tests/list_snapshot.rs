//! The worklist snapshot (`store/list_snapshot.rs`): the list rows read from it and the
//! rows marked since are exactly the stored rows, whatever was written, rebuilt or damaged
//! in between; a damaged snapshot is read around and rebuilt at the next open.

mod common;

use chrono::NaiveDate;
use common::fixture_db::open_sled_when_free;
use common::*;
use denialdesk::domain::action::WorkAction;
use denialdesk::store::{SledStore, WorkStore};
use std::path::Path;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// A store of `n` denials imported in one file (up to ~45 rows make one snapshot chunk).
fn imported(path: &Path, n: usize) {
    let store = SledStore::open(path).unwrap();
    let mut body = header("AETNA", "60054", "20261101", "T1");
    for i in 0..n {
        body.extend(claim(&format!("DMG{i}"), 1, "100", "0", &["CO*197*100"]));
    }
    import(&store, "first.835", &interchange(&STAR, 1, &[body])).unwrap();
}

/// A chunk's rows: (item key, stored row).
type Rows = Vec<(Vec<u8>, Vec<u8>)>;

/// The snapshot's one chunk, as stored: (format, row count, its rows).
fn read_chunk(db: &sled::Db) -> (u8, u32, Rows) {
    let (key, stored) = db.scan_prefix(b"s:c").next().unwrap().unwrap();
    assert_eq!(key.as_ref(), b"s:c00000000");
    let count = u32::from_le_bytes(stored[1..5].try_into().unwrap());
    let body = lz4_flex::decompress_size_prepended(&stored[5..]).unwrap();
    let (mut rows, mut rest) = (Vec::new(), body.as_slice());
    let mut take = || {
        let len = u32::from_le_bytes(rest[..4].try_into().unwrap()) as usize;
        let part = rest[4..4 + len].to_vec();
        rest = &rest[4 + len..];
        part
    };
    while rows.len() < count as usize {
        let key = take();
        rows.push((key, take()));
    }
    (stored[0], count, rows)
}

fn write_chunk(db: &sled::Db, format: u8, count: u32, rows: &[(Vec<u8>, Vec<u8>)]) {
    let mut body = Vec::new();
    for (k, v) in rows {
        for part in [k, v] {
            body.extend_from_slice(&(part.len() as u32).to_le_bytes());
            body.extend_from_slice(part);
        }
    }
    let mut stored = vec![format];
    stored.extend_from_slice(&count.to_le_bytes());
    stored.extend_from_slice(&lz4_flex::compress_prepend_size(&body));
    db.insert(b"s:c00000000", stored).unwrap();
    db.flush().unwrap();
}

/// Damage of each kind sled's checksums would not catch (written as valid sled values):
/// a chunk cut short, a chunk whose row count disagrees, and a row that reads as a row
/// but does not decode. Each time the rows read are the stored ones (from the scan), the
/// damaged snapshot is set aside (its header removed), and the next open rebuilds it.
#[test]
fn a_damaged_snapshot_is_read_around_and_rebuilt_at_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    imported(&path, 12);
    type Damage = fn(&sled::Db);
    let damages: [(&str, Damage); 3] = [
        ("cut short", |db| {
            let (_, stored) = db.scan_prefix(b"s:c").next().unwrap().unwrap();
            db.insert(b"s:c00000000", &stored[..stored.len() / 2])
                .unwrap();
            db.flush().unwrap();
        }),
        ("a row count that disagrees", |db| {
            let (format, count, rows) = read_chunk(db);
            write_chunk(db, format, count + 1, &rows);
        }),
        ("a row that does not decode", |db| {
            let (format, count, mut rows) = read_chunk(db);
            rows[0].1 = vec![0xff; 3];
            write_chunk(db, format, count, &rows);
        }),
    ];
    for (what, damage) in damages {
        {
            let db = open_sled_when_free(&path);
            assert!(
                db.get(b"s:h").unwrap().is_some(),
                "{what}: a snapshot to damage"
            );
            damage(&db);
        }
        {
            let store = SledStore::open(&path).unwrap();
            assert_list_rows_match(&store);
            assert_eq!(store.list_rows().unwrap().len(), 12, "{what}");
        }
        {
            let db = open_sled_when_free(&path);
            assert!(db.get(b"s:h").unwrap().is_none(), "{what}: set aside");
        }
        // The next open rebuilds it, and reads from it again.
        drop(SledStore::open(&path).unwrap());
        let db = open_sled_when_free(&path);
        assert!(db.get(b"s:h").unwrap().is_some(), "{what}: rebuilt");
        let (_, count, _) = read_chunk(&db);
        assert_eq!(count, 12, "{what}");
    }
}

/// The worklist's rows are read from the snapshot plus the rows written since (each
/// marked in the same batch as the row): an import rebuilds the snapshot and clears the
/// marks, a save only marks its row, and an open rebuilds once the marks (of any process)
/// pass what the snapshot allows. Whatever the mix, the rows read are the stored ones.
#[test]
fn the_worklist_snapshot_and_the_rows_saved_since_read_as_the_stored_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    let raw = |f: &dyn Fn(&sled::Db)| {
        let db = open_sled_when_free(&path);
        f(&db);
    };
    let marks = |db: &sled::Db| db.scan_prefix(b"d:").count();
    {
        let store = SledStore::open(&path).unwrap();
        let mut body = header("AETNA", "60054", "20261101", "T1");
        for n in 0..20 {
            body.extend(claim(&format!("SNAP{n}"), 1, "100", "0", &["CO*197*100"]));
        }
        import(&store, "first.835", &interchange(&STAR, 1, &[body])).unwrap();
        assert_list_rows_match(&store);
        for (claim, action) in [
            ("SNAP3", WorkAction::AddNote("auth on file".into())),
            ("SNAP5", WorkAction::Assign(Some("devon".into()))),
        ] {
            store.apply(claim, &action, today(), "maria").unwrap();
        }
        assert_list_rows_match(&store);
        assert_eq!(
            store.work_item("SNAP5").unwrap().unwrap().owner.as_deref(),
            Some("devon")
        );
    }
    raw(&|db| {
        assert!(
            db.get(b"s:h").unwrap().is_some(),
            "the import made the snapshot"
        );
        assert_eq!(marks(db), 2, "each save marks its row");
    });
    // Twenty rows allow one mark: the next process's open rebuilds (a CLI save is one
    // process; counting saves in memory alone would never get there).
    drop(SledStore::open(&path).unwrap());
    raw(&|db| assert_eq!(marks(db), 0, "rebuilt at the open"));
    {
        let store = SledStore::open(&path).unwrap();
        store
            .apply(
                "SNAP7",
                &WorkAction::AddNote("one more".into()),
                today(),
                "maria",
            )
            .unwrap();
    }
    {
        let store = SledStore::open(&path).unwrap();
        assert_list_rows_match(&store);
        let rows = store.list_rows().unwrap();
        assert_eq!(rows.len(), 20);
        assert_eq!(
            rows.iter()
                .find(|r| r.claim_id == "SNAP5")
                .unwrap()
                .owner
                .as_deref(),
            Some("devon")
        );
        let mut body = header("AETNA", "60054", "20261102", "T2");
        body.extend(claim("SNAP20", 1, "100", "0", &["CO*16*100"]));
        import(&store, "second.835", &interchange(&STAR, 2, &[body])).unwrap();
        assert_list_rows_match(&store);
        assert_eq!(store.list_rows().unwrap().len(), 21);
    }
    raw(&|db| assert_eq!(marks(db), 0, "rebuilt after the import: no marks left"));
}

/// A worklist of several chunks (a chunk holds ~12 KB of rows, about 45 of these) reads
/// in key order across them; two chunks swapped (each whole and in order within) is
/// damage, read around and rebuilt at the next open.
#[test]
fn the_rows_of_many_chunks_read_in_order_and_chunks_out_of_order_are_damage() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    imported(&path, 200);
    let chunks = {
        let store = SledStore::open(&path).unwrap();
        assert_list_rows_match(&store);
        drop(store);
        let db = open_sled_when_free(&path);
        let chunks: Vec<_> = db.scan_prefix(b"s:c").map(|c| c.unwrap()).collect();
        assert!(chunks.len() >= 3, "{} chunks", chunks.len());
        let (first, second) = (&chunks[0], &chunks[1]);
        db.insert(&first.0, second.1.clone()).unwrap();
        db.insert(&second.0, first.1.clone()).unwrap();
        db.flush().unwrap();
        chunks.len()
    };
    {
        let store = SledStore::open(&path).unwrap();
        assert_list_rows_match(&store);
        assert_eq!(store.list_rows().unwrap().len(), 200);
    }
    assert!(
        open_sled_when_free(&path).get(b"s:h").unwrap().is_none(),
        "set aside"
    );
    drop(SledStore::open(&path).unwrap());
    let db = open_sled_when_free(&path);
    assert!(db.get(b"s:h").unwrap().is_some(), "rebuilt");
    assert_eq!(db.scan_prefix(b"s:c").count(), chunks);
}

/// Past 256 marks the marked rows are read by several threads at once (they wait on the
/// disk after a dropped page cache): still each marked row as stored now, in its place.
#[test]
fn hundreds_of_rows_saved_since_the_snapshot_read_as_the_stored_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db");
    // 4,800 rows allow 300 marks before an open rebuilds the snapshot.
    imported(&path, 4_800);
    let saved = 290;
    {
        let store = SledStore::open(&path).unwrap();
        for n in 0..saved {
            // Every 16th claim, so the marked rows lie across the whole key range.
            let action = WorkAction::Assign(Some(format!("biller{}", n % 7)));
            store
                .apply(&format!("DMG{}", n * 16), &action, today(), "maria")
                .unwrap();
        }
        assert_list_rows_match(&store);
    }
    let marks = open_sled_when_free(&path).scan_prefix(b"d:").count();
    assert_eq!(
        marks, saved,
        "each save marked its row, and nothing rebuilt"
    );
    let store = SledStore::open(&path).unwrap();
    assert_list_rows_match(&store);
    let rows = store.list_rows().unwrap();
    let owner = |claim: &str| {
        rows.iter()
            .find(|r| r.claim_id == claim)
            .and_then(|r| r.owner.clone())
    };
    assert_eq!(owner("DMG0").as_deref(), Some("biller0"));
    assert_eq!(owner("DMG4624").as_deref(), Some("biller2"));
    assert_eq!(owner("DMG16").as_deref(), Some("biller1"));
    assert_eq!(owner("DMG17"), None);
    // What the read merged in: the 290 marked rows (as a team server sends them to a
    // client holding the snapshot, `store::rows_delta`), not a scan of every row.
    let snapshot = denialdesk::store::rows_delta::BesideAhead::start(&path)
        .take()
        .expect("the file beside the database")
        .identity();
    let marks = store
        .row_marks(&snapshot)
        .unwrap()
        .expect("the stored snapshot");
    assert_eq!((marks.count(), marks.rows), (saved, 4_800));
}
