//! Every list row in one value, for the first frame. At 1M claims the worklist's 117,554
//! rows, read key by key, took ~300 ms of a first frame's ~650 (BENCHMARKS.md, "Store
//! v4"): sled walks a tree page by page, and a cold disk seeks for each. The snapshot
//! (`s:rows`) holds every row as of its last rebuild, LZ4-compressed, in key order. Each row
//! written since carries a mark (`d:{key}`), put in the same batch as the row itself (see
//! `put_list_row`), so the rows are always the snapshot with the marked ones read again:
//! exactly what a scan of `r:` gives, whatever was cut short when. The snapshot is rebuilt
//! in one batch that clears the marks, after an import, a restore or the move to schema
//! 10, once the marks pass a sixteenth of the rows (at most 4,096, a few milliseconds of
//! reads).

use super::core::{db_error, SledStore};
use super::keys;
use super::kv::Batch;
use super::packed::decode_all;
use super::parallel_scan;
use super::StoreError;
use crate::domain::list_row::ListRow;
use sled::IVec;
use std::sync::atomic::Ordering;

/// The snapshot's layout: this byte, the row count (u32 LE), then LZ4 (size prepended) of
/// every row as `u32 LE key length, key, u32 LE value length, value`.
const FORMAT: u8 = 1;

/// Marks past which the snapshot is rebuilt, however many rows there are.
const MOST_MARKS: usize = 4096;

/// Read attempts that a write in between sends back to the start before the rows are
/// scanned instead (see `rows`).
const ATTEMPTS: usize = 3;

/// The rows as read: the snapshot's bytes and the marked rows read again. `entries` gives
/// them merged, in key order.
pub(super) struct Rows {
    body: Vec<u8>,
    /// (item key, its row now; `None`: no longer stored), in key order.
    marked: Vec<(Vec<u8>, Option<IVec>)>,
}

impl Rows {
    /// Every (item key, stored row), in key order: the snapshot's, each marked row in the
    /// place of its older copy (or left out when it is gone).
    pub(super) fn entries(&self) -> Vec<(&[u8], &[u8])> {
        let mut out = Vec::with_capacity(self.marked.len() + row_count_hint(&self.body));
        let mut marked = self.marked.iter().peekable();
        for (key, value) in snapshot_entries(&self.body) {
            let mut replaced = false;
            while let Some((mark, row)) = marked.next_if(|(mark, _)| mark.as_slice() <= key) {
                if let Some(row) = row {
                    out.push((mark.as_slice(), row.as_ref()));
                }
                replaced |= mark.as_slice() == key;
            }
            if !replaced {
                out.push((key, value));
            }
        }
        for (mark, row) in marked {
            if let Some(row) = row {
                out.push((mark.as_slice(), row.as_ref()));
            }
        }
        out
    }
}

/// The (key, value) pairs of a snapshot body already checked by `parse_body`.
fn snapshot_entries(body: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut rest = body;
    std::iter::from_fn(move || {
        let key = take(&mut rest)?;
        let value = take(&mut rest)?;
        Some((key, value))
    })
}

fn row_count_hint(body: &[u8]) -> usize {
    body.len() / 96
}

/// The next `u32 LE length, bytes` of `rest`, or `None` at its end or where it is cut.
fn take<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let (len, tail) = rest.split_at_checked(4)?;
    let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
    let (bytes, tail) = tail.split_at_checked(len)?;
    *rest = tail;
    Some(bytes)
}

/// The row count a stored snapshot's header gives, if it is of this format.
fn stored_count(stored: &[u8]) -> Option<usize> {
    let (&format, rest) = stored.split_first()?;
    let count = rest.get(..4)?;
    (format == FORMAT).then(|| u32::from_le_bytes(count.try_into().expect("4 bytes")) as usize)
}

/// The row count and body of a stored snapshot, if it is whole and in key order.
fn parse(stored: &[u8]) -> Option<(usize, Vec<u8>)> {
    let (&format, rest) = stored.split_first()?;
    let (count, packed) = rest.split_at_checked(4)?;
    if format != FORMAT {
        return None;
    }
    let count = u32::from_le_bytes(count.try_into().ok()?) as usize;
    let body = lz4_flex::decompress_size_prepended(packed).ok()?;
    let mut seen = 0;
    let mut last: Option<&[u8]> = None;
    let mut rest = body.as_slice();
    while !rest.is_empty() {
        let key = take(&mut rest)?;
        take(&mut rest)?;
        if last.is_some_and(|l| l >= key) {
            return None;
        }
        last = Some(key);
        seen += 1;
    }
    (seen == count).then_some((count, body))
}

/// How many marks a snapshot of `rows` rows takes before it is rebuilt.
fn marks_allowed(rows: usize) -> usize {
    (rows / 16).clamp(1, MOST_MARKS)
}

impl SledStore {
    /// Every list row in key order: from the snapshot and the rows marked since, else read
    /// as key ranges at once (see `parallel_scan`).
    pub(super) fn read_list_rows(&self) -> Result<Vec<ListRow>, StoreError> {
        match self.snapshot_rows()? {
            Some(rows) => decode_all(&rows.entries()),
            None => decode_all(&parallel_scan::scan_prefix(&self.db, keys::LIST_ROWS)?),
        }
    }

    /// The rows from the snapshot and the marks, or `None` where they cannot be used as
    /// they are: no snapshot yet (or one this build cannot read: the rows are the truth,
    /// and the next rebuild replaces it), or writes kept landing in between the reads.
    /// The reads are three (the snapshot, the marks, the marked rows); a rebuild landing
    /// between them would clear marks the snapshot read before it lacks, so a read is
    /// used only if no batch was being applied from before its start to after its end.
    pub(super) fn snapshot_rows(&self) -> Result<Option<Rows>, StoreError> {
        for _ in 0..ATTEMPTS {
            let before = self.generation.load(Ordering::SeqCst);
            if self.applying.load(Ordering::SeqCst) == 0 {
                let rows = self.read_snapshot_rows()?;
                if self.applying.load(Ordering::SeqCst) == 0
                    && self.generation.load(Ordering::SeqCst) == before
                {
                    return Ok(rows);
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        Ok(None)
    }

    fn read_snapshot_rows(&self) -> Result<Option<Rows>, StoreError> {
        let Some(stored) = self.db.get(keys::LIST_SNAPSHOT).map_err(db_error)? else {
            return Ok(None);
        };
        let Some((_, body)) = parse(&stored) else {
            return Ok(None);
        };
        let mut marked = Vec::new();
        for mark in self.db.scan_prefix(keys::ROW_MARKS).keys() {
            let mark = mark.map_err(db_error)?;
            let key = mark[keys::ROW_MARKS.len()..].to_vec();
            let mut row_key = keys::LIST_ROWS.to_vec();
            row_key.extend_from_slice(&key);
            let row = self.db.get(&row_key).map_err(db_error)?;
            marked.push((key, row));
        }
        Ok(Some(Rows { body, marked }))
    }

    /// Rebuilds the snapshot from the stored rows when the marks have passed what it
    /// allows, or there is none and there are rows, in one batch that clears the marks. The caller holds the store's writes off (the write lock, or the import gate
    /// at a file import's end), so no row changes between the scan and the batch. Flushed
    /// with the work that wrote the rows; cut short before, the rows read the same.
    pub(super) fn refresh_list_snapshot(&self) -> Result<(), StoreError> {
        let marks: Vec<IVec> = self
            .db
            .scan_prefix(keys::ROW_MARKS)
            .keys()
            .collect::<Result<_, _>>()
            .map_err(db_error)?;
        let stored = self.db.get(keys::LIST_SNAPSHOT).map_err(db_error)?;
        match stored.as_deref().and_then(stored_count) {
            Some(rows) if marks.len() < marks_allowed(rows) => return Ok(()),
            // No snapshot (or one of another format): made whenever there are rows.
            None if marks.is_empty() && self.db.scan_prefix(keys::LIST_ROWS).next().is_none() => {
                return Ok(())
            }
            _ => {}
        }
        let rows = parallel_scan::scan_prefix(&self.db, keys::LIST_ROWS)?;
        let mut body = Vec::with_capacity(rows.iter().map(|(k, v)| k.len() + v.len() + 8).sum());
        for (key, value) in &rows {
            let key = &key[keys::LIST_ROWS.len()..];
            for part in [key, value.as_ref()] {
                let len = u32::try_from(part.len()).map_err(|_| StoreError::Corrupt {
                    key: String::from_utf8_lossy(key).into_owned(),
                    message: "a list row over 4 GB".into(),
                })?;
                body.extend_from_slice(&len.to_le_bytes());
                body.extend_from_slice(part);
            }
        }
        let count = u32::try_from(rows.len()).map_err(|_| StoreError::Corrupt {
            key: "s:rows".into(),
            message: "over 4 billion list rows".into(),
        })?;
        let mut stored = vec![FORMAT];
        stored.extend_from_slice(&count.to_le_bytes());
        stored.extend_from_slice(&lz4_flex::compress_prepend_size(&body));
        let mut batch = Batch::default();
        batch.insert(keys::LIST_SNAPSHOT, stored);
        for mark in marks {
            batch.remove(mark);
        }
        self.apply(batch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(rows: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (k, v) in rows {
            for part in [k.as_bytes(), v.as_bytes()] {
                out.extend_from_slice(&(part.len() as u32).to_le_bytes());
                out.extend_from_slice(part);
            }
        }
        out
    }

    fn merged(snapshot: &[(&str, &str)], marked: &[(&str, Option<&str>)]) -> Vec<(String, String)> {
        let rows = Rows {
            body: body(snapshot),
            marked: marked
                .iter()
                .map(|(k, v)| (k.as_bytes().to_vec(), v.map(|v| IVec::from(v.as_bytes()))))
                .collect(),
        };
        rows.entries()
            .into_iter()
            .map(|(k, v)| {
                (
                    String::from_utf8(k.to_vec()).unwrap(),
                    String::from_utf8(v.to_vec()).unwrap(),
                )
            })
            .collect()
    }

    fn owned(rows: &[(&str, &str)]) -> Vec<(String, String)> {
        rows.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn marked_rows_replace_join_or_leave_the_snapshot_in_key_order() {
        let snapshot = [("B", "b0"), ("D", "d0"), ("F", "f0")];
        assert_eq!(merged(&snapshot, &[]), owned(&snapshot));
        assert_eq!(
            merged(
                &snapshot,
                &[
                    ("A", Some("a1")), // new, before every row
                    ("B", Some("b1")), // changed
                    ("C", Some("c1")), // new, between
                    ("D", None),       // gone
                    ("E", None),       // written and gone since: never in the snapshot
                    ("G", Some("g1")), // new, after every row
                ]
            ),
            owned(&[
                ("A", "a1"),
                ("B", "b1"),
                ("C", "c1"),
                ("F", "f0"),
                ("G", "g1")
            ])
        );
        assert_eq!(
            merged(&[], &[("A", Some("a1")), ("B", None)]),
            owned(&[("A", "a1")])
        );
    }

    #[test]
    fn a_snapshot_cut_short_out_of_order_or_of_another_format_is_not_used() {
        let whole = |rows: &[(&str, &str)], count: u32, format: u8| {
            let mut stored = vec![format];
            stored.extend_from_slice(&count.to_le_bytes());
            stored.extend_from_slice(&lz4_flex::compress_prepend_size(&body(rows)));
            stored
        };
        let rows = [("A", "a"), ("B", "b")];
        assert_eq!(parse(&whole(&rows, 2, FORMAT)).map(|(n, _)| n), Some(2));
        assert!(parse(&whole(&rows, 3, FORMAT)).is_none());
        assert!(parse(&whole(&rows, 2, FORMAT + 1)).is_none());
        assert!(parse(&whole(&[("B", "b"), ("A", "a")], 2, FORMAT)).is_none());
        let stored = whole(&rows, 2, FORMAT);
        assert!(parse(&stored[..stored.len() - 1]).is_none());
        assert!(parse(&[]).is_none());
    }

    #[test]
    fn a_sixteenth_of_the_rows_marked_rebuilds_but_never_fewer_than_one_or_over_4096() {
        assert_eq!(marks_allowed(0), 1);
        assert_eq!(marks_allowed(100), 6);
        assert_eq!(marks_allowed(16_000), 1000);
        assert_eq!(marks_allowed(1_000_000), MOST_MARKS);
    }
}
