//! The worklist snapshot's bytes (see `list_snapshot` for when it is read and rebuilt): a
//! header, chunks of length-prefixed (item key, list row) pairs, LZ4-compressed, and the
//! merge of a snapshot's rows with the rows marked since. Nothing here touches the store.

use super::codec::unpack_lz4;
use sled::IVec;

/// The snapshot's layout: the header is this byte, the row count and the chunk count (u32
/// LE each); a chunk is this byte, its row count (u32 LE), then LZ4 (size prepended) of its
/// rows as `u32 LE key length, key, u32 LE value length, value`.
pub(super) const FORMAT: u8 = 2;

/// Uncompressed bytes of rows per chunk: compressed (~3×) and 16 to a sled leaf, well
/// under the size sled moves to a blob file.
pub(super) const CHUNK_BYTES: usize = 12 * 1024;

/// The largest list row a chunk is read with (a row is ~120 bytes; its strings come from
/// 835s, whose elements are short).
const MAX_ROW: usize = 1 << 20;

/// The rows as read: the snapshot's bytes and the marked rows read again. `entries` gives
/// them merged, in key order.
pub(super) struct Rows {
    body: Vec<u8>,
    /// (item key, its row now; `None`: no longer stored), in key order.
    marked: Vec<(Vec<u8>, Option<IVec>)>,
}

impl Rows {
    /// `body`: the snapshot's rows as `unpack_chunk` appends them; `marked`: each marked
    /// item's key and its row now, in key order.
    pub(super) fn new(body: Vec<u8>, marked: Vec<(Vec<u8>, Option<IVec>)>) -> Self {
        Rows { body, marked }
    }

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

/// (rows, chunks) as a stored header gives them, if it is of this format.
pub(super) fn header(stored: &[u8]) -> Option<(usize, usize)> {
    let (&format, rest) = stored.split_first()?;
    let rows = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
    let chunks = u32::from_le_bytes(rest.get(4..8)?.try_into().ok()?) as usize;
    (format == FORMAT && rest.len() == 8).then_some((rows, chunks))
}

pub(super) fn encode_header(rows: u32, chunks: u32) -> Vec<u8> {
    let mut out = vec![FORMAT];
    out.extend_from_slice(&rows.to_le_bytes());
    out.extend_from_slice(&chunks.to_le_bytes());
    out
}

pub(super) fn encode_chunk(rows: u32, body: &[u8]) -> Vec<u8> {
    let mut out = vec![FORMAT];
    out.extend_from_slice(&rows.to_le_bytes());
    out.extend_from_slice(&lz4_flex::compress_prepend_size(body));
    out
}

/// Appends a stored chunk's rows to `body`, if it is whole, of this format, and its keys
/// come after `last` (the previous chunk's last key) in order; returns its row count.
pub(super) fn unpack_chunk(stored: &[u8], body: &mut Vec<u8>, last: &mut Vec<u8>) -> Option<usize> {
    let (&format, rest) = stored.split_first()?;
    let (count, packed) = rest.split_at_checked(4)?;
    if format != FORMAT {
        return None;
    }
    let count = u32::from_le_bytes(count.try_into().ok()?) as usize;
    // Chunks are cut at `CHUNK_BYTES` after a row: a larger size is damage.
    let rows = unpack_lz4(packed, CHUNK_BYTES + MAX_ROW).ok()?;
    let mut seen = 0;
    let mut rest = rows.as_slice();
    while !rest.is_empty() {
        let key = take(&mut rest)?;
        take(&mut rest)?;
        if seen + body.len() > 0 && last.as_slice() >= key {
            return None;
        }
        last.clear();
        last.extend_from_slice(key);
        seen += 1;
    }
    if seen != count {
        return None;
    }
    body.extend_from_slice(&rows);
    Some(count)
}

/// Appends one (item key, stored row) pair to a chunk's body being built; `None` where a
/// part is over 4 GB (no u32 length holds it).
pub(super) fn push_row(body: &mut Vec<u8>, key: &[u8], value: &[u8]) -> Option<()> {
    for part in [key, value] {
        body.extend_from_slice(&u32::try_from(part.len()).ok()?.to_le_bytes());
        body.extend_from_slice(part);
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(rows: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (k, v) in rows {
            push_row(&mut out, k.as_bytes(), v.as_bytes()).unwrap();
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
    fn a_chunk_cut_short_out_of_order_oversized_or_of_another_format_is_not_used() {
        let chunk = |rows: &[(&str, &str)], count: u32, format: u8| {
            let mut stored = encode_chunk(count, &body(rows));
            stored[0] = format;
            stored
        };
        let read = |stored: &[u8], last: &str| {
            let (mut body, mut last) = (Vec::new(), last.as_bytes().to_vec());
            unpack_chunk(stored, &mut body, &mut last).map(|n| (n, body.len()))
        };
        let rows = [("A", "a"), ("B", "b")];
        assert_eq!(
            read(&chunk(&rows, 2, FORMAT), ""),
            Some((2, body(&rows).len()))
        );
        assert!(read(&chunk(&rows, 3, FORMAT), "").is_none());
        assert!(read(&chunk(&rows, 2, FORMAT + 1), "").is_none());
        assert!(read(&chunk(&[("B", "b"), ("A", "a")], 2, FORMAT), "").is_none());
        // After a chunk whose last key sorts at or past this one's first.
        let mut body_so_far = b"x".to_vec();
        let mut last = b"A".to_vec();
        assert!(unpack_chunk(&chunk(&rows, 2, FORMAT), &mut body_so_far, &mut last).is_none());
        let stored = chunk(&rows, 2, FORMAT);
        assert!(read(&stored[..stored.len() - 1], "").is_none());
        assert!(read(&[], "").is_none());
        // A damaged size asking for more than a chunk holds is refused before allocating.
        let mut huge = vec![FORMAT, 2, 0, 0, 0];
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        huge.extend_from_slice(b"junk");
        assert!(read(&huge, "").is_none());
        assert_eq!(header(&encode_header(7, 2)), Some((7, 2)));
        assert!(header(&encode_header(7, 2)[..8]).is_none());
    }
}
