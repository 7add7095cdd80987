//! `--readonly` is honoured by every command that would change data: each is refused by
//! name, and nothing changes (the audit log and the worklist are as before).

mod common;

use common::cli_env::*;
use common::*;

#[test]
fn every_changing_command_is_refused_under_readonly_and_nothing_changes() {
    let env = seeded();
    env.ok(&[
        "prevent",
        "add",
        "--cause",
        "payer=aetna",
        "--owner",
        "maria",
        "--due",
        "+30",
        "--action",
        "check auth",
    ]);
    let backup = env.dir.path().join("b.jsonl");
    env.ok(&["backup", backup.to_str().unwrap()]);
    let remit = env.write(
        "new.835",
        &interchange(
            &STAR,
            1,
            &[set(&[
                header("AETNA", "60054", "20261102", "T9"),
                claim("N1", 1, "50", "0", &["CO*16*50"]),
            ])],
        ),
    );
    let rates = env.write(
        "rates.csv",
        "payer,procedure,modifier,allowed,effective_from,effective_to\nAETNA,99213,,75.00,,\n",
    );
    let letter = env.dir.path().join("l.txt");
    let new_db = env.dir.path().join("restored");
    let before_audit = env.audit_len();
    let before_list = env.ok(&["list", "--json", "--all", "--kind", "all"]);
    let commands: Vec<Vec<&str>> = vec![
        vec!["import", &remit],
        vec!["batches", "--resolve", "4711", "--reason", "fixed"],
        vec!["contracts", "import", &rates],
        vec![
            "prevent",
            "add",
            "--cause",
            "payer=aetna",
            "--owner",
            "devon",
            "--due",
            "+9",
            "--action",
            "x",
        ],
        vec!["prevent", "set", "1", "--status", "done", "--note", "done"],
        vec![
            "call",
            "C1",
            "--rep",
            "Dana",
            "--ref",
            "R1",
            "--outcome",
            "reprocess",
        ],
        vec!["follow-up", "C1", "+7"],
        vec!["status", "C1", "in-progress"],
        vec!["assign", "C1", "me"],
        vec!["appeal", "C1", "--channel", "fax", "--sent-without", "test"],
        vec!["appeal-outcome", "C1", "upheld"],
        vec!["letter", "C1", "--out", letter.to_str().unwrap()],
        vec!["checklist", "C1", "--check", "1=fax"],
        vec!["note", "C1", "hello"],
        vec![
            "restore",
            backup.to_str().unwrap(),
            "--db",
            new_db.to_str().unwrap(),
        ],
    ];
    for args in &commands {
        let mut full = vec!["--readonly"];
        full.extend(args);
        let err = env.fails(&full);
        assert!(
            err.to_lowercase().contains("readonly") || err.to_lowercase().contains("read-only"),
            "{args:?} did not say why: {err}"
        );
    }
    assert_eq!(env.audit_len(), before_audit, "something was audited");
    assert_eq!(
        env.ok(&["list", "--json", "--all", "--kind", "all"]),
        before_list
    );
    assert!(!letter.exists() && !new_db.exists());
}
