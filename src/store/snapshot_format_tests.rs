use super::*;

fn body(rows: &[(&str, &str)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (k, v) in rows {
        push_row(&mut out, k.as_bytes(), v.as_bytes()).unwrap();
    }
    out
}

/// Two rows to a chunk: merging runs across chunk boundaries.
fn rows(snapshot: &[(&str, &str)], marked: &[(&str, Option<&str>)]) -> Rows {
    let chunks = snapshot
        .chunks(2)
        .map(|rows| unpack_chunk(&encode_chunk(rows.len() as u32, &body(rows))).unwrap())
        .collect();
    Rows {
        chunks,
        marked: marked
            .iter()
            .map(|(k, v)| (k.as_bytes().to_vec(), v.map(|v| IVec::from(v.as_bytes()))))
            .collect(),
    }
}

fn merged(snapshot: &[(&str, &str)], marked: &[(&str, Option<&str>)]) -> Vec<(String, String)> {
    rows(snapshot, marked)
        .entries()
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
fn rows_sent_from_the_chunks_are_each_row_with_its_length_in_the_merged_order() {
    let snapshot = [("B", "b0"), ("D", "d00"), ("F", "f0"), ("H", "h0000")];
    let marked = [
        ("A", Some("a1")), // new, before every row
        ("D", Some("d1")), // changed
        ("F", None),       // gone
        ("G", None),       // written and gone since: never in the snapshot
        ("I", Some("i1")), // new, after every row
    ];
    // As the rows were packed into one buffer before.
    let packed = |rows: &Rows| {
        let mut expected = Vec::new();
        for (_, value) in rows.entries() {
            expected.extend_from_slice(&(value.len() as u32).to_le_bytes());
            expected.extend_from_slice(value);
        }
        expected
    };
    let sent = |rows: &Rows| {
        let mut sent = Vec::new();
        for at in rows.merged() {
            rows.write_wire(at, &mut sent).unwrap();
        }
        sent
    };
    let merged = rows(&snapshot, &marked);
    assert_eq!(sent(&merged), packed(&merged));
    let values: Vec<&[u8]> = merged.entries().into_iter().map(|(_, v)| v).collect();
    assert_eq!(values, [&b"a1"[..], b"b0", b"d1", b"h0000", b"i1"]);
    // No snapshot rows at all: the marked rows alone.
    let only_marked = rows(&[], &marked);
    assert_eq!(sent(&only_marked), packed(&only_marked));
    assert_eq!(only_marked.entries().len(), 3);
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
