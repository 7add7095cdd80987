//! `denialdesk report` and `export` through the real binary, checked against hand-computed
//! values, and against the KPI pane on the same store (one engine, so they must agree).

mod common;

use chrono::{Duration, Local};
use common::*;
use denialdesk::app::worker::run_effect;
use denialdesk::app::{update, Intent, Pane, State};
use denialdesk::store::SledStore;
use std::path::Path;
use std::process::Command;

fn bin(db: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("XDG_CONFIG_HOME", db.with_file_name("config"))
        .arg("--embedded")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// BIG1 ($1,240) and SMALL2 ($90) denied 20 days ago with PAID3 paid; SMALL2 paid $60 ten
/// days ago; BIG1 written off today.
fn store_with_history(dir: &Path) -> std::path::PathBuf {
    quick_servers(dir);
    let today = Local::now().date_naive();
    let d8 = |days: i64| (today - Duration::days(days)).format("%Y%m%d").to_string();
    let first = set(&[
        header("AETNA", "60054", &d8(20), "T1"),
        claim("BIG1", 1, "1240", "0", &["CO*197*1240"]),
        claim("SMALL2", 1, "90", "0", &["CO*16*90"]),
        claim("PAID3", 1, "100", "80", &["CO*45*20"]),
    ]);
    let later = set(&[
        header("AETNA", "60054", &d8(10), "T2"),
        claim("SMALL2", 1, "90", "60", &["CO*45*30"]),
    ]);
    let f1 = dir.join("first.835");
    let f2 = dir.join("later.835");
    std::fs::write(&f1, interchange(&STAR, 1, &[first])).unwrap();
    std::fs::write(&f2, interchange(&STAR, 2, &[later])).unwrap();
    let db = dir.join("db");
    bin(&db, &["import", f1.to_str().unwrap(), f2.to_str().unwrap()]);
    bin(
        &db,
        &[
            "status",
            "BIG1",
            "written-off",
            "--reason",
            "no auth on file",
        ],
    );
    db
}

#[test]
fn report_json_matches_hand_computed_values_and_the_kpi_pane() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_with_history(dir.path());
    let report: serde_json::Value = serde_json::from_str(&bin(
        &db,
        &["report", "--period", "90d", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(
        report["first_adjudicated"]["count"], 3,
        "a second adjudication is not a first"
    );
    // BIG1 and SMALL2 of the three claims were denied on their first adjudication, both
    // paying nothing: 2 / 3 full denials, none partial; by gross charges
    // (1,240 + 90) / 1,430 = 93.0 %.
    let initial = &report["initial_denials"];
    assert_eq!(initial["all"]["percent"], 66.7);
    assert_eq!(initial["full"]["percent"], 66.7);
    assert_eq!(initial["partial"]["percent"], 0.0);
    assert_eq!(initial["all_dollars"]["numerator"], 133_000);
    assert_eq!(initial["all_dollars"]["percent"], 93.0);
    assert_eq!(report["primary_denial_rate"]["percent"], 66.7);
    assert_eq!(report["denied"]["cents"], 133_000);
    assert_eq!(report["recovered_in_period_cents"], 6_000);
    // SMALL2 was paid in full ($60 allowed on its $90): 100 % of its $90 recovered; BIG1
    // none: 9,000 / 133,000 = 6.8 %.
    assert_eq!(report["recovery_rate"]["numerator"], 9_000);
    assert_eq!(report["recovery_rate"]["percent"], 6.8);
    assert_eq!(report["written_off"]["cents"], 124_000);
    assert_eq!(report["write_off_rate"]["percent"], 93.2);
    // Payments posted: $80 (PAID3) + $60 (SMALL2) = $140; BIG1's $1,240 written off
    // today is 885.7 % of them.
    assert_eq!(report["payments_posted_cents"], 14_000);
    assert_eq!(report["write_offs_to_payments"]["percent"], 885.7);
    // SMALL2 paid 10 days after its denial, BIG1 written off 20 days after.
    assert_eq!(report["days_to_resolution"]["count"], 2);
    assert_eq!(report["days_to_resolution"]["median"], 15.0);
    // HFMA overturn: SMALL2 of the two denials was paid since; no appeal was decided.
    assert_eq!(report["overturn_rate"]["percent"], 50.0);
    assert_eq!(
        report["appeal_win_rate"]["percent"],
        serde_json::Value::Null,
        "no appeals decided: n/a"
    );
    let aetna = &report["segments"][0][1][0];
    assert_eq!(
        (
            &aetna["value"],
            &aetna["rate"]["numerator"],
            &aetna["rate"]["denominator"]
        ),
        (
            &serde_json::json!("AETNA"),
            &serde_json::json!(2),
            &serde_json::json!(3)
        )
    );
    assert_eq!(report["open"]["count"], 0);
    assert_eq!(report["aging_buckets"][4], "120+");

    // The pane, on the same store, through the same worker code.
    let store = SledStore::open(&db).unwrap();
    let mut state = State::new("me", Local::now().date_naive(), true);
    for a in run_effect(&store, "me", denialdesk::app::Effect::LoadWorklist) {
        update(&mut state, a);
    }
    update(&mut state, Intent::ShowPane(Pane::Kpi));
    update(&mut state, Intent::NextPeriod); // 30 days → 90 days
    let pane = serde_json::to_value(state.kpi.figures.as_ref().unwrap()).unwrap();
    for field in [
        "first_adjudicated",
        "initial_denials",
        "primary_denial_rate",
        "denied",
        "recovered_in_period_cents",
        "recovery_rate",
        "overturn_rate",
        "write_off_rate",
        "write_offs_to_payments",
        "days_to_resolution",
        "root_causes",
        "segments",
        "workload",
        "weekly",
    ] {
        assert_eq!(
            pane[field], report[field],
            "{field} differs between pane and report"
        );
    }
}

#[test]
fn text_and_csv_reports_and_exports() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_with_history(dir.path());
    let text = bin(&db, &["report", "--by", "carc"]);
    assert!(
        text.contains("Initial denial rate        66.7% (full 66.7%, partial 0.0%)"),
        "{text}"
    );
    assert!(text.contains("Denial rate by carc"), "{text}");
    assert!(text.contains("Root cause by carc"), "{text}");
    assert!(
        text.contains("CO-197") && text.contains("Definitions"),
        "{text}"
    );
    let csv = bin(&db, &["report", "--format", "csv", "--by", "payer"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "section,key,count,cents,percent,previous_count,previous_cents"
    );
    assert!(csv.contains("rate,initial_denial_rate,2,3,66.7,,"), "{csv}");
    assert!(csv.contains("by_payer,AETNA,2,133000,100.0,0,0"), "{csv}");
    let export = bin(&db, &["export"]);
    assert_eq!(
        export.lines().count(),
        3,
        "header and two denials:\n{export}"
    );
    assert!(export.lines().next().unwrap().contains("claim_id"));
    let json: serde_json::Value =
        serde_json::from_str(&bin(&db, &["export", "--format", "json"])).unwrap();
    let big = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["claim_id"] == "BIG1")
        .unwrap();
    assert_eq!(big["status"], "written-off");
    assert_eq!(big["write_off_reason"], "no auth on file");
    assert_eq!(big["procedures"], "99214");
}

#[test]
fn bad_report_arguments_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let fails = |args: &[&str], needle: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_denialdesk"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    };
    fails(&["report", "--period", "week"], "unknown period");
    fails(&["report", "--format", "pdf"], "unknown format");
    fails(&["report", "--by", "color"], "unknown breakdown");
    fails(
        &["report", "--from", "2026-11-10", "--to", "2026-11-01"],
        "is after",
    );
    fails(
        &["report", "--from", "2026-02-30", "--to", "2026-03-01"],
        "no such day",
    );
    fails(&["export", "--format", "xml"], "unknown format");
}
