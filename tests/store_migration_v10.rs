//! A database written by the schema 9 release (`tests/fixtures/schema9`, made with commit
//! 77468e2's binary: `--embedded import demo-data/cigna-01.835`, no payer rules) opens
//! under schema 10, where a transaction set's one audit entry covers the work items it
//! opened. Nothing is rewritten: `audit --claim` answers for a claim opened in either form;
//! the worklist's rows get their snapshot (see `list_snapshot`).

mod common;

use common::cli_env::{json_lines, Env};
use common::fixture_db::{copy_fixture_db, open_sled_when_free, stored_schema};
use denialdesk::store::SCHEMA_VERSION;
use std::path::Path;

#[test]
fn a_schema_9_store_opens_and_audits_every_claim_opened_before_or_after() {
    let env = Env::new();
    copy_fixture_db("schema9", env.dir.path());
    // Embedded, so the store is let go of when each command ends.
    let run = |args: &[&str]| env.ok(&[&["--embedded"], args].concat());

    // Opened under schema 9: its own entry, with every starting value.
    let before = json_lines(&run(&["audit", "--json", "--claim", "LOS100810"]));
    assert_eq!(before.len(), 1, "{before:?}");
    assert_eq!(before[0]["action"], "import");
    assert!(before[0]["detail"]
        .as_str()
        .unwrap()
        .starts_with("opened by demo-data/cigna-01.835: transaction set"));
    assert!(!before[0]["changes"].as_array().unwrap().is_empty());
    assert_eq!(
        stored_schema(&env.db()),
        SCHEMA_VERSION.to_string().as_bytes()
    );
    // The move to schema 10 wrote the worklist's snapshot (see `list_snapshot`).
    {
        let db = open_sled_when_free(&env.db());
        let header = db.get(b"s:h").unwrap().expect("a snapshot of the rows");
        let rows = db.scan_prefix(b"r:").count();
        assert_eq!(rows, 6, "cigna-01.835 opened six denials");
        // Its header: the format, the rows (6) and the chunks (1).
        assert_eq!(u32::from_le_bytes(header[1..5].try_into().unwrap()), 6);
        assert_eq!(db.scan_prefix(b"s:c").count(), 1);
        assert_eq!(db.scan_prefix(b"d:").count(), 0);
    }
    assert_eq!(json_lines(&run(&["list", "--json"])).len(), 6);

    // Opened under schema 10: the set's entry lists it, and answers as its own.
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo-data/aetna-01.835");
    run(&["import", file.to_str().unwrap()]);
    let log = json_lines(&run(&["audit", "--json"]));
    let sets: Vec<_> = log
        .iter()
        .filter(|e| {
            e["action"] == "import-set" && e["detail"].as_str().unwrap().contains("aetna-01")
        })
        .collect();
    let opened: Vec<(&str, &serde_json::Value)> = sets
        .iter()
        .flat_map(|set| {
            set.get("opened")
                .and_then(|o| o.as_array())
                .into_iter()
                .flatten()
                .map(|k| (k.as_str().unwrap(), &set["seq"]))
        })
        .collect();
    assert!(!opened.is_empty(), "{sets:?}");
    assert!(!log
        .iter()
        .any(|e| e["action"] == "import" && e["detail"].as_str().unwrap().contains("aetna-01")));
    // The text output counts them under each set's entry.
    let text = run(&["audit"]);
    let counted: usize = text
        .lines()
        .filter_map(|l| {
            let (count, _) = l
                .trim_start()
                .split_once(" of the work items it opened went to no one's queue")?;
            count.parse::<usize>().ok()
        })
        .sum();
    assert_eq!(counted, opened.len(), "{text}");
    for (key, seq) in opened {
        let own = json_lines(&run(&["audit", "--json", "--claim", key]));
        assert_eq!(own[0]["claim_id"], key);
        assert_eq!(own[0]["action"], "import");
        assert_eq!(own[0]["seq"], *seq);
        let detail = own[0]["detail"].as_str().unwrap();
        assert!(
            detail.starts_with("opened by ") && detail.contains("aetna-01.835"),
            "{detail}"
        );
    }
    // The claim opened before is answered for as it was.
    assert_eq!(
        json_lines(&run(&["audit", "--json", "--claim", "LOS100810"])),
        before
    );
}
