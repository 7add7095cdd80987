//! `denialdesk prevent`: prevention items, the operational fixes for denial patterns,
//! and whether they worked: each cause's denial rate and denied dollars in equal periods
//! before and after the fix started (see `domain::prevention`).

use super::context::Context;
use super::date_arg;
use crate::domain::money::format_cents;
use crate::domain::prevention::{effects, Cause, PreventionItem, PreventionStatus, Window};
use crate::text::escape as esc;
use anyhow::{anyhow, bail, Result};

/// What to do with prevention items.
#[derive(Debug, clap::Subcommand)]
pub enum PreventCommand {
    /// Open a prevention item for a root cause: `--cause payer=AETNA,category=eligibility
    /// --owner maria --due +30 --action "verify eligibility at check-in"`.
    Add {
        /// The denials it is meant to stop: DIMENSION=VALUE pairs joined by commas, over
        /// payer, category, carc, stage, provider, facility, cpt (as the KPI breakdowns
        /// name them; case does not matter).
        #[arg(long)]
        cause: String,
        /// Who owns the fix (a user name).
        #[arg(long)]
        owner: String,
        /// When it should be in place (a date, or +N days).
        #[arg(long, value_name = "DATE")]
        due: String,
        /// What will be done.
        #[arg(long)]
        action: String,
    },
    /// Every prevention item with its cause's figures before and after it started;
    /// overdue items stand out.
    List {
        /// One JSON object per line: id, cause, owner, due, status, action, start, note,
        /// overdue, and before and after, each {from, to, denials, denied_cents, rate}
        /// (rate: {numerator, denominator, percent}).
        #[arg(long)]
        json: bool,
    },
    /// Change a prevention item: its status (open, done, dropped), owner, due date,
    /// action or note.
    Set {
        /// The item's number.
        id: u64,
        /// open, done or dropped.
        #[arg(long)]
        status: Option<String>,
        /// A new owner.
        #[arg(long)]
        owner: Option<String>,
        /// A new due date (a date, or +N days).
        #[arg(long, value_name = "DATE")]
        due: Option<String>,
        /// A new wording of the action.
        #[arg(long)]
        action: Option<String>,
        /// The latest word on it (why it was dropped, what was done).
        #[arg(long)]
        note: Option<String>,
    },
}

pub fn run(ctx: &Context, command: &PreventCommand) -> Result<()> {
    match command {
        PreventCommand::Add {
            cause,
            owner,
            due,
            action,
        } => add(ctx, cause, owner, due, action),
        PreventCommand::List { json } => list(ctx, *json),
        PreventCommand::Set {
            id,
            status,
            owner,
            due,
            action,
            note,
        } => {
            if [status, owner, due, action, note]
                .iter()
                .all(|o| o.is_none())
            {
                bail!("say what to change: --status, --owner, --due, --action or --note");
            }
            let store = ctx.store()?;
            let mut item = store
                .prevention_items()?
                .into_iter()
                .find(|p| p.id == *id)
                .ok_or_else(|| {
                    anyhow!("there is no prevention item {id} (see `denialdesk prevent list`)")
                })?;
            if let Some(s) = status {
                item.status = PreventionStatus::parse(s)
                    .ok_or_else(|| anyhow!("--status: open, done or dropped"))?;
            }
            if let Some(o) = owner {
                item.owner = o.trim().to_string();
            }
            if let Some(d) = due {
                let d = date_arg("--due", d, ctx.today)?;
                if d < ctx.today && d != item.due {
                    bail!("--due {d} is in the past (today is {})", ctx.today);
                }
                item.due = d;
            }
            if let Some(a) = action {
                item.action = a.trim().to_string();
            }
            if let Some(n) = note {
                item.note = n.trim().to_string();
            }
            let saved = store.save_prevention(&item, &ctx.user)?;
            println!(
                "done: prevention item {} for {} is {} (owner {}, due {})",
                saved.id,
                esc(&saved.cause.to_string()),
                saved.status,
                esc(&saved.owner),
                saved.due
            );
            Ok(())
        }
    }
}

fn add(ctx: &Context, cause: &str, owner: &str, due: &str, action: &str) -> Result<()> {
    let mut cause = Cause::parse(cause).map_err(|e| anyhow!("--cause: {e}"))?;
    let due = date_arg("--due", due, ctx.today)?;
    let store = ctx.store()?;
    cause
        .resolve(&store.work_items()?)
        .map_err(|e| anyhow!("--cause: {}", esc(&e)))?;
    let item = PreventionItem::new(cause, action, owner, due, ctx.today, &ctx.user)
        .map_err(|e| anyhow!(e))?;
    let saved = store.save_prevention(&item, &ctx.user)?;
    println!(
        "done: prevention item {} for {}: {} (owner {}, due {}); its effect is measured from {}",
        saved.id,
        esc(&saved.cause.to_string()),
        esc(&saved.action),
        esc(&saved.owner),
        saved.due,
        saved.start
    );
    Ok(())
}

fn window_json(w: &Window) -> serde_json::Value {
    serde_json::json!({
        "from": w.from,
        "to": w.to,
        "denials": w.denials,
        "denied_cents": w.denied_cents,
        "rate": w.rate,
    })
}

fn window_text(w: &Window) -> String {
    format!(
        "{}..{}: {} denial{}, {}, rate {}{}",
        w.from,
        w.to,
        w.denials,
        if w.denials == 1 { "" } else { "s" },
        format_cents(w.denied_cents),
        w.rate.display(),
        if w.rate.denominator > 0 {
            format!(" ({}/{})", w.rate.numerator, w.rate.denominator)
        } else {
            String::new()
        }
    )
}

fn list(ctx: &Context, json: bool) -> Result<()> {
    let store = ctx.store()?;
    let items = store.work_items()?;
    let days = store.adjudication_days()?;
    let prevention = store.prevention_items()?;
    if prevention.is_empty() && !json {
        println!("No prevention items: open one from a root cause (KPI pane, F) or with `denialdesk prevent add`.");
    }
    let figures = effects(&prevention, &items, &days, ctx.today);
    for (p, e) in prevention.iter().zip(&figures) {
        if json {
            let v = serde_json::json!({
                "id": p.id,
                "cause": p.cause.to_string(),
                "owner": p.owner,
                "due": p.due,
                "status": p.status,
                "action": p.action,
                "start": p.start,
                "note": p.note,
                "overdue": p.overdue(ctx.today),
                "before": window_json(&e.before),
                "after": window_json(&e.after),
            });
            println!("{}", crate::text::json(v.to_string()));
            continue;
        }
        println!(
            "#{} {} · owner {} · due {}{} · started {}",
            p.id,
            p.status,
            esc(&p.owner),
            p.due,
            if p.overdue(ctx.today) { " OVERDUE" } else { "" },
            p.start
        );
        println!("   cause  {}", esc(&p.cause.to_string()));
        println!("   action {}", esc(&p.action));
        if !p.note.is_empty() {
            println!("   note   {}", esc(&p.note));
        }
        println!("   before {}", window_text(&e.before));
        println!(
            "   after  {}{}",
            window_text(&e.after),
            match e.verdict() {
                "" => String::new(),
                v => format!(" · {v}"),
            }
        );
    }
    Ok(())
}
