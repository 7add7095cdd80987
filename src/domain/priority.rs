//! Worklist rank: money at stake, how close the appeal deadline is, and how often this kind
//! of denial is won back, with a sentence that says why ("$1,240 at stake · appeal due in
//! 6 days · authorization denials overturn often").

use super::money::format_dollars;
use super::taxonomy::{Category, Hardness};
use super::work_item::{Clock, RowFields};
use chrono::NaiveDate;
use serde::Serialize;

/// A score from 0 (nothing to do) to 100 (work this first), and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Priority {
    /// 0–100, higher first.
    pub score: u32,
    /// Why, in words ("$1,240 at stake · appeal due in 5 days").
    pub explanation: String,
}

/// How often denials of a category are recovered on correction or appeal, in percent.
/// Industry-typical figures; they rank, they do not predict.
pub fn recovery_likelihood(category: Category) -> u32 {
    match category {
        Category::MissingInformation => 80,
        Category::Coding => 70,
        Category::CoordinationOfBenefits => 70,
        Category::Authorization => 65,
        Category::Bundling => 55,
        Category::MedicalNecessity => 50,
        Category::Eligibility => 45,
        Category::Credentialing => 40,
        Category::Unknown => 40,
        Category::Duplicate => 20,
        Category::NonCovered => 20,
        Category::TimelyFiling => 15,
        Category::Contractual | Category::PatientResponsibility => 10,
    }
}

/// How many days out a deadline starts to raise the rank (the boost decays with this scale).
const URGENCY_SCALE_DAYS: f64 = 14.0;
/// At the deadline the expected recovery counts this many times over.
const MAX_URGENCY_BOOST: f64 = 2.0;

/// The score alone, without building the explanation (the worklist ranks many rows).
pub fn priority_score<R: RowFields + ?Sized>(item: &R, today: NaiveDate) -> u32 {
    if !item.status().is_open() {
        return 0;
    }
    boosted(
        score_of(weighted_dollars(item, today)),
        item.priority_boost(),
    )
}

/// A routing rule's boost added to a score, never past 100.
fn boosted(score: u32, boost: u8) -> u32 {
    (score + u32::from(boost)).min(100)
}

fn likelihood_of<R: RowFields + ?Sized>(item: &R) -> u32 {
    let likelihood = recovery_likelihood(item.category());
    if item.hardness() == Hardness::Hard {
        likelihood * 6 / 10
    } else {
        likelihood
    }
}

fn urgency_of(days: i64) -> f64 {
    if days < 0 {
        0.1
    } else {
        1.0 + MAX_URGENCY_BOOST * (-(days as f64) / URGENCY_SCALE_DAYS).exp()
    }
}

fn weighted_dollars<R: RowFields + ?Sized>(item: &R, today: NaiveDate) -> f64 {
    let expected = item.owed_cents() as f64 / 100.0 * f64::from(likelihood_of(item)) / 100.0;
    let follow_up = if item.follow_up_due(today) { 1.5 } else { 1.0 };
    // An appeal filed in time stops the appeal clock: neither boosted nor cut by it.
    let urgency = match item.clock(today) {
        Clock::Deadline { days } => urgency_of(days),
        Clock::WithPayer | Clock::Resolved => 1.0,
    };
    expected * urgency * follow_up
}

fn score_of(weighted: f64) -> u32 {
    (20.0 * (1.0 + weighted).log10()).round().clamp(0.0, 100.0) as u32
}

/// Ranks one work item as of `today`.
///
/// The rank is the expected recoverable dollars (outstanding × how often this kind of
/// denial is won back, less for hard denials), boosted up to threefold as the appeal
/// deadline nears, cut to a tenth once it has passed, and half again if a follow-up is
/// due; then put on a 0–100 log scale (20 points per factor of ten: $100 ≈ 40, $10,000 ≈ 80).
pub fn priority<R: RowFields + ?Sized>(item: &R, today: NaiveDate) -> Priority {
    if !item.status().is_open() {
        return Priority {
            score: 0,
            explanation: format!("resolved ({})", item.status_label()),
        };
    }
    let outstanding = item.owed_cents();
    let likelihood = likelihood_of(item);
    let days = item.days_to_deadline(today);
    let default_note = if item.deadline_source().is_default() {
        " (default window)"
    } else {
        ""
    };
    // No appeal rights: the clock is the payer's filing limit for a corrected claim.
    // After an upheld decision the clock is the next level's window.
    let (what, window) = match item.deadline_source().appeal_level() {
        None => ("corrected claim".to_string(), "filing limit".to_string()),
        Some(1) => ("appeal".to_string(), "appeal window".to_string()),
        Some(n) => (
            format!("level-{n} appeal"),
            format!("level-{n} appeal window"),
        ),
    };
    let deadline_text = match days {
        // The appeal is with the payer: its answer is the clock now.
        _ if item.clock(today) == Clock::WithPayer => match item.open_appeal() {
            Some(a) if a.response_due < today => {
                format!("payer's decision overdue since {}", a.response_due)
            }
            Some(a) => format!("awaiting payer decision, due {}", a.response_due),
            None if item.status() == super::status::Status::Resubmitted => {
                "resubmitted: awaiting the payer".to_string()
            }
            None => match item.last_appeal().and_then(|a| a.decision.as_ref()) {
                Some(d) => format!("appeal won on {}: awaiting the payment", d.decided),
                None => "awaiting payer decision".to_string(),
            },
        },
        d if d < 0 => format!("{window} closed {} days ago", -d),
        0 => format!("{what} due today{default_note}"),
        1 => format!("{what} due tomorrow{default_note}"),
        d => format!("{what} due in {d} days{default_note}"),
    };
    let how_often = match likelihood {
        60.. => "overturn often",
        30..=59 => "sometimes overturn",
        _ => "rarely overturn",
    };
    let odds = if item.kind() == super::work_item::ItemKind::Underpayment {
        "paid below contract: dispute the payment".to_string()
    } else if item.appealable() {
        format!("{} denials {how_often}", item.category().label())
    } else {
        "no appeal rights: correct and resubmit".to_string()
    };
    let mut parts = vec![
        format!("{} at stake", format_dollars(outstanding)),
        deadline_text,
        odds,
    ];
    if item.follow_up_due(today) {
        parts.push("follow-up due".to_string());
    }
    if item.priority_boost() > 0 {
        parts.push(format!("+{} by a routing rule", item.priority_boost()));
    }
    Priority {
        score: boosted(
            score_of(weighted_dollars(item, today)),
            item.priority_boost(),
        ),
        explanation: parts.join(" · "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::status::Status;
    use crate::domain::test_support::{set_denied, work_item};
    use chrono::Duration;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn explanation_reads_like_a_person_wrote_it() {
        let mut item = work_item("C1");
        set_denied(&mut item, 124_000);
        item.category = Category::Authorization;
        item.appeal_deadline.date = today() + Duration::days(6);
        item.appeal_deadline.source = crate::domain::payer_rules::DeadlineSource::PayerRule {
            payer: "Aetna".into(),
        };
        let p = priority(&item, today());
        assert_eq!(
            p.explanation,
            "$1,240 at stake · appeal due in 6 days · authorization denials overturn often"
        );
    }

    #[test]
    fn an_appeal_filed_in_time_waits_on_the_payer_not_on_the_deadline() {
        use crate::domain::action::{apply, WorkAction};
        use crate::domain::appeal::Channel;
        let mut item = work_item("C1");
        item.appeal_deadline.date = today() + Duration::days(2);
        let urgent = priority(&item, today()).score;
        let filed = WorkAction::FileAppeal {
            packet: Default::default(),
            level: 1,
            channel: Channel::Portal,
            submitted: today(),
            response_due: today() + Duration::days(60),
            documents: String::new(),
        };
        let (appealed, _) = apply(&item, &filed, today()).unwrap();
        let p = priority(&appealed, today());
        assert!(
            p.explanation
                .contains("awaiting payer decision, due 2027-01-23"),
            "{}",
            p.explanation
        );
        assert!(p.score < urgent, "no deadline boost once appealed");
        // Days later the deadline has passed, but it was met: not missed, not cut.
        let later = today() + Duration::days(10);
        assert_eq!(priority(&appealed, later).score, p.score);
        assert!(!crate::domain::queue::Queue::DeadlinesThisWeek.contains(
            &appealed,
            "maria",
            today()
        ));
        // As a list row read from the store (no appeals loaded) it ranks the same.
        let row = crate::domain::list_row::ListRow::from(&appealed).as_stored();
        assert_eq!(priority(&row, later).score, p.score);
        assert!(priority(&row, later)
            .explanation
            .contains("awaiting payer decision"));
    }

    #[test]
    fn more_money_sooner_deadline_and_better_odds_rank_higher() {
        let base = work_item("C1");
        let mut rich = base.clone();
        set_denied(&mut rich, base.denied_cents * 10);
        assert!(priority(&rich, today()).score > priority(&base, today()).score);
        let mut urgent = base.clone();
        urgent.appeal_deadline.date = today() + Duration::days(3);
        let mut later = base.clone();
        later.appeal_deadline.date = today() + Duration::days(80);
        assert!(priority(&urgent, today()).score > priority(&later, today()).score);
        let mut dup = base.clone();
        dup.category = Category::Duplicate;
        let mut auth = base.clone();
        auth.category = Category::Authorization;
        assert!(priority(&auth, today()).score > priority(&dup, today()).score);
    }

    #[test]
    fn resolved_items_score_zero_and_closed_windows_say_so() {
        let mut item = work_item("C1");
        item.status = Status::Paid;
        assert_eq!(priority(&item, today()).score, 0);
        let mut late = work_item("C2");
        late.appeal_deadline.date = today() - Duration::days(3);
        let p = priority(&late, today());
        assert!(
            p.explanation.contains("appeal window closed 3 days ago"),
            "{}",
            p.explanation
        );
        assert!(p.score <= 100);
    }

    #[test]
    fn default_deadline_is_flagged_in_the_explanation() {
        let item = work_item("C1");
        assert!(priority(&item, today())
            .explanation
            .contains("(default window)"));
    }
}
