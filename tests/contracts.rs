//! `contracts import` loads expected reimbursement from a CSV file: whole or not at all,
//! a bad line named with its column, re-importing replaces the set (audited), `--readonly`
//! refuses, and a backup carries it.

mod common;

use common::cli_env::{json_lines, Env};

const GOOD: &str =
    "payer,procedure,modifier,allowed,effective_from,effective_to,place_of_service\n\
AETNA,99214,,125.00,2026-01-01,,\n\
60054,99214,25,131.50,2026-01-01,2026-12-31,11\n\
CIGNA,97110,,38,,,\n";

#[test]
fn contracts_load_whole_or_not_at_all_and_replace_each_other_audited() {
    let env = Env::new();
    let file = env.write("contracts.csv", GOOD);
    let out = env.ok(&["contracts", "import", &file]);
    assert!(out.contains("3 contract rows loaded"), "{out}");
    let rows = json_lines(&env.ok(&["contracts", "list", "--json"]));
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1]["allowed_cents"], 13_150);
    assert_eq!(rows[1]["modifier"], "25");
    assert_eq!(rows[1]["place_of_service"], "11");
    let table = env.ok(&["contracts", "list"]);
    assert!(
        table.contains("$131.50") && table.contains("place of service 11"),
        "{table}"
    );

    // A bad line: named, and nothing changes.
    let bad = env.write("bad.csv", &GOOD.replace("38", "thirty-eight"));
    let before = env.audit_len();
    let error = env.fails(&["contracts", "import", &bad]);
    assert!(
        error.contains(
            "bad.csv: line 4, column allowed: \"thirty-eight\" is not an amount above zero"
        ),
        "{error}"
    );
    assert_eq!(env.audit_len(), before);
    assert_eq!(
        json_lines(&env.ok(&["contracts", "list", "--json"])).len(),
        3
    );

    // Re-importing replaces the set, audited with both sizes.
    let smaller = env.write("two.csv", &GOOD.replace("CIGNA,97110,,38,,,\n", ""));
    let out = env.ok(&["contracts", "import", &smaller]);
    assert!(
        out.contains("2 contract rows loaded (replacing 3)"),
        "{out}"
    );
    let audit = env.ok(&["audit"]);
    assert!(
        audit.contains("contracts from") && audit.contains("2 rows, replacing 3 rows"),
        "{audit}"
    );
    assert!(env
        .fails(&["--readonly", "contracts", "import", &file])
        .contains("--readonly: nothing can be changed"));

    // A backup carries the contracts to the restored database.
    let backup = env.dir.path().join("b.jsonl");
    env.ok(&["backup", backup.to_str().unwrap()]);
    let restored = env.dir.path().join("restored");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .args([
            "--db",
            restored.to_str().unwrap(),
            "--embedded",
            "restore",
            backup.to_str().unwrap(),
        ])
        .env("XDG_CONFIG_HOME", env.dir.path().join("config"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .args([
            "--db",
            restored.to_str().unwrap(),
            "--embedded",
            "contracts",
            "list",
            "--json",
        ])
        .env("XDG_CONFIG_HOME", env.dir.path().join("config"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2);
}
