//! Writing claims in the binary form (see the parent module).

use crate::domain::claim::{
    Adjustment, Claim, ClaimStatusCode, GroupCode, Party, Person, Procedure, RemitRef, ServiceLine,
};
use crate::store::varint::put as uint;
use chrono::{Datelike, NaiveDate};

pub(super) fn int(out: &mut Vec<u8>, v: i64) {
    uint(out, ((v << 1) ^ (v >> 63)) as u64);
}

fn text(out: &mut Vec<u8>, s: &str) {
    uint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn date(out: &mut Vec<u8>, d: NaiveDate) {
    int(out, i64::from(d.num_days_from_ce()));
}

fn opt<T>(out: &mut Vec<u8>, value: &Option<T>, each: impl Fn(&mut Vec<u8>, &T)) {
    match value {
        None => out.push(0),
        Some(v) => {
            out.push(1);
            each(out, v);
        }
    }
}

fn list<T>(out: &mut Vec<u8>, items: &[T], each: impl Fn(&mut Vec<u8>, &T)) {
    uint(out, items.len() as u64);
    for item in items {
        each(out, item);
    }
}

fn texts(out: &mut Vec<u8>, items: &[String]) {
    list(out, items, |out, s| text(out, s));
}

fn party(out: &mut Vec<u8>, p: &Party) {
    let Party { name, id } = p;
    text(out, name);
    text(out, id);
}

fn person(out: &mut Vec<u8>, p: &Person) {
    let Person {
        last_name,
        first_name,
        member_id,
    } = p;
    text(out, last_name);
    text(out, first_name);
    text(out, member_id);
}

fn group(code: GroupCode) -> u8 {
    match code {
        GroupCode::CO => 0,
        GroupCode::PR => 1,
        GroupCode::OA => 2,
        GroupCode::PI => 3,
        GroupCode::CR => 4,
    }
}

fn adjustment(out: &mut Vec<u8>, a: &Adjustment) {
    let Adjustment {
        group: code,
        carc,
        amount_cents,
        quantity,
    } = a;
    out.push(group(*code));
    text(out, carc);
    int(out, *amount_cents);
    opt(out, quantity, |out, q| {
        out.extend_from_slice(&q.to_le_bytes())
    });
}

fn status(out: &mut Vec<u8>, code: ClaimStatusCode) {
    match code {
        ClaimStatusCode::ProcessedPrimary => out.push(0),
        ClaimStatusCode::ProcessedSecondary => out.push(1),
        ClaimStatusCode::ProcessedTertiary => out.push(2),
        ClaimStatusCode::Denied => out.push(3),
        ClaimStatusCode::Other(n) => out.extend_from_slice(&[4, n]),
        ClaimStatusCode::Reversal => out.push(5),
    }
}

fn line(out: &mut Vec<u8>, l: &ServiceLine) {
    let ServiceLine {
        procedure,
        charge_cents,
        paid_cents,
        revenue_code,
        units,
        service_date,
        control_number,
        adjustments,
        allowed_cents,
        remarks,
    } = l;
    let Procedure {
        qualifier,
        code,
        modifiers,
    } = procedure;
    text(out, qualifier);
    text(out, code);
    texts(out, modifiers);
    int(out, *charge_cents);
    int(out, *paid_cents);
    opt(out, revenue_code, |out, s| text(out, s));
    opt(out, units, |out, u| out.extend_from_slice(&u.to_le_bytes()));
    opt(out, service_date, |out, d| date(out, *d));
    opt(out, control_number, |out, s| text(out, s));
    list(out, adjustments, adjustment);
    opt(out, allowed_cents, |out, c| int(out, *c));
    texts(out, remarks);
}

/// Appends a remittance's binary form (a block's shared one, or a claim's own).
pub(in crate::store) fn write_remit(out: &mut Vec<u8>, r: &RemitRef) {
    let RemitRef {
        remit_date,
        trace_number,
        payer_originator,
        payer,
        payee,
        source_file,
    } = r;
    date(out, *remit_date);
    text(out, trace_number);
    text(out, payer_originator);
    party(out, payer);
    party(out, payee);
    text(out, source_file);
}

/// Appends `claim`'s binary form; its remittance only when it is not `shared`.
pub(in crate::store) fn write_claim(out: &mut Vec<u8>, claim: &Claim, shared: &RemitRef) {
    let Claim {
        patient_control_number,
        status_code,
        billed_cents,
        paid_cents,
        patient_responsibility_cents,
        filing_indicator,
        payer_claim_number,
        facility_code,
        frequency,
        patient,
        insured,
        rendering_provider,
        service_from,
        service_to,
        received,
        adjustments,
        remarks,
        lines,
        remit,
        drg,
        inpatient_adjudication,
    } = claim;
    text(out, patient_control_number);
    status(out, *status_code);
    int(out, *billed_cents);
    int(out, *paid_cents);
    int(out, *patient_responsibility_cents);
    text(out, filing_indicator);
    text(out, payer_claim_number);
    text(out, facility_code);
    text(out, frequency);
    person(out, patient);
    opt(out, insured, person);
    opt(out, rendering_provider, party);
    opt(out, service_from, |out, d| date(out, *d));
    opt(out, service_to, |out, d| date(out, *d));
    opt(out, received, |out, d| date(out, *d));
    list(out, adjustments, adjustment);
    texts(out, remarks);
    list(out, lines, line);
    if remit == shared {
        out.push(0);
    } else {
        out.push(1);
        write_remit(out, remit);
    }
    opt(out, drg, |out, s| text(out, s));
    out.push(u8::from(*inpatient_adjudication));
}
