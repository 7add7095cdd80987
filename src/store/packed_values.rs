//! What a team server sends for the worklist: values in their stored compact form, packed
//! into one buffer or sent straight from the worklist snapshot's chunks. Built by
//! `SledStore::packed`.

use super::snapshot_format::{Row, Rows};
use std::io::Write;

/// Values in their stored compact form, as a team server sends them: `u32 LE length +
/// value` each, `len` bytes in all. The client decodes them with `unpack`, in parallel,
/// instead of parsing a large JSON reply.
pub struct PackedValues {
    pub(super) count: usize,
    pub(super) len: usize,
    pub(super) body: PackedBody,
}

pub(super) enum PackedBody {
    /// Packed into one buffer (work items, or list rows read key by key).
    Bytes(Vec<u8>),
    /// List rows as the snapshot holds them, sent from its chunks in the merged order
    /// (`Rows::merged`): copying them into one buffer first cost 28–31 ms of a team
    /// start's first frame at 1M claims (31 MB touched for the first time).
    Snapshot(Rows, Vec<Row>),
}

impl PackedValues {
    /// How many values.
    pub fn count(&self) -> usize {
        self.count
    }

    /// How many bytes `write_to` writes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Writes the `len` bytes.
    pub fn write_to(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        match &self.body {
            PackedBody::Bytes(bytes) => out.write_all(bytes),
            PackedBody::Snapshot(rows, merged) => {
                // Rows of ~260 bytes: gathered into large writes.
                let mut out = std::io::BufWriter::with_capacity(1 << 18, out);
                for &at in merged {
                    rows.write_wire(at, &mut out)?;
                }
                out.flush()
            }
        }
    }
}
