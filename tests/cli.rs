//! The real binary, driven as a script would: import, list, show and every action, with
//! clear errors and non-zero exits that change nothing.

mod common;

use common::cli_env::*;
use common::*;
use std::path::Path;

#[test]
fn import_reports_each_file_and_a_bad_file_fails_alone() {
    let env = Env::new();
    let good = set(&[
        header("P", "1", "20261101", "T1"),
        claim("G1", 1, "100", "0", &["CO*50*100"]),
    ]);
    let good = env.write("good.835", &interchange(&STAR, 1, &[good]));
    let bad = set(&[
        header("P", "1", "20261101", "T2"),
        claim("B1", 1, "1OO", "0", &[]),
    ]);
    let bad = env.write("bad.835", &interchange(&STAR, 2, &[bad]));
    let out = env.run(&["import", &bad, &good]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bad.835: segment 12 (CLP), element CLP03"),
        "{stderr}"
    );
    assert!(stderr.contains("1 of 2 files failed"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("good.835: 1 claims read, 1 new denials"));
    let ids: Vec<_> = json_lines(&env.ok(&["list", "--json"]))
        .iter()
        .map(|r| r["claim_id"].clone())
        .collect();
    assert_eq!(ids, vec!["G1"]);
    // Again: nothing to do, said on stderr with its own exit code.
    let again = env.run(&["import", &good]);
    assert_eq!(again.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&again.stdout).contains("already imported"));
    let said = String::from_utf8_lossy(&again.stderr);
    assert!(
        said.lines().any(|l| l.starts_with("nothing to do")),
        "{said}"
    );
}

#[test]
fn exit_codes_are_distinct_and_documented() {
    let env = seeded();
    let code = |args: &[&str]| env.run(args).status.code();
    assert_eq!(code(&["list"]), Some(0));
    assert_eq!(
        code(&["show", "NOPE"]),
        Some(1),
        "an unknown claim is an error"
    );
    assert_eq!(code(&["frobnicate"]), Some(2), "usage");
    assert_eq!(code(&["list", "--sort"]), Some(2), "usage");
    assert_eq!(
        code(&["--view", "x", "list"]),
        Some(2),
        "a wrong combination is usage"
    );
    let file = env.write(
        "again.edi",
        &interchange(
            &STAR,
            1,
            &[set(&[
                header("AETNA", "60054", "20261101", "T1"),
                claim("C1", 1, "1240", "0", &["CO*197*1240"]),
                claim("C2", 1, "300", "0", &["CO*16*300"]),
                claim("C3", 1, "100", "80", &["CO*45*20"]),
            ])],
        ),
    );
    assert_eq!(code(&["import", &file]), Some(4), "nothing to do");
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(
        readme.contains(&denialdesk::cli::exit::markdown()),
        "README's exit code table is out of date: paste denialdesk::cli::exit::markdown()"
    );
}

#[test]
fn list_json_has_the_documented_fields_and_filters_work() {
    let env = seeded();
    let rows = json_lines(&env.ok(&["list", "--json"]));
    assert_eq!(rows.len(), 2, "the paid claim C3 is not a denial");
    let c1 = rows.iter().find(|r| r["claim_id"] == "C1").unwrap();
    for field in [
        "claim_id",
        "patient_control_number",
        "payer",
        "denied_cents",
        "carcs",
        "category",
        "status",
        "owner",
        "follow_up",
        "appeal_deadline",
        "priority",
    ] {
        assert!(c1.get(field).is_some(), "missing {field}");
    }
    assert_eq!(c1["denied_cents"], 124000);
    assert_eq!(c1["carcs"], serde_json::json!(["CO-197"]));
    assert_eq!(c1["category"], "authorization");
    assert_eq!(c1["status"], "new");
    assert_eq!(c1["appeal_deadline"], "2027-01-30");
    assert_eq!(c1["deadline_is_default"], true);
    let by_cat = json_lines(&env.ok(&["list", "--json", "--category", "missing-information"]));
    assert_eq!(by_cat.len(), 1);
    assert_eq!(by_cat[0]["claim_id"], "C2");
    let by_amount = json_lines(&env.ok(&["list", "--json", "--sort", "amount"]));
    assert_eq!(by_amount[0]["claim_id"], "C1");
    assert!(env.ok(&["list"]).contains("2 denials"));
    assert!(env
        .fails(&["list", "--status", "closed"])
        .contains("unknown status \"closed\""));
    assert!(env
        .fails(&["list", "--sort", "size"])
        .contains("unknown sort"));
    // The worklist's filter language, and reversed sorts.
    let filtered = json_lines(&env.ok(&["list", "--json", "--filter", "carc:197 >1000"]));
    assert_eq!(filtered.len(), 1);
    assert_eq!(filtered[0]["claim_id"], "C1");
    let reversed = json_lines(&env.ok(&["list", "--json", "--sort", "amount", "--reverse"]));
    assert_eq!(reversed[0]["claim_id"], "C2");
    assert!(env
        .fails(&["list", "--filter", "colour:red"])
        .contains("--filter: colour: no such field"));
}

#[test]
fn payer_rules_file_sets_the_deadline() {
    let env = seeded();
    let rules = env.write(
        "payers.toml",
        "[[payer]]\nname = \"Aetna\"\nids = [\"60054\"]\nappeal_window_days = 180\n",
    );
    let body = set(&[
        header("AETNA", "60054", "20261102", "T9"),
        claim("C9", 1, "50", "0", &["CO*11*50"]),
    ]);
    let file = env.write("more.835", &interchange(&STAR, 9, &[body]));
    let out = env.run(&["--payers", &rules, "import", &file]);
    assert!(out.status.success());
    let shown: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", "C9", "--json"])).unwrap();
    assert_eq!(shown["work_item"]["appeal_deadline"]["date"], "2027-05-01");
    assert_eq!(
        shown["work_item"]["appeal_deadline"]["source"]["payer-rule"]["payer"],
        "Aetna"
    );
    let broken = env.write(
        "broken.toml",
        "[[payer]]\nname = \"X\"\nappeal_window_days = \"ninety\"\n",
    );
    let err = String::from_utf8(env.run(&["--payers", &broken, "import", &file]).stderr).unwrap();
    assert!(
        err.contains("broken.toml") && err.contains("line 3"),
        "{err}"
    );
}

#[test]
fn every_action_is_durable_audited_and_shown() {
    let env = seeded();
    let out = env.ok(&[
        "call",
        "C1",
        "--rep",
        "Dana",
        "--ref",
        "R-77",
        "--outcome",
        "auth found",
        "--next",
        "resubmit",
        "--follow-up",
        "2099-01-05",
    ]);
    // Confirmations name the claim by its key, which no other claim can share.
    assert!(
        out.starts_with("done: call logged on C1#")
            && out.contains(" (status in-progress, follow-up 2099-01-05)"),
        "{out}"
    );
    env.ok(&["follow-up", "C1", "2099-02-01"]);
    env.ok(&["assign", "C1", "maria"]);
    env.ok(&["note", "C1", "faxed", "the", "auth", "letter"]);
    env.ok(&["status", "C1", "resubmitted"]);
    env.ok(&[
        "status",
        "C2",
        "written-off",
        "--reason",
        "timely filing lost",
    ]);
    let shown: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", "C1", "--json"])).unwrap();
    assert_eq!(shown["calls"][0]["rep_name"], "Dana");
    assert_eq!(shown["calls"][0]["reference"], "R-77");
    assert_eq!(shown["notes"][0]["text"], "faxed the auth letter");
    assert_eq!(shown["work_item"]["owner"], "maria");
    assert_eq!(shown["work_item"]["follow_up"], "2099-02-01");
    assert_eq!(shown["work_item"]["status"], "resubmitted");
    assert_eq!(
        shown["adjustments"][0]["description"],
        "Precertification, authorization or notification absent"
    );
    assert!(shown["events"].as_array().unwrap().len() >= 7);
    let text = env.ok(&["show", "C1"]);
    assert!(
        text.contains("CO-197")
            && text.contains("TIMELINE")
            && text.contains("called payer: rep Dana"),
        "{text}"
    );
    let audit = json_lines(&env.ok(&["audit", "--json", "--claim", "C1"]));
    let me = denialdesk::identity::os_user();
    let actions: Vec<&str> = audit
        .iter()
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        vec!["import", "call", "follow-up", "assign", "note", "status"]
    );
    assert!(audit[1..].iter().all(|a| a["user"] == me.as_str()));
    // The claim's opening is the set's entry, read as the claim's own.
    let key = shown["work_item"]["key"].as_str().unwrap();
    assert_eq!(audit[0]["claim_id"], key);
    let opened_by = audit[0]["detail"].as_str().unwrap();
    assert!(
        opened_by.starts_with("opened by ") && opened_by.contains("transaction set"),
        "{opened_by}"
    );
    // The whole log: one entry for the set, listing the two denials it opened, and none
    // of their own.
    let log = json_lines(&env.ok(&["audit", "--json"]));
    let sets: Vec<_> = log.iter().filter(|a| a["action"] == "import-set").collect();
    assert_eq!(sets.len(), 1, "{log:?}");
    let opened: Vec<&str> = sets[0]["opened"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert_eq!(opened.len(), 2);
    assert!(opened.contains(&key) && opened.iter().any(|k| k.starts_with("C2#")));
    assert!(!log.iter().any(|a| a["action"] == "import"), "{log:?}");
    // In words, with the claim and its key, and a CLP01 finds it too.
    let text = env.ok(&["audit", "--claim", "C2"]);
    let first = text.lines().next().unwrap();
    assert!(
        first.contains(" import ") && first.contains("C2#") && first.contains("opened by "),
        "{text}"
    );
    let written_off = json_lines(&env.ok(&["list", "--json", "--status", "written-off"]));
    assert_eq!(written_off[0]["claim_id"], "C2");
    assert!(json_lines(&env.ok(&["list", "--json"]))
        .iter()
        .all(|r| r["claim_id"] != "C2"));
}

#[test]
fn bad_input_is_refused_with_a_clear_error_and_changes_nothing() {
    let env = seeded();
    let before = env.audit_len();
    let cases: [(&[&str], &str); 9] = [
        (&["follow-up", "C1", "2026-02-30"], "no such day"),
        (&["follow-up", "C1", "someday"], "is not a date"),
        (&["follow-up", "C1", "2001-01-01"], "in the past"),
        (&["follow-up", "NOPE", "+7"], "no claim \"NOPE\""),
        (
            &["status", "C1", "paid"],
            "cannot move claim C1 from new to paid",
        ),
        (&["status", "C1", "finished"], "unknown status"),
        (&["status", "C1", "written-off"], "needs a reason"),
        (&["assign", "C1", "two words"], "not a valid user name"),
        (
            &["call", "C1", "--rep", "", "--ref", "1", "--outcome", "x"],
            "rep name is required",
        ),
    ];
    for (args, needle) in cases {
        let err = env.fails(args);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    assert_eq!(env.audit_len(), before);
    let c1 = &json_lines(&env.ok(&["list", "--json"]))[0];
    assert_eq!(
        (c1["status"].as_str(), c1["version"].as_u64()),
        (Some("new"), Some(1))
    );
}

#[test]
fn relative_dates_resolve_against_today() {
    let env = seeded();
    let today = chrono::Local::now().date_naive();
    let out = env.ok(&["follow-up", "C1", "+2w"]);
    let expected = today + chrono::Duration::days(14);
    assert!(out.contains(&expected.to_string()), "{out}");
    let due = json_lines(&env.ok(&["list", "--json", "--due-before", "+15"]));
    assert!(due.iter().any(|r| r["claim_id"] == "C1"));
}

#[test]
fn embedded_is_refused_while_a_team_server_holds_the_database() {
    let env = seeded(); // the import went through an auto-started server
    let err = env.fails(&["--embedded", "list"]);
    assert!(err.contains("a denialdesk server holds"), "{err}");
}

#[test]
fn a_database_held_in_another_process_is_explained() {
    let env = Env::new();
    let _held = denialdesk::store::SledStore::open(Path::new(&env.db())).unwrap();
    let err = env.fails(&["list"]);
    assert!(
        err.contains("in use by another denialdesk process"),
        "{err}"
    );
}

#[test]
fn demo_builds_once_a_day_and_prints_the_worklist() {
    let env = Env::new();
    let first = env.ok(&["demo"]);
    assert!(first.contains("demo database built"), "{first}");
    assert!(first.contains("open denials"), "{first}");
    let second = env.ok(&["demo"]);
    assert!(second.contains("reusing"), "{second}");
    assert!(!second.contains("built at"), "{second}");
    let listed = json_lines(&env.ok(&["list", "--json", "--sort", "deadline"]));
    assert!(listed.len() > 200);
    // The demo contracts price a few lines paid below them: underpayments, routed to the
    // contract keeper with a boost, never denials.
    assert!(first.contains(", 10 underpayments,"), "{first}");
    let underpaid = json_lines(&env.ok(&["list", "--kind", "underpayment", "--all", "--json"]));
    assert_eq!(underpaid.len(), 10);
    assert!(underpaid
        .iter()
        .all(|r| r["kind"] == "underpayment" && r["category"] == "contractual"));
    // Open ones rank with the routing rule's boost (a resolved one ranks nowhere).
    assert!(underpaid
        .iter()
        .filter(|r| r["priority"].as_u64().unwrap() > 0)
        .all(|r| r["priority_explanation"]
            .as_str()
            .unwrap()
            .contains("+10 by a routing rule")));
    assert!(listed.iter().all(|r| r["kind"] == "denial"));
    // Dates are shifted to today: some deadlines fall within the coming week.
    assert!(listed
        .iter()
        .any(|r| (0..=7).contains(&r["days_to_deadline"].as_i64().unwrap())));
}

#[test]
fn appeals_from_the_command_line() {
    let env = seeded();
    assert!(env
        .fails(&[
            "appeal",
            "C1",
            "--channel",
            "pigeon",
            "--sent-without",
            "packet not under test"
        ])
        .contains("unknown channel"));
    let out = env.ok(&[
        "appeal",
        "C1",
        "--channel",
        "portal",
        "--submitted",
        "today",
        "--due",
        "+30",
        "--documents",
        "records",
        "--sent-without",
        "packet not under test",
    ]);
    assert!(
        out.contains("level 1 appeal on C1#") && out.contains(" recorded"),
        "{out}"
    );
    assert!(env
        .fails(&[
            "appeal",
            "C1",
            "--channel",
            "fax",
            "--sent-without",
            "packet not under test"
        ])
        .contains("still open"));
    assert!(env
        .fails(&["appeal-outcome", "C1", "upheld", "--amount", "10"])
        .contains("must be zero"));
    // No amount by default: a won appeal recorded as $0.00 by omission would hide money.
    assert!(env
        .fails(&["appeal-outcome", "C1", "partial"])
        .contains("--amount is required"));
    let out = env.ok(&["appeal-outcome", "C1", "partial", "--amount", "600.00"]);
    assert!(out.contains("partial; status awaiting-payer"), "{out}");
    let shown: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", "C1", "--json"])).unwrap();
    let appeal = &shown["work_item"]["appeals"][0];
    assert_eq!(appeal["channel"], "portal");
    assert_eq!(appeal["decision"]["amount_cents"], 60000);
    assert!(env
        .fails(&["appeal-outcome", "C2", "upheld"])
        .contains("no open appeal"));
}

#[test]
fn list_says_how_many_open_denials_are_parked() {
    let env = seeded();
    env.ok(&["follow-up", "C1", "+10"]);
    let listed = env.ok(&["list"]);
    assert!(
        listed.contains("2 denials (1 workable, 1 parked until their follow-up)"),
        "{listed}"
    );
}
