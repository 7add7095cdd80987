//! The worklist snapshot's bytes (see `list_snapshot` for when it is read and rebuilt): a
//! header, chunks of length-prefixed (item key, list row) pairs, LZ4-compressed, and the
//! merge of a snapshot's rows with the rows marked since. Nothing here touches the store.

use super::codec::unpack_lz4;
use sled::IVec;

/// The snapshot's layout: a chunk is this byte, its row count (u32 LE), then LZ4 (size
/// prepended) of its rows as `u32 LE key length, key, u32 LE value length, value`. The
/// header was this byte, the row count and the chunk count (u32 LE each); it is now
/// `HEADER_WITH_IDENTITY`, the same counts and the rebuild's identity.
pub(super) const FORMAT: u8 = 2;

/// Uncompressed bytes of rows per chunk: compressed (~3×) and 16 to a sled leaf, well
/// under the size sled moves to a blob file.
pub(super) const CHUNK_BYTES: usize = 12 * 1024;

/// The largest list row a chunk is read with (a row is ~260 bytes; its strings come from
/// 835s, whose elements are short).
const MAX_ROW: usize = 1 << 20;

/// One chunk's rows, unpacked and checked (see `unpack_chunk`).
#[derive(Debug)]
pub(super) struct Chunk {
    /// The rows as `u32 LE length, bytes` pairs (key, then value).
    body: Vec<u8>,
    rows: usize,
    /// Where its last key lies in `body`.
    last_key: std::ops::Range<usize>,
}

impl Chunk {
    pub(super) fn rows(&self) -> usize {
        self.rows
    }

    fn first_key(&self) -> &[u8] {
        let mut rest = self.body.as_slice();
        take(&mut rest).unwrap_or_default()
    }

    fn last_key(&self) -> &[u8] {
        &self.body[self.last_key.clone()]
    }
}

/// Whether every chunk's keys come after the previous chunk's (each is in order within,
/// see `unpack_chunk`): so the snapshot's rows are in key order, each key once.
pub(super) fn in_order(chunks: &[Chunk]) -> bool {
    chunks
        .windows(2)
        .all(|w| w[0].last_key() < w[1].first_key())
}

/// The rows as read: the snapshot's chunks and the marked rows read again. `entries`
/// gives them merged, in key order.
pub(super) struct Rows {
    /// Kept as read, not joined: joining 30 MB of rows (1M claims) cost a copy and its
    /// page faults on the first frame's path.
    chunks: Vec<Chunk>,
    /// (item key, its row now; `None`: no longer stored), in key order.
    marked: Vec<(Vec<u8>, Option<IVec>)>,
}

impl Rows {
    /// `chunks`: the snapshot's, in order (see `in_order`); `marked`: each marked item's
    /// key and its row now, in key order.
    pub(super) fn new(chunks: Vec<Chunk>, marked: Vec<(Vec<u8>, Option<IVec>)>) -> Self {
        Rows { chunks, marked }
    }

    /// Every (item key, stored row), in key order: the snapshot's, each marked row in the
    /// place of its older copy (or left out when it is gone).
    pub(super) fn entries(&self) -> Vec<(&[u8], &[u8])> {
        let rows: usize = self.chunks.iter().map(Chunk::rows).sum();
        let mut out = Vec::with_capacity(self.marked.len() + rows);
        let mut marked = self.marked.iter().peekable();
        let snapshot = self.chunks.iter().flat_map(|c| snapshot_entries(&c.body));
        for (key, value) in snapshot {
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

/// The (key, value) pairs of a chunk's body already checked by `unpack_chunk`.
fn snapshot_entries(body: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut rest = body;
    std::iter::from_fn(move || {
        let key = take(&mut rest)?;
        let value = take(&mut rest)?;
        Some((key, value))
    })
}

/// The next `u32 LE length, bytes` of `rest`, or `None` at its end or where it is cut.
fn take<'a>(rest: &mut &'a [u8]) -> Option<&'a [u8]> {
    let (len, tail) = rest.split_at_checked(4)?;
    let len = u32::from_le_bytes(len.try_into().ok()?) as usize;
    let (bytes, tail) = tail.split_at_checked(len)?;
    *rest = tail;
    Some(bytes)
}

/// The header's format byte since the rebuild's identity is in it (see `rows_file`): it
/// follows the counts. A header of `FORMAT` (written by the builds before) has none, so
/// the file beside the database is never taken for its snapshot: a rebuild by such a
/// build replaces the header, and with it the identity, whatever it leaves of the file.
const HEADER_WITH_IDENTITY: u8 = 3;

/// (rows, chunks, the rebuild's identity if it has one) as a stored header gives them, if
/// it is of a format this build reads.
pub(super) fn header(stored: &[u8]) -> Option<(usize, usize, Option<&[u8]>)> {
    let (&format, rest) = stored.split_first()?;
    let rows = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?) as usize;
    let chunks = u32::from_le_bytes(rest.get(4..8)?.try_into().ok()?) as usize;
    match (format, &rest[8..]) {
        (FORMAT, []) => Some((rows, chunks, None)),
        (HEADER_WITH_IDENTITY, identity) if identity.len() == IDENTITY => {
            Some((rows, chunks, Some(identity)))
        }
        _ => None,
    }
}

/// The identity's length (see `rows_file::identity`).
pub(super) const IDENTITY: usize = 16;

pub(super) fn encode_header(rows: u32, chunks: u32, identity: &[u8]) -> Vec<u8> {
    let mut out = vec![HEADER_WITH_IDENTITY];
    out.extend_from_slice(&rows.to_le_bytes());
    out.extend_from_slice(&chunks.to_le_bytes());
    out.extend_from_slice(identity);
    out
}

pub(super) fn encode_chunk(rows: u32, body: &[u8]) -> Vec<u8> {
    let mut out = vec![FORMAT];
    out.extend_from_slice(&rows.to_le_bytes());
    out.extend_from_slice(&lz4_flex::compress_prepend_size(body));
    out
}

/// A stored chunk's rows, if it is whole, of this format, holds at least one row, and its
/// keys are in order (each once) and as many as it says.
pub(super) fn unpack_chunk(stored: &[u8]) -> Option<Chunk> {
    let (&format, rest) = stored.split_first()?;
    let (count, packed) = rest.split_at_checked(4)?;
    if format != FORMAT {
        return None;
    }
    let count = u32::from_le_bytes(count.try_into().ok()?) as usize;
    // Chunks are cut at `CHUNK_BYTES` after a row: a larger size is damage.
    let body = unpack_lz4(packed, CHUNK_BYTES + MAX_ROW).ok()?;
    let (mut seen, mut last_key) = (0, 0..0);
    let mut rest = body.as_slice();
    while !rest.is_empty() {
        let key = take(&mut rest)?;
        let start = key.as_ptr() as usize - body.as_ptr() as usize;
        if seen > 0 && body[last_key.clone()] >= *key {
            return None;
        }
        last_key = start..start + key.len();
        take(&mut rest)?;
        seen += 1;
    }
    (seen == count && count > 0).then_some(Chunk {
        body,
        rows: count,
        last_key,
    })
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
        // Two rows to a chunk: merging runs across chunk boundaries.
        let chunks = snapshot
            .chunks(2)
            .map(|rows| unpack_chunk(&encode_chunk(rows.len() as u32, &body(rows))).unwrap())
            .collect();
        let rows = Rows {
            chunks,
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
    fn a_chunk_cut_short_out_of_order_empty_oversized_or_of_another_format_is_not_used() {
        let chunk = |rows: &[(&str, &str)], count: u32, format: u8| {
            let mut stored = encode_chunk(count, &body(rows));
            stored[0] = format;
            stored
        };
        let read = |stored: &[u8]| unpack_chunk(stored).map(|c| (c.rows(), c.body.len()));
        let rows = [("A", "a"), ("B", "b")];
        assert_eq!(read(&chunk(&rows, 2, FORMAT)), Some((2, body(&rows).len())));
        assert!(read(&chunk(&rows, 3, FORMAT)).is_none());
        assert!(read(&chunk(&rows, 2, FORMAT + 1)).is_none());
        assert!(read(&chunk(&[("B", "b"), ("A", "a")], 2, FORMAT)).is_none());
        assert!(read(&chunk(&[("A", "a"), ("A", "b")], 2, FORMAT)).is_none());
        assert!(read(&chunk(&[], 0, FORMAT)).is_none());
        let stored = chunk(&rows, 2, FORMAT);
        assert!(read(&stored[..stored.len() - 1]).is_none());
        assert!(read(&[]).is_none());
        // Across chunks: each chunk's keys after the previous chunk's last.
        let unpacked = |rows: &[(&str, &str)]| unpack_chunk(&chunk(rows, 2, FORMAT)).unwrap();
        let later = [("C", "c"), ("D", "d")];
        assert!(in_order(&[unpacked(&rows), unpacked(&later)]));
        assert!(!in_order(&[unpacked(&later), unpacked(&rows)]));
        assert!(!in_order(&[
            unpacked(&rows),
            unpacked(&[("B", "x"), ("C", "c")])
        ]));
        // A damaged size asking for more than a chunk holds is refused before allocating.
        let mut huge = vec![FORMAT, 2, 0, 0, 0];
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        huge.extend_from_slice(b"junk");
        assert!(read(&huge).is_none());
        let id = [9u8; IDENTITY];
        assert_eq!(
            header(&encode_header(7, 2, &id)),
            Some((7, 2, Some(&id[..])))
        );
        assert!(header(&encode_header(7, 2, &id)[..20]).is_none());
        assert!(header(&encode_header(7, 2, &id)[..8]).is_none());
        // The builds before wrote the counts alone: read, without an identity.
        let mut before = vec![FORMAT];
        before.extend_from_slice(&7u32.to_le_bytes());
        before.extend_from_slice(&2u32.to_le_bytes());
        assert_eq!(header(&before), Some((7, 2, None)));
    }
}
