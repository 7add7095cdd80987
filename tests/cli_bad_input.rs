//! Every command-line input path with bad input: dates, amounts, claim ids, status and
//! other names, file paths, the config file and the payer-rules TOML. Each gets a clear
//! error naming what was wrong, a non-zero exit, and changes nothing.

mod common;

use common::cli_env::*;
use common::*;

/// What the database holds, for "changed nothing": the audit log length and every work
/// item in full.
fn snapshot(env: &Env) -> (usize, String) {
    (env.audit_len(), env.ok(&["list", "--json", "--all"]))
}

fn assert_refused(env: &Env, cases: &[(Vec<String>, &str)]) {
    let before = snapshot(env);
    for (args, needle) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = env.fails(&args);
        assert!(
            err.contains(needle),
            "{args:?}: expected {needle:?} in: {err}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    assert_eq!(
        snapshot(env),
        before,
        "a refused command changed the database"
    );
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn bad_dates_name_the_option_and_the_accepted_forms() {
    let env = seeded();
    let call = |extra: &[&str]| {
        let mut a = args(&[
            "call",
            "C1",
            "--rep",
            "Ann",
            "--ref",
            "R1",
            "--outcome",
            "x",
        ]);
        a.extend(args(extra));
        a
    };
    assert_refused(
        &env,
        &[
            (
                call(&["--follow-up", "2026-13-01"]),
                "--follow-up: \"2026-13-01\" is not a date",
            ),
            (call(&["--follow-up", "2001-01-01"]), "in the past"),
            (
                args(&["follow-up", "C1", "31/12/2026"]),
                "the month comes first here, as in 12/31/2026",
            ),
            (args(&["follow-up", "C1", "2026-02-29"]), "no such day"),
            (
                args(&[
                    "appeal",
                    "C1",
                    "--channel",
                    "portal",
                    "--submitted",
                    "yesterdayish",
                    "--sent-without",
                    "packet not under test",
                ]),
                "--submitted:",
            ),
            (
                args(&[
                    "appeal",
                    "C1",
                    "--channel",
                    "portal",
                    "--due",
                    "2026-11-31",
                    "--sent-without",
                    "packet not under test",
                ]),
                "--due:",
            ),
            (
                args(&[
                    "appeal",
                    "C1",
                    "--channel",
                    "portal",
                    "--submitted",
                    "2026-11-20",
                    "--due",
                    "2026-11-01",
                    "--sent-without",
                    "packet not under test",
                ]),
                "response due date is before the submitted date",
            ),
            (
                args(&["appeal-outcome", "C1", "upheld", "--decided", "12/32"]),
                "--decided:",
            ),
            (args(&["list", "--due-before", "soon"]), "--due-before:"),
            (
                args(&["report", "--from", "2026-02-30", "--to", "2026-03-01"]),
                "--from:",
            ),
            (
                args(&["report", "--from", "2026-12-01", "--to", "2026-11-01"]),
                "is after --to",
            ),
            (args(&["report", "--period", "7y"]), "unknown period \"7y\""),
        ],
    );
}

#[test]
fn bad_amounts_are_refused() {
    let env = seeded();
    env.ok(&[
        "appeal",
        "C1",
        "--channel",
        "portal",
        "--sent-without",
        "packet not under test",
    ]);
    assert_refused(
        &env,
        &[
            (
                args(&["appeal-outcome", "C1", "overturned", "--amount", "12x"]),
                "--amount: expected an amount like 125.50, found \"12x\"",
            ),
            (
                args(&["appeal-outcome", "C1", "overturned", "--amount=-5"]),
                "never negative",
            ),
            (
                args(&["appeal-outcome", "C1", "overturned", "--amount", "1.234"]),
                "--amount",
            ),
            (
                args(&[
                    "appeal-outcome",
                    "C1",
                    "overturned",
                    "--amount",
                    "99999999999999999999",
                ]),
                "--amount",
            ),
        ],
    );
}

#[test]
fn unknown_claims_are_named() {
    let env = seeded();
    let unknown = "no claim \"NOPE\" in the worklist";
    assert_refused(
        &env,
        &[
            (args(&["show", "NOPE"]), unknown),
            (args(&["note", "NOPE", "hello"]), unknown),
            (
                args(&["call", "NOPE", "--rep", "a", "--ref", "b", "--outcome", "c"]),
                unknown,
            ),
            (args(&["follow-up", "NOPE", "+7"]), unknown),
            (args(&["status", "NOPE", "in-progress"]), unknown),
            (args(&["assign", "NOPE", "me"]), unknown),
            (
                args(&[
                    "appeal",
                    "NOPE",
                    "--channel",
                    "portal",
                    "--sent-without",
                    "packet not under test",
                ]),
                unknown,
            ),
            (args(&["appeal-outcome", "NOPE", "upheld"]), unknown),
            // Claim ids are matched exactly: no silent prefix or case guess.
            (args(&["note", "c1", "hello"]), "no claim \"c1\""),
        ],
    );
}

#[test]
fn bad_names_list_the_valid_ones() {
    let env = seeded();
    assert_refused(
        &env,
        &[
            (
                args(&["status", "C1", "finished"]),
                "unknown status \"finished\"; use one of: new, in-progress",
            ),
            (
                args(&["list", "--status", "bogus"]),
                "unknown status \"bogus\"",
            ),
            (
                args(&["list", "--sort", "bogus"]),
                "use priority, deadline, amount, age, follow-up or payer",
            ),
            (
                args(&[
                    "appeal",
                    "C1",
                    "--channel",
                    "pigeon",
                    "--sent-without",
                    "packet not under test",
                ]),
                "unknown channel \"pigeon\"; use one of",
            ),
            (
                args(&["appeal-outcome", "C1", "maybe"]),
                "use overturned, partial or upheld",
            ),
            (
                args(&["report", "--format", "xml"]),
                "use text, csv or json",
            ),
            (args(&["report", "--by", "weather"]), "weather"),
            (args(&["export", "--format", "xml"]), "use csv or json"),
            (
                args(&["assign", "C1", "two words"]),
                "not a valid user name",
            ),
            (args(&["note", "C1", ""]), "note text is required"),
        ],
    );
}

#[test]
fn bad_file_paths_are_named_and_import_nothing() {
    let env = seeded();
    let dir = env.dir.path().display().to_string();
    let empty = env.write("empty.835", "");
    let csv = env.write("denials.csv", "claim,amount\nC9,100\n");
    let binary = env.write("scan.pdf", "%PDF-1.7\n\u{0}\u{1}\u{2}binary");
    assert_refused(
        &env,
        &[
            (
                args(&["import", "/nonexistent/remit.835"]),
                "/nonexistent/remit.835: cannot open",
            ),
            (args(&["import", &dir]), "Is a directory"),
            (args(&["import", &empty]), "empty.835: the file is empty"),
            (
                args(&["import", &csv]),
                "denials.csv: segment 1: not an X12 interchange",
            ),
            (
                args(&["import", &binary]),
                "scan.pdf: segment 1: not an X12 interchange",
            ),
            (
                args(&["restore", "/nonexistent/backup.jsonl"]),
                "cannot read the backup /nonexistent/backup.jsonl",
            ),
            (
                args(&["backup", "/nonexistent/dir/b.jsonl"]),
                "/nonexistent/dir",
            ),
            (
                args(&["--payers", "/nonexistent/payers.toml", "import", &empty]),
                "cannot read payer rules /nonexistent/payers.toml",
            ),
        ],
    );
    // A --db that is a file, not a folder.
    let file = env.write("not-a-folder", "x");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .args(["--db", &file, "--embedded", "list"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("exists but is not a folder"), "{err}");
}

#[test]
fn bad_payer_rules_toml_names_the_file_line_and_field() {
    let env = seeded();
    let remit = env.write(
        "more.835",
        &interchange(
            &STAR,
            9,
            &[set(&[
                header("AETNA", "60054", "20261101", "T9"),
                claim("C9", 1, "100", "0", &["CO*16*100"]),
            ])],
        ),
    );
    let rules = |name: &str, text: &str| env.write(name, text);
    let syntax = rules("syntax.toml", "[[payer]\nname = \"AETNA\"\n");
    let negative = rules(
        "negative.toml",
        "[[payer]]\nname = \"AETNA\"\nappeal_window_days = -3\n",
    );
    let zero = rules(
        "zero.toml",
        "[[payer]]\nname = \"AETNA\"\nappeal_window_days = 0\n",
    );
    let nameless = rules("nameless.toml", "[[payer]]\nappeal_window_days = 30\n");
    let unknown = rules(
        "unknown.toml",
        "[[payer]]\nname = \"AETNA\"\nappeal_days = 30\n",
    );
    assert_refused(
        &env,
        &[
            (
                args(&["--payers", &syntax, "import", &remit]),
                "syntax.toml: TOML parse error at line 1",
            ),
            (args(&["--payers", &negative, "import", &remit]), "line 3"),
            (
                args(&["--payers", &zero, "import", &remit]),
                "appeal_window_days must be between 1 and 3650",
            ),
            (
                args(&["--payers", &nameless, "import", &remit]),
                "missing field `name`",
            ),
            (
                args(&["--payers", &unknown, "import", &remit]),
                "unknown field `appeal_days`",
            ),
        ],
    );
}

#[test]
fn a_bad_config_file_names_its_path_and_line() {
    let env = seeded();
    let before = snapshot(&env);
    let config = env
        .dir
        .path()
        .join("config")
        .join("denialdesk")
        .join("config.toml");
    let good = std::fs::read_to_string(&config).unwrap();
    for (text, needle) in [
        ("server_idle_secs = \"soon\"\n", "line 1"),
        (
            "server_idle_secs = 1\nbogus_key = 3\n",
            "unknown field `bogus_key`",
        ),
        ("server_idle_secs = 1\n[oops\n", "line 2"),
        ("idle_minutes = -1\n", "idle_minutes"),
    ] {
        std::fs::write(&config, text).unwrap();
        let err = env.fails(&["note", "C1", "must not be saved"]);
        assert!(err.contains("config.toml"), "{text}: {err}");
        assert!(err.contains(needle), "{text}: expected {needle:?} in {err}");
    }
    std::fs::write(&config, good).unwrap();
    assert_eq!(snapshot(&env), before);
}
