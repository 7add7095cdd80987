//! The real binary in a real terminal (tmux, 80x24) with a rejection: `import` says what
//! a 277CA and a rejected 999 did, the Rejected tab holds the claim, and its claim pane
//! shows the 277CA's codes in words.

mod common;

use common::acks::{file_277ca, file_999, AckClaim};
use common::tmux::*;

#[test]
fn a_rejection_reaches_its_own_tab_and_claim_pane_in_the_real_terminal() {
    if !have_tmux() {
        return;
    }
    let dir = seeded_dir();
    let import = |name: &str, text: String| {
        let file = dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        run_ok(dir.path(), &["import", file.to_str().unwrap()])
    };
    let said = import(
        "acks.277",
        file_277ca(
            9,
            "PR",
            "AETNA",
            "60054",
            "20261120",
            &[AckClaim::jane("REJ77", "A7:33:IL", "415.5")],
        ),
    );
    assert!(
        said.contains("1 claims acknowledged, 1 rejected, 1 new rejections"),
        "{said}"
    );
    let said = import(
        "batch.999",
        file_999(
            10,
            "4711",
            &[(
                "0001",
                "R",
                vec!["IK3*NM1*7*2010BA*8".into(), "IK4*9*67*1".into()],
            )],
        ),
    );
    assert!(said.contains("!! 1 CLAIM BATCH REJECTED"), "{said}");

    let session = format!("dd-rej-{}", std::process::id());
    start(&session, dir.path());
    let first = wait_for(&session, "2 claims ·");
    assert!(
        !first.contains("REJ77"),
        "a rejection is not in the open denials:\n{first}"
    );
    // Open, Mine, New, Due, ≤7d, Payer, Done, Pt, then Rej.
    keys(&session, &["]", "]", "]", "]", "]", "]", "]", "]"]);
    let tab = wait_for(&session, "REJ77");
    assert!(tab.contains("$415.50"), "{tab}");
    keys(&session, &["Enter"]);
    let pane = wait_for(&session, "STATUS CODES (277CA)");
    assert!(pane.contains("REJECTION new"), "{pane}");
    assert!(pane.contains("A7 rejected for invalid"), "{pane}");
    keys(&session, &["Escape", "q"]);
    wait_for(&session, "EXITED 0");
    tmux(&["kill-session", "-t", &session]);
}
