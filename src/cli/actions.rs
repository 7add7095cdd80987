//! The specialist's actions from the command line: each is validated, saved atomically,
//! flushed and audited by the store before "done" is printed.

use super::context::Context;
use super::date_arg;
use crate::domain::action::WorkAction;
use crate::domain::claim_identity::ClaimRef;
use crate::domain::status::Status;
use crate::domain::timeline::PayerCall;
use crate::domain::work_item::WorkItem;
use crate::store::audit::AuditEntry;
use crate::text::escape as esc;
use anyhow::{anyhow, Result};

#[derive(Debug, clap::Args)]
pub struct CallArgs {
    /// The claim: its key, its CLP01, or CLP01@N when several claims share one.
    pub claim: String,
    /// Payer representative's name.
    #[arg(long)]
    pub rep: String,
    /// Call reference number the payer gave.
    #[arg(long = "ref")]
    pub reference: String,
    /// What the payer said.
    #[arg(long)]
    pub outcome: String,
    /// Next action.
    #[arg(long)]
    pub next: Option<String>,
    /// Follow-up date (2026-12-01, +7, +2w, tomorrow, mon…).
    #[arg(long, value_name = "DATE")]
    pub follow_up: Option<String>,
}

pub(super) fn save(ctx: &Context, claim: &str, action: WorkAction) -> Result<WorkItem> {
    let store = ctx.store()?;
    Ok(store.apply(claim, &action, ctx.today, &ctx.user)?)
}

pub fn call(ctx: &Context, args: CallArgs) -> Result<()> {
    let follow_up = match &args.follow_up {
        Some(d) => Some(date_arg("--follow-up", d, ctx.today)?),
        None => None,
    };
    let item = save(
        ctx,
        &args.claim,
        WorkAction::LogCall(PayerCall {
            rep_name: args.rep,
            reference: args.reference,
            outcome: args.outcome,
            next_action: args.next,
            follow_up,
        }),
    )?;
    let follow = item
        .follow_up
        .map_or(String::new(), |d| format!(", follow-up {d}"));
    println!(
        "done: call logged on {} (status {}{follow})",
        item.key, item.status
    );
    Ok(())
}

pub fn follow_up(ctx: &Context, claim: &str, date: &str) -> Result<()> {
    let date = match date.trim().to_ascii_lowercase().as_str() {
        "none" | "clear" => None,
        _ => Some(date_arg("follow-up date", date, ctx.today)?),
    };
    let item = save(ctx, claim, WorkAction::SetFollowUp(date))?;
    match item.follow_up {
        Some(d) => println!(
            "done: follow-up for {} set to {d} ({})",
            item.key,
            d.format("%A")
        ),
        None => println!("done: follow-up for {} cleared", item.key),
    }
    Ok(())
}

pub fn status(ctx: &Context, claim: &str, status: &str, reason: Option<String>) -> Result<()> {
    let to = Status::parse(status).ok_or_else(|| {
        let names: Vec<_> = Status::ALL.iter().map(|s| s.key()).collect();
        anyhow!(
            "unknown status {status:?}; use one of: {}",
            names.join(", ")
        )
    })?;
    let item = save(ctx, claim, WorkAction::ChangeStatus { to, reason })?;
    println!("done: {} is now {}", item.key, item.status);
    Ok(())
}

pub fn assign(ctx: &Context, claim: &str, user: &str) -> Result<()> {
    let owner = match user {
        "me" => Some(ctx.user.clone()),
        "nobody" | "none" => None,
        other => Some(other.to_string()),
    };
    let item = save(ctx, claim, WorkAction::Assign(owner))?;
    println!(
        "done: {} assigned to {}",
        item.key,
        item.owner.as_deref().unwrap_or("nobody")
    );
    Ok(())
}

pub fn note(ctx: &Context, claim: &str, text: &str) -> Result<()> {
    let item = save(ctx, claim, WorkAction::AddNote(text.to_string()))?;
    println!("done: note added to {}", item.key);
    Ok(())
}

/// One audit entry, as a line (and a line per changed field) or as JSON.
fn print_audit_entry(entry: &AuditEntry, json: bool) -> Result<()> {
    if json {
        println!("{}", crate::text::json(serde_json::to_string(entry)?));
        return Ok(());
    }
    println!(
        "{}  {:<10} {:<10} {:<14} {}",
        entry.at.format("%Y-%m-%d %H:%M:%S"),
        esc(&entry.user),
        esc(&entry.action),
        esc(entry.claim_id.as_deref().unwrap_or("-")),
        esc(&entry.detail)
    );
    for c in &entry.changes {
        // JSON values: serde escapes C0 in strings; C1 and bidirectional controls are
        // escaped here too.
        println!(
            "{:>40}{}: {} → {}",
            "",
            esc(&c.field),
            crate::text::json(c.before.to_string()),
            crate::text::json(c.after.to_string())
        );
    }
    // A large set opens thousands: counted here, each one answered for by `--claim`,
    // listed by `--json`.
    if !entry.opened.is_empty() {
        println!(
            "{:>40}{} of the work items it opened went to no one's queue: audit --claim KEY \
             answers for each, --json lists them (one routed as it opened has its own entry)",
            "",
            entry.opened.len()
        );
    }
    Ok(())
}

pub fn audit(ctx: &Context, claim: Option<&str>, json: bool) -> Result<()> {
    let store = ctx.store()?;
    // A key or CLP01@N names one claim; a bare CLP01 every claim sharing it.
    let resolved: Option<String> = match claim.map(ClaimRef::parse) {
        Some(ClaimRef::Key(_) | ClaimRef::Nth(..)) => {
            let named = claim.unwrap_or_default();
            Some(
                store
                    .work_item(named)?
                    .map(|i| i.key.into())
                    .ok_or_else(|| anyhow!("no claim {named:?} in the worklist"))?,
            )
        }
        _ => claim.map(String::from),
    };
    let claim = resolved.as_deref();
    for entry in store.audit_log()? {
        // A key names one claim; a CLP01 every claim that shares it (each line shows its
        // key). A set's entry answers for each item it opened, as that item's own.
        let shown: Vec<AuditEntry> = match claim {
            None => vec![entry],
            Some(c) => entry
                .claim_id
                .iter()
                .chain(&entry.opened)
                .filter(|k| *k == c || crate::domain::claim_identity::claim_id_of_key(k) == c)
                .map(|k| entry.as_about(k))
                .collect(),
        };
        for entry in shown {
            print_audit_entry(&entry, json)?;
        }
    }
    Ok(())
}
