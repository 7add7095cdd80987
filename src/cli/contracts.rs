//! `denialdesk contracts import FILE.csv` and `denialdesk contracts list`: the expected
//! reimbursement underpayments are measured against.

use super::context::Context;
use crate::domain::money::format_cents;
use crate::text::escape as esc;
use anyhow::{Context as _, Result};
use std::path::Path;

/// Reads the whole file first (a bad line stores nothing), then replaces the rows.
pub fn import(ctx: &Context, path: &Path) -> Result<()> {
    let name = path.display().to_string();
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", esc(&name)))?;
    let set = crate::ingest::contracts_csv::parse(&name, &text)?;
    let store = ctx.store()?;
    let replaced = store.set_contracts(&set, &ctx.user)?;
    println!(
        "{}: {} contract rows loaded{}",
        esc(&name),
        set.rows.len(),
        if replaced > 0 {
            format!(" (replacing {replaced})")
        } else {
            String::new()
        }
    );
    Ok(())
}

/// The rows in force, as loaded.
pub fn list(ctx: &Context, as_json: bool) -> Result<()> {
    let store = ctx.store()?;
    let Some(set) = store.contracts()? else {
        if !as_json {
            println!("No contracts loaded: denialdesk contracts import FILE.csv (see README, \"Contracts\").");
        }
        return Ok(());
    };
    if as_json {
        for row in &set.rows {
            println!("{}", crate::text::json(serde_json::to_string(row)?));
        }
        return Ok(());
    }
    println!("{} rows from {}", set.rows.len(), esc(&set.file));
    println!(
        "{:<20} {:<10} {:<4} {:>11}  {:<10} {:<10} NARROWED BY",
        "PAYER", "PROCEDURE", "MOD", "ALLOWED", "FROM", "TO"
    );
    for r in &set.rows {
        let date = |d: Option<chrono::NaiveDate>| d.map_or("-".to_string(), |d| d.to_string());
        let narrow: Vec<String> = [
            r.place_of_service
                .as_ref()
                .map(|p| format!("place of service {p}")),
            r.revenue_code.as_ref().map(|c| format!("revenue code {c}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        println!(
            "{:<20} {:<10} {:<4} {:>11}  {:<10} {:<10} {}",
            esc(&r.payer),
            esc(&r.procedure),
            esc(if r.modifier.is_empty() {
                "-"
            } else {
                &r.modifier
            }),
            format_cents(r.allowed_cents),
            date(r.effective_from),
            date(r.effective_to),
            esc(&narrow.join(", "))
        );
    }
    Ok(())
}
