//! The prevention loop in the app: from a root-cause row of the KPI pane (`F`) to a
//! prevention item, the KPI pane marking the cause it covers, the prevention pane (`5`)
//! with the cause's figures before and after, its status changed with `t`; and the same
//! in the real binary in tmux.

mod common;

use common::app::*;
use common::tmux;
use denialdesk::app::{Edit, Intent, Mode, Pane};
use denialdesk::domain::prevention::{Cause, PreventionItem, PreventionStatus};
use denialdesk::store::WorkStore;

#[test]
fn a_manager_opens_a_prevention_item_from_a_root_cause_and_sees_its_effect() {
    let (_dir, store) = small_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::ShowPane(Pane::Kpi));
    let kpis = draw(&state, 80, 24);
    assert!(kpis.contains("FIX") && kpis.contains("#1"), "{kpis}");
    act(&mut state, &store, Intent::NewPrevention);
    let Mode::Form(form) = &state.mode else {
        panic!("the prevention form opens: {:?}", state.message)
    };
    assert_eq!(form.fields[0].value(), "payer=AETNA");
    // Owner (maria offered), due (+30), then the action.
    for _ in 0..3 {
        act(&mut state, &store, Intent::NextField);
    }
    act(&mut state, &store, Intent::Submit);
    let Mode::Form(form) = &state.mode else {
        panic!("refused without an action")
    };
    assert!(
        form.error
            .as_deref()
            .unwrap()
            .contains("action: say what will be done"),
        "{:?}",
        form.error
    );
    typed(&mut state, &store, "verify eligibility at check-in");
    act(&mut state, &store, Intent::Submit);
    assert_eq!(state.mode, Mode::Normal, "{:?}", state.message);
    let saved = store.prevention_items().unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].cause.to_string(), "payer=AETNA");
    assert_eq!(saved[0].owner, "maria");
    assert_eq!(saved[0].due, today() + chrono::Duration::days(30));
    assert_eq!(saved[0].start, today());
    let kpis = draw(&state, 80, 24);
    assert!(kpis.contains(" P1"), "the cause is marked covered:\n{kpis}");

    act(&mut state, &store, Intent::ShowPane(Pane::Prevention));
    let pane = draw(&state, 80, 24);
    assert!(pane.contains("Prevention · 1 item · 0 overdue"), "{pane}");
    assert!(
        pane.contains("▶ #1 open · maria · due 2026-12-24 · day 1 · payer=AETNA"),
        "{pane}"
    );
    assert!(pane.contains("verify eligibility at check-in"), "{pane}");
    assert!(
        pane.contains("before n/a (0/0) $0 → after n/a (0/0) $0  too early to tell"),
        "{pane}"
    );

    // Marked done with a note, from the pane.
    act(&mut state, &store, Intent::ChangeStatus);
    act(&mut state, &store, Edit::Right);
    act(&mut state, &store, Intent::NextField);
    typed(
        &mut state,
        &store,
        "portal check added to the front-desk script",
    );
    act(&mut state, &store, Intent::Submit);
    assert_eq!(state.mode, Mode::Normal, "{:?}", state.message);
    let saved = store.prevention_items().unwrap();
    assert_eq!(saved[0].status, PreventionStatus::Done);
    assert_eq!(saved[0].version, 2);
    assert!(draw(&state, 80, 24).contains("#1 done"));
    // Both saves are in the audit log, by the user, field by field.
    let audit = denialdesk::store::Store::audit_log(&store).unwrap();
    let fixes: Vec<_> = audit
        .iter()
        .filter(|a| a.action.starts_with("prevent"))
        .collect();
    assert_eq!(fixes.len(), 2);
    assert_eq!(fixes[1].user, "maria");
    assert!(fixes[1].changes.iter().any(|c| c.field == "status"));

    // A cause no denial has is refused in the form as on the command line.
    act(&mut state, &store, Intent::ShowPane(Pane::Kpi));
    act(&mut state, &store, Intent::NewPrevention);
    act(&mut state, &store, Edit::DeleteToStart);
    typed(&mut state, &store, "payer=NOPE");
    for _ in 0..3 {
        act(&mut state, &store, Intent::NextField);
    }
    typed(&mut state, &store, "x");
    act(&mut state, &store, Intent::Submit);
    let Mode::Form(form) = &state.mode else {
        panic!("refused: the form stays open")
    };
    assert_eq!(
        form.error.as_deref(),
        Some("Cause: no denial on record has payer=NOPE; known values: AETNA")
    );
    assert_eq!(store.prevention_items().unwrap().len(), 1);
}

/// Started 2026-10-20, seen 2026-11-24: the 36 days after hold both AETNA denials of
/// 2026-11-01 (BIG1 $1,240 and SMALL2 $90) out of the 3 claims AETNA adjudicated that
/// day; the 36 days before hold nothing adjudicated.
#[test]
fn an_overdue_item_stands_out_with_its_figures() {
    let (_dir, store) = small_store();
    let mut item = PreventionItem::new(
        Cause::parse("payer=AETNA").unwrap(),
        "verify eligibility at check-in",
        "devon",
        chrono::NaiveDate::from_ymd_opt(2026, 10, 20).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2026, 10, 20).unwrap(),
        "lee",
    )
    .unwrap();
    item.due = today() - chrono::Duration::days(1);
    store.save_prevention(&item, "lee").unwrap();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::ShowPane(Pane::Prevention));
    let pane = draw(&state, 80, 24);
    assert!(pane.contains("1 overdue"), "{pane}");
    assert!(pane.contains("due 2026-11-23 OVERDUE"), "{pane}");
    assert!(
        pane.contains("before n/a (0/0) $0 → after 66.7% (2/3) $1,330  too early to tell"),
        "{pane}"
    );
}

#[test]
fn a_prevention_item_from_the_kpi_pane_in_the_real_terminal() {
    if !tmux::have_tmux() {
        return;
    }
    let dir = tmux::seeded_dir();
    let session = format!("dd-prev-{}", std::process::id());
    tmux::start(&session, dir.path());
    tmux::wait_for(&session, "2 claims ·");
    // The seeded denials are from 2026-11-01: the 90-day period holds them.
    tmux::keys(&session, &["4", "P"]);
    tmux::wait_for(&session, "FIX");
    tmux::keys(&session, &["F"]);
    tmux::wait_for(&session, "New prevention item");
    tmux::keys(&session, &["Tab", "Tab", "Tab"]);
    tmux::keys(&session, &["verify eligibility at check-in"]);
    tmux::save_form(&session, "saved: prevention item opened for payer=AETNA");
    tmux::keys(&session, &["5"]);
    let pane = tmux::wait_for(&session, "#1 open");
    assert!(pane.contains("verify eligibility at check-in"), "{pane}");
    assert!(pane.contains("before") && pane.contains("after"), "{pane}");
    tmux::keys(&session, &["q"]);
    tmux::wait_for(&session, "EXITED 0");
    let listed = tmux::run_ok(dir.path(), &["prevent", "list", "--json"]);
    let v: serde_json::Value = serde_json::from_str(listed.lines().next().unwrap()).unwrap();
    assert_eq!(v["cause"], "payer=AETNA");
    assert_eq!(v["status"], "open");
}
