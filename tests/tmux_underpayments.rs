//! The real binary in a real terminal (tmux, 80x24) with an underpayment: contracts
//! loaded, an 835 paying a line below them, the Underpaid tab holds the claim, and its
//! claim pane shows the contract comparison whole.

mod common;

use common::tmux::*;
use common::{claim, header, interchange, set, STAR};

#[test]
fn an_underpayment_reaches_its_own_tab_and_claim_pane_in_the_real_terminal() {
    if !have_tmux() {
        return;
    }
    let dir = seeded_dir();
    let run = |args: &[&str]| run_ok(dir.path(), args);
    let csv = dir.path().join("rates.csv");
    std::fs::write(
        &csv,
        "payer,procedure,modifier,allowed,effective_from,effective_to\nAETNA,99214,,200.00,,\n",
    )
    .unwrap();
    run(&["contracts", "import", csv.to_str().unwrap()]);
    let mut paid = claim("UND7", 1, "300", "120", &["CO*45*150", "PR*2*30"]);
    paid.push("AMT*B6*150".into());
    let file = dir.path().join("paid.835");
    std::fs::write(
        &file,
        interchange(
            &STAR,
            2,
            &[set(&[header("AETNA", "60054", "20261115", "T9"), paid])],
        ),
    )
    .unwrap();
    let said = run(&["import", file.to_str().unwrap()]);
    assert!(
        said.contains("0 new denials") && said.contains("1 new underpayments"),
        "{said}"
    );

    let session = format!("dd-und-{}", std::process::id());
    start(&session, dir.path());
    let first = wait_for(&session, "2 claims ·");
    assert!(!first.contains("UND7"), "not an open denial:\n{first}");
    // Open, Mine, New, Due, ≤7d, Payer, Done, Pt, Rej, then Und.
    keys(&session, &["]", "]", "]", "]", "]", "]", "]", "]", "]"]);
    let tab = wait_for(&session, "UND7");
    assert!(tab.contains("$50.00") && tab.contains("Und 1"), "{tab}");
    keys(&session, &["Enter"]);
    let pane = wait_for(&session, "Paid below contract");
    assert!(pane.contains("UNDERPAYMENT new"), "{pane}");
    let flat: String = pane.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("allowed $150.00 (AMT*B6), paid $120.00, variance $50.00"),
        "the comparison, wrapped but whole:\n{pane}"
    );
    keys(&session, &["Escape", "q"]);
    wait_for(&session, "EXITED 0");
}
