//! Power loss, simulated at every write. The store runs on a simulated disk that keeps
//! what was written apart from what a flush made durable (`SimDisk`). A day's work is
//! recorded once: open, a small import, a note, a file large enough to be stored set by
//! set under the undo journal, the same claims again from later remittances (updating
//! their work items, also journaled), a payer call, an assignment, a 277CA's rejection. Then, for every point the
//! power could go (after each atomic write), the store is reopened on what the disk kept
//! and must hold exactly the work before the operation in progress or after it: never
//! part of a file, never a lost acknowledged change. And every operation must have made
//! its writes durable before it returned.

mod common;

use chrono::NaiveDate;
use common::*;
use denialdesk::demo::synthetic_835_in_sets;
use denialdesk::domain::action::WorkAction;
use denialdesk::store::{SimDisk, SledStore, Store, WorkStore};
use std::path::Path;
use std::sync::Arc;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// What the store holds: every record its backup gives but the store's bookkeeping (the
/// backup's own records, and the audit entries of imports rolled back at open: the
/// reopen's own work, not the day's); then every other key as it is stored (list rows, the
/// payer-claim-number index, day counts, journals), which a backup leaves out or rebuilds.
fn contents(disk: &SimDisk, kept: usize) -> Vec<String> {
    let reopened = disk.after_power_cut(kept);
    let store = SledStore::open_simulated(reopened.clone(), Path::new("/sim/db"))
        .unwrap_or_else(|e| panic!("reopened after {kept} writes: {e}"));
    let mut out = Vec::new();
    store.backup(&mut out, "check").unwrap();
    // The worklist's snapshot and marks (`s:`, `d:`) are derived and rebuilt after an
    // import: cut before the rebuild was durable, they differ but must read the same.
    common::assert_list_rows_match(&store);
    let keys = reopened
        .entries()
        .into_iter()
        .filter(|(key, _)| {
            !key.starts_with(b"a:") && !key.starts_with(b"s:") && !key.starts_with(b"d:")
        })
        .map(|(key, value)| format!("{} = {:?}", String::from_utf8_lossy(&key), value));
    let records = common::backups::data_lines(&String::from_utf8(out).unwrap());
    records.into_iter().chain(keys).collect()
}

#[test]
fn after_a_power_cut_at_any_write_the_store_holds_whole_operations_and_every_acknowledged_one() {
    let disk = SimDisk::new();
    let path = Path::new("/sim/db");
    // Each operation's name and how many writes the disk had when it returned.
    let mut done: Vec<(&str, usize)> = Vec::new();
    let store = SledStore::open_simulated(disk.clone(), path).unwrap();
    let mut acknowledged = |what: &'static str, disk: &Arc<SimDisk>| {
        // Acknowledged means durable: nothing written after the last flush.
        assert_eq!(
            disk.durable(),
            disk.writes(),
            "{what} returned before a flush"
        );
        done.push((what, disk.writes()));
    };
    acknowledged("open", &disk);

    let mut small = header("AETNA", "60054", "20261101", "T1");
    for n in 0..20 {
        small.extend(claim(&format!("SMALL{n}"), 1, "100", "0", &["CO*197*100"]));
    }
    import(&store, "small.835", &interchange(&STAR, 1, &[small])).unwrap();
    acknowledged("small import", &disk);

    store
        .apply(
            "SMALL3",
            &WorkAction::AddNote("auth on file".into()),
            today(),
            "maria",
        )
        .unwrap();
    acknowledged("note", &disk);

    // Over 2,000 claims: stored one transaction set per batch under the undo journal.
    let large = synthetic_835_in_sets(2_100, 700, 7, 150);
    let report = import(&store, "large.835", &large).unwrap();
    assert_eq!(report.claims, 2_100);
    acknowledged("journaled import", &disk);
    // The same claims again from later remittances (new trace numbers): a journaled file
    // that updates work items, whose rollback must give every key its old value back.
    let again = large.replace("TRN*1*", "TRN*1*8");
    let report = import(&store, "large-again.835", &again).unwrap();
    assert!(report.denials_updated > 0, "{report:?}");
    acknowledged("journaled re-adjudication", &disk);
    let denied = store
        .work_items()
        .unwrap()
        .into_iter()
        .find(|i| !i.claim_id.starts_with("SMALL"))
        .expect("the large file opened denials")
        .key;

    let call = WorkAction::AddNote("called payer, ref 778812, reprocessing".into());
    store.apply(&denied, &call, today(), "devon").unwrap();
    acknowledged("call note", &disk);
    store
        .apply(
            "SMALL7",
            &WorkAction::Assign(Some("devon".into())),
            today(),
            "maria",
        )
        .unwrap();
    acknowledged("assignment", &disk);
    // A clearinghouse's 277CA rejecting a claim before adjudication: a rejection opened.
    let rejection = common::acks::file_277ca(
        70,
        "PR",
        "AETNA",
        "60054",
        "20261201",
        &[common::acks::AckClaim::jane("REJ1", "A7:21:85", "200")],
    );
    import(&store, "rejections.277", &rejection).unwrap();
    assert!(store
        .work_items()
        .unwrap()
        .iter()
        .any(|i| i.claim_id == "REJ1"));
    acknowledged("277CA import", &disk);
    drop(store);

    let total = disk.writes();
    let journaled = done[3].1 - done[2].1;
    assert!(
        journaled >= 4,
        "the large file took {journaled} writes: not set by set"
    );
    // What the store holds after each operation (and before any: nothing kept at all is
    // a new database, which the reopen creates as the first open did).
    let after: Vec<Vec<String>> = done.iter().map(|&(_, at)| contents(&disk, at)).collect();
    assert_eq!(contents(&disk, 0), after[0]);
    for pair in after.windows(2) {
        assert_ne!(pair[0], pair[1], "every operation changes something");
    }

    for kept in 0..=total {
        let found = contents(&disk, kept);
        // The operation in progress when the power went: the first not yet acknowledged.
        let at = done.iter().position(|&(_, acked)| acked > kept);
        match at {
            // Past the last acknowledgement: everything.
            None => assert!(found == after[done.len() - 1], "after {kept} writes"),
            Some(0) => assert!(
                found == after[0],
                "a half-made database after {kept} writes"
            ),
            Some(i) => assert!(
                found == after[i - 1] || found == after[i],
                "after {kept} of {total} writes, during the {}: neither before nor after it \
                 ({} records; before {}, after {})",
                done[i].0,
                found.len(),
                after[i - 1].len(),
                after[i].len()
            ),
        }
    }
}
