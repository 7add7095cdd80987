use super::read::Reader;
use super::write::int;
use super::{read_claim, read_remit, write_claim, write_remit};
use crate::domain::claim::{
    Adjustment, Claim, ClaimStatusCode, GroupCode, Party, Person, RemitRef,
};
use crate::store::varint::put as uint;
use chrono::NaiveDate;

/// Every claim of every 835 the product ships (demo-data: five payers and Medicare, PLBs,
/// COB payments, a Medigap crossover, reversals, later appeal payments).
fn demo_claims() -> Vec<Claim> {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("demo-data");
    let mut names: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".835"))
        .collect();
    names.sort();
    assert!(names.len() > 20, "demo-data's 835s: {names:?}");
    let mut claims = Vec::new();
    for name in names {
        let text = std::fs::read(folder.join(&name)).unwrap();
        let mut reader = crate::ingest::Reader835::new(text.as_slice(), &name);
        while let Some(set) = reader.next_remittance().unwrap() {
            claims.extend(set.claims);
        }
    }
    claims
}

/// A claim with every optional field present and every list filled.
fn everything() -> Claim {
    let mut claim = demo_claims()
        .into_iter()
        .find(|c| !c.lines.is_empty())
        .unwrap();
    claim.insured = Some(Person {
        last_name: "DOE".into(),
        first_name: "JOHN".into(),
        member_id: "W2".into(),
    });
    claim.rendering_provider = Some(Party {
        name: "SMITH".into(),
        id: "1234567893".into(),
    });
    claim.service_from = NaiveDate::from_ymd_opt(2026, 1, 2);
    claim.service_to = NaiveDate::from_ymd_opt(2026, 1, 3);
    claim.received = NaiveDate::from_ymd_opt(2026, 1, 9);
    claim.remarks = vec!["MA130".into(), "N386".into()];
    claim.drg = Some("470".into());
    claim.inpatient_adjudication = true;
    claim.status_code = ClaimStatusCode::Other(25);
    claim.billed_cents = -177_245;
    claim.adjustments.push(Adjustment {
        group: GroupCode::CR,
        carc: "45".into(),
        amount_cents: i64::MIN,
        quantity: Some(-2.5),
    });
    let line = &mut claim.lines[0];
    line.procedure.modifiers = vec!["25".into(), "59".into()];
    line.revenue_code = Some("0450".into());
    line.units = Some(1.0 / 3.0);
    line.service_date = NaiveDate::from_ymd_opt(1, 1, 1);
    line.control_number = Some("ÄÖ-1".into());
    line.allowed_cents = Some(i64::MAX);
    line.remarks = vec!["M15".into()];
    claim.remit.payer_originator = "1123456789".into();
    claim
}

fn round_trip(claim: &Claim, shared: &RemitRef) -> Claim {
    let mut bytes = Vec::new();
    write_claim(&mut bytes, claim, shared);
    read_claim(&bytes, shared).unwrap()
}

#[test]
fn every_demo_claim_reads_back_equal_with_its_remittance_shared_or_its_own() {
    let claims = demo_claims();
    assert!(claims.len() > 300, "{} claims", claims.len());
    let other = everything().remit;
    for claim in &claims {
        assert_eq!(&round_trip(claim, &claim.remit), claim);
        assert_eq!(&round_trip(claim, &other), claim);
        let mut remit = Vec::new();
        write_remit(&mut remit, &claim.remit);
        assert_eq!(read_remit(&remit).unwrap(), claim.remit);
    }
}

#[test]
fn every_field_reads_back_and_the_json_is_the_same() {
    let claim = everything();
    let shared = demo_claims().pop().unwrap().remit;
    assert_ne!(claim.remit, shared);
    let read = round_trip(&claim, &shared);
    assert_eq!(read, claim);
    // `show --json` and backups print the claim as read: byte for byte what JSON gave.
    assert_eq!(
        serde_json::to_string(&read).unwrap(),
        serde_json::to_string(&claim).unwrap()
    );
}

#[test]
fn a_shared_remittance_costs_a_claim_one_byte() {
    let claim = everything();
    let (mut own, mut shared) = (Vec::new(), Vec::new());
    write_claim(&mut own, &claim, &demo_claims()[0].remit);
    write_claim(&mut shared, &claim, &claim.remit);
    let mut remit = Vec::new();
    write_remit(&mut remit, &claim.remit);
    assert_eq!(own.len(), shared.len() + remit.len());
}

#[test]
fn a_damaged_claim_is_an_error_never_a_panic() {
    let claim = everything();
    let mut bytes = Vec::new();
    write_claim(&mut bytes, &claim, &claim.remit);
    for cut in 0..bytes.len() {
        assert!(
            read_claim(&bytes[..cut], &claim.remit).is_err(),
            "cut at {cut}"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(read_claim(&longer, &claim.remit).is_err());
    for at in 0..bytes.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut damaged = bytes.clone();
            damaged[at] ^= flip;
            // Read or refused, never a panic, and never an allocation past the bytes.
            let _ = read_claim(&damaged, &claim.remit);
        }
    }
    // A length of 2^62 bytes is refused before anything is allocated.
    let mut huge = Vec::new();
    int(&mut huge, 739_000);
    uint(&mut huge, 1 << 62);
    let refused = read_remit(&huge).unwrap_err();
    assert!(refused.contains("cannot hold"), "{refused}");
    assert!(read_remit(&[0xff; 11]).is_err());
}

#[test]
fn numbers_keep_their_sign_and_size() {
    for v in [0, 1, -1, 63, -64, 64, i64::MAX, i64::MIN, 177_245] {
        let mut out = Vec::new();
        int(&mut out, v);
        assert_eq!(Reader::new(&out).int().unwrap(), v);
    }
    let mut small = Vec::new();
    int(&mut small, -64);
    assert_eq!(small.len(), 1, "small amounts take one byte");
    assert!(Reader::new(&[0xff; 11]).int().is_err());
}
