//! The list rows a journaled import running in this process has written without marks (see
//! `journal`), which this process's readers treat as marked (see `list_snapshot`).

/// More rows than this written unmarked, and every row is read whole until the rebuild
/// after a commit or roll-back (the marks would be past half the rows of most worklists
/// anyway): what is kept in memory for them stays bounded whatever the file's size.
pub(super) const MOST_UNMARKED: usize = 1 << 16;

/// The list rows a journaled import running in this process has written: not marked in
/// the database as each set is stored (see `journal::apply_marking_unmarked`), but read
/// as marked until a commit or roll-back marks them, so that this process's readers (a
/// later set's routing, a team server's clients) see the rows its sets wrote, as they did
/// when each row carried a mark. Rows of an import whose commit and roll-back both failed
/// stay noted until a roll-back of it succeeds (the gate keeps every other writer off
/// until then, see `import_gate`).
#[derive(Default)]
pub(super) struct Unmarked {
    /// Their keys, without the `r:` prefix.
    keys: std::collections::BTreeSet<Vec<u8>>,
    /// More than `MOST_UNMARKED`: every row is to be read whole.
    overflowed: bool,
}

impl Unmarked {
    /// Notes `rows` (keys without the `r:` prefix); past `most`, only that there were more.
    pub(super) fn note<'a>(&mut self, rows: impl Iterator<Item = &'a [u8]>, most: usize) {
        for row in rows {
            if self.overflowed {
                return;
            }
            self.keys.insert(row.to_vec());
            if self.keys.len() > most {
                self.keys = Default::default();
                self.overflowed = true;
            }
        }
    }

    /// The rows to read as marked, in key order; `None`: every row is to be read whole.
    pub(super) fn keys(&self) -> Option<Vec<Vec<u8>>> {
        (!self.overflowed).then(|| self.keys.iter().cloned().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_written_unmarked_are_read_as_marked_up_to_a_bound_then_every_row_is_read() {
        let mut unmarked = Unmarked::default();
        assert_eq!(unmarked.keys(), Some(Vec::new()));
        let rows: [&[u8]; 3] = [b"B", b"A", b"B"];
        unmarked.note(rows.into_iter(), 2);
        assert_eq!(unmarked.keys(), Some(vec![b"A".to_vec(), b"B".to_vec()]));
        unmarked.note([&b"C"[..]].into_iter(), 2);
        assert_eq!(unmarked.keys(), None, "past the bound");
        assert!(unmarked.keys.is_empty(), "and nothing kept for them");
        unmarked.note([&b"D"[..]].into_iter(), 2);
        assert_eq!(unmarked.keys(), None);
    }
}
