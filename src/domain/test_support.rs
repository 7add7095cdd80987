//! Small builders for domain tests.

use super::claim::*;
use super::denial::DenialFinding;
use super::payer_rules::{AppealDeadline, DeadlineSource};
use super::taxonomy::{Category, Hardness, Stage};
use super::work_item::{DeniedLine, ItemKind, WorkItem};
use chrono::{DateTime, NaiveDate, Utc};

pub fn adj(group: &str, carc: &str, amount_cents: i64) -> Adjustment {
    Adjustment {
        group: GroupCode::parse(group).unwrap(),
        carc: carc.into(),
        amount_cents,
        quantity: None,
    }
}

pub fn line(code: &str, charge_cents: i64, paid_cents: i64) -> ServiceLine {
    ServiceLine {
        procedure: Procedure {
            qualifier: "HC".into(),
            code: code.into(),
            modifiers: vec![],
        },
        charge_cents,
        paid_cents,
        revenue_code: None,
        units: Some(1.0),
        service_date: None,
        control_number: None,
        adjustments: vec![],
        allowed_cents: None,
        remarks: vec![],
    }
}

pub fn claim(pcn: &str, status: u8, billed_cents: i64, paid_cents: i64) -> Claim {
    Claim {
        patient_control_number: pcn.into(),
        status_code: ClaimStatusCode::from_code(status),
        billed_cents,
        paid_cents,
        patient_responsibility_cents: 0,
        filing_indicator: "CI".into(),
        payer_claim_number: format!("PAY{pcn}"),
        facility_code: "11".into(),
        frequency: "1".into(),
        patient: Person {
            last_name: "DOE".into(),
            first_name: "JANE".into(),
            member_id: "M123".into(),
        },
        insured: None,
        rendering_provider: None,
        service_from: NaiveDate::from_ymd_opt(2026, 10, 1),
        service_to: None,
        received: None,
        adjustments: vec![],
        remarks: vec![],
        lines: vec![],
        remit: RemitRef {
            remit_date: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            trace_number: "TRN1".into(),
            payer_originator: "1999999999".into(),
            payer: Party {
                name: "ACME HEALTH".into(),
                id: "99999".into(),
            },
            payee: Party {
                name: "NORTH CLINIC".into(),
                id: "1234567890".into(),
            },
            source_file: "test.835".into(),
        },
        drg: None,
        inpatient_adjudication: false,
    }
}

pub fn work_item(claim_id: &str) -> WorkItem {
    let c = claim(claim_id, 1, 50000, 0);
    let finding = DenialFinding {
        denied_cents: 50000,
        carcs: vec!["CO-16".into()],
        category: Category::MissingInformation,
        hardness: Hardness::Soft,
        stage: Stage::Billing,
        procedures: vec!["99214".into()],
        kind: ItemKind::Denial,
        lines: vec![DeniedLine::new(
            crate::domain::denial::CLAIM_LEVEL,
            crate::domain::denial::CLAIM_LEVEL,
            50000,
        )],
        appeal_rights: crate::domain::rarc::AppealRights::Appealable,
        mixed_appeal_rights: false,
    };
    let deadline = AppealDeadline {
        date: NaiveDate::from_ymd_opt(2027, 1, 30).unwrap(),
        window_days: 90,
        source: DeadlineSource::DefaultOther,
    };
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-11-01T09:00:00Z")
        .unwrap()
        .with_timezone(&Utc);
    let key = crate::domain::claim_identity::ClaimIdentity::of(&c).key(0);
    WorkItem::open(&key, &c, &finding, deadline, now, "importer")
}

/// Sets an item's denied amount, its one denied line with it.
pub fn set_denied(item: &mut WorkItem, cents: i64) {
    item.denied_cents = cents;
    for line in &mut item.denied_lines {
        line.denied_cents = cents;
        line.still_denied_cents = cents;
    }
}

/// Repeatable pseudo-random numbers for tests that walk many cases: each call gives one
/// below `n` (a 64-bit LCG, Knuth's MMIX constants).
pub fn numbers(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut state = seed;
    move |n| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n
    }
}
