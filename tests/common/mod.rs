//! Builders for hand-made, real-shaped 835 files and a temporary store.
#![allow(dead_code)]

pub mod acks;
pub mod app;
pub mod backups;
pub mod cli_env;
pub mod fixture_db;
pub mod host;
pub mod remits;
pub mod server;
pub mod tmux;
pub mod users;

use denialdesk::domain::list_row::ListRow;
use denialdesk::domain::payer_rules::PayerRules;
use denialdesk::import::{import_source, BytesSource, FileReport, ImportError};
use denialdesk::store::{SledStore, Store};

/// Separators of an interchange.
pub struct Seps {
    pub element: char,
    pub component: char,
    pub repetition: char,
    pub terminator: char,
    pub line_break: &'static str,
}

pub const STAR: Seps = Seps {
    element: '*',
    component: ':',
    repetition: '^',
    terminator: '~',
    line_break: "\n",
};

pub const PIPE_NO_BREAKS: Seps = Seps {
    element: '|',
    component: '^',
    repetition: '{',
    terminator: '~',
    line_break: "",
};

/// Segments are written with `*` and `:` and translated to the interchange's separators.
fn seg(seps: &Seps, text: &str) -> String {
    let body: String = text
        .chars()
        .map(|c| match c {
            '*' => seps.element,
            ':' => seps.component,
            other => other,
        })
        .collect();
    format!("{body}{}{}", seps.terminator, seps.line_break)
}

/// One interchange with one functional group holding `sets` (segment bodies between ST
/// and SE), trailers counted correctly.
pub fn interchange(seps: &Seps, control: u32, sets: &[Vec<String>]) -> String {
    let e = seps.element;
    let mut out = format!(
        "ISA{e}00{e}          {e}00{e}          {e}ZZ{e}{:<15}{e}ZZ{e}{:<15}{e}261101{e}1200{e}{}{e}00501{e}{control:09}{e}0{e}P{e}{}{}{}",
        "PAYER", "PROVIDER", seps.repetition, seps.component, seps.terminator, seps.line_break
    );
    out += &seg(
        seps,
        &format!("GS*HP*PAYER*PROVIDER*20261101*1200*{control}*X*005010X221A1"),
    );
    for (i, body) in sets.iter().enumerate() {
        let st = format!("{:04}", i + 1);
        out += &seg(seps, &format!("ST*835*{st}*005010X221A1"));
        for s in body {
            out += &seg(seps, s);
        }
        out += &seg(seps, &format!("SE*{}*{st}", body.len() + 2));
    }
    out += &seg(seps, &format!("GE*{}*{control}", sets.len()));
    out += &seg(seps, &format!("IEA*1*{control:09}"));
    out
}

/// The header of a remittance from `payer` dated `date` (CCYYMMDD).
pub fn header(payer: &str, payer_id: &str, date: &str, trace: &str) -> Vec<String> {
    vec![
        format!(
            "BPR*I*100*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999999999*DA*654321*{date}"
        ),
        format!("TRN*1*{trace}*1512345678"),
        format!("DTM*405*{date}"),
        format!("N1*PR*{payer}*XV*{payer_id}"),
        "N3*PO BOX 1".into(),
        "N4*CITY*ST*12345".into(),
        "N1*PE*NORTH CLINIC*XX*1234567893".into(),
        "LX*1".into(),
    ]
}

/// A professional claim with one line: `cas` are "GROUP*CARC*AMOUNT" CAS bodies.
pub fn claim(pcn: &str, status: u8, billed: &str, paid: &str, line_cas: &[&str]) -> Vec<String> {
    let mut v = vec![
        format!("CLP*{pcn}*{status}*{billed}*{paid}**CI*PAYER{pcn}*11*1"),
        "NM1*QC*1*DOE*JANE****MI*W123456789".into(),
        "NM1*82*1*SMITH*ANNA****XX*1111111112".into(),
        "DTM*050*20261005".into(),
        format!("SVC*HC:99214:25*{billed}*{paid}**1"),
        "DTM*472*20261001".into(),
    ];
    for c in line_cas {
        v.push(format!("CAS*{c}"));
    }
    v
}

/// Concatenates segment lists.
pub fn set(parts: &[Vec<String>]) -> Vec<String> {
    parts.concat()
}

pub fn temp_store() -> (tempfile::TempDir, SledStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SledStore::open(&dir.path().join("db")).unwrap();
    (dir, store)
}

pub fn import(store: &SledStore, name: &str, text: &str) -> Result<FileReport, ImportError> {
    import_source(
        store,
        &BytesSource(name.to_string(), text.as_bytes()),
        &PayerRules::default(),
        "tester",
        0,
    )
}

/// Auto-started team servers for tests' databases exit a second after their last client
/// (XDG_CONFIG_HOME must point at `dir/config`).
pub fn quick_servers(dir: &std::path::Path) {
    let config = dir.join("config").join("denialdesk");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "server_idle_secs = 1\n").unwrap();
}

/// The compact worklist index agrees with the work items: one row per item, built from
/// the item as stored now (the TUI opens on these rows, so a stale one would show a
/// specialist an old status, owner or follow-up).
pub fn assert_list_rows_match(store: &dyn Store) {
    let from_items: Vec<ListRow> = store
        .work_items()
        .unwrap()
        .iter()
        .map(|item| ListRow::from(item).as_stored())
        .collect();
    let rows = store.list_rows().unwrap();
    assert_eq!(rows.len(), from_items.len(), "one list row per work item");
    for (row, expected) in rows.iter().zip(&from_items) {
        assert_eq!(row, expected, "list row of {}", expected.claim_id);
    }
}
