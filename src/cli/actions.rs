//! The specialist's actions from the command line: each is validated, saved atomically,
//! flushed and audited by the store before "done" is printed.

use super::context::Context;
use super::date_arg;
use crate::domain::action::WorkAction;
use crate::domain::appeal::{AppealResult, Channel};
use crate::domain::claim_identity::ClaimRef;
use crate::domain::money::parse_typed_cents;
use crate::domain::status::Status;
use crate::domain::timeline::PayerCall;
use crate::domain::work_item::WorkItem;
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

#[derive(Debug, clap::Args)]
pub struct AppealArgs {
    /// The claim: its key, its CLP01, or CLP01@N when several claims share one.
    pub claim: String,
    /// Appeal level (1 = first reconsideration).
    #[arg(long, default_value_t = 1)]
    pub level: u8,
    /// portal, fax, mail, phone or electronic.
    #[arg(long)]
    pub channel: String,
    /// Date sent.
    #[arg(long, default_value = "today", value_name = "DATE")]
    pub submitted: String,
    /// When the payer must answer (default: today + the payer's `response_days`, else 60
    /// days for Medicare, 30 for anyone else).
    #[arg(long = "due", value_name = "DATE")]
    pub response_due: Option<String>,
    /// Documents sent.
    #[arg(long, default_value = "")]
    pub documents: String,
}

#[derive(Debug, clap::Args)]
pub struct OutcomeArgs {
    /// The claim: its key, its CLP01, or CLP01@N when several claims share one.
    pub claim: String,
    /// overturned, partial or upheld.
    pub result: String,
    /// Amount the payer agreed to pay, e.g. 1240.00 (required unless upheld).
    #[arg(long)]
    pub amount: Option<String>,
    #[arg(long, default_value = "today", value_name = "DATE")]
    pub decided: String,
}

fn save(ctx: &Context, claim: &str, action: WorkAction) -> Result<WorkItem> {
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

/// A date of something that already happened (`12/1` is the last December 1st).
fn any_date(ctx: &Context, option: &str, text: &str) -> Result<chrono::NaiveDate> {
    crate::domain::dates::parse_past_date(text, ctx.today).map_err(|e| anyhow!("{option}: {e}"))
}

/// The work item a command names, or why there is none.
fn work_item(ctx: &Context, claim: &str) -> Result<crate::domain::work_item::WorkItem> {
    ctx.store()?
        .work_item(claim)?
        .ok_or_else(|| anyhow!("no claim {claim:?} in the worklist (see `denialdesk list`)"))
}

/// Without `--due`: today + the payer's response time for the level (payer rules, else
/// the program's default).
fn default_response_due(ctx: &Context, claim: &str, level: u8) -> Result<chrono::NaiveDate> {
    let item = work_item(ctx, claim)?;
    let rules = ctx.payer_rules()?;
    let (days, _) = crate::domain::payer_rules::response_days(
        &rules,
        &item.payer_party(),
        &item.filing_indicator,
        level,
    );
    Ok(ctx.today + chrono::Duration::days(i64::from(days)))
}

pub fn appeal(ctx: &Context, args: AppealArgs) -> Result<()> {
    let channel = Channel::parse(&args.channel).ok_or_else(|| {
        let names: Vec<_> = Channel::ALL.iter().map(|c| c.key()).collect();
        anyhow!(
            "unknown channel {:?}; use one of: {}",
            args.channel,
            names.join(", ")
        )
    })?;
    let action = WorkAction::FileAppeal {
        level: args.level,
        channel,
        submitted: any_date(ctx, "--submitted", &args.submitted)?,
        response_due: match &args.response_due {
            Some(due) => date_arg("--due", due, ctx.today)?,
            None => default_response_due(ctx, &args.claim, args.level)?,
        },
        documents: args.documents,
    };
    let item = save(ctx, &args.claim, action)?;
    let a = item.appeals.last().expect("just filed");
    println!(
        "done: level {} appeal on {} recorded, response due {}",
        a.level, item.key, a.response_due
    );
    Ok(())
}

pub fn appeal_outcome(ctx: &Context, args: OutcomeArgs) -> Result<()> {
    let result = AppealResult::parse(&args.result).ok_or_else(|| {
        anyhow!(
            "unknown appeal result {:?}; use overturned, partial or upheld",
            args.result
        )
    })?;
    // No default amount: an overturned appeal recorded as $0.00 by omission would hide
    // the money the payer owes.
    let amount_cents = match (&args.amount, result) {
        (Some(amount), _) => parse_typed_cents(amount).map_err(|e| anyhow!("--amount: {e}"))?,
        (None, AppealResult::Upheld) => 0,
        (None, _) => {
            return Err(anyhow!(
                "--amount is required for a {} appeal: what the payer agreed to pay",
                result.key()
            ))
        }
    };
    let decided = any_date(ctx, "--decided", &args.decided)?;
    // Upheld opens the next level with its deadline from the payer rules.
    let action = WorkAction::decide(
        &work_item(ctx, &args.claim)?,
        &ctx.payer_rules()?,
        result,
        decided,
        amount_cents,
    );
    let item = save(ctx, &args.claim, action)?;
    let next = match item.status {
        crate::domain::status::Status::Upheld => format!(
            "; level {} appeal due {}",
            item.next_appeal_level(),
            item.appeal_deadline.date
        ),
        _ => String::new(),
    };
    println!(
        "done: appeal on {} {result}; status {}{next}",
        item.key,
        item.status_label()
    );
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
                    .map(|i| i.key)
                    .ok_or_else(|| anyhow!("no claim {named:?} in the worklist"))?,
            )
        }
        _ => claim.map(String::from),
    };
    let claim = resolved.as_deref();
    for entry in store.audit_log()? {
        // A key names one claim; a CLP01 every claim that shares it (each line shows
        // its key).
        let about = entry.claim_id.as_deref();
        if claim.is_some_and(|c| {
            about != Some(c) && about.map(crate::domain::claim_identity::claim_id_of_key) != Some(c)
        }) {
            continue;
        }
        if json {
            println!("{}", crate::text::json(serde_json::to_string(&entry)?));
        } else {
            println!(
                "{}  {:<10} {:<10} {:<14} {}",
                entry.at.format("%Y-%m-%d %H:%M:%S"),
                esc(&entry.user),
                esc(&entry.action),
                esc(entry.claim_id.as_deref().unwrap_or("-")),
                esc(&entry.detail)
            );
            for c in &entry.changes {
                // JSON values: serde escapes C0 in strings; C1 and bidirectional controls
                // are escaped here too.
                println!(
                    "{:>40}{}: {} → {}",
                    "",
                    esc(&c.field),
                    crate::text::json(c.before.to_string()),
                    crate::text::json(c.after.to_string())
                );
            }
        }
    }
    Ok(())
}
