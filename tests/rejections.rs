//! Rejections: 277CA claim acknowledgments open rejection work items (never denials), an
//! accepted 277CA or the claim's 835 closes them, 999s record rejected claim batches.

mod common;

use common::acks::{file_277ca, file_999, AckClaim};
use common::{claim, header, import, interchange, set, temp_store, STAR};
use denialdesk::domain::action::WorkAction;
use denialdesk::domain::status::Status;
use denialdesk::domain::timeline::EventKind;
use denialdesk::domain::work_item::{ItemKind, RowFields};
use denialdesk::store::{Store, WorkStore};

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

fn rejected_c1() -> String {
    file_277ca(
        11,
        "PR",
        "AETNA",
        "60054",
        "20261201",
        &[
            AckClaim::jane("C1", "A7:562:85", "1240"),
            AckClaim {
                pcn: "C2",
                patient: ("ROE", "RICHARD", "W987654321"),
                status: "A2:20:PR",
                billed: "300",
                dos: "20261002",
            },
        ],
    )
}

#[test]
fn a_claim_level_rejection_opens_a_rejection_never_a_denial() {
    let (_dir, store) = temp_store();
    let report = import(&store, "ack.277", &rejected_c1()).unwrap();
    assert_eq!(report.sets, 0);
    assert_eq!(report.claims_acknowledged, 2);
    assert_eq!(report.claims_rejected, 1);
    assert_eq!(report.rejections_opened, 1);
    let summary = report.summary();
    assert!(
        summary.contains("2 claims acknowledged, 1 rejected, 1 new rejections"),
        "{summary}"
    );
    assert!(summary.contains("   rejected: C1 (A7:562:85)"), "{summary}");
    assert!(
        summary.contains("277CA 0001 of 2026-12-01: 2 claims, 1 accepted, 1 rejected"),
        "{summary}"
    );

    let items = store.work_items().unwrap();
    assert_eq!(items.len(), 1, "the accepted claim opens nothing");
    let item = &items[0];
    assert_eq!(item.kind, ItemKind::Rejection);
    assert_eq!(item.claim_id, "C1");
    assert_eq!(item.status, Status::New);
    assert_eq!(item.billed_cents, 124_000);
    assert_eq!(item.outstanding_cents(), 124_000);
    assert_eq!(item.payer, "AETNA");
    assert_eq!(item.payer_id, "60054");
    assert_eq!(item.patient_name, "DOE, JANE");
    assert_eq!(item.member_id, "W123456789");
    assert_eq!(item.facility, "NORTH CLINIC");
    assert_eq!(item.carcs, vec!["A7:562:85"]);
    assert_eq!(item.category.key(), "credentialing");
    assert_eq!(item.date_of_service.unwrap().to_string(), "2026-10-01");
    // No appeal: resubmit within the default 90-day filing limit from the date of service.
    assert!(!item.appealable());
    assert_eq!(item.appeal_deadline.date.to_string(), "2026-12-30");
    assert!(item.appeal_deadline.source.is_default());

    // The timeline says what the 277CA said, in words.
    let timeline = store.timeline(&item.key).unwrap();
    let said = timeline[0].kind.summary();
    assert!(
        said.contains("277CA 2026-12-01: A7 rejected for invalid information: 562 entity's National Provider Identifier (NPI) (billing provider)"),
        "{said}"
    );
    // Counted for the clean-claim proxy: two claims acknowledged, one rejected first time.
    let days = store.adjudication_days().unwrap();
    assert_eq!(days.len(), 1);
    assert_eq!(
        (
            days[0].acknowledged,
            days[0].rejected_first,
            days[0].rejections
        ),
        (2, 1, 1)
    );
    assert_eq!(days[0].claims, 0, "no claim was adjudicated");
    common::assert_list_rows_match(&store);
}

#[test]
fn importing_the_same_277ca_again_changes_nothing() {
    let (_dir, store) = temp_store();
    import(&store, "ack.277", &rejected_c1()).unwrap();
    let audit = store.audit_log().unwrap().len();
    let again = import(&store, "ack-copy.277", &rejected_c1()).unwrap();
    assert_eq!(again.rejections_opened, 0);
    assert!(
        again.summary().contains("imported before: nothing changed"),
        "{}",
        again.summary()
    );
    assert_eq!(store.audit_log().unwrap().len(), audit);
    assert_eq!(store.adjudication_days().unwrap()[0].acknowledged, 2);
}

#[test]
fn an_accepted_277ca_closes_the_rejection_and_counts_it_only_once() {
    let (_dir, store) = temp_store();
    import(&store, "ack.277", &rejected_c1()).unwrap();
    let key = store.work_items().unwrap()[0].key.clone();
    store
        .apply(
            &key,
            &WorkAction::ChangeStatus {
                to: Status::Resubmitted,
                reason: None,
            },
            today(),
            "maria",
        )
        .unwrap();
    let accepted = file_277ca(
        12,
        "PR",
        "AETNA",
        "60054",
        "20261205",
        &[AckClaim::jane("C1", "A2:20:PR", "1240")],
    );
    let report = import(&store, "accepted.277", &accepted).unwrap();
    assert_eq!(report.items_updated_by_acknowledgments, 1);
    let item = store.work_item(&key).unwrap().unwrap();
    assert_eq!(item.status, Status::Accepted);
    assert_eq!(item.resolved_on.unwrap().to_string(), "2026-12-05");
    assert!(!item.status.is_open());
    // Audited as an import, with what changed.
    let audit = store.audit_log().unwrap();
    let entry = audit
        .iter()
        .rev()
        .find(|e| e.claim_id.as_deref() == Some(key.as_str()))
        .unwrap();
    assert!(
        entry
            .detail
            .contains("updated by accepted.277: 277CA transaction set 0001"),
        "{}",
        entry.detail
    );
    assert!(
        entry
            .changes
            .iter()
            .any(|c| c.field == "status" && c.after == "accepted"),
        "{:?}",
        entry.changes
    );
    // The resubmission's acceptance is not a first answer: still 2 acknowledged, 1 rejected.
    let days = store.adjudication_days().unwrap();
    let acknowledged: u64 = days.iter().map(|d| d.acknowledged).sum();
    let rejected: u64 = days.iter().map(|d| d.rejected_first).sum();
    assert_eq!((acknowledged, rejected), (2, 1));
}

#[test]
fn a_later_835_closes_a_rejection_and_a_denial_takes_its_place() {
    let (_dir, store) = temp_store();
    // The clearinghouse (AY) rejected it: the 835 comes from the payer itself.
    let rejected = file_277ca(
        13,
        "AY",
        "CLEARING HOUSE",
        "CH1",
        "20261101",
        &[AckClaim::jane("C1", "A6:21:IL", "1240")],
    );
    import(&store, "clearinghouse.277", &rejected).unwrap();
    let before = store.work_items().unwrap();
    assert_eq!(before.len(), 1);
    let key = before[0].key.clone();
    store
        .apply(
            &key,
            &WorkAction::Assign(Some("maria".into())),
            today(),
            "lead",
        )
        .unwrap();

    let remit = interchange(
        &STAR,
        20,
        &[set(&[
            header("AETNA", "60054", "20261120", "EFT1"),
            claim("C1", 1, "1240", "0", &["CO*197*1240"]),
        ])],
    );
    let report = import(&store, "later.835", &remit).unwrap();
    assert_eq!(
        report.denials_opened, 0,
        "the claim's item moves, no second item"
    );
    assert_eq!(report.denials_updated, 1);
    let items = store.work_items().unwrap();
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item.key, key, "one claim, one work item");
    assert_eq!(item.kind, ItemKind::Denial);
    assert_eq!(item.status, Status::New);
    assert_eq!(item.carcs, vec!["CO-197"]);
    assert_eq!(item.denied_cents, 124_000);
    assert_eq!(
        item.owner.as_deref(),
        Some("maria"),
        "whoever worked the rejection keeps it"
    );
    assert!(item.appealable());
    let timeline = store.timeline(&key).unwrap();
    let closed = timeline.iter().any(|e| matches!(&e.kind, EventKind::StatusChanged { to: Status::Accepted, reason: Some(r), .. } if r.contains("remittance of 2026-11-20")));
    assert!(closed, "{timeline:#?}");
    // The 835 is the claim's first adjudication: it counts in the denial rate.
    let days = store.adjudication_days().unwrap();
    let adjudicated: u64 = days.iter().map(|d| d.claims).sum();
    let denied: u64 = days.iter().map(|d| d.denied).sum();
    assert_eq!((adjudicated, denied), (1, 1));
    common::assert_list_rows_match(&store);
}

#[test]
fn a_paid_835_after_a_rejection_leaves_it_closed_as_accepted() {
    let (_dir, store) = temp_store();
    import(&store, "ack.277", &rejected_c1()).unwrap();
    let remit = interchange(
        &STAR,
        21,
        &[set(&[
            header("AETNA", "60054", "20261215", "EFT2"),
            claim("C1", 1, "1240", "1240", &[]),
        ])],
    );
    import(&store, "paid.835", &remit).unwrap();
    let items = store.work_items().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].kind, ItemKind::Rejection);
    assert_eq!(items[0].status, Status::Accepted);
    assert_eq!(
        items[0].recovered_cents, 0,
        "a rejection recovers nothing: it was never denied"
    );
}

#[test]
fn a_rejection_cannot_be_appealed_or_marked_paid() {
    let (_dir, store) = temp_store();
    import(&store, "ack.277", &rejected_c1()).unwrap();
    let key = store.work_items().unwrap()[0].key.clone();
    let refused = store
        .apply(
            &key,
            &WorkAction::ChangeStatus {
                to: Status::Paid,
                reason: None,
            },
            today(),
            "maria",
        )
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("rejected before adjudication"),
        "{refused}"
    );
    assert!(refused.contains("by 2026-12-30"), "{refused}");
    let appeal = WorkAction::FileAppeal {
        packet: Default::default(),
        level: 1,
        channel: denialdesk::domain::appeal::Channel::Portal,
        submitted: today(),
        response_due: today() + chrono::Duration::days(30),
        documents: String::new(),
    };
    assert!(store.apply(&key, &appeal, today(), "maria").is_err());
    // Working it is allowed: in progress, resubmitted, written off.
    store
        .apply(
            &key,
            &WorkAction::AddNote("NPI corrected in the billing system".into()),
            today(),
            "maria",
        )
        .unwrap();
    let item = store.work_item(&key).unwrap().unwrap();
    assert_eq!(item.status, Status::InProgress);
}

#[test]
fn a_rejected_999_batch_is_recorded_with_its_errors_in_words() {
    let (_dir, store) = temp_store();
    let rejected = file_999(
        31,
        "4711",
        &[
            ("0001", "A", vec![]),
            (
                "0002",
                "R",
                vec![
                    "IK3*NM1*7*2010BA*8".into(),
                    "IK4*9*67*1".into(),
                    "IK3*CLM*12*2300*8".into(),
                    "IK4*2*782*6*12A0.00".into(),
                ],
            ),
        ],
    );
    let report = import(&store, "batch.999", &rejected).unwrap();
    assert_eq!(report.batches_rejected, 1);
    let summary = report.summary();
    for expected in [
        "!! 999 for claim batch 4711 (HC, 005010X222A1): partially accepted: at least one transaction set was rejected (P), 1 of 2 transaction sets accepted",
        "837 0002: rejected (R); 5 one or more segments in error",
        "segment NM1 at position 7 in loop 2010BA: segment has data element errors (8)",
        "element NM109 (data element 67): required data element missing (1)",
        "element CLM02 (data element 782): invalid character in data element (6), value \"12A0.00\"",
        "!! 1 CLAIM BATCH REJECTED",
    ] {
        assert!(summary.contains(expected), "{expected:?} not in\n{summary}");
    }
    assert!(
        store.work_items().unwrap().is_empty(),
        "a 999 names no claim"
    );
    let batches = store.batch_acks().unwrap();
    assert_eq!(batches.len(), 1);
    assert!(batches[0].rejected());
    let audit = store.audit_log().unwrap();
    assert!(
        audit.last().unwrap().detail.contains("REJECTED"),
        "{:?}",
        audit.last()
    );

    let accepted = file_999(32, "4712", &[("0001", "A", vec![])]);
    let report = import(&store, "ok.999", &accepted).unwrap();
    assert_eq!(report.batches_rejected, 0);
    assert!(!report.summary().contains("!!"), "{}", report.summary());
    assert_eq!(store.batch_acks().unwrap().len(), 2);
}

#[test]
fn damaged_acknowledgments_are_refused_naming_segment_and_element() {
    let (_dir, store) = temp_store();
    let refused = |text: String, expected: &[&str]| {
        let e = import(&store, "bad.277", &text).unwrap_err().to_string();
        for part in expected {
            assert!(e.contains(part), "{part:?} not in {e}");
        }
        assert!(store.work_items().unwrap().is_empty());
        assert!(store.adjudication_days().unwrap().is_empty());
    };
    refused(
        rejected_c1().replace("A7:562:85", "Q7:562:85"),
        &[
            "bad.277: segment 23 (STC), element STC01",
            "claim status category \"Q7\" is not a known category",
        ],
    );
    refused(
        rejected_c1().replace(
            "STC*A7:562:85*20261201*U*1240",
            "STC*A7:562:85*20261301*U*1240",
        ),
        &[
            "element STC02",
            "status effective date: expected a date as CCYYMMDD, found \"20261301\"",
        ],
    );
    refused(
        rejected_c1().replace("SE*30*0001", "SE*29*0001"),
        &[
            "element SE01",
            "SE01 says 29 segments but transaction set 0001 has 30",
        ],
    );
    refused(
        rejected_c1().replace("005010X214", "005010X999"),
        &[
            "element ST03",
            "277 implementation guide \"005010X999\" is not read",
        ],
    );
    refused(
        rejected_c1().replace("REF*D9*CHC1", "ZZZ*D9*CHC1"),
        &["segment \"ZZZ\" is not part of a 277 claim status"],
    );
    refused(
        file_999(40, "1", &[("0001", "A", vec![])]).replace("IK5*A", "IK5*Q"),
        &["element IK501", "expected an acknowledgment code"],
    );
}

#[test]
fn rejections_count_in_their_own_kpis_never_in_the_denial_ones() {
    let (_dir, store) = temp_store();
    import(&store, "ack.277", &rejected_c1()).unwrap();
    let items = store.work_items().unwrap();
    let days = store.adjudication_days().unwrap();
    let period = denialdesk::domain::kpi::Period::last_days(30, today());
    let k = denialdesk::domain::kpi::compute(&items, &days, &[], period, today());
    assert_eq!(k.acknowledgments.claims, 2);
    assert_eq!(k.acknowledgments.rejection_rate.display(), "50.0%");
    assert_eq!(k.acknowledgments.clean_claim_rate.display(), "50.0%");
    assert_eq!(
        (k.open_rejections.count, k.open_rejections.cents),
        (1, 124_000)
    );
    assert_eq!(k.denied.count, 0, "a rejection is not a denial");
    assert_eq!(k.open.count, 0);
    assert_eq!(
        k.initial_denials.all.display(),
        "n/a",
        "nothing was adjudicated"
    );
}

#[test]
fn a_277_status_lands_on_the_claims_timeline_and_a_request_for_records_makes_it_due() {
    let (_dir, store) = temp_store();
    let remit = interchange(
        &STAR,
        22,
        &[set(&[
            header("AETNA", "60054", "20261101", "EFT3"),
            claim("C1", 1, "1240", "0", &["CO*16*1240"]),
        ])],
    );
    import(&store, "denied.835", &remit).unwrap();
    let key = store.work_items().unwrap()[0].key.clone();
    store
        .apply(
            &key,
            &WorkAction::ChangeStatus {
                to: Status::Resubmitted,
                reason: None,
            },
            today(),
            "maria",
        )
        .unwrap();

    let pending = common::acks::file_277(41, "AETNA", "60054", "20261201", "C1", "P1:20", "0");
    let report = import(&store, "status.277", &pending).unwrap();
    assert!(
        report
            .summary()
            .contains("277 0001 of 2026-12-01: 1 claims, statuses on the claims' timelines"),
        "{}",
        report.summary()
    );
    assert_eq!(report.items_updated_by_acknowledgments, 1);
    let item = store.work_item(&key).unwrap().unwrap();
    assert_eq!(
        item.status,
        Status::Resubmitted,
        "a pending status changes nothing but the timeline"
    );
    let said = store.timeline(&key).unwrap().last().unwrap().kind.summary();
    assert!(
        said.starts_with(
            "277 2026-12-01: P1 pending: in process: 20 accepted for processing, paid $0.00"
        ),
        "{said}"
    );

    let asked = common::acks::file_277(42, "AETNA", "60054", "20261203", "C1", "R4:21", "");
    import(&store, "asked.277", &asked).unwrap();
    let item = store.work_item(&key).unwrap().unwrap();
    assert_eq!(
        item.follow_up.unwrap().to_string(),
        "2026-12-03",
        "the payer waits on records: due now"
    );

    // A status for a claim the worklist does not have changes nothing.
    let other = common::acks::file_277(43, "AETNA", "60054", "20261203", "C9", "P1:20", "");
    let report = import(&store, "other.277", &other).unwrap();
    assert_eq!(
        (
            report.rejections_opened,
            report.items_updated_by_acknowledgments
        ),
        (0, 0)
    );
    // A 277 is no acknowledgment of a submission: no clean-claim counts.
    let days = store.adjudication_days().unwrap();
    assert_eq!(days.iter().map(|d| d.acknowledged).sum::<u64>(), 0);
}

/// A PLB naming the rejected claim in an earlier set of the same file must not hide the
/// rejection from the set that adjudicates it: the payer's own rejection (same payer and
/// patient, so the same key) is taken in, never overwritten by a new denial.
#[test]
fn a_plb_naming_a_rejected_claim_before_its_835_in_one_file_keeps_the_rejection() {
    let (_dir, store) = temp_store();
    import(&store, "ack.277", &rejected_c1()).unwrap();
    let rejection = store.work_items().unwrap()[0].clone();
    store
        .apply(
            &rejection.key,
            &WorkAction::Assign(Some("maria".into())),
            today(),
            "lead",
        )
        .unwrap();
    let mut first = header("AETNA", "60054", "20261120", "EFT7");
    first.extend(claim("OTHER1", 1, "100", "100", &[]));
    first.push("PLB*1234567893*20261231*WO:C1*25".into());
    let second = set(&[
        header("AETNA", "60054", "20261121", "EFT8"),
        claim("C1", 1, "1240", "0", &["CO*197*1240"]),
    ]);
    let report = import(
        &store,
        "plb-first.835",
        &interchange(&STAR, 22, &[first, second]),
    )
    .unwrap();
    assert_eq!(report.denials_opened, 0, "{report:?}");
    let items = store.work_items().unwrap();
    assert_eq!(items.len(), 1, "{items:#?}");
    let item = &items[0];
    assert_eq!(item.key, rejection.key);
    assert_eq!(item.kind, ItemKind::Denial);
    assert_eq!(
        item.owner.as_deref(),
        Some("maria"),
        "the rejection's work is kept"
    );
    let timeline = store.timeline(&item.key).unwrap();
    assert!(
        timeline.iter().any(|e| matches!(
            &e.kind,
            EventKind::StatusChanged {
                to: Status::Accepted,
                ..
            }
        )),
        "{timeline:#?}"
    );
    common::assert_list_rows_match(&store);
}
