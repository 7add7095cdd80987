//! The no-response queue: claims with the payer (resubmitted, appealed, awaiting the
//! payer, a rejection the payer accepted) that no 835 and no 277 answered for
//! `no_response_days` (default 30) since they were sent or last answered.

mod common;

use chrono::NaiveDate;
use common::acks::{file_277, file_277ca, AckClaim};
use common::{claim, header, import, interchange, set, temp_store, STAR};
use denialdesk::domain::action::WorkAction;
use denialdesk::domain::queue::Queue;
use denialdesk::domain::status::Status;
use denialdesk::domain::work_item::RowFields;
use denialdesk::store::WorkStore;

fn day(d: &str) -> NaiveDate {
    d.parse().unwrap()
}

fn remit(control: u32, date: &str, claims: &[Vec<String>]) -> String {
    let mut parts = vec![header("AETNA", "60054", date, &format!("T{control}"))];
    parts.extend(claims.iter().cloned());
    interchange(&STAR, control, &[set(&parts)])
}

#[test]
fn a_resubmitted_claim_nobody_answered_for_30_days_needs_a_call() {
    let (_dir, store) = temp_store();
    import(
        &store,
        "a.835",
        &remit(
            1,
            "20261001",
            &[claim("C1", 1, "1240", "0", &["CO*16*1240"])],
        ),
    )
    .unwrap();
    let resubmit = WorkAction::ChangeStatus {
        to: Status::Resubmitted,
        reason: None,
    };
    let item = store
        .apply("C1", &resubmit, day("2026-10-05"), "maria")
        .unwrap();
    assert_eq!(item.awaiting_payer_since, Some(day("2026-10-05")));
    let in_queue = |today: &str| {
        let item = store.work_item("C1").unwrap().unwrap();
        Queue::NoResponse.contains(&item, "maria", day(today))
    };
    assert!(!in_queue("2026-11-03"), "29 days");
    assert!(in_queue("2026-11-04"), "30 days");
    assert_eq!(
        store
            .work_item("C1")
            .unwrap()
            .unwrap()
            .days_without_response(day("2026-11-04")),
        Some(30)
    );

    // A 277 (in process) is an answer: the clock restarts from its date.
    import(
        &store,
        "s.277",
        &file_277(2, "AETNA", "60054", "20261101", "C1", "P1:20", ""),
    )
    .unwrap();
    assert_eq!(
        store.work_item("C1").unwrap().unwrap().awaiting_payer_since,
        Some(day("2026-11-01"))
    );
    assert!(!in_queue("2026-11-04"));
    // The 835 denying it again leaves the payer's hands: nothing is awaited.
    import(
        &store,
        "b.835",
        &remit(
            3,
            "20261110",
            &[claim("C1", 1, "1240", "0", &["CO*16*1240"])],
        ),
    )
    .unwrap();
    let item = store.work_item("C1").unwrap().unwrap();
    assert_eq!(item.status, Status::Upheld);
    assert_eq!(item.awaiting_payer_since, None);
    assert!(!in_queue("2027-01-01"));
}

#[test]
fn an_appeal_counts_from_the_day_it_was_sent_and_leaving_the_payer_stops_the_clock() {
    let (_dir, store) = temp_store();
    import(
        &store,
        "a.835",
        &remit(
            1,
            "20261001",
            &[claim("C2", 1, "300", "0", &["CO*197*300"])],
        ),
    )
    .unwrap();
    let appeal = WorkAction::FileAppeal {
        packet: Default::default(),
        level: 1,
        channel: denialdesk::domain::appeal::Channel::Fax,
        submitted: day("2026-10-03"),
        response_due: day("2026-11-02"),
        documents: String::new(),
    };
    let item = store
        .apply("C2", &appeal, day("2026-10-06"), "maria")
        .unwrap();
    assert_eq!(
        item.awaiting_payer_since,
        Some(day("2026-10-03")),
        "from the day it was sent"
    );
    // A note is not an answer: the clock keeps running.
    let item = store
        .apply(
            "C2",
            &WorkAction::AddNote("faxed again".into()),
            day("2026-10-20"),
            "maria",
        )
        .unwrap();
    assert_eq!(item.awaiting_payer_since, Some(day("2026-10-03")));
    let item = store
        .apply(
            "C2",
            &WorkAction::ChangeStatus {
                to: Status::InProgress,
                reason: None,
            },
            day("2026-10-21"),
            "maria",
        )
        .unwrap();
    assert_eq!(item.awaiting_payer_since, None);
}

#[test]
fn an_accepted_rejection_waits_for_its_remittance_and_list_shows_the_silent_ones() {
    let env = common::cli_env::Env::new();
    let rejected = file_277ca(
        5,
        "PR",
        "AETNA",
        "60054",
        "20261001",
        &[AckClaim::jane("R1", "A7:21:85", "500")],
    );
    let accepted = file_277ca(
        6,
        "PR",
        "AETNA",
        "60054",
        "20261005",
        &[AckClaim::jane("R1", "A2:20:PR", "500")],
    );
    env.ok(&["import", &env.write("r.277", &rejected)]);
    env.ok(&["import", &env.write("a.277", &accepted)]);
    // Accepted on 2026-10-05 and no remittance since: in the no-response list.
    let rows = common::cli_env::json_lines(&env.ok(&["list", "--kind", "no-response", "--json"]));
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["claim_id"], "R1");
    assert_eq!(rows[0]["status"], "accepted");
    assert_eq!(rows[0]["awaiting_payer_since"], "2026-10-05");
    assert_eq!(rows[0]["kind"], "rejection");
    assert_eq!(rows[0]["no_response"], true);
    let table = env.ok(&["list", "--kind", "no-response"]);
    assert!(table.contains("1 claims with no payer response"), "{table}");
    // The claim's 835 answers it.
    let paid = remit(7, "20261020", &[claim("R1", 1, "500", "500", &[])]);
    env.ok(&["import", &env.write("p.835", &paid)]);
    assert_eq!(
        env.ok(&["list", "--kind", "no-response", "--json"])
            .lines()
            .count(),
        0
    );
    // A shorter wait from the config file.
    let config = env
        .dir
        .path()
        .join("config")
        .join("denialdesk")
        .join("config.toml");
    let base = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{base}\nno_response_days = 0\n")).unwrap();
    assert!(env
        .fails(&["list"])
        .contains("no_response_days must be between 1 and 3650"));
}

#[test]
fn a_rejection_its_remittance_answered_is_not_awaited_again_by_a_later_277() {
    let (_dir, store) = temp_store();
    let rejected = file_277ca(
        8,
        "PR",
        "AETNA",
        "60054",
        "20261001",
        &[AckClaim::jane("R2", "A7:21:85", "500")],
    );
    import(&store, "r.277", &rejected).unwrap();
    let accepted = file_277ca(
        9,
        "PR",
        "AETNA",
        "60054",
        "20261005",
        &[AckClaim::jane("R2", "A2:20:PR", "500")],
    );
    import(&store, "a.277", &accepted).unwrap();
    assert_eq!(
        store.work_item("R2").unwrap().unwrap().awaiting_payer_since,
        Some(day("2026-10-05"))
    );
    import(
        &store,
        "p.835",
        &remit(10, "20261020", &[claim("R2", 1, "500", "500", &[])]),
    )
    .unwrap();
    assert_eq!(
        store.work_item("R2").unwrap().unwrap().awaiting_payer_since,
        None
    );
    // The payer's 277 after its remittance ("finalized: paid") awaits nothing more.
    import(
        &store,
        "f.277",
        &file_277(11, "AETNA", "60054", "20261025", "R2", "F1:65", "500"),
    )
    .unwrap();
    let item = store.work_item("R2").unwrap().unwrap();
    assert_eq!(item.awaiting_payer_since, None);
    assert!(!Queue::NoResponse.contains(&item, "maria", day("2027-01-01")));
}
