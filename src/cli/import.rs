//! `denialdesk import FILE...` and `denialdesk batches`.

use super::context::Context;
use crate::import::{import_source, FileSource};
use anyhow::{bail, Result};
use std::path::PathBuf;

pub fn run(ctx: &Context, files: &[PathBuf]) -> Result<()> {
    let rules = ctx.payer_rules()?;
    if rules.payers.is_empty() {
        eprintln!(
            "note: no payer rules loaded (--payers, DENIALDESK_PAYERS or payer_rules in the config file): deadlines use the built-in defaults, marked *"
        );
    }
    let store = ctx.store()?;
    let mut failed = 0;
    for path in files {
        match import_source(store.as_ref(), &FileSource::new(path), &rules, &ctx.user, 0) {
            Ok(report) => println!("{}", report.summary()),
            Err(e) => {
                failed += 1;
                eprintln!("error: {e}\n  (nothing from this file was imported)");
            }
        }
    }
    if failed > 0 {
        bail!("{failed} of {} files failed to import", files.len());
    }
    Ok(())
}

/// `denialdesk batches`: the claim batches 999s answered, rejected ones with their findings.
pub fn batches(ctx: &Context, all: bool, as_json: bool) -> Result<()> {
    let store = ctx.store()?;
    let mut acks: Vec<_> = store
        .batch_acks()?
        .into_iter()
        .filter(|b| all || (b.rejected() && b.resolved.is_none()))
        .collect();
    // Open rejections first, then the rest, each in import order.
    acks.sort_by_key(|b| !(b.rejected() && b.resolved.is_none()));
    if as_json {
        for ack in &acks {
            let line = serde_json::json!({
                "file": ack.source_file,
                "transaction": ack.transaction,
                "date": ack.date,
                "batch": ack.group_control,
                "functional_group": ack.group_kind,
                "version": ack.group_version,
                "result": ack.result,
                "rejected": ack.rejected(),
                "sets_included": ack.counts.0,
                "sets_received": ack.counts.1,
                "sets_accepted": ack.counts.2,
                "findings": ack.findings(),
                "resolved": ack.resolved,
                "sets": ack.sets,
            });
            println!("{}", crate::text::json(line.to_string()));
        }
        return Ok(());
    }
    if acks.is_empty() {
        println!(
            "{}",
            if all {
                "No 999 or 997 acknowledgment imported yet."
            } else {
                "No rejected claim batch (denialdesk batches --all lists every batch)."
            }
        );
    }
    let esc = crate::text::escape;
    for ack in &acks {
        let open = ack.rejected() && ack.resolved.is_none();
        println!(
            "{}{} [{} {}]",
            if open { "!! " } else { "" },
            esc(&ack.summary()),
            ack.date,
            esc(&ack.source_file)
        );
        if let Some(r) = &ack.resolved {
            println!("   {}", esc(r));
        }
        for finding in ack.findings() {
            println!("   {}", esc(&finding));
        }
    }
    Ok(())
}

/// `denialdesk batches --resolve BATCH --reason TEXT`.
pub fn resolve_batch(ctx: &Context, batch: &str, reason: &str) -> Result<()> {
    let store = ctx.store()?;
    let resolved = store.resolve_batch(batch, reason, &ctx.user)?;
    println!(
        "done: claim batch {} marked resolved ({} acknowledgment{})",
        crate::text::escape(batch),
        resolved.len(),
        if resolved.len() == 1 { "" } else { "s" }
    );
    Ok(())
}
