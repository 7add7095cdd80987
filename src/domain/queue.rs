//! The worklist's queues (tabs) and search. A follow-up date in the future takes an item
//! out of the working queues until that day (a tickler); search still finds it.

use super::status::Status;
use super::work_item::{Clock, ItemKind, RowFields};
use chrono::NaiveDate;

/// A named slice of the worklist. Named in kebab-case where a user names one (a keymap's
/// `set-queue = "follow-ups-due"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Queue {
    /// Every open item not parked by a future follow-up.
    #[default]
    Open,
    /// Open items owned by the current user.
    Mine,
    /// Untouched denials.
    New,
    /// Follow-ups due today or overdue.
    FollowUpsDue,
    /// Appeal deadlines within the next 7 days (still open).
    DeadlinesThisWeek,
    /// Appealed, resubmitted or awaiting the payer.
    WithPayer,
    /// Final dispositions: paid, written off, or upheld at the last level. A partly paid
    /// or `upheld-l1` claim is still open (for the rest, for the next level), never both.
    Resolved,
    /// Open non-covered care the payer assigned to the patient (PR-96, PR-204 …): not
    /// payer denials, so kept out of every denial queue, but never hidden.
    PatientResponsibility,
    /// Open claims rejected before adjudication (277CA): correct and send again before
    /// the filing limit. Never denials, so in no denial queue.
    Rejections,
    /// Open underpayments: lines paid below the contract; dispute the payment until the
    /// variance is paid. Never denials, so in no denial queue.
    Underpayments,
    /// Claims with the payer (resubmitted, appealed, awaiting the payer, a rejection the
    /// payer accepted) that no 835 and no 277 answered for `no_response_days`: call.
    NoResponse,
    /// Everything, parked and resolved included.
    All,
}

impl Queue {
    /// Every queue, in tab order.
    pub const ALL: [Queue; 12] = [
        Queue::Open,
        Queue::Mine,
        Queue::New,
        Queue::FollowUpsDue,
        Queue::DeadlinesThisWeek,
        Queue::WithPayer,
        Queue::Resolved,
        Queue::PatientResponsibility,
        Queue::Rejections,
        Queue::Underpayments,
        Queue::NoResponse,
        Queue::All,
    ];

    /// Short tab label.
    pub fn label(self) -> &'static str {
        match self {
            Queue::Open => "Open",
            Queue::Mine => "Mine",
            Queue::New => "New",
            Queue::FollowUpsDue => "Follow-ups due",
            Queue::DeadlinesThisWeek => "Deadline ≤7d",
            Queue::WithPayer => "With payer",
            Queue::Resolved => "Resolved",
            Queue::PatientResponsibility => "Patient resp.",
            Queue::Rejections => "Rejected",
            Queue::Underpayments => "Underpaid",
            Queue::NoResponse => "No response",
            Queue::All => "All",
        }
    }

    /// Tab label where the screen is narrow (under 110 columns).
    pub fn short_label(self) -> &'static str {
        match self {
            Queue::Open => "Open",
            Queue::Mine => "Mine",
            Queue::New => "New",
            Queue::FollowUpsDue => "Due",
            Queue::DeadlinesThisWeek => "≤7d",
            Queue::WithPayer => "Payer",
            Queue::Resolved => "Done",
            Queue::PatientResponsibility => "Pt",
            Queue::Rejections => "Rej",
            Queue::Underpayments => "Und",
            Queue::NoResponse => "NoAns",
            Queue::All => "All",
        }
    }

    /// Whether an item belongs in this queue today for `user`, with the default
    /// no-response wait.
    pub fn contains<R: RowFields + ?Sized>(self, item: &R, user: &str, today: NaiveDate) -> bool {
        self.contains_after(item, user, today, DEFAULT_NO_RESPONSE_DAYS)
    }

    /// As `contains`, a claim counting as unanswered after `no_response_days`.
    pub fn contains_after<R: RowFields + ?Sized>(
        self,
        item: &R,
        user: &str,
        today: NaiveDate,
        no_response_days: i64,
    ) -> bool {
        let parked = is_parked(item, today);
        let denial = item.kind() == ItemKind::Denial;
        let working = denial && item.status().is_open() && !parked;
        match self {
            Queue::Open => working,
            Queue::Mine => working && item.owner() == Some(user),
            Queue::New => working && item.status() == Status::New,
            Queue::FollowUpsDue => item.follow_up_due(today),
            Queue::DeadlinesThisWeek => {
                denial
                    && matches!(item.clock(today), Clock::Deadline { days } if (0..=7).contains(&days))
            }
            Queue::WithPayer => {
                denial
                    && matches!(
                        item.status(),
                        Status::Appealed | Status::Resubmitted | Status::AwaitingPayer
                    )
            }
            Queue::Resolved => denial && !item.status().is_open(),
            Queue::PatientResponsibility => {
                item.kind() == ItemKind::PatientResponsibility && item.status().is_open()
            }
            Queue::Rejections => item.kind() == ItemKind::Rejection && item.status().is_open(),
            Queue::Underpayments => {
                item.kind() == ItemKind::Underpayment && item.status().is_open()
            }
            Queue::NoResponse => item
                .days_without_response(today)
                .is_some_and(|days| days >= no_response_days),
            Queue::All => true,
        }
    }
}

/// Days without an 835 or a 277 after which a claim with the payer is in the no-response
/// queue, unless the config file's `no_response_days` says otherwise.
pub const DEFAULT_NO_RESPONSE_DAYS: i64 = 30;

/// An open denial set aside until its future follow-up date: counted among the open
/// denials (`list`, the KPIs), shown in no working queue until that day. Every screen
/// that counts open denials says how many of them are parked.
pub fn is_parked<R: RowFields + ?Sized>(item: &R, today: NaiveDate) -> bool {
    item.kind() == ItemKind::Denial
        && item.status().is_open()
        && item.follow_up().is_some_and(|d| d > today)
}

/// How many items each queue holds (in `Queue::ALL` order) and how many open denials
/// are parked until a future follow-up: the tab counts, the same in every view.
pub fn queue_counts<R: RowFields>(
    items: &[R],
    user: &str,
    today: NaiveDate,
    no_response_days: i64,
) -> ([usize; Queue::ALL.len()], usize) {
    let mut counts = [0; Queue::ALL.len()];
    let mut parked = 0;
    for item in items {
        for (n, q) in Queue::ALL.iter().enumerate() {
            counts[n] += usize::from(q.contains_after(item, user, today, no_response_days));
        }
        parked += usize::from(is_parked(item, today));
    }
    (counts, parked)
}

/// Text as search compares it: lower case, every run of punctuation and spaces one space,
/// so `GALLOWAY HUGO` finds `GALLOWAY, HUGO` and `co 197` finds `CO-197`.
pub fn normalized(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

/// A row's searchable text: claim id, payer claim number, patient name and member id
/// (left out when `with_phi` is false: privacy mode must not find what it hides), payer,
/// category and CARCs, each normalized and kept apart so a query never spans two fields.
pub fn search_text<R: RowFields + ?Sized>(item: &R, with_phi: bool) -> Box<str> {
    let mut text = String::with_capacity(96);
    let phi = [item.patient_name(), item.member_id()];
    for field in [item.claim_id(), item.payer_claim_number()]
        .into_iter()
        .chain(phi.into_iter().filter(|_| with_phi))
        .chain([item.payer(), item.category().key()])
        .chain(item.carcs().iter().map(|c| c.as_str()))
    {
        text.push_str(&normalized(field));
        text.push('\u{1f}');
    }
    text.into_boxed_str()
}

/// Whether a row's `search_text` holds the query (normalized by the caller once per scan).
pub fn text_matches(text: &str, normalized_query: &str) -> bool {
    normalized_query.is_empty() || text.contains(normalized_query)
}

/// Where a normalised query (see `normalized`) appears in `text` as shown: the byte range
/// of the raw text it covers, punctuation inside the match included (`hugo` in
/// `GALLOWAY, HUGO`, `galloway hugo` across the comma). For highlighting what search found.
pub fn find_normalized(text: &str, normalized_query: &str) -> Option<std::ops::Range<usize>> {
    if normalized_query.is_empty() {
        return None;
    }
    // The normalised text, with the raw byte range each of its characters came from.
    let mut norm = String::with_capacity(text.len());
    let mut from: Vec<(usize, usize)> = Vec::with_capacity(text.len());
    let mut gap: Option<usize> = None;
    for (at, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if let (Some(g), false) = (gap, norm.is_empty()) {
                norm.push(' ');
                from.push((g, g + 1));
            }
            gap = None;
            for lower in c.to_lowercase() {
                norm.push(lower);
                from.extend(std::iter::repeat_n(
                    (at, at + c.len_utf8()),
                    lower.len_utf8(),
                ));
            }
        } else if gap.is_none() {
            gap = Some(at);
        }
    }
    let start = norm.find(normalized_query)?;
    let end = start + normalized_query.len();
    Some(from[start].0..from[end - 1].1)
}

/// Where the next (or previous) row matching a normalised query is, counted from row
/// `from` of `rows` (indices into `texts`) and wrapping around: `(row, match number from
/// 1, matches in all)`. The row `from` itself is found last.
pub fn next_match(
    rows: &[usize],
    texts: &[Box<str>],
    query: &str,
    from: usize,
    forward: bool,
) -> Option<(usize, usize, usize)> {
    let matching: Vec<usize> = (0..rows.len())
        .filter(|&k| text_matches(&texts[rows[k]], query))
        .collect();
    let last = matching.len().checked_sub(1)?;
    let n = if forward {
        matching.iter().position(|&k| k > from).unwrap_or(0)
    } else {
        matching.iter().rposition(|&k| k < from).unwrap_or(last)
    };
    Some((matching[n], n + 1, matching.len()))
}

/// Search of one item with everything shown (see `search_text`).
pub fn matches_search<R: RowFields + ?Sized>(item: &R, query: &str) -> bool {
    text_matches(&search_text(item, true), &normalized(query))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn a_match_is_found_in_the_text_as_shown_across_punctuation() {
        fn at<'a>(text: &'a str, query: &str) -> Option<&'a str> {
            find_normalized(text, &normalized(query)).map(|r| &text[r])
        }
        assert_eq!(
            at("GALLOWAY, HUGO", "galloway hugo"),
            Some("GALLOWAY, HUGO")
        );
        assert_eq!(at("GALLOWAY, HUGO", "hugo"), Some("HUGO"));
        assert_eq!(at("CO-197 CO-16", "co 16"), Some("CO-16"));
        assert_eq!(at("Müller, Jörg", "jörg"), Some("Jörg"));
        assert_eq!(at("AETNA", "cigna"), None);
        assert_eq!(at("AETNA", ""), None);
    }
    use crate::domain::test_support::work_item;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn future_follow_up_parks_an_item_until_that_day() {
        let mut item = work_item("C1");
        item.follow_up = Some(today() + Duration::days(3));
        assert!(!Queue::Open.contains(&item, "u", today()));
        assert!(Queue::All.contains(&item, "u", today()));
        assert!(Queue::Open.contains(&item, "u", today() + Duration::days(3)));
        assert!(Queue::FollowUpsDue.contains(&item, "u", today() + Duration::days(3)));
    }

    #[test]
    fn queues_select_by_owner_status_and_deadline() {
        let mut item = work_item("C1");
        assert!(Queue::New.contains(&item, "u", today()));
        assert!(!Queue::Mine.contains(&item, "maria", today()));
        item.owner = Some("maria".into());
        assert!(Queue::Mine.contains(&item, "maria", today()));
        item.appeal_deadline.date = today() + Duration::days(7);
        assert!(Queue::DeadlinesThisWeek.contains(&item, "u", today()));
        item.appeal_deadline.date = today() + Duration::days(8);
        assert!(!Queue::DeadlinesThisWeek.contains(&item, "u", today()));
        item.status = Status::Appealed;
        assert!(Queue::WithPayer.contains(&item, "u", today()));
        item.status = Status::WrittenOff;
        assert!(Queue::Resolved.contains(&item, "u", today()));
        assert!(!Queue::Open.contains(&item, "u", today()));
    }

    #[test]
    fn search_finds_claim_patient_payer_and_carc() {
        let mut item = work_item("PCN123");
        item.patient_name = "DOE, JANE".into();
        item.carcs = vec!["CO-16".into()];
        assert!(matches_search(&item, "pcn12"));
        assert!(matches_search(&item, "doe"));
        assert!(matches_search(&item, "ACME"));
        assert!(matches_search(&item, "16"));
        assert!(matches_search(&item, "DOE JANE"), "punctuation is ignored");
        assert!(matches_search(&item, "co-16") && matches_search(&item, "CO 16"));
        assert!(!text_matches(
            &search_text(&item, false),
            &normalized("doe")
        ));
        assert!(matches_search(&item, ""));
        assert!(!matches_search(&item, "zzz"));
    }
}
