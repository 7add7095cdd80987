//! `denialdesk letter`: an appeal letter from the claim's data, printed or written to a
//! new owner-only file, recorded on the timeline and in the audit log; a file in the way
//! (a symbolic link included) is never replaced, and nothing is left when the record fails.

mod common;

use common::cli_env::seeded;
use std::os::unix::fs::PermissionsExt;

fn configure(env: &common::cli_env::Env) {
    let payers = env.write(
        "payers.toml",
        "[[payer]]\nname = \"AETNA\"\nids = [\"60054\"]\nappeal_window_days = 180\ntimely_filing_days = 90\nappeals_address = [\"AETNA PROVIDER APPEALS\", \"PO BOX 14079\", \"LEXINGTON KY 40512\"]\n",
    );
    let dir = env.dir.path().join("config").join("denialdesk");
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.toml");
    let base = std::fs::read_to_string(&config).unwrap_or_default();
    std::fs::write(
        &config,
        format!(
            "{base}\npayer_rules = \"{payers}\"\nletterhead = [\"NORTH CLINIC\", \"1 MAIN ST\"]\n"
        ),
    )
    .unwrap();
}

#[test]
fn a_letter_is_printed_or_written_once_owner_only_and_recorded() {
    let env = seeded();
    configure(&env);
    // C1: CO-197, no authorization: the authorization template by default.
    let printed = env.ok(&["letter", "C1"]);
    for needle in [
        "NORTH CLINIC\n1 MAIN ST\n",
        "AETNA\nAETNA PROVIDER APPEALS\nPO BOX 14079\nLEXINGTON KY 40512\n",
        "RE: Level 1 appeal",
        "Claim: C1    Payer claim number: PAYERC1",
        "Patient: DOE, JANE    Member ID: W123456789",
        "  - 99214-25 on 2026-10-01: billed $1,240.00, in dispute $1,240.00",
        "prior authorization or referral (CO-197)",
    ] {
        assert!(printed.contains(needle), "{needle:?} not in\n{printed}");
    }
    let out = env.dir.path().join("c1-appeal.txt");
    let out_s = out.to_str().unwrap();
    let said = env.ok(&[
        "letter",
        "C1",
        "--template",
        "medical-necessity",
        "--out",
        out_s,
    ]);
    assert!(said.contains("level 1 appeal letter for C1#"), "{said}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("not\nmedically necessary (CO-197)"), "{text}");
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "PHI: owner only");
    let timeline = env.ok(&["show", "C1"]);
    assert!(
        timeline.contains("level 1 appeal letter (template medical-necessity) written to")
            && timeline.contains("appeal letter (template authorization) printed"),
        "{timeline}"
    );
    assert!(env
        .ok(&["audit", "--claim", "C1"])
        .contains("c1-appeal.txt"));

    // Never over a file, nor through a symbolic link.
    let error = env.fails(&["letter", "C1", "--out", out_s]);
    assert!(error.contains("never replaces a file"), "{error}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text);
    let target = env.dir.path().join("elsewhere.txt");
    let link = env.dir.path().join("link.txt");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    env.fails(&["letter", "C1", "--out", link.to_str().unwrap()]);
    assert!(!target.exists());

    // Under --readonly nothing is recorded, so nothing is left written.
    let before = env.audit_len();
    let ro = env.dir.path().join("ro.txt");
    env.fails(&["--readonly", "letter", "C1", "--out", ro.to_str().unwrap()]);
    assert!(!ro.exists());
    assert_eq!(env.audit_len(), before);
    assert!(env
        .fails(&[
            "letter",
            "C1",
            "--out",
            env.dir.path().join("a.doc").to_str().unwrap()
        ])
        .contains("give a .txt or .pdf file"));
}

#[test]
fn a_pdf_letter_holds_the_same_text_as_the_printed_one() {
    let env = seeded();
    configure(&env);
    let pdf = env.dir.path().join("c1.pdf");
    env.ok(&["letter", "C1", "--out", pdf.to_str().unwrap()]);
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let mode = std::fs::metadata(&pdf).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // poppler's pdftotext (.ci/run installs it) reads it back as a PDF reader would.
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is needed: apt-get install -y poppler-utils");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "NORTH CLINIC",
        "AETNA PROVIDER APPEALS",
        "Claim: C1    Payer claim number: PAYERC1",
        "Patient: DOE, JANE    Member ID: W123456789",
        "99214-25 on 2026-10-01: billed $1,240.00, in dispute $1,240.00",
        "CO-197: Precertification, authorization or notification absent",
    ] {
        assert!(text.contains(needle), "{needle:?} not in\n{text}");
    }
    assert!(env.ok(&["show", "C1"]).contains("c1.pdf"));
}

#[test]
fn a_users_template_with_an_unknown_field_is_refused_naming_its_line() {
    let env = seeded();
    configure(&env);
    let templates = env
        .dir
        .path()
        .join("config")
        .join("denialdesk")
        .join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("short.txt"),
        "Dear {{ payer.name }},\nclaim {{ claim.id }}\nfor {{ patient.nickname }}\n",
    )
    .unwrap();
    let before = env.audit_len();
    let error = env.fails(&["letter", "C2", "--template", "short"]);
    assert!(
        error.contains("letter template short.txt, line 3:"),
        "{error}"
    );
    assert_eq!(env.audit_len(), before, "nothing recorded");
    let error = env.fails(&["letter", "C2", "--template", "nope"]);
    assert!(error.contains("no letter template \"nope\""), "{error}");
}

#[test]
fn a_control_character_from_a_shared_payers_file_is_written_escaped() {
    let env = seeded();
    // A payers file others can edit: TOML lets a string carry any character.
    let payers = env.write(
        "payers.toml",
        "[[payer]]\nname = \"AETNA\"\nids = [\"60054\"]\nappeal_window_days = 180\nappeals_address = [\"APPEALS\\u001b]0;owned\\u0007 DEPT\", \"PO BOX \\u202e1\"]\n",
    );
    let dir = env.dir.path().join("config").join("denialdesk");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        format!("payer_rules = \"{payers}\"\n"),
    )
    .unwrap();
    let out = env.dir.path().join("x.txt");
    env.ok(&["letter", "C1", "--out", out.to_str().unwrap()]);
    let letter = std::fs::read_to_string(&out).unwrap();
    assert!(
        letter.contains("APPEALS\\u{1b}]0;owned\\u{7} DEPT\nPO BOX \\u{202e}1\n"),
        "{letter}"
    );
    assert!(!letter.chars().any(crate_unsafe));
    let printed = env.ok(&["letter", "C1"]);
    assert!(!printed.chars().any(crate_unsafe));
}

/// A character that must never reach a terminal raw (a line break aside).
fn crate_unsafe(c: char) -> bool {
    c != '\n' && denialdesk::text::is_unsafe(c)
}

#[test]
fn a_denial_without_appeal_rights_gets_no_letter_unless_a_template_is_named() {
    use common::{claim, header, interchange, set, STAR};
    let env = common::cli_env::Env::new();
    let mut denied = claim("N1", 1, "100", "0", &["CO*16*100"]);
    denied.push("LQ*HE*N211".into());
    let body = set(&[header("AETNA", "60054", "20261101", "T1"), denied]);
    env.ok(&[
        "import",
        &env.write("n.835", &interchange(&STAR, 1, &[body])),
    ]);
    let before = env.audit_len();
    let error = env.fails(&["letter", "N1"]);
    assert!(
        error.contains("no appeal rights (CO-16, N211): correct the claim and send it again by"),
        "{error}"
    );
    assert_eq!(env.audit_len(), before);
    let letter = env.ok(&["letter", "N1", "--template", "general"]);
    assert!(
        letter.contains("[NOT APPEALABLE: the payer gave no appeal rights"),
        "{letter}"
    );
}

/// A higher level goes where the payers file says for that level (Medicare's level 2 to
/// the QIC), else to the payer's appeals address.
#[test]
fn a_level_two_letter_goes_to_that_levels_address() {
    let env = seeded();
    let payers = env.write(
        "payers.toml",
        "[[payer]]\nname = \"AETNA\"\nids = [\"60054\"]\nappeal_window_days = 180\nappeals_address = [\"AETNA PROVIDER APPEALS\", \"PO BOX 14079\"]\n\n[payer.level_address]\n\"2\" = [\"AETNA SECOND LEVEL REVIEW\", \"PO BOX 999\"]\n",
    );
    let one = env.ok(&["--payers", &payers, "letter", "C1"]);
    assert!(
        one.contains("AETNA\nAETNA PROVIDER APPEALS\nPO BOX 14079\n"),
        "{one}"
    );
    let two = env.ok(&["--payers", &payers, "letter", "C1", "--level", "2"]);
    assert!(
        two.contains("AETNA\nAETNA SECOND LEVEL REVIEW\nPO BOX 999\n"),
        "{two}"
    );
    let bad = env.write(
        "bad.toml",
        "[[payer]]\nname = \"AETNA\"\nappeal_window_days = 180\n\n[payer.level_address]\n\"1\" = [\"X\"]\n",
    );
    let e = env.fails(&["--payers", &bad, "letter", "C1"]);
    assert!(
        e.contains("level_address keys are the levels 2 to 5"),
        "{e}"
    );
}

/// An edited letter is read only from a regular file, and never waited for: a FIFO in
/// its place is refused at once.
#[test]
fn an_edited_letter_is_read_only_from_a_regular_file() {
    let env = seeded();
    let fifo = env.dir.path().join("edited.txt");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path that outlives the call.
    let made = unsafe { libc::mkfifo(c.as_ptr(), 0o600) };
    assert_eq!(made, 0);
    let out = env.dir.path().join("final.pdf");
    let e = env.fails(&[
        "letter",
        "C1",
        "--text",
        fifo.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(e.contains("not a regular file"), "{e}");
    assert!(!out.exists());
}
