//! Every list row in one snapshot, for the first frame. At 1M claims the worklist's 117,554
//! rows, read key by key, took ~300 ms of a first frame's ~650, and 1.8 s with a cold page
//! cache (BENCHMARKS.md, "Schema 10"): sled walks a tree page by page, and a cold disk
//! seeks for each. The snapshot holds every row as of its last rebuild, in key order, in
//! LZ4-compressed chunks (`s:c{n}`) under a header (`s:h`: the row and chunk counts, and
//! the rebuild's identity, which a copy of the chunks beside the database must carry to be
//! read instead, see `rows_file`). Each row written since carries a mark (`d:{key}`), put
//! in the same batch as the row itself (see `put_list_row`); a journaled import's sets
//! mark none, this process reading their rows as marked (`unmarked`) until a commit or
//! roll-back marks them or, past 4,096, takes the header away. So the rows are always the snapshot
//! with the marked ones read again: exactly what a scan of `r:` gives, whatever was cut
//! short when (a roll-back marks what it puts back). The snapshot is rebuilt in one batch
//! that clears the marks, at an open, after an import, a restore, the move to schema 10 or
//! 4,096 saves, once the marks pass a sixteenth of the rows (at most 4,096: reading that
//! many marked rows one by one takes a few milliseconds, against 40–80 for the whole
//! snapshot at 1M claims). The bytes (header, chunks, the merge with the marked rows) are
//! `snapshot_format`'s.
//!
//! Why chunks of ~12 KB rather than one value: sled stores a leaf too large for a quarter
//! of a log segment (128 KiB) as a blob file of its own, and a replaced blob stays on disk
//! until its segment is cleaned. Stored whole, every rebuild of a 1M-claim worklist left
//! its ~6 MB behind: 242 MB over the 43 rebuilds of a bulk load. Small chunks stay in the
//! log, where sled reclaims old versions as it does every other value's.

use super::core::{db_error, SledStore};
use super::keys;
use super::kv::Batch;
use super::packed::{decode_all, map_on_cores, map_on_threads};
use super::parallel_scan;
use super::rows_file;
use super::snapshot_format::{
    encode_chunk, encode_header, header, push_row, unpack_chunk, whole, BesideRows, Chunk, Rows,
    CHUNK_BYTES,
};
use super::StoreError;
use crate::domain::list_row::ListRow;
use sled::IVec;
use std::sync::atomic::Ordering;

/// Marks past which the snapshot is rebuilt, however many rows there are.
pub(super) const MOST_MARKS: usize = 4096;

/// Fewer marked rows than this are read one by one; more by `MARK_READERS` threads.
const MARKS_READ_ALONE: usize = 256;

/// Threads reading marked rows: they wait on the disk more than they compute, so more than
/// the cores.
const MARK_READERS: usize = 8;

/// Read attempts that a write in between sends back to the start before the rows are
/// scanned instead (see `snapshot_rows`).
const ATTEMPTS: usize = 3;

/// How many marks a snapshot of `rows` rows takes before it is rebuilt.
fn marks_allowed(rows: usize) -> usize {
    (rows / 16).clamp(1, MOST_MARKS)
}

/// Marked items' keys and their rows now (`None`: gone), in key order.
pub(super) type Marked = Vec<(Vec<u8>, Option<IVec>)>;

/// What one read of the snapshot found.
enum Found<T = Rows> {
    Rows(T),
    /// No snapshot, one of another format, or too many marks to be worth it.
    Unused,
    /// Chunks missing, out of order or unreadable.
    Damaged,
}

impl SledStore {
    /// Every list row in key order: from the snapshot and the rows marked since, else
    /// read as key ranges at once (see `parallel_scan`).
    pub(super) fn read_list_rows(&self) -> Result<Vec<ListRow>, StoreError> {
        if let Some(rows) = self.snapshot_rows()? {
            match decode_all(&rows.entries()) {
                Ok(rows) => return Ok(rows),
                // A row the snapshot holds but cannot be decoded: the scan reads the rows
                // themselves (and names the stored key of one damaged there too).
                Err(_) => self.set_aside_snapshot(),
            }
        }
        decode_all(&parallel_scan::scan_prefix(&self.db, keys::LIST_ROWS)?)
    }

    /// The rows from the snapshot and the marks, or `None` where they cannot be used as
    /// they are: no snapshot yet (or one of another format, or damaged: the rows are the
    /// truth, and the next rebuild replaces it), marks past half the rows (the scan is then
    /// as quick), or rebuilds landing while it read. The reads are several (the header, the
    /// chunks, the marks, the marked rows); a rebuild landing between them would clear
    /// marks the chunks read before it lack (a journaled import's commit counts as one).
    /// Other writes do no harm: each row read is as some committed batch left it.
    pub(super) fn snapshot_rows(&self) -> Result<Option<Rows>, StoreError> {
        Ok(match self.between_rebuilds(|| self.read_snapshot_rows())? {
            Some(Found::Rows(rows)) => Some(rows),
            Some(Found::Unused) | None => None,
            // Only a read no rebuild overlapped: chunks of two rebuilds read together are
            // not damage.
            Some(Found::Damaged) => {
                self.set_aside_snapshot();
                None
            }
        })
    }

    /// What `read` gives when no rebuild began or ended while it ran (`None`: one did
    /// in each of `ATTEMPTS` tries; see `snapshot_rows`).
    pub(super) fn between_rebuilds<T>(
        &self,
        read: impl Fn() -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        let shared = &self.snapshot;
        for _ in 0..ATTEMPTS {
            let before = shared.rebuilds.load(Ordering::SeqCst);
            if !shared.rebuilding.load(Ordering::SeqCst) {
                let found = read()?;
                if !shared.rebuilding.load(Ordering::SeqCst)
                    && shared.rebuilds.load(Ordering::SeqCst) == before
                {
                    return Ok(Some(found));
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        Ok(None)
    }

    /// Rebuilds the snapshot if it is due (see `refresh_list_snapshot`), else leaves it:
    /// it is derived, and the marks keep every read right until a later rebuild. So a
    /// failed rebuild never fails the import or restore that wrote the rows. Called after
    /// that work is flushed; a rebuild is flushed in turn, so what a call leaves is on
    /// disk when it returns (a failed flush here loses only the rebuild).
    pub(super) fn refresh_list_snapshot_or_leave_it(&self) {
        if let Ok(true) = self.refresh_list_snapshot() {
            if self.flush().is_ok() {
                self.write_rows_file();
            }
        }
    }

    /// Writes the file beside the database for the rebuild just flushed (see `rows_file`):
    /// only once it is on disk, so the file never takes the space sled's flush needed, and
    /// not at all on a disk nearly full. Without it the next open reads the chunks from
    /// sled, as before.
    pub(super) fn write_rows_file(&self) {
        let unwritten = self
            .snapshot
            .unwritten
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some((id, chunks)) = unwritten {
            let size: usize = chunks.iter().map(Vec::len).sum();
            if rows_file::room_for(&self.path, size as u64) {
                let _ = rows_file::write(&self.path, self.access, &id, &chunks);
            }
        }
    }

    /// After a save (holding the write lock): every `MOST_MARKS` saves, a rebuild if due,
    /// so a worklist saved all day but never imported into keeps its marks bounded. Saves
    /// of other processes (one per CLI save; a team server exits when idle) are counted
    /// by the check every open makes (`SledStore::on`).
    pub(super) fn after_saves(&self, saves: usize) {
        let seen = self.snapshot.saves.fetch_add(saves, Ordering::SeqCst) + saves;
        if seen >= MOST_MARKS {
            self.snapshot.saves.store(0, Ordering::SeqCst);
            self.refresh_list_snapshot_or_leave_it();
        }
    }

    /// A damaged snapshot (or one a read failed on) is not used again: its header goes, so
    /// the next rebuild check (at the next open, import or restore) makes a new one. A
    /// removal needs no write lock: whatever lands around it, a missing header only sends
    /// reads to the scan until then. (Were the removal to fail too, each read would find
    /// the damage again and scan.)
    fn set_aside_snapshot(&self) {
        let mut batch = Batch::default();
        batch.remove(keys::LIST_SNAPSHOT);
        let _ = self.apply(batch);
    }

    fn read_snapshot_rows(&self) -> Result<Found, StoreError> {
        let (rows, chunks) = match self.read_chunks() {
            Found::Rows(read) => read,
            Found::Unused => return Ok(Found::Unused),
            Found::Damaged => return Ok(Found::Damaged),
        };
        Ok(match self.read_marks(rows)? {
            Some(marked) => Found::Rows(Rows::new(chunks, marked)),
            None => Found::Unused,
        })
    }

    /// Each marked item's key and its row now (`None`: gone), in key order; `None` past
    /// half of a snapshot of `rows` rows (reading them one by one is then no quicker than
    /// the scan).
    pub(super) fn read_marks(&self, rows: usize) -> Result<Option<Marked>, StoreError> {
        // The rows a journaled import running here wrote count as marked (see
        // `unmarked`).
        let unmarked = self
            .unmarked_rows
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .keys();
        let Some(mut marks) = unmarked else {
            return Ok(None);
        };
        let noted = marks.len();
        for mark in self.db.scan_prefix(keys::ROW_MARKS).keys() {
            if marks.len() > rows / 2 {
                return Ok(None);
            }
            let mark = mark.map_err(db_error)?;
            marks.push(mark[keys::ROW_MARKS.len()..].to_vec());
        }
        if noted > 0 {
            marks.sort();
            marks.dedup();
            if marks.len() > rows / 2 {
                return Ok(None);
            }
        }
        // The marked rows lie all over the rows' key range: read one by one after the page
        // cache was dropped, 2,398 of them took 18–23 ms at 1M claims, waiting on the disk
        // for each. Several readers keep several reads in flight.
        let row = |key: &Vec<u8>| self.db.get([keys::LIST_ROWS, key].concat());
        let rows_now = if marks.len() < MARKS_READ_ALONE {
            marks.iter().map(row).collect::<Result<Vec<_>, _>>()
        } else {
            map_on_threads(&marks, MARK_READERS, row)
        }
        .map_err(db_error)?;
        Ok(Some(marks.into_iter().zip(rows_now).collect()))
    }

    /// The snapshot's row count and its chunks, if there is a snapshot of this format and
    /// it reads whole (`Damaged`: it does not, or an error reading it). The chunks are
    /// unpacked and checked on several threads (31 MB of rows at 1M claims: 40 ms on one).
    fn read_chunks(&self) -> Found<(usize, Vec<Chunk>)> {
        let stored = match self.db.get(keys::LIST_SNAPSHOT) {
            Ok(Some(stored)) => stored,
            Ok(None) => return Found::Unused,
            Err(_) => return Found::Damaged,
        };
        // Another format: replaced by the next rebuild, whatever the marks.
        let Some((rows, chunks, identity)) = header(&stored) else {
            return Found::Unused;
        };
        if let Some(beside) = self.read_beside() {
            if identity == Some(&beside.id[..]) && whole(&beside.chunks, rows, chunks) {
                self.snapshot.beside_reads.fetch_add(1, Ordering::SeqCst);
                return Found::Rows((rows, beside.chunks));
            }
        }
        let Ok(stored) = self
            .db
            .scan_prefix(keys::LIST_SNAPSHOT_CHUNKS)
            .map(|chunk| chunk.map(|(_, value)| value))
            .collect::<Result<Vec<IVec>, _>>()
        else {
            return Found::Damaged;
        };
        if stored.len() != chunks {
            return Found::Damaged;
        }
        let unpacked = map_on_cores(&stored, |chunk| unpack_chunk(chunk).ok_or(()));
        match unpacked {
            Ok(unpacked) if whole(&unpacked, rows, chunks) => Found::Rows((rows, unpacked)),
            _ => Found::Damaged,
        }
    }

    /// The chunks read from the file beside the database while sled opened, the first
    /// time the snapshot is read after `open_for_worklist` (later reads go to sled). Not
    /// waited for past `BESIDE_WAIT`: sled has the same chunks.
    fn read_beside(&self) -> Option<BesideRows> {
        self.snapshot
            .beside
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()?
            .take()
    }

    /// Rebuilds the snapshot from the stored rows when the marks have passed what it
    /// allows, or there is none and there are rows, in one batch that clears the marks.
    /// The caller holds the store's writes off (the write lock, or the import gate at a
    /// file import's end, or an open no one else can write through yet), so no row
    /// changes between the scan and the batch. Not flushed here (the caller does, see
    /// `refresh_list_snapshot_or_leave_it`): cut short, the rows read the same. Whether it
    /// rebuilt.
    pub(super) fn refresh_list_snapshot(&self) -> Result<bool, StoreError> {
        let stored = self.db.get(keys::LIST_SNAPSHOT).ok().flatten();
        // Counted only as far as the limit: the check runs at every open.
        let marks_up_to = |limit: usize| {
            self.db
                .scan_prefix(keys::ROW_MARKS)
                .keys()
                .take(limit)
                .count()
        };
        match stored.as_deref().and_then(header) {
            Some((rows, _, _)) if marks_up_to(marks_allowed(rows)) < marks_allowed(rows) => {
                return Ok(false)
            }
            // No snapshot (or one of another format): made whenever there are rows.
            None if marks_up_to(1) == 0
                && self.db.scan_prefix(keys::LIST_ROWS).next().is_none() =>
            {
                return Ok(false)
            }
            _ => {}
        }
        let marks: Vec<IVec> = self
            .db
            .scan_prefix(keys::ROW_MARKS)
            .keys()
            .collect::<Result<_, _>>()
            .map_err(db_error)?;
        let too_many = |what: &str| StoreError::Corrupt {
            key: String::from_utf8_lossy(keys::LIST_SNAPSHOT).into_owned(),
            message: format!("over 4 billion {what}"),
        };
        let mut batch = Batch::default();
        let (mut body, mut in_chunk, mut rows) = (Vec::new(), 0u32, 0u32);
        // Kept to write the file beside the database too (see `rows_file`).
        let mut written: Vec<Vec<u8>> = Vec::new();
        // One thread, streamed (read in parallel ranges, a 1M-claim store's rows were held
        // twice, in each thread's malloc arena): a rebuild is off the first frame's path.
        for entry in self.db.scan_prefix(keys::LIST_ROWS) {
            let (key, value) = entry.map_err(db_error)?;
            push_row(&mut body, &key[keys::LIST_ROWS.len()..], &value).ok_or_else(|| {
                StoreError::Corrupt {
                    key: String::from_utf8_lossy(&key).into_owned(),
                    message: "a list row over 4 GB".into(),
                }
            })?;
            in_chunk += 1;
            rows = rows.checked_add(1).ok_or_else(|| too_many("list rows"))?;
            if body.len() >= CHUNK_BYTES {
                written.push(encode_chunk(in_chunk, &body));
                (body, in_chunk) = (Vec::new(), 0);
            }
        }
        if in_chunk > 0 {
            written.push(encode_chunk(in_chunk, &body));
        }
        let chunks = u32::try_from(written.len()).map_err(|_| too_many("chunks"))?;
        for (n, chunk) in written.iter().enumerate() {
            batch.insert(keys::snapshot_chunk(n as u32), chunk.clone());
        }
        let id = rows_file::identity(self.next_seq()?, &written);
        // Chunks past the new last one belong to an older, longer snapshot.
        for old in self.db.range(keys::snapshot_chunk(chunks)..).keys() {
            let old = old.map_err(db_error)?;
            if !old.starts_with(keys::LIST_SNAPSHOT_CHUNKS) {
                break;
            }
            batch.remove(old);
        }
        batch.insert(keys::LIST_SNAPSHOT, encode_header(rows, chunks, &id));
        for mark in marks {
            batch.remove(mark);
        }
        let shared = &self.snapshot;
        shared.rebuilding.store(true, Ordering::SeqCst);
        let applied = self.apply(batch).map(|()| true);
        shared.rebuilds.fetch_add(1, Ordering::SeqCst);
        shared.rebuilding.store(false, Ordering::SeqCst);
        if applied.is_ok() && self.db.is_sled() {
            // A copy for the next open to read while sled opens, written once this is
            // flushed (`write_rows_file`).
            *shared.unwritten.lock().unwrap_or_else(|p| p.into_inner()) = Some((id, written));
            // What this process read beside at its open is of the snapshot just replaced
            // (a team server started by an import): not kept in memory until a read.
            drop(
                shared
                    .beside
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .take(),
            );
        }
        applied
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sixteenth_of_the_rows_marked_rebuilds_but_never_fewer_than_one_or_over_4096() {
        assert_eq!(marks_allowed(0), 1);
        assert_eq!(marks_allowed(100), 6);
        assert_eq!(marks_allowed(16_000), 1000);
        assert_eq!(marks_allowed(1_000_000), MOST_MARKS);
    }
}
