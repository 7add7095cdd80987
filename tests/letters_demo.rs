//! Every built-in template on a demo claim of its kind (the demo built as `denialdesk
//! demo` builds it): the letter names the claim, the patient, each code with its meaning
//! and the template's own argument; one is also checked as a PDF read back by pdftotext.

mod common;

use common::cli_env::{json_lines, Env};

/// (template, list arguments that find a claim for it, words its argument opens with)
const CASES: [(&str, &[&str], &str); 10] = [
    (
        "medical-necessity",
        &["--category", "medical-necessity"],
        "as not\nmedically necessary (",
    ),
    (
        "authorization",
        &["--category", "authorization"],
        "prior authorization or referral (",
    ),
    (
        "timely-filing",
        &["--category", "timely-filing"],
        "review of the denial",
    ),
    ("coding", &["--category", "coding"], "modifier error ("),
    ("bundling", &["--category", "bundling"], "another service ("),
    (
        "duplicate",
        &["--category", "duplicate"],
        "review of the denial",
    ),
    (
        "eligibility-cob",
        &["--category", "eligibility"],
        "coordination of benefits (",
    ),
    (
        "missing-information",
        &["--category", "missing-information"],
        "We are sending the information requested",
    ),
    (
        "payment-dispute",
        &["--kind", "underpayment"],
        "We dispute the payment of the claim above",
    ),
    (
        "general",
        &["--category", "non-covered"],
        "review of the denial",
    ),
];

#[test]
fn every_built_in_template_on_a_demo_claim_of_its_kind() {
    let env = Env::new();
    let built = env.ok(&["demo"]);
    assert!(built.contains("demo database built"), "{built}");
    for (template, filter, opening) in CASES {
        let mut args = vec!["list", "--json", "--all"];
        args.extend_from_slice(filter);
        let rows = json_lines(&env.ok(&args));
        let row = rows
            .iter()
            .find(|r| r["appeal_rights"] == "appealable")
            .unwrap_or_else(|| panic!("{template}: no demo claim for {filter:?}"));
        let claim = row["key"].as_str().unwrap();
        let text = env.ok(&["letter", claim, "--template", template]);
        let id = row["claim_id"].as_str().unwrap();
        assert!(
            text.contains(&format!("Claim: {id}    Payer claim number: ")),
            "{template}:\n{text}"
        );
        assert!(
            text.contains(&format!("Patient: {}", row["patient"].as_str().unwrap())),
            "{template}:\n{text}"
        );
        assert!(
            text.contains(opening),
            "{template}: {opening:?} not in\n{text}"
        );
        for carc in row["carcs"].as_array().unwrap() {
            let code = carc.as_str().unwrap();
            assert!(
                text.contains(&format!("{code}: ")),
                "{template}: {code} not explained in\n{text}"
            );
        }
        assert!(!text.contains("{{") && !text.contains("{%"), "{template}");
    }
    // One as the PDF to send, read back as a reader would.
    let rows = json_lines(&env.ok(&["list", "--json", "--category", "medical-necessity"]));
    let claim = rows[0]["key"].as_str().unwrap();
    let pdf = env.dir.path().join("mn.pdf");
    env.ok(&["letter", claim, "--out", pdf.to_str().unwrap()]);
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is needed: apt-get install -y poppler-utils");
    let read = String::from_utf8(out.stdout).unwrap();
    assert!(
        read.contains("The service was medically necessary for this patient."),
        "{read}"
    );
    assert!(
        read.contains(&format!("Claim: {}", rows[0]["claim_id"].as_str().unwrap())),
        "{read}"
    );
}
