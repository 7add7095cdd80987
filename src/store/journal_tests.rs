//! The journal's undo records, and a commit or roll-back that fails.

use super::*;

fn undo() -> Undo {
    Undo {
        created: (0..300)
            .map(|n| format!("e:LMN{n:09}#0a1b2c3d\0{n:016x}").into_bytes())
            .collect(),
        overwritten: (0..300)
            .map(|n| {
                let before = (n % 2 == 0).then(|| vec![7u8; 40]);
                (format!("w:LMN{n:09}#0a1b2c3d").into_bytes(), before)
            })
            .collect(),
    }
}

fn same(a: &Undo, b: &Undo) -> bool {
    a.created == b.created && a.overwritten == b.overwritten
}

#[test]
fn an_undo_record_is_stored_compressed_and_an_older_plain_one_still_reads() {
    let record = undo();
    let plain = bincode::serialize(&record).unwrap();
    let stored = encode_undo(&record);
    assert!(stored.starts_with(&PACKED_UNDO));
    assert!(
        stored.len() * 3 < plain.len(),
        "{} of {}",
        stored.len(),
        plain.len()
    );
    assert!(same(&decode_undo(&stored).unwrap(), &record));
    assert!(same(&decode_undo(&plain).unwrap(), &record));
    // A plain record's first eight bytes (its count of created keys) are never the mark.
    assert_ne!(plain[..8], PACKED_UNDO);
}

#[test]
fn a_damaged_undo_record_is_an_error_never_a_panic_or_a_huge_allocation() {
    let stored = encode_undo(&undo());
    for cut in PACKED_UNDO.len()..stored.len() {
        assert!(decode_undo(&stored[..cut]).is_err(), "cut at {cut}");
    }
    // A size far beyond what the bytes could hold is refused before anything is made.
    let mut huge = PACKED_UNDO.to_vec();
    huge.extend_from_slice(&u32::MAX.to_le_bytes());
    huge.extend_from_slice(&[0; 16]);
    let e = decode_undo(&huge).unwrap_err();
    assert!(e.contains("more than any written"), "{e}");
}

#[test]
fn a_damaged_size_asks_for_at_most_what_a_compressed_record_can_hold() {
    // Eight MiB of stored bytes could claim 2 GiB under LZ4's own bound; a compressed
    // record never holds more than `MOST_PACKED_UNDO`, so the size is refused as damage.
    let mut damaged = PACKED_UNDO.to_vec();
    damaged.extend_from_slice(&(1u32 << 30).to_le_bytes());
    damaged.resize(PACKED_UNDO.len() + 4 + (8 << 20), 0);
    let e = decode_undo(&damaged).unwrap_err();
    assert!(e.contains("more than any written"), "{e}");
}

#[test]
fn a_record_larger_than_any_compressed_one_is_stored_plain_and_reads() {
    // As `encode_undo` does past `MOST_PACKED_UNDO`, at a bound a test can pass quickly.
    let record = undo();
    let plain = bincode::serialize(&record).unwrap();
    let stored = encode_undo_packing_up_to(&record, plain.len() - 1);
    assert_eq!(stored, plain);
    assert!(same(&decode_undo(&stored).unwrap(), &record));
    let packed = encode_undo_packing_up_to(&record, plain.len());
    assert!(packed.starts_with(&PACKED_UNDO));
}
