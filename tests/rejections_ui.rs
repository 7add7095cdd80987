//! The worklist UI with rejections: their own tab, never among the denials, and a claim
//! pane that says what the 277CA said (there is no remittance to show).

mod common;

use common::acks::{file_277ca, AckClaim};
use common::app::{act, draw, loaded, small_store};
use common::import;
use denialdesk::app::Intent;
use denialdesk::domain::queue::Queue;

fn with_rejection() -> (tempfile::TempDir, denialdesk::store::SledStore) {
    let (dir, store) = small_store();
    let ack = file_277ca(
        50,
        "PR",
        "AETNA",
        "60054",
        "20261120",
        &[AckClaim::jane("NEWCLAIM7", "A7:33:IL", "415.5")],
    );
    import(&store, "ack.277", &ack).unwrap();
    (dir, store)
}

#[test]
fn a_rejection_has_its_own_tab_and_stays_out_of_the_denial_queues() {
    let (_dir, store) = with_rejection();
    let mut state = loaded(&store);
    let open = draw(&state, 80, 24);
    assert!(!open.contains("NEWCLAIM7"), "{open}");
    assert!(open.contains("Rej 1"), "{open}");
    act(&mut state, &store, Intent::SetQueue(Queue::Rejections));
    let screen = draw(&state, 80, 24);
    assert!(screen.contains("NEWCLAIM7"), "{screen}");
    assert!(screen.contains("$415.50"), "{screen}");
    assert!(!screen.contains("BIG1"), "{screen}");
}

#[test]
fn the_claim_pane_of_a_rejection_shows_the_277ca_in_words() {
    let (_dir, store) = with_rejection();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::SetQueue(Queue::Rejections));
    act(&mut state, &store, Intent::Open);
    let screen = draw(&state, 120, 40);
    for expected in [
        "NEWCLAIM7  payer claim -  (rejected before",
        "Billing provider NORTH CLINIC",
        "REJECTION new · $415.50",
        "Follow-up - · rejected 1 time(s) · billed $415.50",
        "No appeal rights: resubmit by 2026-12-30 (36 days)",
        "STATUS CODES (277CA)",
        "A7 rejected for invalid information: 33 subscriber",
    ] {
        assert!(screen.contains(expected), "{expected:?} not on\n{screen}");
    }
}
