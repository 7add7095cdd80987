//! A day's worth of team activity on the demo worklist, so it looks like a live queue:
//! owners, payer calls with follow-ups due today and overdue, resubmissions, and appeals
//! (some with overdue payer responses, some decided). Deterministic; dated relative to
//! `today`. Actions run through the store like any other, audited as the user.

use super::rng::Rng;
use crate::domain::action::WorkAction;
use crate::domain::appeal::{AppealResult, Channel};
use crate::domain::status::Status;
use crate::domain::timeline::PayerCall;
use crate::store::{Store, StoreError};
use chrono::{Duration, NaiveDate};

const TEAM: [&str; 3] = ["maria", "devon", "priya"];
const REPS: [&str; 5] = ["Dana", "Luis", "Keisha", "Tom", "Aiyana"];

/// What payer calls end with, and the next step each leads to.
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
pub fn seed(store: &dyn Store, today: NaiveDate, user: &str) -> Result<usize, StoreError> {
    let mut rng = Rng::new(0xAC71_71E5);
    let mut open: Vec<_> = store
        .work_items()?
        .into_iter()
        .filter(|i| i.status.is_open())
        .collect();
    open.sort_by(|a, b| a.key.cmp(&b.key));
    let mut saved = 0;
    let mut apply = |claim: &str, action: WorkAction, on: NaiveDate| -> Result<(), StoreError> {
        store.apply(claim, &action, on, user)?;
        saved += 1;
        Ok(())
    };
    for (n, item) in open.iter().enumerate() {
        let id = item.key.as_str();
        let owner = if n % 4 == 0 { user } else { TEAM[n % 3] };
        let roll = rng.below(10);
        // A denial with no appeal rights is corrected and resubmitted, never appealed; an
        // item that cannot be resubmitted from where it stands is left alone.
        let resubmittable = item.status.can_move_to(Status::Resubmitted);
        let roll = match roll {
            8.. if !item.appealable() => 7,
            other => other,
        };
        let roll = if roll == 7 && !resubmittable { 0 } else { roll };
        match roll {
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
                        outcome: OUTCOMES[n % OUTCOMES.len()].0.into(),
                        next_action: Some(OUTCOMES[n % OUTCOMES.len()].1.into()),
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
                        to: Status::Resubmitted,
                        reason: Some("corrected modifier".into()),
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
                // Appealed a few days after the denial arrived, up to 90 days ago; the
                // payer's answer is due 60 days after (a Medicare contractor's time to
                // decide a redetermination, the common commercial window too).
                let sent = (today - Duration::days(rng.range(10, 90)))
                    .max(item.denied_on + Duration::days(rng.range(3, 10)));
                if sent > today {
                    continue;
                }
                apply(id, WorkAction::Assign(Some(owner.to_string())), sent)?;
                apply(
                    id,
                    WorkAction::FileAppeal {
                        level: 1,
                        channel: Channel::ALL[rng.below(5) as usize],
                        submitted: sent,
                        response_due: sent + Duration::days(60),
                        documents: "appeal letter, medical records".into(),
                    },
                    sent,
                )?;
                // Payers answer in 30 to 60 days; only answers already given are recorded.
                let decided = sent + Duration::days(rng.range(30, 61));
                if decided <= today && rng.chance(700) {
                    let won = rng.chance(600);
                    apply(
                        id,
                        WorkAction::DecideAppeal {
                            result: if won {
                                AppealResult::Overturned
                            } else {
                                AppealResult::Upheld
                            },
                            decided,
                            amount_cents: if won { item.outstanding_cents() / 2 } else { 0 },
                        },
                        decided,
                    )?;
                }
            }
        }
    }
    Ok(saved)
}
