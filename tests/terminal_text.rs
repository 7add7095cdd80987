//! No text from outside reaches a terminal raw (issue 13, items 5 and 6): typed text with
//! a control character is refused where it enters; text already stored with one (from
//! before that check, or written around it) is shown escaped by `list`, `show`, `audit`
//! and the TUI, and a newline in it cannot forge a line of the audit log.

mod common;

use common::app::*;
use common::cli_env::*;
use common::*;
use denialdesk::domain::list_row::ListRow;
use denialdesk::domain::timeline::{Event, EventKind};
use denialdesk::domain::work_item::WorkItem;

const OSC52: &str = "\u{1b}]52;c;cm0gLXJmIH4=\u{7}";
const FORGED: &str = "called\n2026-11-24 09:00:00  maria      note       C1";

/// True when `text` has a control character other than a line break.
fn raw_control(text: &str) -> bool {
    text.chars()
        .any(|c| c != '\n' && denialdesk::text::is_unsafe(c))
}

/// Writes hostile text straight into the store, as a damaged or older database could hold.
fn plant(db: &std::path::Path) {
    let tree = sled::open(db).unwrap();
    let (k, v) = tree.scan_prefix(b"w:").next().unwrap().unwrap();
    // Stored compressed since schema 12: an 8-byte mark, then LZ4 of the bincode (plainly
    // written items are read too, so the planted one is written back plain).
    let plain = match v.strip_prefix(b"\xffDDiLZ4\x01") {
        Some(packed) => lz4_flex::decompress_size_prepended(packed).unwrap(),
        None => v.to_vec(),
    };
    let mut item: WorkItem = bincode::deserialize(&plain).unwrap();
    item.patient_name = format!("DOE{OSC52}, JANE").into();
    item.payer = "ACME\u{9b}31m\u{202e}".into();
    item.payer_claim_number = "=HYPERLINK(\"http://x\")".into();
    item.owner = Some("mal\u{1b}[2Jlory".into());
    tree.insert(&k, bincode::serialize(&item).unwrap()).unwrap();
    tree.insert(
        format!("r:{}", item.key).as_bytes(),
        bincode::serialize(&ListRow::from(&item)).unwrap(),
    )
    .unwrap();
    let event = Event {
        key: item.key.to_string(),
        at: chrono::Utc::now(),
        user: "mallory".into(),
        kind: EventKind::Note {
            text: FORGED.into(),
        },
    };
    let mut key = format!("e:{}\0", item.key).into_bytes();
    key.extend_from_slice(format!("{:016x}", u64::MAX - 1).as_bytes());
    tree.insert(key, serde_json::to_vec(&event).unwrap())
        .unwrap();
    tree.flush().unwrap();
}

fn seeded_env() -> Env {
    let env = Env::new();
    let body = set(&[
        header("ACME", "60054", "20261101", "T1"),
        claim("C1", 1, "400", "0", &["CO*197*400"]),
    ]);
    let path = env.write("c1.835", &interchange(&STAR, 1, &[body]));
    env.ok(&["--embedded", "import", &path]);
    env
}

#[test]
fn typed_text_with_a_control_character_is_refused_and_changes_nothing() {
    let env = seeded_env();
    let before = env.audit_len();
    for text in [OSC52, FORGED] {
        let err = env.fails(&["note", "C1", text]);
        assert!(err.contains("control character"), "{err}");
        assert!(!raw_control(&err), "{err:?}");
    }
    let err = env.fails(&[
        "call",
        "C1",
        "--rep",
        "Dana\u{1b}[8m",
        "--ref",
        "R1",
        "--outcome",
        "ok",
    ]);
    assert!(
        err.contains("rep name contains a control character"),
        "{err}"
    );
    assert_eq!(env.audit_len(), before);
}

#[test]
fn stored_hostile_text_is_shown_escaped_by_every_command() {
    let env = seeded_env();
    plant(&env.db());
    for args in [
        vec!["--embedded", "list"],
        vec!["--embedded", "list", "--json"],
        vec!["--embedded", "show", "C1"],
        vec!["--embedded", "show", "--json", "C1"],
        vec!["--embedded", "audit"],
        vec!["--embedded", "report", "--by", "payer"],
        vec!["--embedded", "report", "--format", "csv"],
        vec!["--embedded", "report", "--format", "json"],
        vec!["--embedded", "export", "--format", "csv"],
        vec!["--embedded", "export", "--format", "json"],
    ] {
        let out = env.ok(&args);
        assert!(
            !raw_control(&out),
            "{args:?} printed a raw control character:\n{out:?}"
        );
    }
    // The note's newline is shown as \n: no line of `show` starts like a forged entry.
    let shown = env.ok(&["--embedded", "show", "C1"]);
    assert!(shown.contains("called\\n2026-11-24 09:00:00"), "{shown}");
    assert!(!shown.lines().any(|l| l.starts_with("2026-11-24 09:00:00")));
    let listed = env.ok(&["--embedded", "list"]);
    assert!(listed.contains("DOE\\u{1b}]52"), "{listed}");
    // A spreadsheet never runs a cell from outside as a formula.
    let csv = env.ok(&["--embedded", "export", "--format", "csv"]);
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
}

#[test]
fn the_tui_draws_no_control_character() {
    let env = seeded_env();
    plant(&env.db());
    let store = denialdesk::store::SledStore::open(&env.db()).unwrap();
    let mut state = loaded(&store);
    let screen = draw(&state, 120, 40);
    assert!(!raw_control(&screen), "{screen:?}");
    assert!(screen.contains("DOE"), "{screen}");
    act(&mut state, &store, denialdesk::app::Intent::Open);
    let screen = draw(&state, 120, 40);
    assert!(!raw_control(&screen), "{screen:?}");
}
