//! The worklist snapshot's bytes (see `list_snapshot` for when it is read and rebuilt): a
//! header, chunks of length-prefixed (item key, list row) pairs, LZ4-compressed, and the
//! merge of a snapshot's rows with the rows marked since, and the chunks read from the
//! file beside the database as its reading thread hands them over (`BesideAhead`, started
//! in `rows_file`). Nothing here touches the store.

use super::codec::unpack_lz4;
use sled::IVec;
use std::sync::mpsc;

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

/// Whether `chunks` are a snapshot's `count` chunks of `rows` rows in all, in key order
/// (see `in_order`): what a header says, checked against chunks read from sled, from the
/// file beside the database, or by a team client.
pub(super) fn whole(chunks: &[Chunk], rows: usize, count: usize) -> bool {
    chunks.len() == count
        && in_order(chunks)
        && chunks.iter().map(Chunk::rows).sum::<usize>() == rows
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
        // Made in one pass, not from `merged`: on the embedded first frame's path.
        self.merge(|at| self.entry(at))
    }

    /// Where each row `entries` gives lies, in the same order: kept by a team server to
    /// send the rows from the chunks as they are (`write_wire`), without copying them into
    /// one buffer first (31 MB at 1M claims, most of the 28–31 ms a team start's server spent
    /// packing them).
    pub(super) fn merged(&self) -> Vec<Row> {
        self.merge(|at| at)
    }

    /// `each` of every row's place, in the merged order (see `entries`).
    fn merge<'a, T>(&'a self, mut each: impl FnMut(Row) -> T + 'a) -> Vec<T> {
        let rows: usize = self.chunks.iter().map(Chunk::rows).sum();
        let mut out = Vec::with_capacity(self.marked.len() + rows);
        let mut marked = self.marked.iter().enumerate().peekable();
        for (chunk, c) in self.chunks.iter().enumerate() {
            for (key, value) in row_places(&c.body) {
                let key_bytes = &c.body[key.0 as usize..key.1 as usize];
                let mut replaced = false;
                while let Some((at, (mark, row))) =
                    marked.next_if(|(_, (mark, _))| mark.as_slice() <= key_bytes)
                {
                    if row.is_some() {
                        out.push(each(Row::Marked(at)));
                    }
                    replaced |= mark.as_slice() == key_bytes;
                }
                if !replaced {
                    out.push(each(Row::Stored { chunk, key, value }));
                }
            }
        }
        for (at, (_, row)) in marked {
            if row.is_some() {
                out.push(each(Row::Marked(at)));
            }
        }
        out
    }

    /// The (item key, stored row) at `at`, one of `merged`'s.
    pub(super) fn entry(&self, at: Row) -> (&[u8], &[u8]) {
        match at {
            Row::Stored { chunk, key, value } => {
                let body = &self.chunks[chunk].body;
                (
                    &body[key.0 as usize..key.1 as usize],
                    &body[value.0 as usize..value.1 as usize],
                )
            }
            Row::Marked(n) => {
                let (key, row) = &self.marked[n];
                let row = row
                    .as_deref()
                    .expect("`merged` lists marked rows still stored");
                (key, row)
            }
        }
    }

    /// Writes the row at `at` as a team server sends it: its `u32 LE` length, then its
    /// bytes. A chunk holds them just so, and they go out as one slice of it.
    pub(super) fn write_wire(&self, at: Row, out: &mut impl std::io::Write) -> std::io::Result<()> {
        match at {
            Row::Stored { chunk, value, .. } => {
                let body = &self.chunks[chunk].body;
                out.write_all(&body[value.0 as usize - 4..value.1 as usize])
            }
            Row::Marked(_) => {
                let (_, row) = self.entry(at);
                let len = u32::try_from(row.len()).map_err(|_| {
                    std::io::Error::new(std::io::ErrorKind::InvalidData, "a list row over 4 GB")
                })?;
                out.write_all(&len.to_le_bytes())?;
                out.write_all(row)
            }
        }
    }
}

/// Where one row of `Rows::merged` lies: in a chunk (the ranges of its key and of its
/// bytes in the chunk's body, each just after its `u32 LE` length; a body is under 4 GB,
/// see `unpack_chunk`), or the `n`th marked row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Row {
    Stored {
        chunk: usize,
        key: (u32, u32),
        value: (u32, u32),
    },
    Marked(usize),
}

/// The places of a checked chunk body's (key, value) pairs, as `snapshot_entries` gives
/// them.
fn row_places(body: &[u8]) -> impl Iterator<Item = ((u32, u32), (u32, u32))> + '_ {
    // A checked body is at most a chunk and its largest row (`unpack_chunk`).
    debug_assert!(body.len() <= CHUNK_BYTES + MAX_ROW);
    let base = body.as_ptr() as usize;
    let place = move |part: &[u8]| {
        let start = part.as_ptr() as usize - base;
        (start as u32, (start + part.len()) as u32)
    };
    snapshot_entries(body).map(move |(key, value)| (place(key), place(value)))
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

/// How long a first read waits for the file beside the database once sled is open, or a
/// team client once its server answers (it is normally read by then: ~50 ms at 1M
/// claims, against sled's 60–90).
const BESIDE_WAIT: std::time::Duration = std::time::Duration::from_millis(500);

/// The snapshot's chunks as read from the file beside a database, and the identity of the
/// rebuild that wrote them.
#[derive(Debug)]
pub struct BesideRows {
    pub(super) id: Vec<u8>,
    pub(super) chunks: Vec<Chunk>,
}

/// The file beside a database, being read and unpacked on another thread: by an open for
/// the worklist (while sled opens) and by a UI starting a team server (while it opens).
#[derive(Debug)]
pub struct BesideAhead(pub(super) mpsc::Receiver<Option<BesideRows>>);

impl BesideAhead {
    /// The chunks read, waiting for them at most as long as an open does (they are
    /// normally read by the time a starting server answers); `None` when there is no
    /// usable file or it was not read in time.
    pub fn take(self) -> Option<BesideRows> {
        self.0.recv_timeout(BESIDE_WAIT).ok().flatten()
    }
}

#[cfg(test)]
#[path = "snapshot_format_tests.rs"]
mod tests;
