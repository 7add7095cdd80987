//! Each pane as a specialist sees it, at 80x24 and 120x40, kept as reviewed snapshots
//! (`tests/snapshots/`): a change to any screen shows up as a diff to look at. Times of
//! day (when an event was saved) are blanked; the app's date is fixed.

mod common;

use common::app::*;
use denialdesk::app::{Intent, Pane};
use denialdesk::domain::action::WorkAction;
use denialdesk::domain::appeal::Channel;
use denialdesk::domain::prevention::{Cause, PreventionItem};
use denialdesk::store::WorkStore;

/// Blanks `YYYY-MM-DD HH:MM` and `MM-DD HH:MM` timestamps (the real moment a test saved
/// something), keeping their width.
fn without_times(screen: &str) -> String {
    let chars: Vec<char> = screen.chars().collect();
    let mut out = String::with_capacity(screen.len());
    let mut i = 0;
    // A pattern: 'd' a digit, anything else itself.
    let matches = |at: usize, pattern: &str| {
        pattern.chars().enumerate().all(|(k, p)| {
            chars.get(at + k).is_some_and(|c| {
                if p == 'd' {
                    c.is_ascii_digit()
                } else {
                    *c == p
                }
            })
        })
    };
    while i < chars.len() {
        if matches(i, "dddd-dd-dd dd:dd") {
            out.push_str("YYYY-MM-DD hh:mm");
            i += 16;
        } else if matches(i, "dd-dd dd:dd") && (i == 0 || !chars[i - 1].is_ascii_digit()) {
            out.push_str("MM-DD hh:mm");
            i += 11;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn every_pane_at_80x24_and_120x40() {
    let (_dir, store) = small_store();
    store
        .apply(
            "SMALL2",
            &WorkAction::FileAppeal {
                packet: Default::default(),
                level: 1,
                channel: Channel::Portal,
                submitted: today(),
                response_due: today() + chrono::Duration::days(30),
                documents: "records, letter".into(),
            },
            today(),
            "maria",
        )
        .unwrap();
    // A fix for AETNA's denials, opened five weeks ago: the KPI pane marks the cause.
    let start = today() - chrono::Duration::days(35);
    let fix = PreventionItem::new(
        Cause::parse("payer=AETNA").unwrap(),
        "verify eligibility in the payer portal at check-in",
        "devon",
        start + chrono::Duration::days(30),
        start,
        "lee",
    )
    .unwrap();
    store.save_prevention(&fix, "lee").unwrap();
    let mut state = loaded(&store);
    for (pane, name) in [
        (Pane::Worklist, "worklist"),
        (Pane::Claim, "claim"),
        (Pane::Appeals, "appeals"),
        (Pane::Kpi, "kpis"),
        (Pane::Prevention, "prevention"),
    ] {
        act(&mut state, &store, Intent::ShowPane(pane));
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            insta::assert_snapshot!(
                format!("{name}_{w}x{h}"),
                without_times(&draw(&state, w, h))
            );
        }
    }
}
