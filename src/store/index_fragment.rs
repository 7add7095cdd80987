//! The bytes of one fragment of the claim index (see `claim_index`): a format byte (2), then
//! the entry count and each entry — key length, key, seq, block, position — in (key, seq)
//! order, the numbers as LEB128 varints.

use super::index_entry::IndexEntry;
use super::varint::{put as put_varint, Cursor};

/// The first byte of a fragment: its entries as varints, uncompressed (LZ4 saved little on
/// hashed keys and numbers, and a lookup would have had to unpack the whole fragment to
/// find one CLP01).
pub(super) const VARINT_ENTRIES: u8 = 2;

/// `entries` sorted, as a fragment's stored bytes: the format byte, the count, then each
/// entry's key length, key, seq, block and position.
pub(super) fn encode_fragment(entries: &mut [IndexEntry]) -> Vec<u8> {
    entries.sort_unstable();
    let mut value = Vec::with_capacity(8 + entries.len() * 36);
    value.push(VARINT_ENTRIES);
    put_varint(&mut value, entries.len() as u64);
    for e in entries.iter() {
        put_varint(&mut value, e.key.len() as u64);
        value.extend_from_slice(e.key.as_bytes());
        put_varint(&mut value, e.seq);
        put_varint(&mut value, e.block);
        put_varint(&mut value, u64::from(e.position));
    }
    value
}

/// The entries of a stored fragment whose key `keep` accepts, in stored order.
pub(super) fn decode_fragment(
    value: &[u8],
    mut keep: impl FnMut(&str) -> bool,
) -> Result<Vec<IndexEntry>, String> {
    let (&format, rest) = value.split_first().ok_or("an empty fragment")?;
    if format != VARINT_ENTRIES {
        return Err(format!(
            "an index fragment encoded as {format}, which this build does not know"
        ));
    }
    let mut r = Cursor::new(rest, "an index fragment");
    let count = r.varint()?;
    let mut out = Vec::new();
    for _ in 0..count {
        let len = r.varint()?;
        let len = usize::try_from(len).map_err(|_| "a key too long")?;
        let key = std::str::from_utf8(r.bytes(len)?).map_err(|_| "a key that is not UTF-8")?;
        let (seq, block, position) = (r.varint()?, r.varint()?, r.varint()?);
        let position = u32::try_from(position).map_err(|_| "a position past any block")?;
        if keep(key) {
            out.push(IndexEntry {
                key: key.to_string(),
                seq,
                block,
                position,
            });
        }
    }
    if !r.rest().is_empty() {
        return Err("an index fragment with bytes after its entries".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, seq: u64) -> IndexEntry {
        IndexEntry::example(key, seq)
    }

    #[test]
    fn a_fragment_reads_back_sorted_and_filtered_by_key() {
        let mut entries = vec![
            entry("B#00000001", 9),
            entry("A#00000001", 5),
            entry("A#00000001", 2),
        ];
        let value = encode_fragment(&mut entries);
        let all = decode_fragment(&value, |_| true).unwrap();
        assert_eq!(
            all,
            vec![
                entry("A#00000001", 2),
                entry("A#00000001", 5),
                entry("B#00000001", 9)
            ]
        );
        let only_b = decode_fragment(&value, |k| k.starts_with('B')).unwrap();
        assert_eq!(only_b, vec![entry("B#00000001", 9)]);
    }

    #[test]
    fn a_damaged_fragment_is_an_error_never_a_panic() {
        let value = encode_fragment(&mut [entry("A#00000001", 1), entry("Z", 2)]);
        assert!(decode_fragment(&[], |_| true).is_err());
        assert!(decode_fragment(&[9, 1, 2], |_| true).is_err());
        for cut in 0..value.len() {
            assert!(
                decode_fragment(&value[..cut], |_| true).is_err(),
                "cut at {cut}"
            );
        }
        // A count larger than the entries, bytes after them, an endless number.
        let mut two = vec![VARINT_ENTRIES, 3, 1, b'A', 1, 1, 1];
        assert!(decode_fragment(&two, |_| true).is_err());
        two[1] = 1;
        assert_eq!(decode_fragment(&two, |_| true).unwrap().len(), 1);
        two.push(0);
        assert!(decode_fragment(&two, |_| true).is_err());
        let endless = [&[VARINT_ENTRIES][..], &[0xff; 11]].concat();
        assert!(decode_fragment(&endless, |_| true).is_err());
        // A key that is not UTF-8; a position past what a block can hold.
        assert!(decode_fragment(&[VARINT_ENTRIES, 1, 1, 0xff, 1, 1, 1], |_| true).is_err());
        let far = [
            &[VARINT_ENTRIES, 1, 1, b'A', 1, 1][..],
            &[0xff, 0xff, 0xff, 0xff, 0x7f],
        ]
        .concat();
        assert!(decode_fragment(&far, |_| true).is_err());
        // Every number's full range reads back.
        let mut wide = [IndexEntry {
            key: "K".into(),
            seq: u64::MAX,
            block: 1 << 63,
            position: u32::MAX,
        }];
        let value = encode_fragment(&mut wide);
        assert_eq!(decode_fragment(&value, |_| true).unwrap(), wide.to_vec());
    }
}
