//! `denialdesk list`: the worklist as a table or as JSON lines.

use super::context::Context;
use super::date_arg;
use super::list_table::{default_columns, print_table, Totals};
use crate::domain::claim_identity::shared_position;
use crate::domain::filter_expr::FilterExpr;
use crate::domain::queue::search_text;
use crate::domain::row_order::SortKey;
use crate::domain::saved_view::{ListColumn, SavedView};
use crate::domain::status::Status;
use crate::domain::taxonomy::Category;
use crate::domain::work_item::{ItemKind, RowFields};
use crate::domain::worklist::{select, Filter, Row};
use anyhow::{anyhow, Result};
use chrono::NaiveDate;
use serde_json::json;
use std::collections::HashMap;

#[derive(Debug, clap::Args)]
pub struct ListArgs {
    /// Only this status (default: every open status).
    #[arg(long)]
    pub status: Option<String>,
    /// Include closed items (paid, final-upheld, written off).
    #[arg(long)]
    pub all: bool,
    /// Payer name (part of it) or payer id.
    #[arg(long)]
    pub payer: Option<String>,
    /// Denial category, e.g. authorization, coding, eligibility.
    #[arg(long)]
    pub category: Option<String>,
    /// Owner (`me` for yourself).
    #[arg(long)]
    pub owner: Option<String>,
    /// Follow-up or appeal deadline on or before this date.
    #[arg(long, value_name = "DATE")]
    pub due_before: Option<String>,
    /// denial (payer denials), rejection (claims rejected before adjudication, from
    /// 277CAs), underpayment (lines paid below the contracts), patient-responsibility (PR
    /// non-covered care), no-response (claims with
    /// the payer that no 835 or 277 answered for `no_response_days`, default 30) or all.
    /// (Default: denial; all with --view.)
    #[arg(long)]
    pub kind: Option<String>,
    /// priority, deadline, amount, age, follow-up or payer (default: priority, or the
    /// view's).
    #[arg(long)]
    pub sort: Option<String>,
    /// Reverse the sort.
    #[arg(long)]
    pub reverse: bool,
    /// The worklist's filter language, e.g. "payer:aetna status:new owner:me carc:197
    /// >1000 galloway" (every term must hold; see the README).
    #[arg(long, value_name = "TERMS")]
    pub filter: Option<String>,
    /// A saved view (`[[view]]` in the config file): its queue, filter, sort and columns;
    /// the options above narrow it further.
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,
    /// Show at most this many rows.
    #[arg(long)]
    pub limit: Option<usize>,
    /// One JSON object per line.
    #[arg(long)]
    pub json: bool,
}

impl ListArgs {
    /// `--kind no-response`: claims with the payer and unanswered, of any kind.
    fn no_response(&self) -> bool {
        self.kind().trim().eq_ignore_ascii_case("no-response")
    }

    /// The kind asked for: denials unless a view (which has its own queue) is shown.
    fn kind(&self) -> &str {
        match (&self.kind, &self.view) {
            (Some(k), _) => k,
            (None, Some(_)) => "all",
            (None, None) => "denial",
        }
    }
}

/// Turns the arguments into a filter, refusing unknown names with the valid ones listed.
pub fn filter_from(args: &ListArgs, user: &str, today: NaiveDate) -> Result<(Filter, SortKey)> {
    let status = match &args.status {
        Some(s) => Some(Status::parse(s).ok_or_else(|| {
            let names: Vec<_> = Status::ALL.iter().map(|s| s.key()).collect();
            anyhow::Error::from(super::exit::Usage(format!(
                "unknown status {s:?}; use one of: {}",
                names.join(", ")
            )))
        })?),
        None => None,
    };
    let category = match &args.category {
        Some(c) => Some(Category::parse(c).ok_or_else(|| {
            let names: Vec<_> = Category::ALL.iter().map(|c| c.key()).collect();
            anyhow::Error::from(super::exit::Usage(format!(
                "unknown category {c:?}; use one of: {}",
                names.join(", ")
            )))
        })?),
        None => None,
    };
    let sort = match &args.sort {
        None => SortKey::Priority,
        Some(text) => SortKey::parse(text).ok_or_else(|| {
            anyhow::Error::from(super::exit::Usage(format!(
                "unknown sort {text:?}; use priority, deadline, amount, age, follow-up or payer"
            )))
        })?,
    };
    let due_before = match &args.due_before {
        Some(d) => Some(date_arg("--due-before", d, today)?),
        None => None,
    };
    let owner = args.owner.as_ref().map(|o| {
        if o == "me" {
            user.to_string()
        } else {
            o.clone()
        }
    });
    let kind = match args.kind().trim().to_ascii_lowercase().as_str() {
        "denial" | "denials" => Some(ItemKind::Denial),
        "patient-responsibility" | "patient" | "pr" => Some(ItemKind::PatientResponsibility),
        "rejection" | "rejections" => Some(ItemKind::Rejection),
        "underpayment" | "underpayments" | "underpaid" => Some(ItemKind::Underpayment),
        // Any kind, selected by the no-response clock in `run`.
        "all" | "no-response" => None,
        other => {
            return Err(super::exit::Usage(format!(
                "unknown kind {other:?}; use denial, rejection, underpayment, patient-responsibility, no-response or all"
            ))
            .into())
        }
    };
    let no_response = args.no_response();
    Ok((
        Filter {
            kind,
            status,
            // An accepted rejection awaiting its remittance is closed, yet unanswered.
            // A view's queue decides (the Resolved queue, the All queue).
            include_resolved: args.all || no_response || args.view.is_some(),
            payer: args.payer.clone(),
            category,
            owner,
            due_before,
        },
        sort,
    ))
}

pub fn run(ctx: &Context, args: &ListArgs) -> Result<()> {
    let (filter, mut sort) = filter_from(args, &ctx.user, ctx.today)?;
    let views = ctx.config.views().map_err(|e| anyhow!(e))?;
    let view = match &args.view {
        Some(name) => Some(
            SavedView::find(&views, name)
                .map_err(|e| anyhow::Error::from(super::exit::Usage(format!("--view: {e}"))))?
                .1,
        ),
        None => None,
    };
    let mut reverse = args.reverse;
    if let Some(v) = view {
        if args.sort.is_none() {
            sort = v.sort;
        }
        // --reverse turns the view's order around.
        reverse ^= v.reverse;
    }
    let store = ctx.store()?;
    let items = store.work_items()?;
    // Claims sharing a CLP01 are shown as CLP01@N, the name the other commands take.
    let shared: HashMap<String, usize> = (0..items.len())
        .filter_map(|i| {
            shared_position(&items, i, |x| x.claim_id.as_str())
                .map(|n| (items[i].key.to_string(), n))
        })
        .collect();
    let mut rows = select(items, &filter, sort, reverse, ctx.today);
    if let Some(v) = view {
        // The view's queue as the worklist tab holds it, then its filter.
        let wait = ctx.config.no_response_days();
        let expr = FilterExpr::parse(&v.filter, &ctx.user)
            .map_err(|e| anyhow!("view {}: filter: {e}", v.name))?;
        rows.retain(|r| {
            v.queue.contains_after(&r.item, &ctx.user, ctx.today, wait)
                && expr.matches(
                    &r.item,
                    &search_text(&r.item, true),
                    r.item.outstanding_cents(),
                )
        });
    }
    if args.no_response() {
        // The worklist's own queue, with the config file's wait.
        let wait = ctx.config.no_response_days();
        rows.retain(|r| {
            crate::domain::queue::Queue::NoResponse
                .contains_after(&r.item, &ctx.user, ctx.today, wait)
        });
    }
    if let Some(text) = &args.filter {
        let expr = FilterExpr::parse(text, &ctx.user).map_err(|e| anyhow!("--filter: {e}"))?;
        rows.retain(|r| {
            expr.matches(
                &r.item,
                &search_text(&r.item, true),
                r.item.outstanding_cents(),
            )
        });
    }
    let total = rows.len();
    let total_cents: i64 = rows.iter().map(|r| r.item.outstanding_cents()).sum();
    let parked = rows
        .iter()
        .filter(|r| crate::domain::queue::is_parked(&r.item, ctx.today))
        .count();
    if let Some(limit) = args.limit {
        rows.truncate(limit);
    }
    if args.json {
        for row in &rows {
            println!(
                "{}",
                crate::text::json(
                    row_json(row, ctx.today, ctx.config.no_response_days()).to_string()
                )
            );
        }
    } else {
        let noun = match filter.kind {
            None if args.no_response() => "claims with no payer response",
            Some(ItemKind::Denial) => "denials",
            Some(ItemKind::Rejection) => "rejections",
            Some(ItemKind::PatientResponsibility) => "patient-responsibility items",
            Some(ItemKind::Underpayment) => "underpayments",
            None => "work items",
        };
        let columns: Vec<ListColumn> = match view {
            Some(v) => v.columns.clone(),
            None => default_columns(),
        };
        print_table(
            &rows,
            &shared,
            Totals {
                total,
                parked,
                noun,
                cents: total_cents,
            },
            (sort, view.map(|v| v.name.as_str())),
            &columns,
            ctx.today,
        );
    }
    Ok(())
}

/// The stable JSON shape of one worklist row; `no_response_days` is the config file's wait
/// for the `no_response` flag.
pub fn row_json(row: &Row, today: NaiveDate, no_response_days: i64) -> serde_json::Value {
    let i = &row.item;
    // A claim with no appeal rights has no appeal deadline, only a resubmission date; one
    // whose lines differ has both.
    let resubmit_by = i.resubmit_by().map(|d| {
        json!({
            "date": d.date,
            "source": d.source.describe(d.window_days),
            "is_default": d.source.is_default(),
        })
    });
    json!({
        "key": i.key,
        "claim_id": i.claim_id,
        "patient_control_number": i.claim_id,
        "kind": i.kind,
        "appeal_rights": i.appeal_rights,
        "resubmit_by": resubmit_by,
        "other_payer_cents": i.other_payer_cents,
        "open_lines": i.open_lines().map(|l| json!({
            "line": if l.is_claim_level() { "claim" } else { l.line.as_str() },
            "procedure": l.label(),
            "denied_cents": l.denied_cents,
            "outstanding_cents": l.outstanding_cents(),
        })).collect::<Vec<_>>(),
        "payer_claim_number": i.payer_claim_number,
        "payer": i.payer,
        "payer_id": i.payer_id,
        "patient": i.patient_name,
        "member_id": i.member_id,
        "date_of_service": i.date_of_service,
        "billed_cents": i.billed_cents,
        "denied_cents": i.denied_cents,
        "recovered_cents": i.recovered_cents,
        "outstanding_cents": i.outstanding_cents(),
        "carcs": i.carcs,
        "claim_statuses": if i.kind == ItemKind::Rejection {
            i.carcs.iter().map(|c| {
                let s = crate::domain::claim_status::ClaimStatus::parse_key(c);
                json!({"code": c, "description": s.describe()})
            }).collect::<Vec<_>>()
        } else {
            Vec::new()
        },
        "remarks": i.remarks,
        "category": i.category,
        "hardness": i.hardness,
        "stage": i.stage,
        "status": i.status,
        "status_label": i.status_label(),
        "owner": i.owner,
        "follow_up": i.follow_up,
        "denied_on": i.denied_on,
        "appeal_deadline": i.appeal_by().map(|d| d.date),
        "days_to_deadline": i.days_to_deadline(today),
        "deadline_is_default": i.appeal_deadline.source.is_default(),
        "deadline_source": i.appeal_deadline.source.describe(i.appeal_deadline.window_days),
        "priority": row.priority.score,
        "priority_explanation": row.priority.explanation,
        "version": i.version,
        "awaiting_payer_since": i.awaiting_payer_since,
        "days_without_response": i.days_without_response(today),
        "no_response": i.days_without_response(today).is_some_and(|d| d >= no_response_days),
    })
}
