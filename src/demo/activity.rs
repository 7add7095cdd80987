//! A day's worth of team activity on the demo worklist, so it looks like a live queue:
//! owners, payer calls with follow-ups due today and overdue, resubmissions, small
//! balances written off, and appeals (some with overdue payer responses, some decided;
//! upheld ones taken to level 2, closed as final or written off). Deterministic; dated
//! relative to `today`. Actions run through the store like any other, audited as the user.

use super::rng::Rng;
use crate::domain::action::{checklist_for, WorkAction};
use crate::domain::appeal::{AppealResult, Channel};
use crate::domain::packet::{DocumentEntry, PacketCheck};
use crate::domain::payer_rules::{response_days, PayerRules};
use crate::domain::status::Status;
use crate::domain::timeline::PayerCall;
use crate::domain::work_item::ItemKind;
use crate::domain::work_item::RowFields;
use crate::domain::work_item::WorkItem;
use crate::store::{Store, StoreError};
use chrono::{Duration, NaiveDate};

const TEAM: [&str; 3] = ["maria", "devon", "priya"];
const REPS: [&str; 5] = ["Dana", "Luis", "Keisha", "Tom", "Aiyana"];

/// What payer calls end with, and the next step each leads to.
/// What a call about a line paid below contract sounds like.
const UNDERPAID_CALL: (&str, &str) = (
    "Rep says the line priced at last year's fee schedule; reprocessing request opened",
    "check the corrected payment in 30 days, else file a payment dispute",
);

const OUTCOMES: [(&str, &str); 8] = [
    (
        "Needs corrected claim: payer wants the authorization number",
        "resubmit with auth",
    ),
    (
        "Claim sent back for reprocessing, rep says 30 days",
        "check status in two weeks",
    ),
    (
        "Denial stands: medical records required for review",
        "send records with appeal",
    ),
    (
        "Other insurance on file: bill the primary payer first",
        "update coverage and bill primary",
    ),
    (
        "Member id was wrong on the claim: corrected member id given",
        "submit corrected claim",
    ),
    (
        "Modifier 25 needed on the E/M line",
        "corrected claim with modifier",
    ),
    (
        "No record of the claim: resubmit with proof of timely filing",
        "resubmit with clearinghouse report",
    ),
    (
        "Appeal received, in review; reference given",
        "call back after response due date",
    ),
];

/// Applies the demo activity; returns how many actions were saved.
pub fn seed(
    store: &dyn Store,
    rules: &PayerRules,
    today: NaiveDate,
    user: &str,
) -> Result<usize, StoreError> {
    let mut rng = Rng::new(0xAC71_71E5);
    let (mut open, mut paid): (Vec<_>, Vec<_>) = store
        .work_items()?
        .into_iter()
        .partition(|i| i.status.is_open());
    open.sort_by(|a, b| a.key.cmp(&b.key));
    paid.sort_by(|a, b| a.key.cmp(&b.key));
    let mut saved = 0;
    let mut apply = |claim: &str, action: WorkAction, on: NaiveDate| -> Result<(), StoreError> {
        store.apply(claim, &action, on, user)?;
        saved += 1;
        Ok(())
    };
    // The claims paid since their denial were someone's work: their owner is credited
    // with the money (productivity).
    for (n, item) in paid.iter().filter(|i| i.recovered_cents > 0).enumerate() {
        let on = item.denied_on + Duration::days(3);
        apply(&item.key, WorkAction::Assign(Some(TEAM[n % 3].into())), on)?;
    }
    for (n, item) in open.iter().enumerate() {
        let id = item.key.as_str();
        let owner = if n % 4 == 0 { user } else { TEAM[n % 3] };
        let roll = rng.below(10);
        // A denial with no appeal rights is corrected and resubmitted, never appealed; an
        // item that cannot be resubmitted from where it stands is left alone.
        let resubmittable = item.status.can_move_to(Status::Resubmitted);
        // A line paid below contract is disputed, or reprocessed on a call: nothing to
        // correct and send again, and its calls are about the fee schedule.
        let underpaid = item.kind == ItemKind::Underpayment;
        let (outcome, next) = if underpaid {
            UNDERPAID_CALL
        } else {
            OUTCOMES[n % OUTCOMES.len()]
        };
        let roll = match roll {
            8.. if !item.appealable() => 7,
            other => other,
        };
        let roll = if roll == 7 && !resubmittable { 0 } else { roll };
        match roll {
            // A small balance not worth the work: written off some weeks after the denial.
            4 if item.outstanding_cents() <= 10_000
                && item.status.can_move_to(Status::WrittenOff) =>
            {
                let on = item.denied_on + Duration::days(rng.range(14, 40));
                if on <= today {
                    apply(id, WorkAction::Assign(Some(owner.to_string())), on)?;
                    apply(
                        id,
                        WorkAction::ChangeStatus {
                            to: Status::WrittenOff,
                            reason: Some("small balance: below the cost to rework".into()),
                        },
                        on,
                    )?;
                }
            }
            // Untouched: most of a real queue.
            0..=4 => continue,
            5 | 6 => {
                // Called a few days ago; follow-up due today or overdue.
                let called = today - Duration::days(rng.range(3, 9));
                let follow_up = if rng.chance(500) {
                    today
                } else {
                    called + Duration::days(2)
                };
                apply(id, WorkAction::Assign(Some(owner.to_string())), called)?;
                apply(
                    id,
                    WorkAction::LogCall(PayerCall {
                        rep_name: REPS[rng.below(5) as usize].to_string(),
                        reference: format!("CR{}", rng.range(100_000, 999_999)),
                        outcome: outcome.into(),
                        next_action: Some(next.into()),
                        follow_up: Some(follow_up),
                    }),
                    called,
                )?;
            }
            7 => {
                apply(id, WorkAction::Assign(Some(owner.to_string())), today)?;
                apply(
                    id,
                    WorkAction::ChangeStatus {
                        to: if underpaid {
                            Status::AwaitingPayer
                        } else {
                            Status::Resubmitted
                        },
                        reason: Some(if underpaid {
                            "reprocessing requested at the contract rate".into()
                        } else {
                            "corrected modifier".into()
                        }),
                    },
                    today,
                )?;
                apply(
                    id,
                    WorkAction::SetFollowUp(Some(today + Duration::days(rng.range(1, 14)))),
                    today,
                )?;
            }
            _ => {
                apply(
                    id,
                    WorkAction::Assign(Some(owner.to_string())),
                    item.denied_on,
                )?;
                let mut appeal = |action: WorkAction, on: NaiveDate| apply(id, action, on);
                appeals(&mut rng, &mut appeal, store, item, rules, today)?;
            }
        }
    }
    Ok(saved)
}

/// An appeal's life on the demo: level 1 sent a few days after the denial, answered in 30
/// to 60 days (the payer's response time from the rules); about half won in full, some in
/// part, the rest upheld. An upheld level 1 is often taken to level 2 (its own window from
/// the decision); an upheld last level is final, and a final denial is often written off.
/// Only what had happened by `today` is recorded.
fn appeals(
    rng: &mut Rng,
    apply: &mut dyn FnMut(WorkAction, NaiveDate) -> Result<(), StoreError>,
    store: &dyn Store,
    item: &WorkItem,
    rules: &PayerRules,
    today: NaiveDate,
) -> Result<(), StoreError> {
    let id = item.key.as_str();
    let mut sent = (today - Duration::days(rng.range(10, 170)))
        .max(item.denied_on + Duration::days(rng.range(3, 10)));
    for level in 1..=2u8 {
        if sent > today {
            return Ok(());
        }
        let (days, _) = response_days(rules, &item.payer_party(), &item.filing_indicator, level);
        let channel = Channel::ALL[rng.below(5) as usize];
        apply(
            WorkAction::FileAppeal {
                level,
                channel,
                submitted: sent,
                response_due: sent + Duration::days(i64::from(days)),
                // The packet as a specialist checks it off: every required document,
                // with where it went.
                documents: String::new(),
                packet: {
                    let checklist = checklist_for(item, &rules.checklists, level);
                    let via = format!("sent by {channel} on {sent}");
                    PacketCheck {
                        checks: checklist
                            .iter()
                            .filter(|d| d.required)
                            .map(|d| DocumentEntry {
                                doc: d.clone(),
                                reference: via.clone(),
                            })
                            .collect(),
                        checklist,
                        sent_without: None,
                    }
                },
            },
            sent,
        )?;
        let decided = sent + Duration::days(rng.range(30, 61));
        if decided > today || !rng.chance(850) {
            return Ok(());
        }
        let Some(now) = store.work_item(id)? else {
            return Ok(());
        };
        let roll = rng.below(100);
        let (result, amount_cents) = match roll {
            0..=44 => (AppealResult::Overturned, now.outstanding_cents()),
            45..=59 => (
                AppealResult::PartiallyOverturned,
                now.outstanding_cents() / 2,
            ),
            _ => (AppealResult::Upheld, 0),
        };
        apply(
            WorkAction::decide(&now, rules, result, decided, amount_cents),
            decided,
        )?;
        if result != AppealResult::Upheld {
            return Ok(());
        }
        let Some(now) = store.work_item(id)? else {
            return Ok(());
        };
        let closed = now.status == Status::FinalUpheld;
        // Decided in the last few weeks: the next level is still being prepared.
        if !closed && today - decided < Duration::days(25) {
            return Ok(());
        }
        // Not worth another level (or none left): closed as final, then written off.
        if closed || level == 2 || rng.chance(500) {
            let on = decided + Duration::days(rng.range(2, 15));
            if on > today {
                return Ok(());
            }
            if !closed {
                apply(
                    WorkAction::ChangeStatus {
                        to: Status::FinalUpheld,
                        reason: Some(format!("level {level} upheld: not pursued further")),
                    },
                    on,
                )?;
            }
            if rng.chance(300) {
                apply(
                    WorkAction::ChangeStatus {
                        to: Status::WrittenOff,
                        reason: Some(format!("final denial after level {level} appeal")),
                    },
                    on,
                )?;
            }
            return Ok(());
        }
        sent = decided + Duration::days(rng.range(5, 25));
    }
    Ok(())
}
