//! Appeal levels from the command line: an upheld level 1 opens level 2 with its own
//! deadline from the payer rules, the last level upheld is final, and `list` says which.

mod common;

use common::cli_env::*;

const RULES: &str = "[[payer]]\nname = \"Aetna\"\nids = [\"60054\"]\nappeal_window_days = 180\n\
                     response_days = 45\n[[payer.next_level]]\nwindow_days = 60\nresponse_days = 30\n";

fn status_label(env: &Env, claim: &str) -> String {
    json_lines(&env.ok(&["list", "--all", "--json"]))
        .into_iter()
        .find(|r| r["claim_id"] == claim)
        .map(|r| r["status_label"].as_str().unwrap().to_string())
        .unwrap()
}

#[test]
fn level_two_has_its_own_clock_and_the_last_level_upheld_is_final() {
    let env = seeded();
    let rules = env.write("payers.toml", RULES);
    let with_rules = |args: &[&str]| {
        let mut all = vec!["--payers", rules.as_str()];
        all.extend_from_slice(args);
        env.ok(&all)
    };
    // Denied on 2026-11-01 (remittance), appealed 2026-11-05, upheld 2026-11-20: the
    // second level is due 60 days after that decision, 2027-01-19.
    with_rules(&[
        "appeal",
        "C1",
        "--channel",
        "portal",
        "--submitted",
        "2026-11-05",
    ]);
    let out = with_rules(&["appeal-outcome", "C1", "upheld", "--decided", "2026-11-20"]);
    assert!(
        out.contains("status upheld-l1; level 2 appeal due 2027-01-19"),
        "{out}"
    );
    assert_eq!(status_label(&env, "C1"), "upheld-l1");
    let shown: serde_json::Value =
        serde_json::from_str(&with_rules(&["show", "C1", "--json"])).unwrap();
    let deadline = &shown["work_item"]["appeal_deadline"];
    assert_eq!(deadline["date"], "2027-01-19");
    assert_eq!(deadline["source"]["next-level-rule"]["level"], 2);
    // Still open: in the default list, which is the open worklist.
    assert!(with_rules(&["list"]).contains("upheld-l1"));
    // Another level-1 appeal is refused; level 2 goes, its answer due in the level's 30
    // days by default.
    let again = env.fails(&["--payers", &rules, "appeal", "C1", "--channel", "fax"]);
    assert!(again.contains("the next appeal is level 2"), "{again}");
    let filed = with_rules(&[
        "appeal",
        "C1",
        "--level",
        "2",
        "--channel",
        "mail",
        "--submitted",
        "2026-11-22",
    ]);
    assert!(filed.contains("level 2 appeal"), "{filed}");
    // Aetna's rules stop at level 2: upheld there, the denial is final and closed.
    let out = with_rules(&["appeal-outcome", "C1", "upheld", "--decided", "2026-11-30"]);
    assert!(out.contains("status final-upheld"), "{out}");
    assert_eq!(status_label(&env, "C1"), "final-upheld");
    assert!(!with_rules(&["list"]).contains("C1"));
    let third = env.fails(&[
        "--payers",
        &rules,
        "appeal",
        "C1",
        "--level",
        "3",
        "--channel",
        "fax",
    ]);
    assert!(third.contains("cannot be appealed"), "{third}");
    // A final denial's balance is written off.
    with_rules(&[
        "status",
        "C1",
        "written-off",
        "--reason",
        "final denial after level 2",
    ]);
    assert_eq!(status_label(&env, "C1"), "written-off");
}

#[test]
fn an_upheld_claim_can_be_closed_by_hand() {
    let env = seeded();
    env.ok(&[
        "appeal",
        "C2",
        "--channel",
        "portal",
        "--submitted",
        "2026-11-05",
    ]);
    let out = env.ok(&["appeal-outcome", "C2", "upheld", "--decided", "2026-11-20"]);
    // Aetna is not in any rules file here: a commercial payer's second level, 60 days.
    assert!(out.contains("level 2 appeal due 2027-01-19"), "{out}");
    env.ok(&[
        "status",
        "C2",
        "final-upheld",
        "--reason",
        "not worth a second level",
    ]);
    assert_eq!(status_label(&env, "C2"), "final-upheld");
}
