//! Issue 14, "never show a wrong value": at every width from 60 to 250 columns, every
//! claim id and every amount owed on screen is shown whole — low-value columns are dropped
//! or abbreviated instead, in the documented order — and never cut to fewer digits.

mod common;

use common::app::*;
use common::*;
use denialdesk::domain::money::format_cents;
use denialdesk::store::WorkStore;

/// Long account numbers (and two claims sharing one), amounts from cents to millions.
fn wide_store() -> (tempfile::TempDir, denialdesk::store::SledStore) {
    let (dir, store) = temp_store();
    let amounts = [
        "1772.45",
        "0.07",
        "123456.78",
        "1234567.89",
        "99.99",
        "45000",
        "310.5",
        "7",
    ];
    let mut body = header(
        "BLUE CROSS BLUE SHIELD OF SOMEWHERE",
        "60054",
        "20261101",
        "T1",
    );
    for (n, amount) in amounts.iter().enumerate() {
        let pcn = format!("ACCT-2026-{n:012}");
        body.extend(claim(&pcn, 1, amount, "0", &[&format!("CO*197*{amount}")]));
    }
    // The same account number for another patient: shown as CLP01@N.
    let mut twin = claim(
        "ACCT-2026-000000000001",
        1,
        "512.34",
        "0",
        &["CO*16*512.34"],
    );
    twin[1] = "NM1*QC*1*ROE*RICHARD****MI*X99999999".into();
    body.extend(twin);
    import(&store, "wide.835", &interchange(&STAR, 1, &[body])).unwrap();
    (dir, store)
}

/// What each row must show whole: its claim id (CLP01@N when shared) and the amount owed.
fn expected_rows(items: &[denialdesk::domain::work_item::WorkItem]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|item| {
            let twins: Vec<_> = items
                .iter()
                .filter(|i| i.claim_id == item.claim_id)
                .collect();
            let id = if twins.len() > 1 {
                let n = twins.iter().position(|i| i.key == item.key).unwrap() + 1;
                format!("{}@{n}", item.claim_id)
            } else {
                item.claim_id.to_string()
            };
            (id, format_cents(item.outstanding_cents()))
        })
        .collect()
}

#[test]
fn every_claim_id_and_amount_on_screen_is_whole_at_every_width() {
    let (_dir, store) = wide_store();
    let state = loaded(&store);
    let items = store.work_items().unwrap();
    assert_eq!(state.worklist.view().len(), items.len());
    let expected = expected_rows(&items);
    for width in 60..=250u16 {
        for height in [24u16, 40] {
            let screen = draw(&state, width, height);
            let mut rows = 0;
            // The "why" line names the selected claim with its reasons, not its row.
            for line in screen.lines().filter(|l| !l.starts_with("why ")) {
                let Some((id, owed)) = expected
                    .iter()
                    .filter(|(id, _)| line.contains(id.as_str()))
                    .max_by_key(|(id, _)| id.len())
                else {
                    continue;
                };
                rows += 1;
                assert!(
                    line.contains(&format!(" {owed}")),
                    "{width}x{height}: {id} must show {owed} whole:\n{screen}"
                );
                assert!(
                    !line.contains('#'),
                    "{width}x{height}: no value is marked:\n{screen}"
                );
            }
            assert_eq!(
                rows,
                expected.len(),
                "{width}x{height}: every row shown:\n{screen}"
            );
        }
    }
}

#[test]
fn low_value_columns_go_first_and_the_owner_stays_at_80_columns() {
    let (_dir, store) = wide_store();
    let state = loaded(&store);
    let wide = draw(&state, 200, 24);
    for header in [
        "PRI", "CLAIM", "PATIENT", "PAYER", "OWED", "CARC", "STATUS", "CATEGORY", "OWNER", "DOS",
        "F/U", "DUE",
    ] {
        assert!(wide.contains(header), "200 columns show {header}:\n{wide}");
    }
    let narrow = draw(&state, 80, 24);
    let header = narrow.lines().find(|l| l.contains("CLAIM")).unwrap();
    assert!(
        !header.contains("CATEGORY") && !header.contains("DOS"),
        "{narrow}"
    );
    assert!(
        header.contains("OWED") && header.contains("DUE"),
        "{narrow}"
    );
    assert!(
        header.contains("CARC") && header.contains("OWNER"),
        "{narrow}"
    );
    // With everyday claim ids, 80 columns keep the patient too.
    let (_dir, store) = small_store();
    let everyday = draw(&loaded(&store), 80, 24);
    let header = everyday.lines().find(|l| l.contains("CLAIM")).unwrap();
    for column in ["PATIENT", "PAYER", "CARC", "STATUS", "OWNER", "F/U"] {
        assert!(
            header.contains(column),
            "80 columns show {column}:\n{everyday}"
        );
    }
}

#[test]
fn the_appeals_pane_shows_every_claim_id_and_amount_whole_at_every_width() {
    use denialdesk::app::{Intent, Pane};
    use denialdesk::domain::action::WorkAction;
    use denialdesk::domain::appeal::Channel;
    let (_dir, store) = wide_store();
    for item in store.work_items().unwrap() {
        store
            .apply(
                &item.key,
                &WorkAction::FileAppeal {
                    packet: Default::default(),
                    level: 1,
                    channel: Channel::Portal,
                    submitted: today(),
                    response_due: today() + chrono::Duration::days(30),
                    documents: "records".into(),
                },
                today(),
                "maria",
            )
            .unwrap();
    }
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::ShowPane(Pane::Appeals));
    let items = store.work_items().unwrap();
    let owed = expected_rows(&items);
    for width in 60..=250u16 {
        let screen = draw(&state, width, 24);
        let mut rows = 0;
        for line in screen.lines().filter(|l| l.contains("ACCT-2026-")) {
            rows += 1;
            let (id, amount) = owed
                .iter()
                .filter(|(id, _)| line.contains(id.as_str()))
                .max_by_key(|(id, _)| id.len())
                .unwrap_or_else(|| panic!("{width}: a claim id cut:\n{screen}"));
            assert!(
                line.contains(&format!(" {amount}")),
                "{width}: {id} must show {amount} whole:\n{screen}"
            );
        }
        assert_eq!(rows, items.len(), "{width}: every appeal shown:\n{screen}");
        assert!(
            screen.contains("@2"),
            "{width}: shared ids told apart:\n{screen}"
        );
    }
}

#[test]
fn the_kpi_pane_shows_every_figure_whole_at_every_width() {
    use denialdesk::app::{Intent, Pane};
    use denialdesk::domain::kpi::Dimension;
    use denialdesk::domain::money::format_dollars;
    let (_dir, store) = wide_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::ShowPane(Pane::Kpi));
    let k = state.kpi.figures.clone().expect("computed");
    let open = format!("Open {} ({})", k.open.count, format_dollars(k.open.cents));
    let payer = k.root_cause(Dimension::Payer);
    assert!(!payer.is_empty());
    for width in 60..=250u16 {
        let screen = draw(&state, width, 40);
        assert!(screen.contains(&open), "{width}: {open}:\n{screen}");
        assert!(
            screen.contains(&format!(
                "Initial denial {}",
                k.initial_denials.all.display()
            )),
            "{width}:\n{screen}"
        );
        for r in payer {
            let row = screen
                .lines()
                .find(|l| l.contains(" $") && l.contains(&r.value[..8]))
                .unwrap_or_else(|| panic!("{width}: the {} row:\n{screen}", r.value));
            assert!(
                row.contains(&format_dollars(r.denied_cents)),
                "{width}: {} denied whole:\n{screen}",
                r.value
            );
        }
        for (n, bucket) in k.aging.iter().enumerate() {
            assert!(
                screen.contains(&format_dollars(bucket.cents)),
                "{width}: aging {n} whole:\n{screen}"
            );
        }
    }
}

#[test]
fn a_long_error_is_shown_whole_and_hints_are_never_cut() {
    use denialdesk::app::{Intent, Outcome};
    let (_dir, store) = wide_store();
    let mut state = loaded(&store);
    let long = "claim ACCT-2026-000000000003 was changed by devon at 2026-11-24 10:41 since you opened it; it has been reloaded, re-apply your change (your form is kept)";
    act(&mut state, &store, Outcome::Failed(long.into()));
    for width in [60u16, 80, 100] {
        let screen = draw(&state, width, 24);
        let flat = screen
            .lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(flat.contains(long), "{width}: the whole message:\n{screen}");
    }
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::Refresh);
    for width in 60..=120u16 {
        let screen = draw(&state, width, 24);
        let footer = screen.lines().last().unwrap().trim_end();
        assert!(!footer.ends_with('?'), "{width}: a cut hint: {footer:?}");
        let last = footer.rsplit("  ").next().unwrap();
        assert!(
            last.contains(' '),
            "{width}: the last hint is whole: {footer:?}"
        );
    }
}

#[test]
fn side_by_side_the_list_and_the_claim_have_a_gap() {
    use denialdesk::app::Intent;
    let (_dir, store) = wide_store();
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::Open);
    act(&mut state, &store, Intent::Back);
    let screen = draw(&state, 200, 30);
    // Every body row: the cell just left of the claim pane is blank.
    let lines: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let split = (200 - 1) * 55 / 100; // 55% of what is left after the one-cell gap
    for (y, line) in lines.iter().enumerate().skip(1).take(27) {
        assert_eq!(
            line[split], ' ',
            "row {y} runs into the next pane:\n{screen}"
        );
    }
}

#[test]
fn the_kpi_pane_shows_each_persons_figures_whole_at_every_width() {
    use denialdesk::app::{Intent, Pane};
    use denialdesk::domain::action::WorkAction;
    use denialdesk::domain::money::format_dollars;
    use denialdesk::store::Store;
    let (_dir, store) = wide_store();
    // A long user name owning a claim written off in the pane's period: one resolved.
    let item = &store.work_items().unwrap()[0];
    let today = today();
    let owner = WorkAction::Assign(Some("maria.fernanda-gutierrez".into()));
    store
        .apply(&item.key, &owner, today, "maria.fernanda-gutierrez")
        .unwrap();
    let off = WorkAction::ChangeStatus {
        to: denialdesk::domain::status::Status::WrittenOff,
        reason: Some("small balance".into()),
    };
    store
        .apply(&item.key, &off, today, "maria.fernanda-gutierrez")
        .unwrap();
    assert!(!store.audit_log().unwrap().is_empty());
    let mut state = loaded(&store);
    act(&mut state, &store, Intent::ShowPane(Pane::Kpi));
    // Every breakdown, then people.
    for _ in 0..denialdesk::domain::kpi::Dimension::ALL.len() {
        act(&mut state, &store, Intent::NextDimension);
    }
    let k = state.kpi.figures.clone().expect("computed");
    let maria = k
        .workload
        .iter()
        .find(|w| w.owner.starts_with("maria"))
        .expect("maria's figures");
    assert_eq!(maria.resolved_in_period, 1);
    for width in 60..=250u16 {
        let screen = draw(&state, width, 40);
        assert!(
            screen.contains("Productivity per person"),
            "{width}:\n{screen}"
        );
        let row = screen
            .lines()
            .find(|l| l.starts_with('▶') && l.contains("maria"))
            .unwrap_or_else(|| panic!("{width}: maria's row:\n{screen}"));
        // Resolved and recovered are never dropped nor cut.
        let cells: Vec<&str> = row.split_whitespace().collect();
        let recovered = format_dollars(maria.recovered_in_period_cents);
        let at = cells
            .iter()
            .position(|c| *c == recovered)
            .unwrap_or_else(|| panic!("{width}: recovered whole: {row}\n{screen}"));
        assert_eq!(
            cells[at - 1],
            "1",
            "{width}: resolved beside recovered: {row}"
        );
    }
    // b once more: round to the first breakdown.
    act(&mut state, &store, Intent::NextDimension);
    assert!(draw(&state, 80, 24).contains("Denied $ by payer"));
}

#[test]
fn the_worklist_summary_is_whole_parts_at_every_width() {
    let (_dir, store) = wide_store();
    let state = loaded(&store);
    for width in 30..=250u16 {
        let screen = draw(&state, width, 30);
        // The summary is the line under the queue tabs: parts joined by " · ".
        // (At 120 columns and wider the claim pane sits beside it, past a gap.)
        let line = screen.lines().nth(2).unwrap();
        let summary = line.split("   ").next().unwrap().trim_end();
        for part in summary.split(" · ") {
            let whole = part.ends_with(" claims")
                || part.ends_with(" outstanding")
                || part.starts_with("sort ")
                    && [
                        "priority",
                        "deadline",
                        "amount",
                        "age",
                        "follow-up",
                        "payer",
                    ]
                    .iter()
                    .any(|s| part == format!("sort {s}"));
            assert!(whole, "{width}: {part:?} in {summary:?}");
        }
    }
}
