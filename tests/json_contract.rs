//! Every `--json` output against its documented contract (`cli::json_contract`, copied in
//! the README): run on the demo database, every object printed has every documented field
//! and no undocumented one.

use denialdesk::cli::json_contract::{markdown, ARRAY, CONTRACTS, LINES, OBJECT};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn run(home: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("DENIALDESK_DB")
        .env_remove("DENIALDESK_PAYERS")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn every_json_output_has_exactly_its_documented_fields() {
    let home = tempfile::tempdir().unwrap();
    run(home.path(), &["demo"]);
    let db = home.path().join("data/denialdesk/demo");
    let db = db.to_str().unwrap();
    // A denied claim with an appeal on record, for show and checklist.
    let rows = run(
        home.path(),
        &["--db", db, "list", "--json", "--status", "appealed"],
    );
    let first: serde_json::Value = serde_json::from_str(rows.lines().next().unwrap()).unwrap();
    let claim = first["key"].as_str().unwrap().to_string();
    for contract in &CONTRACTS {
        let line = contract.command.replace("CLAIM", &claim);
        let mut args = vec!["--db", db];
        args.extend(line.split_whitespace());
        let out = run(home.path(), &args);
        let objects: Vec<serde_json::Value> = match contract.shape {
            s if s == LINES => out
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect(),
            s if s == OBJECT => vec![serde_json::from_str(&out).unwrap()],
            s if s == ARRAY => serde_json::from_str::<Vec<_>>(&out).unwrap(),
            other => panic!("unknown shape {other}"),
        };
        assert!(!objects.is_empty(), "{line}: printed nothing to check");
        let fields: BTreeSet<&str> = contract.fields.iter().copied().collect();
        let allowed: BTreeSet<&str> = fields.iter().chain(contract.optional).copied().collect();
        for object in &objects {
            let keys: BTreeSet<&str> = object
                .as_object()
                .unwrap_or_else(|| panic!("{line}: not an object: {object}"))
                .keys()
                .map(String::as_str)
                .collect();
            let missing: Vec<_> = fields.difference(&keys).collect();
            let extra: Vec<_> = keys.difference(&allowed).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{line}: missing {missing:?}, undocumented {extra:?}"
            );
        }
    }
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(
        readme.contains(&markdown()),
        "README's JSON contract is out of date: paste denialdesk::cli::json_contract::markdown()"
    );
}
