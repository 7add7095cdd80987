use super::*;
use crate::domain::test_support::claim;

/// Keys are stored: these are the keys the build before hashing piece by piece made (from
/// the joined text "id:PAYER\0name:PATIENT" and the like), and they must never change.
#[test]
fn keys_are_those_the_joined_text_gave() {
    let with = |id: &str, trn: &str, member: &str| ClaimIdentity {
        patient_control_number: "ACCT1".into(),
        payer_id: id.into(),
        payer_originator: trn.into(),
        payer_name: "AETNA".into(),
        member_id: member.into(),
        patient_name: "DOE, JANE".into(),
    };
    // (payer id, TRN03, member id) and the keys with salts 0, 1 and 7.
    let stored = [
        (("60054", "", "W1"), ["ed6da288", "3d8549e3", "7b63a473"]),
        (
            ("", "1512345678", "W1"),
            ["965e542e", "be746182", "13db82b5"],
        ),
        (("", "", "W1"), ["1885136e", "1b129eaf", "88bbef78"]),
        (("", "", ""), ["7b2c9d9d", "d15d8b46", "e23c9ad1"]),
        (
            ("60054", "1512345678", ""),
            ["73be4dfd", "44eff934", "50ae0a7d"],
        ),
    ];
    for ((id, trn, member), keys) in stored {
        let identity = with(id, trn, member);
        for (salt, hash) in [0, 1, 7].into_iter().zip(keys) {
            assert_eq!(
                identity.key(salt),
                format!("ACCT1{KEY_SEPARATOR}{hash}"),
                "{identity:?} salt {salt}"
            );
        }
    }
}

#[test]
fn another_patient_under_the_same_clp01_is_unrelated() {
    let a = claim("PCN1", 1, 100, 0);
    let mut b = a.clone();
    b.patient.member_id = "OTHER".into();
    b.patient.first_name = "JOHN".into();
    let (ia, ib) = (ClaimIdentity::of(&a), ClaimIdentity::of(&b));
    assert_eq!(ib.relation_to(&ia), Relation::Unrelated);
    assert_ne!(ia.key(0), ib.key(0));
    assert!(ia.key(0).starts_with("PCN1#"));
}

#[test]
fn another_payer_for_the_same_patient_is_other_coverage() {
    let a = claim("PCN1", 1, 100, 0);
    let mut b = a.clone();
    b.remit.payer = Party {
        name: "MEDIGAP PLAN".into(),
        id: "55555".into(),
    };
    b.status_code = crate::domain::claim::ClaimStatusCode::from_code(2);
    // The secondary knows the patient under its own member id.
    b.patient.member_id = "MEDIGAP-77".into();
    let (ia, ib) = (ClaimIdentity::of(&a), ClaimIdentity::of(&b));
    assert_eq!(ib.relation_to(&ia), Relation::OtherPayer);
    assert_ne!(ia.key(0), ib.key(0));
    b.patient.first_name = "JOHN".into();
    assert_eq!(ClaimIdentity::of(&b).relation_to(&ia), Relation::Unrelated);
}

#[test]
fn reversal_and_correction_with_new_clp07_are_the_same_claim() {
    let a = claim("PCN1", 1, 100, 0);
    let mut reversal = claim("PCN1", 22, -100, 0);
    reversal.payer_claim_number = "NEW-ICN-1".into();
    let mut corrected = claim("PCN1", 1, 100, 80);
    corrected.payer_claim_number = "NEW-ICN-2".into();
    let ia = ClaimIdentity::of(&a);
    for c in [&reversal, &corrected] {
        let i = ClaimIdentity::of(c);
        assert_eq!(i.relation_to(&ia), Relation::SameClaim);
        assert_eq!(i.key(0), ia.key(0));
    }
}

#[test]
fn names_decide_when_member_ids_are_missing_and_payer_names_when_ids_are() {
    let mut a = claim("PCN1", 1, 100, 0);
    a.patient.member_id.clear();
    a.remit.payer.id.clear();
    let mut b = a.clone();
    b.patient.first_name = " jane ".into();
    b.remit.payer.name = "acme  health".into();
    assert_eq!(
        ClaimIdentity::of(&b).relation_to(&ClaimIdentity::of(&a)),
        Relation::SameClaim
    );
    b.patient.first_name = "JUNE".into();
    assert_eq!(
        ClaimIdentity::of(&b).relation_to(&ClaimIdentity::of(&a)),
        Relation::Unrelated
    );
}

#[test]
fn a_corrected_member_id_is_the_same_claim() {
    let denied = claim("PCN1", 1, 100, 0);
    let mut corrected = denied.clone();
    corrected.patient.member_id = "M123-CORRECTED".into();
    assert_eq!(
        ClaimIdentity::of(&corrected).relation_to(&ClaimIdentity::of(&denied)),
        Relation::SameClaim
    );
}

#[test]
fn a_dependants_subscriber_id_is_not_the_patients() {
    let mut kid1 = claim("PCN1", 1, 100, 0);
    kid1.patient.member_id.clear();
    kid1.insured = Some(Person {
        last_name: "DOE".into(),
        first_name: "JOHN".into(),
        member_id: "SUB1".into(),
    });
    let mut kid2 = kid1.clone();
    kid2.patient.first_name = "JILL".into();
    let (i1, i2) = (ClaimIdentity::of(&kid1), ClaimIdentity::of(&kid2));
    assert_eq!(i1.member_id, "");
    assert_eq!(i2.relation_to(&i1), Relation::Unrelated);
}

#[test]
fn spellings_normalise_alike() {
    for spelling in ["DOE, JANE", " doe,  jane ", "Doe,\tJane"] {
        assert_eq!(normalise(spelling), "DOE, JANE", "{spelling:?}");
    }
}

#[test]
fn shared_claim_ids_are_numbered_in_key_order() {
    let ids = ["A1#00000001", "A1#00000002", "A10#00000003", "B2#00000004"];
    let at = |i| shared_position(&ids, i, |k: &&str| claim_id_of_key(k));
    assert_eq!((at(0), at(1), at(2), at(3)), (Some(1), Some(2), None, None));
}

#[test]
fn claim_refs_parse() {
    assert_eq!(ClaimRef::parse("A1#0badf00d"), ClaimRef::Key("A1#0badf00d"));
    assert_eq!(ClaimRef::parse("A1@2"), ClaimRef::Nth("A1", 2));
    assert_eq!(ClaimRef::parse("A1"), ClaimRef::ClaimId("A1"));
    assert_eq!(ClaimRef::parse("A#1"), ClaimRef::ClaimId("A#1"));
    assert_eq!(ClaimRef::parse("A1@0"), ClaimRef::ClaimId("A1@0"));
    assert_eq!(ClaimRef::parse("A1#0badf00d").claim_id(), "A1");
}
