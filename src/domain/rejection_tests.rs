use super::*;
use crate::domain::acknowledgment::ClaimAckKind;
use crate::domain::claim::Party;
use crate::domain::work_item::RowFields;
use chrono::NaiveDate;

fn ack(status: &str) -> ClaimAck {
    ClaimAck {
        claim_id: "C1".into(),
        payer: Party {
            name: "AETNA".into(),
            id: "60054".into(),
        },
        provider: "NORTH CLINIC".into(),
        from_clearinghouse: false,
        patient_name: "DOE, JANE".into(),
        member_id: "W1".into(),
        payer_claim_number: String::new(),
        billed_cents: 50_000,
        paid_cents: None,
        date_of_service: NaiveDate::from_ymd_opt(2026, 10, 1),
        status_date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        statuses: vec![ClaimStatus::parse_key(status)],
        line_statuses: Vec::new(),
        message: String::new(),
        segment: 20,
    }
}

fn set(kind: ClaimAckKind) -> ClaimAckSet {
    ClaimAckSet {
        kind,
        source_file: "a.277".into(),
        control_number: "0001".into(),
        date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        first_segment: 3,
        fingerprint: 1,
        claims: Vec::new(),
        group_rejections: Vec::new(),
        part: None,
    }
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-01T09:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// What a status from a set of `kind` does to `existing` (as the importer calls it).
fn on(existing: Option<&WorkItem>, kind: ClaimAckKind, status: &str) -> Reconciled {
    acknowledge(
        "C1#1",
        existing,
        &set(kind),
        &ack(status),
        &PayerRules::default(),
        now(),
        "importer",
    )
}

fn opened(status: &str) -> WorkItem {
    match on(None, ClaimAckKind::Acknowledgment, status) {
        Reconciled::Opened(item, _) => item,
        other => panic!("{other:?}"),
    }
}

#[test]
fn eligibility_rejections_point_back_to_registration() {
    let item = opened("A7:33:IL");
    assert_eq!(item.category, Category::Eligibility);
    assert_eq!(item.stage, Stage::Registration);
    // Unknown status codes are work for billing: missing information, never a guess.
    assert_eq!(opened("A6:9999").category, Category::MissingInformation);
}

#[test]
fn a_rejection_after_a_resubmission_is_new_work_counted_again() {
    let mut item = opened("A7:21:85");
    item.status = Status::Resubmitted;
    item.follow_up = NaiveDate::from_ymd_opt(2026, 12, 17);
    let again = on(Some(&item), ClaimAckKind::Acknowledgment, "A3:33:IL");
    let Reconciled::Updated(item, events) = again else {
        panic!()
    };
    assert_eq!(item.status, Status::New);
    assert_eq!(item.times_denied, 2);
    assert_eq!(item.carcs, vec!["A3:33:IL"]);
    // The follow-up set for the resubmission must not park the new work.
    assert_eq!(item.follow_up, NaiveDate::from_ymd_opt(2026, 12, 1));
    assert!(events
        .iter()
        .any(|e| e.summary().contains("rejected again by 277CA: A3:33:IL")));
}

#[test]
fn a_277_asking_for_records_makes_the_claim_due_today() {
    let mut item = opened("A7:21:85");
    item.kind = ItemKind::Denial;
    item.follow_up = NaiveDate::from_ymd_opt(2026, 12, 20);
    let asked = on(Some(&item), ClaimAckKind::StatusResponse, "R4:21");
    let Reconciled::Updated(item, _) = asked else {
        panic!()
    };
    assert_eq!(item.follow_up, NaiveDate::from_ymd_opt(2026, 12, 1));
    // A pending status only lands on the timeline.
    let pending = on(Some(&item), ClaimAckKind::StatusResponse, "P1:20");
    let Reconciled::Updated(after, events) = pending else {
        panic!()
    };
    assert_eq!(after, item);
    assert_eq!(events.len(), 1);
    assert!(
        events[0]
            .summary()
            .starts_with("277 2026-12-01: P1 pending: in process: 20 accepted for processing"),
        "{}",
        events[0].summary()
    );
}

#[test]
fn statuses_for_claims_not_in_the_worklist_open_nothing_unless_rejected() {
    for status in ["A2:20", "A1:19:PR", "P1:20", "F1:65"] {
        let r = on(None, ClaimAckKind::Acknowledgment, status);
        assert_eq!(r, Reconciled::NoWork, "{status}");
    }
}

#[test]
fn a_rejection_is_worked_resubmitted_or_written_off_and_nothing_else() {
    let mut item = opened("A7:21:85");
    for to in [Status::InProgress, Status::Resubmitted, Status::WrittenOff] {
        assert!(item.may_move_to(to), "{to}");
    }
    for to in [
        Status::AwaitingPayer,
        Status::Appealed,
        Status::Paid,
        Status::Accepted,
    ] {
        assert!(!item.may_move_to(to), "{to}");
    }
    item.status = Status::Accepted;
    assert_eq!(item.outstanding_cents(), 0, "the payer took the claim in");
    assert!(item.may_move_to(Status::InProgress), "reopened by a person");
}
