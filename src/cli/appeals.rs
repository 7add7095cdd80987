//! Appeals from the command line: filing one, recording the payer's decision, and
//! correcting either by a new audited entry that supersedes the mistaken one (`--correct`,
//! `--withdraw`); nothing recorded is deleted.

use super::actions::save;
use super::context::Context;
use super::date_arg;
use crate::domain::action::{checklist_for, WorkAction};
use crate::domain::appeal::{AppealResult, Channel};
use crate::domain::money::parse_typed_cents;
use crate::domain::packet::PacketCheck;
use crate::domain::status::Status;
use crate::domain::work_item::{RowFields, WorkItem};
use anyhow::{anyhow, Result};
use chrono::NaiveDate;

#[derive(Debug, clap::Args)]
pub struct AppealArgs {
    /// The claim: its key, its CLP01, or CLP01@N when several claims share one.
    pub claim: String,
    /// Appeal level (default: the next one: 1, or the level an upheld decision opened).
    #[arg(long)]
    pub level: Option<u8>,
    /// portal, fax, mail, phone or electronic (required unless correcting or withdrawing).
    #[arg(long)]
    pub channel: Option<String>,
    /// Date sent (default: today).
    #[arg(long, value_name = "DATE")]
    pub submitted: Option<String>,
    /// When the payer must answer (default: the sent date + the payer's response time for
    /// the level, from the payer rules, else the program's default: Medicare 60 days …).
    #[arg(long = "due", value_name = "DATE")]
    pub response_due: Option<String>,
    /// Documents sent.
    #[arg(long)]
    pub documents: Option<String>,
    /// Send it although required documents of the level's checklist are not checked off,
    /// and say why (kept on the timeline and in the audit); see `denialdesk checklist`.
    #[arg(long, value_name = "REASON", conflicts_with_all = ["correct", "withdraw"])]
    pub sent_without: Option<String>,
    /// Correct the most recent appeal's record instead (what is not given stays as
    /// recorded); needs --reason.
    #[arg(long, conflicts_with = "withdraw")]
    pub correct: bool,
    /// Take back the open appeal (recorded in error, or withdrawn from the payer); needs
    /// --reason.
    #[arg(long)]
    pub withdraw: bool,
    /// Why the record is corrected or withdrawn (kept on the timeline and in the audit).
    #[arg(long)]
    pub reason: Option<String>,
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
    /// When the payer decided (default: today; correcting, the date recorded).
    #[arg(long, value_name = "DATE")]
    pub decided: Option<String>,
    /// Correct the decision recorded on the most recent appeal instead; needs --reason.
    #[arg(long)]
    pub correct: bool,
    /// Why the decision is corrected (kept on the timeline and in the audit).
    #[arg(long)]
    pub reason: Option<String>,
}

/// A date of something that already happened (`12/1` is the last December 1st).
fn past_date(ctx: &Context, option: &str, text: &str) -> Result<NaiveDate> {
    crate::domain::dates::parse_past_date(text, ctx.today).map_err(|e| anyhow!("{option}: {e}"))
}

/// The work item a command names, or why there is none.
fn work_item(ctx: &Context, claim: &str) -> Result<WorkItem> {
    ctx.store()?
        .work_item(claim)?
        .ok_or_else(|| anyhow!("no claim {claim:?} in the worklist (see `denialdesk list`)"))
}

fn channel(text: &str) -> Result<Channel> {
    Channel::parse(text).ok_or_else(|| {
        let names: Vec<_> = Channel::ALL.iter().map(|c| c.key()).collect();
        anyhow!("unknown channel {text:?}; use one of: {}", names.join(", "))
    })
}

fn reason(given: &Option<String>, what: &str) -> Result<String> {
    given
        .clone()
        .filter(|r| !r.trim().is_empty())
        .ok_or_else(|| anyhow!("{what} needs --reason: why the record was wrong"))
}

pub fn appeal(ctx: &Context, args: AppealArgs) -> Result<()> {
    if args.withdraw {
        let reason = reason(&args.reason, "--withdraw")?;
        let item = save(ctx, &args.claim, WorkAction::WithdrawAppeal { reason })?;
        println!(
            "done: the open appeal on {} is withdrawn; status {}",
            item.key,
            item.status_label()
        );
        return Ok(());
    }
    let item = work_item(ctx, &args.claim)?;
    if args.correct {
        return correct_appeal(ctx, &args, &item);
    }
    let level = args.level.unwrap_or_else(|| item.next_appeal_level());
    let channel = channel(args.channel.as_deref().ok_or_else(|| {
        anyhow!("--channel is required: portal, fax, mail, phone or electronic")
    })?)?;
    let submitted = past_date(
        ctx,
        "--submitted",
        args.submitted.as_deref().unwrap_or("today"),
    )?;
    let rules = ctx.payer_rules()?;
    let response_due = match &args.response_due {
        Some(due) => date_arg("--due", due, ctx.today)?,
        None => {
            let (days, _) = crate::domain::payer_rules::response_days(
                &rules,
                &item.payer_party(),
                &item.filing_indicator,
                level,
            );
            submitted + chrono::Duration::days(i64::from(days))
        }
    };
    let action = WorkAction::FileAppeal {
        level,
        channel,
        submitted,
        response_due,
        documents: args.documents.clone().unwrap_or_default(),
        packet: PacketCheck {
            checklist: checklist_for(&item, &rules.checklists, level),
            checks: Vec::new(),
            sent_without: args.sent_without.clone(),
        },
    };
    let item = save(ctx, &args.claim, action).map_err(|e| {
        // The way on, in this command's words (the refusal may have come back from the
        // team server as text).
        let missing = e
            .to_string()
            .contains("packet is missing required documents");
        if missing {
            anyhow!(
                "{e}: `denialdesk checklist {} --check N=WHERE`, or add --sent-without REASON",
                args.claim
            )
        } else {
            e
        }
    })?;
    if let Some(a) = item.appeals.last() {
        println!(
            "done: level {} appeal on {} recorded, response due {}",
            a.level, item.key, a.response_due
        );
    }
    Ok(())
}

/// The most recent appeal's record, with what was given replacing what was recorded.
fn correct_appeal(ctx: &Context, args: &AppealArgs, item: &WorkItem) -> Result<()> {
    let reason = reason(&args.reason, "--correct")?;
    let last = item
        .appeals
        .last()
        .ok_or_else(|| anyhow!("{} has no appeal to correct", item.key))?;
    let action = WorkAction::CorrectAppeal {
        level: args.level.unwrap_or(last.level),
        channel: match &args.channel {
            Some(c) => channel(c)?,
            None => last.channel,
        },
        submitted: match &args.submitted {
            Some(d) => past_date(ctx, "--submitted", d)?,
            None => last.submitted,
        },
        response_due: match &args.response_due {
            Some(d) => date_arg("--due", d, ctx.today)?,
            None => last.response_due,
        },
        documents: args
            .documents
            .clone()
            .unwrap_or_else(|| last.documents.clone()),
        reason,
    };
    let item = save(ctx, &args.claim, action)?;
    if let Some(a) = item.appeals.last() {
        println!(
            "done: level {} appeal on {} corrected: sent {} by {}, response due {}",
            a.level, item.key, a.submitted, a.channel, a.response_due
        );
    }
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
                "--amount is required when the appeal is {}: what the payer agreed to pay",
                result.key()
            ))
        }
    };
    let item = work_item(ctx, &args.claim)?;
    let recorded = item
        .appeals
        .last()
        .and_then(|a| a.decision.as_ref())
        .map(|d| d.decided);
    let decided = match (&args.decided, args.correct, recorded) {
        (Some(text), _, _) => past_date(ctx, "--decided", text)?,
        (None, true, Some(date)) => date,
        (None, _, _) => ctx.today,
    };
    let rules = ctx.payer_rules()?;
    // Upheld opens the next level with its deadline from the payer rules.
    let action = if args.correct {
        let reason = reason(&args.reason, "--correct")?;
        WorkAction::correct_decision(&item, &rules, result, decided, amount_cents, &reason)
    } else {
        WorkAction::decide(&item, &rules, result, decided, amount_cents)
    };
    let item = save(ctx, &args.claim, action)?;
    let next = match item.status {
        Status::Upheld => format!(
            "; level {} appeal due {}",
            item.next_appeal_level(),
            item.appeal_deadline.date
        ),
        _ => String::new(),
    };
    println!(
        "done: appeal on {} {}{result}; status {}{next}",
        item.key,
        if args.correct { "corrected to " } else { "" },
        item.status_label()
    );
    Ok(())
}
