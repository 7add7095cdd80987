//! The reader never guesses: a segment it cannot read is an error naming file, segment
//! number and what was found (escaped), and nothing is stored; padding after the last
//! IEA and acknowledgments sharing the file are accepted and reported.

mod common;

use common::*;
use denialdesk::store::{Store, WorkStore};

fn one_denial(pcn: &str) -> String {
    interchange(
        &STAR,
        1,
        &[set(&[
            header("ACME", "60054", "20261101", "T1"),
            claim(pcn, 1, "100", "0", &["CO*197*100"]),
            claim("NEXT", 1, "50", "0", &["CO*50*50"]),
        ])],
    )
}

/// Imports `text`; expects an error with every needle, no raw control character, and an
/// untouched store.
fn refused(text: &str, needles: &[&str]) -> String {
    let (_dir, store) = temp_store();
    let err = import(&store, "bad.835", text).unwrap_err().to_string();
    for n in needles {
        assert!(err.contains(n), "error {err:?} should mention {n:?}");
    }
    assert!(
        !err.chars().any(|c| c.is_control() && c != '\n'),
        "raw control character in {err:?}"
    );
    assert!(store.work_items().unwrap().is_empty(), "nothing stored");
    assert!(store.audit_log().unwrap().is_empty(), "nothing audited");
    err
}

// Segment numbers: ISA 1, GS 2, ST 3, header 4-11, first CLP 12, second CLP 19.

#[test]
fn a_lowercase_clp_is_an_error_not_a_skipped_claim() {
    let text = one_denial("A1").replace("CLP*NEXT", "clp*NEXT");
    refused(
        &text,
        &[
            "bad.835: segment 19",
            "\"clp\"",
            "not upper case",
            "\"CLP\"",
        ],
    );
}

#[test]
fn a_line_break_inside_a_segment_is_an_error() {
    let text = one_denial("A1").replace("CLP*NEXT", "CL\nP*NEXT");
    refused(&text, &["segment 19", "line break inside the segment"]);
    // Inside an element: the claim id would carry a newline.
    let text = one_denial("A1").replace("CLP*A1", "CLP*A\r\n1");
    refused(&text, &["segment 12", "line break", "element CLP01"]);
}

#[test]
fn control_characters_and_junk_ids_are_errors_shown_escaped() {
    let text = one_denial("A\u{1b}[2J1");
    refused(&text, &["segment 12", "control character 0x1B", "CLP01"]);
    let text = one_denial("A1").replace("CLP*NEXT", "Z!*NEXT");
    refused(&text, &["segment 19", "expected a segment id", "\"Z!\""]);
    let text = one_denial("A1").replace("CLP*NEXT", "ZZZ*NEXT");
    refused(&text, &["segment 19", "not part of an 835"]);
    // A file name with an escape sequence never reaches the terminal raw.
    let (_dir, store) = temp_store();
    let err = import(&store, "evil\u{1b}]0;x\u{7}.835", "garbage")
        .unwrap_err()
        .to_string();
    assert!(!err.chars().any(char::is_control), "{err:?}");
    assert!(err.contains("\\u{1b}"), "{err:?}");
}

#[test]
fn padding_after_the_last_iea_is_accepted() {
    for pad in ["\n\n   \t", "\0\0\0\0", "\u{1a}", "\r\n\0\0\u{1a}"] {
        let (_dir, store) = temp_store();
        let text = format!("{}{pad}", one_denial("A1"));
        let report = import(&store, "padded.835", &text).unwrap();
        assert_eq!(report.claims, 2, "{pad:?}");
        assert_eq!(store.work_items().unwrap().len(), 2);
    }
    // …but padding followed by more data is not padding.
    let text = format!("{}\0\0GARBAGE", one_denial("A1"));
    refused(&text, &["unexpected 'G' after padding"]);
}

/// A 999 acknowledgment as its own interchange, as clearinghouses bundle them.
fn ack_999() -> String {
    [
        "ISA*00*          *00*          *ZZ*CLEARING       *ZZ*PROVIDER       *261101*1200*^*00501*000000009*0*P*:~",
        "TA1*000000001*261101*1200*A*000~",
        "GS*FA*CLEARING*PROVIDER*20261101*1200*9*X*005010X231A1~",
        "ST*999*0001*005010X231A1~",
        "AK1*HC*1*005010X222A1~",
        "AK9*A*1*1*1~",
        "SE*4*0001~",
        "GE*1*9~",
        "IEA*1*000000009~",
    ]
    .join("\n")
}

#[test]
fn an_835_sharing_a_file_with_acknowledgments_imports_both_and_says_what_was_skipped() {
    let (_dir, store) = temp_store();
    let text = format!("{}{}\n", one_denial("A1"), ack_999());
    let report = import(&store, "mixed.835", &text).unwrap();
    assert_eq!(report.claims, 2);
    assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
    assert!(report.skipped[0].contains("TA1"), "{:?}", report.skipped);
    assert_eq!(
        report.acknowledgments.len(),
        1,
        "{:?}",
        report.acknowledgments
    );
    assert!(report.acknowledgments[0]
        .contains("999 for claim batch 1 (HC, 005010X222A1): accepted (A)"));
    assert!(
        report.summary().contains("not read: segment "),
        "{}",
        report.summary()
    );
    assert_eq!(store.work_items().unwrap().len(), 2);
    assert_eq!(store.batch_acks().unwrap().len(), 1);
}

#[test]
fn a_file_of_nothing_readable_or_an_835_in_the_wrong_group_is_refused() {
    let claims_only = ack_999()
        .replace("GS*FA", "GS*HC")
        .replace("ST*999*0001*005010X231A1", "ST*837*0001*005010X222A1");
    refused(
        &claims_only,
        &[
            "holds no 835 remittance, 999 or 277 acknowledgment",
            "health care claim (837)",
        ],
    );
    let text = one_denial("A1").replace("GS*HP", "GS*FA");
    refused(
        &text,
        &[
            "segment 3 (ST)",
            "transaction set \"835\" does not belong in a functional group \"FA\"",
        ],
    );
}

#[test]
fn a_control_character_as_a_separator_or_c1_and_bidi_characters_in_data_are_refused() {
    // ISA16 (the component separator) an ESC: it would slip into every unsplit name.
    let esc = one_denial("C1").replacen(":~", "\u{1b}~", 1);
    assert!(esc.contains('\u{1b}'), "the ISA16 was replaced");
    refused(&esc, &["ISA16", "0x1B", "segment 1"]);
    // A C1 CSI (U+009B) and a right-to-left override in a payer name.
    let c1 = one_denial("C1").replacen("N1*PR*ACME", "N1*PR*AC\u{9b}2JME", 1);
    refused(&c1, &["U+009B", "N102"]);
    let bidi = one_denial("C1").replacen("N1*PR*ACME", "N1*PR*AC\u{202e}EMA", 1);
    refused(&bidi, &["U+202E", "N102"]);
    // Information separators (0x1C-0x1F), as some translators use, are fine.
    let gs = STAR_INFO_SEPARATORS;
    let (_dir, store) = temp_store();
    let text = interchange(
        &gs,
        1,
        &[set(&[
            header("ACME", "60054", "20261101", "T1"),
            claim("C1", 1, "100", "0", &["CO*197*100"]),
        ])],
    );
    import(&store, "gs.835", &text.replace('*', "\u{1d}")).unwrap();
    assert_eq!(store.work_items().unwrap().len(), 1);
}

const STAR_INFO_SEPARATORS: Seps = Seps {
    element: '*',
    component: '\u{1f}',
    repetition: '^',
    terminator: '\u{1c}',
    line_break: "",
};
