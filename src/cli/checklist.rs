//! `denialdesk checklist`: the appeal packet for a claim's next (or a given) level: the
//! documents the payer expects, each checked off with where it is, and the letters
//! written; `--check`/`--uncheck` record references (audited, on the timeline).

use super::actions::save;
use super::context::Context;
use crate::config;
use crate::domain::action::{checklist_for, packet, WorkAction};
use crate::domain::packet::{AppealPacket, ChecklistDoc, ChecklistState, DocumentEntry};
use crate::domain::work_item::{ItemKind, WorkItem};
use crate::text::escape as esc;
use anyhow::{anyhow, bail, Result};

#[derive(Debug, clap::Args)]
pub struct ChecklistArgs {
    /// The claim: its key, its CLP01, or CLP01@N when several claims share one.
    pub claim: String,
    /// The appeal level (default: the next one). A level already sent shows what went.
    #[arg(long)]
    pub level: Option<u8>,
    /// Check off a document with where it is: its number or id, `=`, the reference
    /// (`--check "2=faxed 2026-12-02"`, `--check "appeal-letter=portal upload 4471"`).
    /// Repeatable.
    #[arg(long, value_name = "ITEM=REFERENCE")]
    pub check: Vec<String>,
    /// Uncheck a document (its number or id). Repeatable.
    #[arg(long, value_name = "ITEM")]
    pub uncheck: Vec<String>,
    /// One JSON object: claim, key, level, sent, documents (n, id, label, required,
    /// reference), missing (ids), sent_without, letters.
    #[arg(long)]
    pub json: bool,
}

/// The checklist item `which` names: its number in the list, its id, or the start of
/// exactly one id.
fn find<'a>(checklist: &'a [ChecklistDoc], which: &str) -> Result<&'a ChecklistDoc> {
    let which = which.trim();
    if let Ok(n) = which.parse::<usize>() {
        return checklist.get(n.wrapping_sub(1)).ok_or_else(|| {
            anyhow!(
                "there is no document {n}: the checklist has {}",
                checklist.len()
            )
        });
    }
    if let Some(d) = checklist.iter().find(|d| d.id == which) {
        return Ok(d);
    }
    let starting: Vec<&ChecklistDoc> = checklist
        .iter()
        .filter(|d| d.id.starts_with(which))
        .collect();
    match starting.as_slice() {
        [one] => Ok(one),
        _ => bail!(
            "{which:?} names no single document; give its number or id: {}",
            checklist
                .iter()
                .enumerate()
                .map(|(n, d)| format!("{} {}", n + 1, d.id))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

pub fn run(ctx: &Context, args: &ChecklistArgs) -> Result<()> {
    let store = ctx.store()?;
    let mut item = store.work_item(&args.claim)?.ok_or_else(|| {
        anyhow!(
            "no claim {:?} in the worklist (see `denialdesk list`)",
            args.claim
        )
    })?;
    if item.kind == ItemKind::Rejection {
        bail!(
            "{}: a rejection was never adjudicated, so there is nothing to appeal: correct the claim and send it again",
            item.key
        );
    }
    let level = args.level.unwrap_or_else(|| item.next_appeal_level());
    if !(1..=5).contains(&level) {
        bail!("--level: the appeal level must be 1 to 5");
    }
    let rules = config::payers_file(ctx.payers_given.as_deref(), &ctx.config)?;
    let checklist = checklist_for(&item, &rules.checklists, level);
    if !args.check.is_empty() || !args.uncheck.is_empty() {
        let mut entries = Vec::new();
        for given in &args.check {
            let (which, reference) = given.split_once('=').ok_or_else(|| {
                anyhow!("--check {given:?}: give ITEM=REFERENCE, e.g. \"2=faxed 2026-12-02\"")
            })?;
            if reference.trim().is_empty() {
                bail!("--check {given:?}: say where the document is (a file, a document id, \"faxed 2026-12-02\")");
            }
            entries.push(DocumentEntry {
                doc: find(&checklist, which)?.clone(),
                reference: reference.trim().to_string(),
            });
        }
        for which in &args.uncheck {
            entries.push(DocumentEntry {
                doc: find(&checklist, which)?.clone(),
                reference: String::new(),
            });
        }
        item = save(
            ctx,
            &item.key,
            WorkAction::CheckDocuments { level, entries },
        )?;
    }
    let recorded = packet(&item, level)
        .cloned()
        .unwrap_or_else(|| AppealPacket::new(level));
    let states = recorded.state(&checklist);
    let sent = item.appeals.iter().any(|a| a.level == level);
    if args.json {
        println!("{}", json(&item, level, sent, &states, &recorded));
    } else {
        print_text(&item, level, sent, &states, &recorded);
    }
    Ok(())
}

fn json(
    item: &WorkItem,
    level: u8,
    sent: bool,
    states: &[ChecklistState],
    recorded: &AppealPacket,
) -> serde_json::Value {
    serde_json::json!({
        "claim": item.claim_id,
        "key": item.key,
        "level": level,
        "sent": sent,
        "documents": states.iter().enumerate().map(|(n, s)| serde_json::json!({
            "n": n + 1,
            "id": s.doc.id,
            "label": s.doc.label,
            "required": s.doc.required,
            "reference": s.reference,
        })).collect::<Vec<_>>(),
        "missing": states
            .iter()
            .filter(|s| s.doc.required && s.reference.is_none())
            .map(|s| s.doc.id.clone())
            .collect::<Vec<_>>(),
        "sent_without": recorded.sent_without,
        "letters": recorded.letters,
    })
}

fn print_text(
    item: &WorkItem,
    level: u8,
    sent: bool,
    states: &[ChecklistState],
    recorded: &AppealPacket,
) {
    let what = if item.kind == ItemKind::Underpayment {
        "payment dispute"
    } else {
        item.category.label()
    };
    println!(
        "{} · level {level} appeal packet ({what}) · {}",
        esc(&item.key),
        if sent { "sent" } else { "not sent yet" }
    );
    let width = states
        .iter()
        .map(|s| s.doc.label.chars().count() + 2)
        .max()
        .unwrap_or(0)
        .min(60);
    for (n, s) in states.iter().enumerate() {
        let label = format!("{}{}", s.doc.label, if s.doc.required { " *" } else { "" });
        println!(
            "{:>3} [{}] {:<width$}  {}",
            n + 1,
            if s.reference.is_some() { "x" } else { " " },
            esc(&label),
            esc(s.reference.as_deref().unwrap_or(""))
        );
    }
    let missing: Vec<&str> = states
        .iter()
        .filter(|s| s.doc.required && s.reference.is_none())
        .map(|s| s.doc.label.as_str())
        .collect();
    if let Some(draft) = recorded.draft() {
        let file = draft.path.as_deref().unwrap_or("printed");
        println!(
            "draft letter {}: fill in its [bracketed] parts, then `denialdesk letter {} --text {} --out FILE.pdf`",
            esc(file),
            esc(&item.claim_id),
            esc(file)
        );
    }
    if let Some(without) = &recorded.sent_without {
        println!(
            "sent without {} ({})",
            esc(&without.documents.join("; ")),
            esc(&without.reason)
        );
    } else if missing.is_empty() {
        println!("* required · every required document is there");
    } else {
        println!(
            "* required · {} missing: {}",
            missing.len(),
            esc(&missing.join("; "))
        );
    }
    if !sent && !missing.is_empty() {
        println!(
            "check one off: denialdesk checklist {} --check \"N=where it is\"",
            esc(&item.claim_id)
        );
    }
}
