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
        "--sent-without",
        "packet not under test",
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
    // Another level-1 appeal is refused; the next appeal is level 2 by default, its
    // answer due in that level's 30 days.
    let again = env.fails(&[
        "--payers",
        &rules,
        "appeal",
        "C1",
        "--level",
        "1",
        "--channel",
        "fax",
        "--sent-without",
        "packet not under test",
    ]);
    assert!(again.contains("the next appeal is level 2"), "{again}");
    let filed = with_rules(&[
        "appeal",
        "C1",
        "--channel",
        "mail",
        "--submitted",
        "2026-11-22",
        "--sent-without",
        "packet not under test",
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
        "--sent-without",
        "packet not under test",
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
        "--sent-without",
        "packet not under test",
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

#[test]
fn mistaken_records_are_superseded_by_audited_corrections_and_nothing_is_deleted() {
    let env = seeded();
    env.ok(&[
        "appeal",
        "C1",
        "--channel",
        "fax",
        "--submitted",
        "2026-11-05",
        "--sent-without",
        "packet not under test",
    ]);
    env.ok(&["appeal-outcome", "C1", "upheld", "--decided", "2026-11-20"]);
    // The letter said overturned, $600.00: corrected, the claim waits for the money and
    // its clock is level 1's again (remitted 2026-11-01 + 90 days for a payer not in the
    // rules = 2027-01-30).
    let needs_reason = env.fails(&[
        "appeal-outcome",
        "C1",
        "overturned",
        "--amount",
        "600",
        "--decided",
        "2026-11-20",
        "--correct",
    ]);
    assert!(needs_reason.contains("needs --reason"), "{needs_reason}");
    let out = env.ok(&[
        "appeal-outcome",
        "C1",
        "overturned",
        "--amount",
        "600",
        // No --decided: what is not given stays as recorded, the decision date too.
        "--correct",
        "--reason",
        "misread the letter",
    ]);
    assert!(
        out.contains("corrected to overturned; status awaiting-payer"),
        "{out}"
    );
    let shown: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", "C1", "--json"])).unwrap();
    assert_eq!(shown["work_item"]["appeal_deadline"]["date"], "2027-01-30");
    assert_eq!(
        shown["work_item"]["appeals"][0]["decision"]["amount_cents"],
        60000
    );
    // The audit keeps the first record and the correction, who and why.
    let audit = env.ok(&["audit", "--claim", "C1"]);
    assert!(
        audit.contains("appeal level 1 upheld on 2026-11-20"),
        "{audit}"
    );
    assert!(
        audit.contains("decision corrected (misread the letter): upheld on 2026-11-20 $0.00 → overturned on 2026-11-20 $600.00"),
        "{audit}"
    );
    // An appeal recorded on the wrong claim is withdrawn; the record stays in history.
    env.ok(&[
        "appeal",
        "C2",
        "--channel",
        "portal",
        "--submitted",
        "2026-11-06",
        "--sent-without",
        "packet not under test",
    ]);
    let fixed = env.ok(&[
        "appeal",
        "C2",
        "--correct",
        "--submitted",
        "2026-11-04",
        "--reason",
        "sent earlier",
    ]);
    assert!(fixed.contains("sent 2026-11-04 by portal"), "{fixed}");
    let out = env.ok(&["appeal", "C2", "--withdraw", "--reason", "wrong claim"]);
    assert!(out.contains("withdrawn; status in-progress"), "{out}");
    let shown: serde_json::Value =
        serde_json::from_str(&env.ok(&["show", "C2", "--json"])).unwrap();
    assert_eq!(shown["work_item"]["appeals"].as_array().unwrap().len(), 0);
    let audit = env.ok(&["audit", "--claim", "C2"]);
    assert!(
        audit.contains("appeal level 1 filed by portal on 2026-11-06"),
        "{audit}"
    );
    assert!(audit.contains("withdrawn (wrong claim)"), "{audit}");
}

#[test]
fn a_back_dated_appeal_is_answered_after_the_response_time_from_the_day_it_was_sent() {
    let env = seeded();
    // Aetna not in any rules file: a commercial first level, answered within 30 days of
    // 2026-11-05, whatever day it is recorded.
    let out = env.ok(&[
        "appeal",
        "C1",
        "--channel",
        "fax",
        "--submitted",
        "2026-11-05",
        "--sent-without",
        "packet not under test",
    ]);
    assert!(out.contains("response due 2026-12-05"), "{out}");
    // A bare status cannot say an appeal was sent.
    let err = env.fails(&["status", "C2", "appealed"]);
    assert!(err.contains("record the appeal itself"), "{err}");
    // A partial win with nothing agreed is refused.
    let err = env.fails(&[
        "appeal-outcome",
        "C1",
        "partial",
        "--amount",
        "0",
        "--decided",
        "2026-11-20",
    ]);
    assert!(err.contains("type the amount"), "{err}");
}
