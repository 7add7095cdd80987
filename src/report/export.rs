//! The worklist export: every work item with every field, flat, as JSON or CSV for a
//! spreadsheet or a BI tool (text escaped, no cell starts a formula).

use crate::domain::priority::priority;
use crate::domain::work_item::{RowFields, WorkItem};
use chrono::NaiveDate;
use serde_json::{json, Value};

/// Every field of a work item, flat, for spreadsheets and BI tools.
pub fn export_row(i: &WorkItem, today: NaiveDate) -> Value {
    let p = priority(i, today);
    let last_appeal = i.appeals.last();
    let underpaid = i.underpayment.as_ref();
    let mut row = json!({
        "key": i.key,
        "kind": i.kind,
        "claim_id": i.claim_id,
        "payer_claim_number": i.payer_claim_number,
        "payer": i.payer,
        "payer_id": i.payer_id,
        "filing_indicator": i.filing_indicator,
        "patient": i.patient_name,
        "member_id": i.member_id,
        "rendering_provider": i.rendering_provider,
        "facility": i.facility,
        "date_of_service": i.date_of_service,
        "billed_cents": i.billed_cents,
        "denied_cents": i.denied_cents,
        "recovered_cents": i.recovered_cents,
        "outstanding_cents": i.outstanding_cents(),

        "carcs": i.carcs.join(";"),
        "remarks": i.remarks.join(";"),
        "procedures": i.procedures.join(";"),
        "category": i.category,
        "hardness": i.hardness,
        "stage": i.stage,
        "status": i.status,
        "status_label": i.status_label(),
        "owner": i.owner,
        "follow_up": i.follow_up,
        "denied_on": i.denied_on,
        "times_denied": i.times_denied,
        "appeal_deadline": i.appeal_deadline.date,
        "deadline_is_default": i.appeal_deadline.source.is_default(),
        "appeals": i.appeals.len(),
        "last_appeal_level": last_appeal.map(|a| a.level),
        "last_appeal_outcome": last_appeal.and_then(|a| a.decision.as_ref()).map(|d| d.result.key()),
        "resolved_on": i.resolved_on,
        "write_off_reason": i.write_off_reason,
        "priority": p.score,
        "priority_explanation": p.explanation,
        "version": i.version,
        "updated_at": i.updated_at,
        "updated_by": i.updated_by,
    });
    // An underpayment's contract comparison (its `denied_cents` is the variance); null
    // for other kinds.
    let contract = json!({
        "contract_expected_cents": underpaid.map(|u| u.expected_cents()),
        "contract_allowed_cents": underpaid.map(|u| u.allowed_cents()),
        "contract_paid_cents": underpaid.map(|u| u.paid_cents()),
        "contract_rows": underpaid.map(|u| {
            u.lines.iter().map(|l| l.row.line.to_string()).collect::<Vec<_>>().join(";")
        }),
    });
    if let (Value::Object(row), Value::Object(contract)) = (&mut row, contract) {
        row.extend(contract);
    }
    row
}

/// The export as CSV, one column per `export_row` field (alphabetical).
/// Text from outside made safe for a CSV that lands in a terminal or a spreadsheet:
/// control and bidirectional characters escaped, and a cell a spreadsheet would run as a
/// formula (`=`, `+`, `@` first) prefixed with `'`, as OWASP advises.
fn csv_text(s: &str) -> String {
    let safe = crate::text::escape(s);
    if safe.starts_with(['=', '+', '@']) {
        format!("'{safe}")
    } else {
        safe.into_owned()
    }
}

/// Every work item with every field, as CSV for a spreadsheet (text escaped, no cell starts a formula).
pub fn export_csv(items: &[WorkItem], today: NaiveDate) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header_written = false;
    for item in items {
        let Value::Object(map) = export_row(item, today) else {
            continue;
        };
        if !header_written {
            w.write_record(map.keys())?;
            header_written = true;
        }
        w.write_record(map.values().map(|v| match v {
            Value::Null => String::new(),
            Value::String(s) => csv_text(s),
            other => other.to_string(),
        }))?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
