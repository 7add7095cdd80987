//! The worklist's rows for a team client that reads the snapshot's chunks itself, from the
//! file beside the database (`rows_file`), while the server it started opens the database.
//! The server then sends only the rows marked since that snapshot (`row_marks`), not
//! every row: 31 MB at 1M claims, which the server wrote out of its chunks and the client
//! waited for. The client merges them in as an embedded read does (`Rows`), so it decodes
//! the very rows the server would have sent. The file is used only when the server's
//! snapshot is the rebuild the file holds (its identity); otherwise, or on any doubt, the
//! client asks for every row, as before.
//!
//! The marks on the wire (`RowMarks::write_to`, `RowMarks::parse`): each marked row's item
//! key as a u32 LE length and its bytes, then its stored row the same way, or the length
//! `GONE` alone for a row no longer stored; in key order.

use super::core::{db_error, SledStore};
use super::keys;
use super::list_snapshot::Marked;
use super::packed::decode_all;
use super::snapshot_format::{header, whole, Rows};
pub use super::snapshot_format::{BesideAhead, BesideRows};
use super::StoreError;
use crate::domain::list_row::ListRow;
use sled::IVec;

/// A marked row's length on the wire when the row is gone.
const GONE: u32 = u32::MAX;

impl BesideRows {
    /// The identity of the rebuild the file holds, as a server is asked about it.
    pub fn identity(&self) -> String {
        self.id.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Every list row as the server stores them now (its `marks` merged in); an error
    /// when the marks do not fit these chunks (another snapshot's counts, marks out of
    /// order): the caller then asks for every row.
    pub fn with_marks(self, marks: RowMarks) -> Result<Vec<ListRow>, StoreError> {
        let fits = whole(&self.chunks, marks.rows, marks.chunks)
            && marks.marked.windows(2).all(|w| w[0].0 < w[1].0);
        if !fits {
            return Err(StoreError::Connection(
                "the worklist beside the database is not the server's".into(),
            ));
        }
        decode_all(&Rows::new(self.chunks, marks.marked).entries())
    }
}

/// What a server says of its worklist snapshot for a client holding its chunks: the
/// snapshot's row and chunk counts, and each row marked since it.
pub struct RowMarks {
    /// Rows in the snapshot.
    pub rows: usize,
    /// Chunks in the snapshot.
    pub chunks: usize,
    marked: Marked,
}

impl RowMarks {
    /// How many rows are marked.
    pub fn count(&self) -> usize {
        self.marked.len()
    }

    /// How many bytes `write_to` writes.
    pub fn wire_len(&self) -> usize {
        let row = |row: &Option<IVec>| 4 + row.as_ref().map_or(0, |r| r.len());
        self.marked
            .iter()
            .map(|(key, r)| 4 + key.len() + row(r))
            .sum()
    }

    /// Writes the marks as the module docs say.
    pub fn write_to(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        use std::io::Write;
        let mut out = std::io::BufWriter::with_capacity(64 << 10, out);
        let len = |part: &[u8]| {
            u32::try_from(part.len())
                .ok()
                .filter(|&n| n != GONE)
                .ok_or_else(|| std::io::Error::other("a key or list row over 4 GB"))
        };
        for (key, row) in &self.marked {
            out.write_all(&len(key)?.to_le_bytes())?;
            out.write_all(key)?;
            match row {
                Some(row) => {
                    out.write_all(&len(row)?.to_le_bytes())?;
                    out.write_all(row)?;
                }
                None => out.write_all(&GONE.to_le_bytes())?,
            }
        }
        out.flush()
    }

    /// The marks a server sent: `count` of them in `bytes`, for a snapshot of `rows` rows
    /// in `chunks` chunks. Refused unless the bytes hold exactly that many.
    pub fn parse(
        rows: usize,
        chunks: usize,
        count: usize,
        bytes: &[u8],
    ) -> Result<RowMarks, StoreError> {
        let damaged = || StoreError::Connection("damaged row marks from the server".into());
        // Each mark takes at least its two lengths.
        if count > bytes.len() / 8 {
            return Err(damaged());
        }
        let mut marked = Vec::with_capacity(count);
        let mut rest = bytes;
        let take = |rest: &mut &[u8]| -> Option<Option<Vec<u8>>> {
            let (len, tail) = rest.split_at_checked(4)?;
            let len = u32::from_le_bytes(len.try_into().ok()?);
            if len == GONE {
                *rest = tail;
                return Some(None);
            }
            let (part, tail) = tail.split_at_checked(len as usize)?;
            *rest = tail;
            Some(Some(part.to_vec()))
        };
        while !rest.is_empty() {
            let key = take(&mut rest).flatten().ok_or_else(damaged)?;
            let row = take(&mut rest).ok_or_else(damaged)?;
            if marked.len() == count {
                return Err(damaged());
            }
            marked.push((key, row.map(IVec::from)));
        }
        if marked.len() != count {
            return Err(damaged());
        }
        Ok(RowMarks {
            rows,
            chunks,
            marked,
        })
    }
}

impl SledStore {
    /// The worklist snapshot's counts and the rows marked since it, if the stored snapshot
    /// is the rebuild `identity` names (see `BesideRows::identity`) and its marks are few
    /// enough to read one by one; `None` otherwise (the client then asks for every row).
    pub fn row_marks(&self, identity: &str) -> Result<Option<RowMarks>, StoreError> {
        let Some(identity) = unhex(identity) else {
            return Ok(None);
        };
        let read = || -> Result<Option<RowMarks>, StoreError> {
            let Some(stored) = self.db.get(keys::LIST_SNAPSHOT).map_err(db_error)? else {
                return Ok(None);
            };
            match header(&stored) {
                Some((rows, chunks, Some(id))) if id == identity.as_slice() => {
                    Ok(self.read_marks(rows)?.map(|marked| RowMarks {
                        rows,
                        chunks,
                        marked,
                    }))
                }
                _ => Ok(None),
            }
        };
        let marks = self.between_rebuilds(read)?.flatten();
        if marks.is_some() {
            // The client holds the snapshot's chunks: the ones this server read beside the
            // database at its open (31 MB unpacked at 1M claims) are not needed to answer it.
            // Dropped now rather than held until some client asks for every row.
            self.snapshot
                .beside
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .take();
        }
        Ok(marks)
    }
}

/// The bytes of a hex string (two lowercase or uppercase digits each), if it is one.
fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(text.get(at..at + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(marked: &[(&str, Option<&str>)]) -> RowMarks {
        RowMarks {
            rows: 7,
            chunks: 1,
            marked: marked
                .iter()
                .map(|(k, r)| (k.as_bytes().to_vec(), r.map(|r| IVec::from(r.as_bytes()))))
                .collect(),
        }
    }

    #[test]
    fn marks_cross_the_wire_as_they_were_with_rows_gone_and_empty() {
        let sent = marks(&[("A#1", Some("row a")), ("B#1", None), ("C#1", Some(""))]);
        let mut wire = Vec::new();
        sent.write_to(&mut wire).unwrap();
        assert_eq!(wire.len(), sent.wire_len());
        let got = RowMarks::parse(7, 1, 3, &wire).unwrap();
        assert_eq!((got.rows, got.chunks), (7, 1));
        assert_eq!(got.marked, sent.marked);
    }

    #[test]
    fn marks_of_another_count_or_cut_short_are_refused() {
        let sent = marks(&[("A#1", Some("row a")), ("B#1", None)]);
        let mut wire = Vec::new();
        sent.write_to(&mut wire).unwrap();
        for count in [0, 1, 3, usize::MAX] {
            assert!(RowMarks::parse(7, 1, count, &wire).is_err(), "{count}");
        }
        for cut in 1..wire.len() {
            assert!(
                RowMarks::parse(7, 1, 2, &wire[..cut]).is_err(),
                "cut at {cut}"
            );
        }
        // A key cannot be gone.
        let gone_key = GONE.to_le_bytes().repeat(2);
        assert!(RowMarks::parse(7, 1, 1, &gone_key).is_err());
    }

    #[test]
    fn identities_go_as_hex_and_only_hex_comes_back() {
        let rows = BesideRows {
            id: vec![0, 1, 0xab, 0xff],
            chunks: Vec::new(),
        };
        assert_eq!(rows.identity(), "0001abff");
        assert_eq!(unhex("0001abff"), Some(vec![0, 1, 0xab, 0xff]));
        assert_eq!(unhex("0001ABFF"), Some(vec![0, 1, 0xab, 0xff]));
        for bad in ["0", "zz", "0g", "+1", "é1"] {
            assert_eq!(unhex(bad), None, "{bad}");
        }
    }
}
