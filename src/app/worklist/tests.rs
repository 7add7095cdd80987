use super::*;
use crate::domain::list_row::ListRow;
use crate::domain::status::Status;
use crate::domain::test_support::{set_denied, work_item};
use crate::domain::worklist::{select, Filter};
use chrono::Duration;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// Five claims that every sort orders differently, keys in order as the store gives them.
fn items() -> Vec<WorkItem> {
    let mut items: Vec<WorkItem> = ["A", "B", "C", "D", "E"]
        .iter()
        .enumerate()
        .map(|(n, id)| {
            let mut i = work_item(id);
            set_denied(&mut i, [40_000, 900_000, 12_500, 300_000, 77_700][n]);
            i.appeal_deadline.date = today() + Duration::days([50, 3, 20, 9, 35][n]);
            i.payer = ["CIGNA", "AETNA", "HUMANA", "AETNA", "BCBS"][n].into();
            i.patient_name = format!("PATIENT, {id}").into();
            i.denied_on = today() - Duration::days([5, 40, 2, 12, 30][n]);
            i
        })
        .collect();
    items[2].follow_up = Some(today());
    items[4].follow_up = Some(today() + Duration::days(3));
    items[3].status = Status::Paid;
    items.sort_by(|a, b| a.key.cmp(&b.key));
    items
}

fn whole() -> Worklist {
    let mut w = Worklist::new("maria", today());
    w.set_whole(items());
    w
}

fn shown(w: &Worklist) -> Vec<&str> {
    w.view()
        .iter()
        .map(|&i| w.rows()[i].claim_id.as_str())
        .collect()
}

#[test]
fn what_needs_a_whole_item_waits_for_the_whole_items() {
    let mut w = Worklist::new("maria", today());
    assert_eq!(w.phase(), LoadPhase::Waiting);
    assert!(w.whole_items().is_none());
    let rows: Vec<ListRow> = items().iter().map(ListRow::from).collect();
    let key = rows[0].key.clone();
    w.set_rows(rows);
    assert_eq!(w.phase(), LoadPhase::Rows);
    // The row is there to rank and show, but nothing reads its empty appeals or payer id.
    assert!(w.row(&key).is_some());
    assert!(w.whole_item(&key).is_none());
    assert!(w.whole_items().is_none());
    w.set_whole(items());
    assert_eq!(w.phase(), LoadPhase::Whole);
    assert_eq!(w.whole_item(&key).unwrap().payer_id, items()[0].payer_id);
}

#[test]
fn the_worklist_orders_rows_exactly_as_denialdesk_list_does() {
    let mut w = whole();
    w.set_queue(Queue::All);
    for sort in SortKey::ALL {
        for reverse in [false, true] {
            w.set_sort(sort, reverse);
            let filter = Filter {
                include_resolved: true,
                ..Filter::default()
            };
            let cli: Vec<String> = select(items(), &filter, sort, reverse, today())
                .into_iter()
                .map(|r| r.item.claim_id.into())
                .collect();
            assert_eq!(shown(&w), cli, "{sort:?} reversed {reverse}");
        }
    }
}

#[test]
fn derived_figures_follow_every_change_and_the_selection_follows_its_claim() {
    let mut w = whole();
    let owed = |w: &Worklist| -> i64 {
        w.view()
            .iter()
            .map(|&i| w.rows()[i].outstanding_cents)
            .sum()
    };
    assert_eq!(w.view_totals(), (w.view().len(), owed(&w)));
    let open = w.queue_counts()[0];
    assert_eq!(open, 3, "paid D is out, E is parked: {:?}", shown(&w));
    assert_eq!(w.parked(), 1);
    w.set_sort(SortKey::Amount, false);
    w.select(1);
    let selected = w.selected_row().unwrap().key.clone();
    // A save that raises another claim's amount reorders the view under the cursor.
    let mut c = w.whole_item(&w.rows()[2].key).unwrap().clone();
    set_denied(&mut c, 5_000_000);
    c.follow_up = None;
    w.update(vec![c]);
    assert_eq!(w.selected_row().unwrap().key, selected);
    assert_eq!(shown(&w)[0], "C");
    assert_eq!(w.view_totals(), (w.view().len(), owed(&w)));
    // A new claim (a teammate's import) lands in key order and in the counts.
    let mut f = work_item("F");
    set_denied(&mut f, 1);
    w.update(vec![f]);
    assert_eq!(w.queue_counts()[0], open + 1);
    assert!(w.rows().windows(2).all(|p| p[0].key < p[1].key));
    assert_eq!(w.view_totals(), (w.view().len(), owed(&w)));
}

#[test]
fn privacy_takes_names_out_of_what_search_and_filter_see() {
    let mut w = whole();
    w.set_filter("patient");
    assert_eq!(w.view().len(), 3);
    w.set_phi_searchable(false);
    assert!(w.view().is_empty(), "{:?}", shown(&w));
    w.set_phi_searchable(true);
    assert_eq!(w.view().len(), 3);
}

#[test]
fn a_drill_replaces_the_queue_and_leaving_it_restores_the_queue() {
    let mut w = whole();
    let all_aetna = Drill {
        dimension: crate::domain::kpi::Dimension::Payer,
        value: "AETNA".into(),
        period: crate::domain::kpi::Period {
            from: today() - Duration::days(90),
            to: today(),
        },
    };
    w.set_drill(Some(all_aetna));
    assert_eq!(shown(&w), ["B", "D"]);
    w.set_queue(w.queue());
    assert!(w.drill().is_none());
    assert_eq!(w.view().len(), 3);
}

#[test]
fn the_order_kept_between_keys_is_the_order_sorted_from_scratch() {
    // Saves (amounts and deadlines changed, claims added), sorts and filters in a
    // pseudo-random sequence; after each, the view must be what a worklist built afresh
    // from the same items shows.
    let mut w = whole();
    let mut next = crate::domain::test_support::numbers(0x5eed);
    for step in 0..600 {
        match next(4) {
            0 => {
                let keys: Vec<String> = w.rows().iter().map(|i| i.key.to_string()).collect();
                let mut item = w
                    .whole_item(&keys[next(keys.len() as u64) as usize])
                    .unwrap()
                    .clone();
                set_denied(&mut item, next(900_000) as i64 + 1);
                item.appeal_deadline.date = today() + Duration::days(next(60) as i64);
                w.update(vec![item]);
            }
            1 => {
                // Now and then a second claim under a CLP01 already there.
                let mut item = work_item(&format!("N{}", next(1_000)));
                if next(3) == 0 {
                    item.key = format!("{}#{}", item.claim_id, next(1_000)).into();
                }
                set_denied(&mut item, next(900_000) as i64 + 1);
                item.payer = ["AETNA", "BCBS", "ZETA"][next(3) as usize].into();
                w.update(vec![item]);
            }
            2 => w.set_sort(SortKey::ALL[next(6) as usize], next(2) == 1),
            _ => w.set_filter(["", "aetna", "patient", "n"][next(4) as usize]),
        }
        let mut fresh = Worklist::new("maria", today());
        fresh.set_whole(w.whole_items().unwrap().to_vec());
        let (sort, reverse) = w.sort();
        fresh.set_sort(sort, reverse);
        fresh.set_filter(&w.sel.filter.clone());
        // By key: two claims under one CLP01 must not swap.
        let keys = |w: &Worklist| -> Vec<String> { w.shown_keys().map(String::from).collect() };
        assert_eq!(
            keys(&w),
            keys(&fresh),
            "step {step}: {sort:?} reversed {reverse}"
        );
    }
}

#[test]
fn rows_rank_by_what_rows_know_until_the_whole_items_tell_more() {
    use crate::domain::appeal::{Appeal, Channel};
    // B's appeal went out two days after its deadline: missed, so on its deadline clock
    // (DeadlinesThisWeek holds deadlines 0-7 days out; moved to 2 days out).
    let mut whole_items = items();
    let b = &mut whole_items[1];
    b.appeal_deadline.date = today() + Duration::days(2);
    b.status = Status::Appealed;
    b.appeals.push(Appeal {
        level: 1,
        channel: Channel::Fax,
        submitted: b.appeal_deadline.date + Duration::days(2),
        response_due: today() + Duration::days(60),
        documents: String::new(),
        decision: None,
    });
    let stored = |i: &WorkItem| ListRow::from(i).as_stored();
    let mut w = Worklist::new("maria", today());
    w.set_rows(whole_items.iter().map(stored).collect());
    let this_week = Queue::ALL
        .iter()
        .position(|q| *q == Queue::DeadlinesThisWeek)
        .unwrap();
    // A stored row carries no appeals: B counts as appealed in time, with the payer.
    assert_eq!(w.queue_counts()[this_week], 0);
    // A drill needs what rows do not carry: it shows nothing until the whole items load.
    w.set_drill(Some(Drill {
        dimension: crate::domain::kpi::Dimension::Payer,
        value: "AETNA".into(),
        period: crate::domain::kpi::Period {
            from: today() - Duration::days(90),
            to: today(),
        },
    }));
    assert!(w.view().is_empty());
    // A save before the whole items keeps only the saved item's row.
    let mut a = whole_items[0].clone();
    a.owner = Some("maria".into());
    w.update(vec![a.clone()]);
    assert_eq!(w.row(&a.key).unwrap().owner.as_deref(), Some("maria"));
    assert!(w.whole_item(&a.key).is_none());
    whole_items[0] = a;
    w.set_whole(whole_items.clone());
    assert_eq!(
        w.queue_counts()[this_week],
        1,
        "B's late appeal is known now"
    );
    assert_eq!(shown(&w), ["B", "D"]);
    assert_eq!(w.whole_item(&whole_items[1].key), Some(&whole_items[1]));
    // Rows and whole items stay parallel through a new claim in the middle.
    let mut c2 = work_item("BB");
    set_denied(&mut c2, 1_000);
    w.update(vec![c2.clone()]);
    for (row, item) in w.rows().iter().zip(w.whole_items().unwrap()) {
        assert_eq!(row, &ListRow::from(item));
    }
    assert_eq!(w.whole_item(&c2.key), Some(&c2));
}
