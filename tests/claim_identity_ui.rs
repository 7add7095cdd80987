//! People still name claims by CLP01: the CLI says when one names several and how to
//! pick (key or CLAIM@N), `list --json` gives every row a stable key, and the TUI shows
//! both rows, the patient-responsibility queue and the no-appeal-rights deadline.

mod common;

use common::app::*;
use common::cli_env::*;
use common::remits::*;
use common::*;
use denialdesk::app::Intent;
use denialdesk::domain::queue::Queue;

fn shared_clp01_file() -> String {
    file(
        1,
        ACME,
        "20261101",
        &[
            claim_for(
                "ACCT1",
                1,
                JANE,
                "CI",
                "ICN-J",
                &[("99214", "250", "0", &["CO*197*250"])],
                &[],
            ),
            claim_for(
                "ACCT1",
                1,
                JOHN,
                "CI",
                "ICN-R",
                &[("99213", "180", "0", &["CO*50*180"])],
                &[],
            ),
            claim_for(
                "ACCT4",
                1,
                JANE,
                "CI",
                "ICN-4",
                &[("G0439", "175", "0", &["PR*96*175"])],
                &[],
            ),
            claim_for(
                "ACCT5",
                1,
                JOHN,
                "CI",
                "ICN-5",
                &[("99214", "200", "0", &["CO*16*200"])],
                &["MOA***MA130"],
            ),
        ],
    )
}

#[test]
fn the_cli_names_each_claim_by_key_and_refuses_an_ambiguous_clp01() {
    let env = Env::new();
    let path = env.write("shared.835", &shared_clp01_file());
    env.ok(&["import", &path]);
    let rows = json_lines(&env.ok(&["list", "--json"]));
    assert_eq!(rows.len(), 3, "the PR-96 claim is not a denial");
    let acct1: Vec<&serde_json::Value> = rows.iter().filter(|r| r["claim_id"] == "ACCT1").collect();
    assert_eq!(acct1.len(), 2);
    let keys: Vec<String> = acct1
        .iter()
        .map(|r| r["key"].as_str().unwrap().to_string())
        .collect();
    assert_ne!(keys[0], keys[1]);
    assert!(keys.iter().all(|k| k.starts_with("ACCT1#")));
    // No appeal rights: no appeal deadline, a resubmission date instead.
    let ma130 = rows.iter().find(|r| r["claim_id"] == "ACCT5").unwrap();
    assert!(ma130["appeal_deadline"].is_null(), "{ma130}");
    assert_eq!(
        ma130["resubmit_by"]["date"], "2026-12-30",
        "DOS 2026-10-01 + 90 days"
    );
    assert!(ma130["resubmit_by"]["source"]
        .as_str()
        .unwrap()
        .contains("timely filing"));
    assert_eq!(ma130["appeal_rights"], "resubmit-only");
    let denial = acct1[0];
    assert!(denial["appeal_deadline"].is_string() && denial["resubmit_by"].is_null());
    // The patient-responsibility queue.
    let pr = json_lines(&env.ok(&["list", "--json", "--kind", "patient-responsibility"]));
    assert_eq!(pr.len(), 1);
    assert_eq!(
        (pr[0]["claim_id"].as_str(), pr[0]["kind"].as_str()),
        (Some("ACCT4"), Some("patient-responsibility"))
    );

    // An action by CLP01 alone is refused, naming the candidates; nothing changes.
    let before = env.audit_len();
    let err = env.fails(&["note", "ACCT1", "called"]);
    assert!(err.contains("names 2 claims"), "{err}");
    assert!(err.contains("ACCT1@1") && err.contains("ACCT1@2"), "{err}");
    assert!(err.contains(&keys[0]) && err.contains(&keys[1]), "{err}");
    assert!(
        err.contains("DOE, JANE") && err.contains("ROE, JOHN"),
        "{err}"
    );
    assert_eq!(env.audit_len(), before);
    let err = env.fails(&["show", "ACCT1"]);
    assert!(err.contains("names 2 claims"), "{err}");

    // By key, and as CLAIM@N (in key order), each reaches exactly its own claim.
    env.ok(&["note", &keys[0], "by key"]);
    let mut sorted = keys.clone();
    sorted.sort();
    env.ok(&["assign", "ACCT1@2", "maria"]);
    let shown = env.ok(&["show", &keys[0]]);
    assert!(
        shown.contains("by key") && shown.contains(&keys[0]),
        "{shown}"
    );
    let second = env.ok(&["show", "--json", &sorted[1]]);
    let second: serde_json::Value = serde_json::from_str(&second).unwrap();
    assert_eq!(second["work_item"]["owner"], "maria");
    assert_eq!(second["work_item"]["key"], sorted[1].as_str());
    let audit = env.ok(&["audit", "--claim", "ACCT1"]);
    assert!(
        audit.contains(&keys[0]) && audit.contains(&keys[1]),
        "{audit}"
    );
    let audit = env.ok(&["audit", "--claim", "ACCT1@2"]);
    assert!(
        audit.contains(&sorted[1]) && !audit.contains(&sorted[0]),
        "{audit}"
    );
    // The table names them as the commands take them.
    let table = env.ok(&["list"]);
    assert!(
        table.contains("ACCT1@1") && table.contains("ACCT1@2"),
        "{table}"
    );
    assert!(
        table.contains("dR"),
        "resubmission deadline marked R:\n{table}"
    );

    // No appeal rights: an appeal is refused, with the way forward.
    let err = env.fails(&["appeal", "ACCT5", "--channel", "portal"]);
    assert!(
        err.contains("cannot be appealed") && err.contains("MA130"),
        "{err}"
    );
    assert!(err.contains("resubmit it by 2026-12-30"), "{err}");
}

#[test]
fn the_tui_shows_both_claims_the_patient_queue_and_the_resubmission_deadline() {
    let (_dir, store) = temp_store();
    import(&store, "shared.835", &shared_clp01_file()).unwrap();
    let mut state = loaded(&store);
    let screen = draw(&state, 80, 24);
    let acct1_rows = screen.lines().filter(|l| l.contains("ACCT1")).count();
    assert_eq!(acct1_rows, 2, "{screen}");
    assert!(
        screen.contains("ACCT1@1") && screen.contains("ACCT1@2"),
        "{screen}"
    );
    let ma130 = screen.lines().find(|l| l.contains("ACCT5")).unwrap();
    assert!(
        ma130.trim_end().ends_with("R*"),
        "resubmission deadline marked R, its default window *: {ma130}"
    );
    assert!(
        screen.contains("DOE, JANE") && screen.contains("ROE, JOHN"),
        "{screen}"
    );
    assert!(
        !screen.contains("ACCT4"),
        "PR-96 is not in the denial queue:\n{screen}"
    );
    assert!(
        screen.contains("Pt 1"),
        "the patient queue's tab and count:\n{screen}"
    );
    act(
        &mut state,
        &store,
        Intent::SetQueue(Queue::PatientResponsibility),
    );
    let screen = draw(&state, 80, 24);
    assert!(
        screen.contains("ACCT4") && !screen.contains("ACCT1"),
        "{screen}"
    );

    act(&mut state, &store, Intent::SetQueue(Queue::Open));
    let at = state
        .worklist
        .view()
        .iter()
        .position(|&i| state.worklist.rows()[i].claim_id == "ACCT5")
        .unwrap();
    state.worklist.select(at);
    act(&mut state, &store, Intent::Open);
    let screen = draw(&state, 80, 24);
    assert!(
        screen.contains("No appeal rights: resubmit by 2026-12-30"),
        "{screen}"
    );
}
