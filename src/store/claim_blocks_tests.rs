use super::*;

#[test]
fn a_location_reads_back_and_a_json_claim_is_not_one() {
    assert_eq!(located(&location(7, 3)), Some(Ok((7, 3))));
    assert_eq!(located(b"{\"patient_control_number\":\"A\"}"), None);
    assert_eq!(located(&[IN_BLOCK, 1, 2]), Some(Err(())));
}

/// Collects what a builder writes.
#[derive(Default)]
struct Written(Vec<(Vec<u8>, Vec<u8>)>);

impl Put for Written {
    fn put(&mut self, key: Vec<u8>, value: Vec<u8>) {
        self.0.push((key, value));
    }
}

/// A builder filling blocks for a store of its own, and what it wrote. (The store is
/// declared before its folder, so it is dropped first.)
struct Filling {
    store: SledStore,
    builder: BlockBuilder,
    written: Written,
    _dir: tempfile::TempDir,
}

impl Filling {
    fn new() -> Filling {
        let dir = tempfile::tempdir().unwrap();
        Filling {
            store: SledStore::open(&dir.path().join("db")).unwrap(),
            builder: BlockBuilder::default(),
            written: Written::default(),
            _dir: dir,
        }
    }

    fn put(&mut self, claim: &Claim) -> Result<(u64, u32), StoreError> {
        self.builder.put(&self.store, &mut self.written, claim)
    }

    fn seal(&mut self) {
        self.builder.seal(&mut self.written);
    }
}

fn claim(pcn: &str, remark: String) -> Claim {
    let mut claim: Claim = serde_json::from_value(serde_json::json!({
        "patient_control_number": pcn, "status_code": "ProcessedPrimary",
        "billed_cents": 100, "paid_cents": 0, "patient_responsibility_cents": 0,
        "filing_indicator": "BL", "payer_claim_number": "1", "facility_code": "11",
        "frequency": "1", "patient": {"last_name": "DOE", "first_name": "JANE", "member_id": "W1"},
        "adjustments": [], "lines": [], "remit": {"remit_date": "2026-11-20", "trace_number": "T1",
        "payer_originator": "", "payer": {"name": "AETNA", "id": "60054"},
        "payee": {"name": "CLINIC", "id": "1"}, "source_file": "a.835"}
    }))
    .unwrap();
    claim.remarks = vec![remark];
    claim
}

#[test]
fn a_block_is_sealed_by_size_and_an_oversized_claim_is_refused() {
    let mut filling = Filling::new();
    let big = "x".repeat(600_000);
    for (n, pcn) in ["A1", "A2", "A3"].into_iter().enumerate() {
        let (_, position) = filling.put(&claim(pcn, big.clone())).unwrap();
        assert_eq!(position, [0, 1, 0][n], "{pcn}");
    }
    filling.seal();
    let blocks: Vec<&(Vec<u8>, Vec<u8>)> = filling
        .written
        .0
        .iter()
        .filter(|(k, _)| k.starts_with(b"b:"))
        .collect();
    assert_eq!(
        blocks.len(),
        2,
        "two claims pass 1 MiB: the third starts a block"
    );
    let first = parse_block(&blocks[0].1).unwrap();
    assert_eq!(first.ends.len(), 2);
    let read = claim_at(&first, 1, b"b:").unwrap().unwrap();
    assert_eq!(read, claim("A2", big));
    let huge = claim("A4", "x".repeat(MAX_CLAIM_BYTES + 1));
    let refused = filling.put(&huge);
    assert!(
        matches!(refused, Err(StoreError::Refused(_))),
        "{refused:?}"
    );
    // The refused claim left nothing in the block being filled.
    assert!(filling.builder.body.is_empty() && filling.builder.ends.is_empty());
}

#[test]
fn a_damaged_block_is_an_error_never_a_panic() {
    assert!(parse_block(&[]).is_err());
    assert!(parse_block(&[9, 1, 2, 3]).is_err());
    assert!(parse_block(&[LZ4_JSON, 200, 0, 0, 0, 1]).is_err());
    // A size prefix of 4 GB is refused before anything is allocated.
    assert!(parse_block(&[LZ4_JSON, 255, 255, 255, 255, 1]).is_err());
    // Offsets past the end of the claims.
    let mut payload = 1u32.to_le_bytes().to_vec();
    payload.extend_from_slice(&99u32.to_le_bytes());
    payload.extend_from_slice(b"{}");
    let mut value = vec![LZ4_JSON];
    value.extend_from_slice(&lz4_flex::compress_prepend_size(&payload));
    assert!(parse_block(&value).is_err());
    for cut in 0..value.len() {
        let _ = parse_block(&value[..cut]);
    }
}

/// A block as schemas 9 to 11 wrote it: the claims' JSON.
fn json_block(claims: &[Claim]) -> Vec<u8> {
    let mut ends = Vec::new();
    let mut body = Vec::new();
    for claim in claims {
        serde_json::to_writer(&mut body, claim).unwrap();
        ends.push(body.len() as u32);
    }
    let mut payload = (ends.len() as u32).to_le_bytes().to_vec();
    for end in ends {
        payload.extend_from_slice(&end.to_le_bytes());
    }
    payload.extend_from_slice(&body);
    let mut value = vec![LZ4_JSON];
    value.extend_from_slice(&lz4_flex::compress_prepend_size(&payload));
    value
}

/// The one block a builder writes for `claims`: its key and value.
fn built_block(claims: &[Claim]) -> (Vec<u8>, Vec<u8>) {
    let mut filling = Filling::new();
    for c in claims {
        filling.put(c).unwrap();
    }
    filling.seal();
    assert_eq!(filling.written.0.len(), 1);
    filling.written.0.remove(0)
}

#[test]
fn a_binary_block_shares_its_first_remittance_and_reads_every_claim_back() {
    let mut other = claim("B3", "N4".into());
    other.remit.trace_number = "T2".into();
    other.remit.payer.name = "CIGNA".into();
    let claims = [claim("B1", "M1".into()), claim("B2", "M2".into()), other];
    let (key, value) = &built_block(&claims);
    assert!(key.starts_with(b"b:"));
    assert_eq!(value[0], LZ4_BINARY);
    let block = parse_block(value).unwrap();
    assert_eq!(block.shared.as_ref(), Some(&claims[0].remit));
    for (at, c) in claims.iter().enumerate() {
        assert_eq!(&claim_at(&block, at as u32, key).unwrap().unwrap(), c);
    }
    assert!(claim_at(&block, 3, key).is_none());
    // Smaller than the same claims as JSON, before and after compression.
    let json = parse_block(&json_block(&claims)).unwrap();
    assert!(
        block.body.len() * 2 < json.body.len(),
        "{} against {}",
        block.body.len(),
        json.body.len()
    );
}

#[test]
fn a_block_of_json_claims_written_before_schema_12_still_reads() {
    let claims = [claim("C1", "M1".into()), claim("C2", "M2".into())];
    let block = parse_block(&json_block(&claims)).unwrap();
    assert!(block.shared.is_none());
    for (at, c) in claims.iter().enumerate() {
        assert_eq!(&claim_at(&block, at as u32, b"b:").unwrap().unwrap(), c);
    }
}

#[test]
fn a_damaged_binary_block_is_an_error_never_a_panic() {
    let (_, value) = built_block(&[claim("D1", "M1".into()), claim("D2", "M1".into())]);
    let payload = lz4_flex::decompress_size_prepended(&value[1..]).unwrap();
    let pack = |payload: &[u8]| {
        let mut v = vec![LZ4_BINARY];
        v.extend_from_slice(&lz4_flex::compress_prepend_size(payload));
        v
    };
    for cut in 0..payload.len() {
        // Refused whole, or read with the claims that no longer fit refused one by one.
        if let Ok(block) = parse_block(&pack(&payload[..cut])) {
            for at in 0..2 {
                let _ = claim_at(&block, at, b"b:");
            }
        }
    }
    for at in 0..payload.len() {
        let mut damaged = payload.clone();
        damaged[at] ^= 0xff;
        if let Ok(block) = parse_block(&pack(&damaged)) {
            for n in 0..2 {
                let _ = claim_at(&block, n, b"b:");
            }
        }
    }
    // A remittance length past the payload.
    let mut long = payload.clone();
    long[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(parse_block(&pack(&long)).is_err());
}

#[test]
fn a_claim_whose_remittance_alone_is_too_large_is_refused_and_writes_no_block() {
    let mut filling = Filling::new();
    let mut huge = claim("E1", "M1".into());
    huge.remit.source_file = "x".repeat(MAX_CLAIM_BYTES);
    let refused = filling.put(&huge);
    assert!(
        matches!(refused, Err(StoreError::Refused(_))),
        "{refused:?}"
    );
    filling.seal();
    assert!(
        filling.written.0.is_empty(),
        "a block of no claims is not written"
    );
    // The next claim starts a block of its own remittance.
    let fine = claim("E2", "M1".into());
    filling.put(&fine).unwrap();
    filling.seal();
    let block = parse_block(&filling.written.0[0].1).unwrap();
    assert_eq!(block.shared.as_ref(), Some(&fine.remit));
}
