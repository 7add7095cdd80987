use super::*;
use crate::import::{import_observed, BytesSource};
use crate::store::keys;
use crate::store::snapshot_format::{encode_chunk, header, push_row};
use crate::store::{SledStore, WorkStore};
use std::os::unix::fs::PermissionsExt;
use std::sync::atomic::Ordering;

/// Three stored chunks of rows, as a rebuild makes them.
fn chunks() -> Vec<Vec<u8>> {
    (0..3u32)
        .map(|c| {
            let mut body = Vec::new();
            for r in 0..5u32 {
                let key = format!("CLM{c}{r:03}#00ab");
                push_row(&mut body, key.as_bytes(), &[c as u8; 80]).unwrap();
            }
            encode_chunk(5, &body)
        })
        .collect()
}

/// A database folder as the file lies in: sled's data file sets how large it may be.
fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(super::super::core::DATA_FILE), b"").unwrap();
    dir
}

fn bodies(read: &[Chunk]) -> Vec<usize> {
    read.iter().map(Chunk::rows).collect()
}

#[test]
fn the_chunks_written_are_the_chunks_read_with_their_identity() {
    let dir = folder();
    let id = identity(7, &chunks());
    write(dir.path(), Access::Private, &id, &chunks()).unwrap();
    let (read_id, read) = read(dir.path()).expect("the file reads back");
    assert_eq!(read_id, id);
    assert_eq!(bodies(&read), vec![5, 5, 5]);
    let mode = fs::metadata(dir.path().join(FILE))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o7777, 0o600);
    // No staged file is left behind, nor one a killed writer left.
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    fs::write(dir.path().join(".worklist.rows-kIlLeD"), b"half").unwrap();
    write(dir.path(), Access::Private, &id, &chunks()).unwrap();
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn a_torn_flipped_or_mismatched_file_is_not_read() {
    let dir = folder();
    let id = identity(7, &chunks());
    write(dir.path(), Access::Private, &id, &chunks()).unwrap();
    let whole = fs::read(dir.path().join(FILE)).unwrap();
    let put = |bytes: &[u8]| fs::write(dir.path().join(FILE), bytes).unwrap();
    for cut in [0, 10, MAGIC.len() + 3, whole.len() / 2, whole.len() - 1] {
        put(&whole[..cut]);
        assert!(read(dir.path()).is_none(), "cut at {cut}");
    }
    for at in [0, MAGIC.len() + 2, whole.len() / 2, whole.len() - 2] {
        let mut flipped = whole.clone();
        flipped[at] ^= 0x40;
        put(&flipped);
        assert!(read(dir.path()).is_none(), "byte {at} flipped");
    }
    // Whole and well-formed, but its chunks are not the ones its identity names.
    let other = identity(7, &chunks()[..2]);
    write(dir.path(), Access::Private, &other, &chunks()).unwrap();
    assert!(read(dir.path()).is_none());
}

#[test]
fn a_file_larger_than_its_share_or_unpacking_to_far_more_than_it_holds_is_not_read() {
    let dir = folder();
    // Chunks of one row of a megabyte of zeros: ~4 KB each stored, 1 MB unpacked.
    let bombs: Vec<Vec<u8>> = (0..3u8)
        .map(|n| {
            let mut body = Vec::new();
            push_row(&mut body, &[b'A' + n], &vec![0u8; 1_000_000]).unwrap();
            encode_chunk(1, &body)
        })
        .collect();
    let id = identity(1, &bombs);
    write(dir.path(), Access::Private, &id, &bombs).unwrap();
    assert!(read(dir.path()).is_none(), "refused before unpacking 3 MB");
    // A file over a sixteenth of sled's data file (and over 1 MiB) is not read at all.
    let rows = chunks();
    let id = identity(2, &rows);
    write(dir.path(), Access::Private, &id, &rows).unwrap();
    assert!(read(dir.path()).is_some());
    let padded: Vec<Vec<u8>> = rows.iter().cycle().take(30_000).cloned().collect();
    let id = identity(3, &padded);
    write(dir.path(), Access::Private, &id, &padded).unwrap();
    assert!(fs::metadata(dir.path().join(FILE)).unwrap().len() > 1 << 20);
    assert!(read(dir.path()).is_none());
}

#[test]
fn a_link_planted_at_the_name_is_neither_read_nor_written_through() {
    let dir = folder();
    let target = dir.path().join("someone-elses-file");
    fs::write(&target, b"private").unwrap();
    std::os::unix::fs::symlink(&target, dir.path().join(FILE)).unwrap();
    assert!(read(dir.path()).is_none());
    let id = identity(1, &chunks());
    write(dir.path(), Access::Private, &id, &chunks()).unwrap();
    assert_eq!(fs::read(&target).unwrap(), b"private");
    let meta = fs::symlink_metadata(dir.path().join(FILE)).unwrap();
    assert!(meta.file_type().is_file());
    assert!(read(dir.path()).is_some());
}

fn import_into(store: &SledStore, n: u64) {
    let text = crate::demo::synthetic_835_in_sets(2_000, 500, n, 300);
    let source = BytesSource(format!("remit-{n}.835"), text.as_bytes());
    import_observed(
        store,
        &source,
        &Default::default(),
        "tester",
        0,
        &mut |_| {},
    )
    .unwrap();
}

#[test]
fn an_open_for_the_worklist_reads_the_rows_beside_only_when_they_are_sleds_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let beside = db.join(FILE);
    let (rows, stale) = {
        let store = SledStore::open(&db).unwrap();
        import_into(&store, 1);
        assert!(beside.exists(), "the import's rebuild wrote the file");
        let stale = fs::read(&beside).unwrap();
        import_into(&store, 2);
        assert_ne!(
            fs::read(&beside).unwrap(),
            stale,
            "the next rebuild rewrote it"
        );
        (store.list_rows().unwrap(), stale)
    };
    assert!(rows.len() > 100);
    let opened = |worklist: bool| {
        if worklist {
            SledStore::open_for_worklist(&db).unwrap()
        } else {
            SledStore::open(&db).unwrap()
        }
    };
    // The file of the snapshot sled holds: the first read comes from it, and agrees.
    let store = opened(true);
    assert_eq!(store.list_rows().unwrap(), rows);
    assert_eq!(store.snapshot.beside_reads.load(Ordering::SeqCst), 1);
    // Later reads go to sled (what was read beside is gone).
    assert_eq!(store.list_rows().unwrap(), rows);
    assert_eq!(store.snapshot.beside_reads.load(Ordering::SeqCst), 1);
    drop(store);
    // A plain open does not read it.
    let store = opened(false);
    assert_eq!(store.list_rows().unwrap(), rows);
    assert_eq!(store.snapshot.beside_reads.load(Ordering::SeqCst), 0);
    drop(store);
    // An earlier rebuild's file (whole, but not this snapshot) is not used.
    fs::write(&beside, &stale).unwrap();
    let store = opened(true);
    assert_eq!(store.list_rows().unwrap(), rows);
    assert_eq!(store.snapshot.beside_reads.load(Ordering::SeqCst), 0);
    drop(store);
    // Nor the file of this very snapshot once a build before this one rebuilt it: its
    // header carries no identity (its chunks may differ, and the marks are cleared).
    let current = fs::read(&beside).unwrap();
    {
        let store = opened(false);
        let stored = store.db.get(keys::LIST_SNAPSHOT).unwrap().unwrap();
        let (rows_n, chunks_n, identity) = header(&stored).unwrap();
        assert!(identity.is_some());
        let mut before = vec![super::super::snapshot_format::FORMAT];
        before.extend_from_slice(&(rows_n as u32).to_le_bytes());
        before.extend_from_slice(&(chunks_n as u32).to_le_bytes());
        store.db.insert(keys::LIST_SNAPSHOT, before).unwrap();
        store.db.flush().unwrap();
    }
    fs::write(&beside, &current).unwrap();
    let store = opened(true);
    assert_eq!(store.list_rows().unwrap(), rows);
    assert_eq!(store.snapshot.beside_reads.load(Ordering::SeqCst), 0);
    drop(store);
    // Nor is a missing one.
    fs::remove_file(&beside).unwrap();
    let store = opened(true);
    assert_eq!(store.list_rows().unwrap(), rows);
    assert_eq!(store.snapshot.beside_reads.load(Ordering::SeqCst), 0);
}
