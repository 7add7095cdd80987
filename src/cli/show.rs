//! `denialdesk show CLAIM`: everything about one claim.

use super::context::Context;
use crate::domain::claim::{Adjustment, Claim};
use crate::domain::money::format_cents;
use crate::domain::priority::priority;
use crate::domain::status::Status;
use crate::domain::timeline::{Event, EventKind};
use crate::domain::work_item::{ItemKind, RowFields};
use crate::domain::{carc, rarc};
use crate::store::StoreError;
use crate::text::escape as esc;
use anyhow::Result;
use serde_json::json;

fn carc_json(a: &Adjustment) -> serde_json::Value {
    let info = carc::lookup(&a.carc);
    json!({
        "code": a.code(),
        "group": a.group,
        "carc": a.carc,
        "amount_cents": a.amount_cents,
        "description": carc::describe(&a.carc),
        "known": info.is_some(),
        "category": info.map(|i| i.category.key()),
    })
}

pub fn run(ctx: &Context, claim_id: &str, as_json: bool) -> Result<()> {
    let store = ctx.store()?;
    let history = store.claim_history(claim_id)?;
    let item = store.work_item(claim_id)?;
    // A rejected claim has a work item but no remittance yet.
    let latest = history.last();
    if latest.is_none() && item.is_none() {
        return Err(StoreError::UnknownClaim(claim_id.to_string()).into());
    }
    let timeline = store.timeline(claim_id)?;
    if as_json {
        let pick = |f: fn(&EventKind) -> bool| -> Vec<&Event> {
            timeline.iter().filter(|e| f(&e.kind)).collect()
        };
        let out = json!({
            "claim": latest,
            "adjudications": history,
            "adjustments": latest.map(|c| c.all_adjustments().map(carc_json).collect::<Vec<_>>()),
            "remarks": latest.map(|c| c.all_remarks().iter()
                .map(|r| json!({"code": r, "description": rarc::describe(r)})).collect::<Vec<_>>()),
            "work_item": item,
            "priority": item.as_ref().map(|i| priority(i, ctx.today)),
            "calls": pick(|k| matches!(k, EventKind::PayerCall(_))),
            "notes": pick(|k| matches!(k, EventKind::Note { .. })),
            "events": timeline,
        });
        println!("{}", crate::text::json(serde_json::to_string_pretty(&out)?));
        return Ok(());
    }
    match (latest, &item) {
        (Some(latest), _) => print_claim(latest, history.len()),
        (None, Some(i)) => print_rejected(i),
        (None, None) => {}
    }
    match &item {
        None => println!("\nNot in the worklist: no denial on this claim."),
        Some(i) => {
            let p = priority(i, ctx.today);
            println!(
                "\nWORK ITEM {}  {}  status {}  owner {}  version {}",
                i.key,
                match i.kind {
                    ItemKind::Denial => "payer denial",
                    ItemKind::PatientResponsibility =>
                        "patient responsibility (not a payer denial)",
                    ItemKind::Rejection => "rejection (never adjudicated: not a denial)",
                    ItemKind::Underpayment => "underpayment (paid below contract: not a denial)",
                },
                i.status,
                esc(i.owner.as_deref().unwrap_or("-")),
                i.version
            );
            if i.kind == ItemKind::Rejection {
                println!(
                    "  billed {} · rejected {} time(s) · outstanding {}",
                    format_cents(i.billed_cents),
                    i.times_denied,
                    format_cents(i.outstanding_cents())
                );
            } else if let Some(u) = &i.underpayment {
                println!(
                    "  variance {} · recovered {} · outstanding {}",
                    format_cents(i.denied_cents),
                    format_cents(i.recovered_cents),
                    format_cents(i.outstanding_cents())
                );
                for line in crate::domain::underpayment::describe(u) {
                    println!("  {}", esc(&line));
                }
            } else {
                println!(
                    "  denied {} · recovered {} · other payers {} · outstanding {}",
                    format_cents(i.denied_cents),
                    format_cents(i.recovered_cents),
                    format_cents(i.other_payer_cents),
                    format_cents(i.outstanding_cents())
                );
            }
            let open: Vec<String> = i
                .open_lines()
                .map(|l| format!("{} {}", l.label(), format_cents(l.outstanding_cents())))
                .collect();
            if !open.is_empty() && open.len() < i.denied_lines.len() {
                println!("  still denied: {}", open.join(", "));
            }
            println!(
                "  {} · {} · fix at: {} · codes {}",
                i.category.label(),
                i.hardness,
                i.stage,
                esc(&i.carcs.join(" "))
            );
            if let Some(second) = &i.second_deadline {
                println!(
                    "  {} {} — {}",
                    if second.source.is_resubmission() {
                        "lines with no appeal rights: resubmit by"
                    } else {
                        "other lines: appeal deadline"
                    },
                    second.date,
                    second.source.describe(second.window_days)
                );
            }
            if i.kind == ItemKind::Rejection && i.status == Status::Accepted {
                println!(
                    "  accepted by the payer on {}: nothing to resubmit{}",
                    i.resolved_on.map_or("-".to_string(), |d| d.to_string()),
                    if i.awaiting_payer_since.is_some() {
                        "; its remittance is awaited"
                    } else {
                        ""
                    }
                );
            } else {
                println!(
                    "  {} {} ({} days) — {}",
                    match (i.appealable(), i.appeal_deadline.source.is_resubmission()) {
                        (false, _) => "no appeal rights: resubmit a corrected claim by",
                        (true, true) => "lines with no appeal rights: resubmit by",
                        (true, false) => "appeal deadline",
                    },
                    i.appeal_deadline.date,
                    i.days_to_deadline(ctx.today),
                    i.appeal_deadline
                        .source
                        .describe(i.appeal_deadline.window_days)
                );
            }
            println!(
                "  follow-up {}",
                i.follow_up.map_or("-".to_string(), |d| d.to_string())
            );
            if let Some(r) = &i.write_off_reason {
                println!("  written off: {}", esc(r));
            }
            println!("  priority {}: {}", p.score, esc(&p.explanation));
            print_packets(i);
        }
    }
    println!("\nTIMELINE");
    if timeline.is_empty() {
        println!("  (nothing yet)");
    }
    for e in &timeline {
        println!(
            "  {}  {:<10} {}",
            e.at.format("%Y-%m-%d %H:%M"),
            esc(&e.user),
            esc(&e.kind.summary())
        );
    }
    Ok(())
}

/// A claim known only from its rejection: what the 277CA said.
fn print_rejected(i: &crate::domain::work_item::WorkItem) {
    println!(
        "CLAIM {}  payer claim {}  (rejected before adjudication: no remittance)",
        esc(&i.claim_id),
        esc(if i.payer_claim_number.is_empty() {
            "-"
        } else {
            &i.payer_claim_number
        })
    );
    println!(
        "  patient {}  member {}",
        esc(&i.patient_name),
        esc(&i.member_id)
    );
    println!("  payer {} ({})", esc(&i.payer), esc(&i.payer_id));
    println!("  billing provider {}", esc(&i.facility));
    println!(
        "  service {} · billed {}",
        i.date_of_service.map_or("-".to_string(), |d| d.to_string()),
        format_cents(i.billed_cents)
    );
    println!("  STATUS CODES");
    for code in &i.carcs {
        let status = crate::domain::claim_status::ClaimStatus::parse_key(code);
        println!("    {}", esc(&status.describe()));
    }
}

fn print_claim(c: &Claim, adjudications: usize) {
    println!(
        "CLAIM {}  payer claim {}  ({})",
        esc(&c.patient_control_number),
        esc(&c.payer_claim_number),
        c.status_code.label()
    );
    println!(
        "  patient {}  member {}",
        esc(&c.patient.display_name()),
        esc(&c.patient.member_id)
    );
    println!(
        "  payer {} ({})  filing {}",
        esc(&c.remit.payer.name),
        esc(&c.remit.payer.id),
        esc(&c.filing_indicator)
    );
    if let Some(p) = &c.rendering_provider {
        println!("  rendering {} (NPI {})", esc(&p.name), esc(&p.id));
    }
    println!(
        "  facility {} (NPI {})  code {}",
        esc(&c.remit.payee.name),
        esc(&c.remit.payee.id),
        esc(&c.facility_code)
    );
    println!(
        "  service {} · remittance {} trace {} · {} adjudication(s)",
        c.date_of_service()
            .map_or("-".to_string(), |d| d.to_string()),
        c.remit.remit_date,
        esc(&c.remit.trace_number),
        adjudications
    );
    println!(
        "  billed {}  paid {}  patient responsibility {}",
        format_cents(c.billed_cents),
        format_cents(c.paid_cents),
        format_cents(c.patient_responsibility_cents)
    );
    let adjustment = |a: &Adjustment| {
        println!(
            "      {:<8} {:>11}  {}",
            esc(&a.code()),
            format_cents(a.amount_cents),
            carc::describe(&a.carc)
        );
    };
    if !c.adjustments.is_empty() {
        println!("  claim adjustments:");
        c.adjustments.iter().for_each(adjustment);
    }
    println!("  LINES");
    for l in &c.lines {
        println!("    {}", esc(&l.summary()));
        l.adjustments.iter().for_each(adjustment);
        for r in &l.remarks {
            println!("      {:<8} {}", esc(r), rarc::describe(r));
        }
    }
    for r in &c.remarks {
        println!("  remark {:<6} {}", esc(r), rarc::describe(r));
    }
}

/// Each appeal level's packet: the letters written (their files) and the documents checked
/// off, and what an appeal went without.
fn print_packets(i: &crate::domain::work_item::WorkItem) {
    for p in &i.packets {
        let sent = i.appeals.iter().any(|a| a.level == p.level);
        println!(
            "  level {} appeal packet ({}):",
            p.level,
            if sent { "sent" } else { "not sent yet" }
        );
        for l in &p.letters {
            println!(
                "    letter {} (template {}) {}: {}",
                esc(&l.what),
                esc(&l.template),
                l.written_on,
                esc(l.path.as_deref().unwrap_or("printed, no file"))
            );
        }
        for d in &p.documents {
            println!("    [x] {}: {}", esc(&d.label), esc(&d.reference));
        }
        if let Some(w) = &p.sent_without {
            println!(
                "    sent without {} ({})",
                esc(&w.documents.join("; ")),
                esc(&w.reason)
            );
        }
    }
}
