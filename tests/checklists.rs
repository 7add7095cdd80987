//! `denialdesk checklist` and `appeal --sent-without`: the appeal packet's documents as
//! a specialist checks them off from the command line, the letter written for the level
//! checking off the appeal letter, an appeal refused while required documents are
//! missing unless someone says why (audited), and a practice's own checklists.

mod common;

use common::cli_env::{seeded, Env};

fn config(env: &Env, text: &str) {
    let dir = env.dir.path().join("config").join("denialdesk");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), text).unwrap();
}

fn packet(env: &Env, claim: &str) -> serde_json::Value {
    serde_json::from_str(&env.ok(&["checklist", claim, "--json"])).unwrap()
}

fn missing(v: &serde_json::Value) -> Vec<String> {
    v["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_packet_is_checked_off_a_letter_links_itself_and_the_appeal_waits_for_it() {
    let env = seeded();
    // C1 is CO-197 (no authorization): the authorization checklist.
    let text = env.ok(&["checklist", "C1"]);
    assert!(
        text.contains("level 1 appeal packet (authorization) · not sent yet"),
        "{text}"
    );
    assert!(text.contains("  1 [ ] Appeal letter *"), "{text}");
    assert!(text.contains("3 missing: Appeal letter; Remittance (835/EOB) showing the denial; Authorization on file (or why none was needed)"), "{text}");
    let v = packet(&env, "C1");
    assert_eq!(v["level"], 1);
    assert_eq!(v["sent"], false);
    assert_eq!(v["documents"].as_array().unwrap().len(), 6);
    assert_eq!(
        missing(&v),
        [
            "appeal-letter",
            "remittance-835-eob-showing-the-denial",
            "authorization-on-file-or-why-none-was-needed"
        ]
    );

    // The merged letter is a draft ([facts], [tax id] …): linked, but not yet the
    // packet's appeal letter.
    let draft = env.dir.path().join("C1-draft.txt");
    let said = env.ok(&["letter", "C1", "--out", draft.to_str().unwrap()]);
    assert!(said.contains("done: draft level 1 appeal letter"), "{said}");
    let v = packet(&env, "C1");
    assert_eq!(v["documents"][0]["reference"], serde_json::Value::Null);
    assert_eq!(v["letters"][0]["draft"], true);
    assert!(env.ok(&["checklist", "C1"]).contains("draft letter "));
    // The edited text becomes the letter to send, once every blank is filled in.
    let text = std::fs::read_to_string(&draft).unwrap();
    let half = text.replacen("[tax id]", "12-3456789", 1);
    let edited = env.write("C1-edited.txt", &half);
    let out = env.dir.path().join("C1-appeal.pdf");
    let e = env.fails(&[
        "letter",
        "C1",
        "--text",
        &edited,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        e.contains("fill in or delete what is still in brackets before it is sent: line"),
        "{e}"
    );
    assert!(!out.exists(), "nothing written");
    let filled: String = half
        .lines()
        .map(|l| {
            let mut l = l.to_string();
            while let (Some(a), Some(b)) = (l.find('['), l.find(']')) {
                if b < a {
                    break;
                }
                l.replace_range(a..=b, "done");
            }
            format!("{l}\n")
        })
        .collect();
    let edited = env.write("C1-edited.txt", &filled);
    env.ok(&[
        "letter",
        "C1",
        "--text",
        &edited,
        "--out",
        out.to_str().unwrap(),
    ]);
    let v = packet(&env, "C1");
    assert_eq!(v["documents"][0]["reference"], out.to_str().unwrap());
    assert_eq!(v["letters"][1]["draft"], false);
    assert!(v["letters"][1]["template"]
        .as_str()
        .unwrap()
        .starts_with("edited "));

    // Checked off by number and by id (or the start of one); a bad one is named.
    let before = env.audit_len();
    env.ok(&[
        "checklist",
        "C1",
        "--check",
        "2=835 from 2026-11-01, page 2",
        "--check",
        "authorization=auth 55-1203 in the portal",
    ]);
    assert_eq!(env.audit_len(), before + 1, "one audited change");
    assert!(missing(&packet(&env, "C1")).is_empty());
    let e = env.fails(&["checklist", "C1", "--check", "9=x"]);
    assert!(
        e.contains("there is no document 9: the checklist has 6"),
        "{e}"
    );
    let e = env.fails(&["checklist", "C1", "--check", "re=x"]);
    assert!(e.contains("\"re\" names no single document; give its number or id: 1 appeal-letter, 2 remittance-835-eob-showing-the-denial, 3 the-payer-s-own-appeal-form-if-it-has-one, 4 authorization"), "{e}");
    let e = env.fails(&["checklist", "C1", "--check", "2"]);
    assert!(e.contains("give ITEM=REFERENCE"), "{e}");

    // Unchecked again, the appeal is refused naming what is missing…
    env.ok(&["checklist", "C1", "--uncheck", "2"]);
    let e = env.fails(&["appeal", "C1", "--channel", "fax"]);
    assert!(
        e.contains("the level 1 packet is missing required documents: Remittance (835/EOB) showing the denial."),
        "{e}"
    );
    assert!(
        e.contains("`denialdesk checklist C1 --check N=WHERE`, or add --sent-without REASON"),
        "{e}"
    );
    assert!(env
        .ok(&["show", "C1", "--json"])
        .contains("\"appeals\": []"));
    // …and goes with the reason it went without, on the timeline and in the audit.
    env.ok(&[
        "appeal",
        "C1",
        "--channel",
        "fax",
        "--sent-without",
        "the remittance is the payer's own record",
    ]);
    let show = env.ok(&["show", "C1"]);
    assert!(show.contains("level 1 appeal packet (sent):"), "{show}");
    assert!(
        show.contains("letter level 1 appeal letter (template authorization) 20"),
        "{show}"
    );
    assert!(
        show.contains(
            "[x] Authorization on file (or why none was needed): auth 55-1203 in the portal"
        ),
        "{show}"
    );
    assert!(show.contains("level 1 appeal sent without Remittance (835/EOB) showing the denial (confirmed: the remittance is the payer's own record)"), "{show}");
    let audit = env.ok(&["audit", "--claim", "C1"]);
    assert!(audit.contains("checklist"), "{audit}");
    assert!(
        audit.contains("the remittance is the payer's own record"),
        "{audit}"
    );
    // The next packet is level 2's; level 1's is what went.
    assert_eq!(packet(&env, "C1")["level"], 2);
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["checklist", "C1", "--level", "1", "--json"])).unwrap();
    assert_eq!(v["sent"], true);
    assert_eq!(
        v["sent_without"]["reason"],
        "the remittance is the payer's own record"
    );
    // What went is on the record.
    let e = env.fails(&["checklist", "C1", "--level", "1", "--check", "2=late"]);
    assert!(e.contains("already sent"), "{e}");
}

#[test]
fn a_practice_sets_its_own_checklists_and_a_bad_one_is_named() {
    let env = seeded();
    config(
        &env,
        "[[checklist]]\ncategory = \"any\"\nrequired = [\"Appeal letter\", \"Signed patient consent\"]\noptional = [\"Cover sheet\"]\n\n[[checklist]]\ncategory = \"authorization\"\nlevel = 2\nrequired = [\"Level 1 decision\"]\n",
    );
    let v = packet(&env, "C1");
    let ids: Vec<&str> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["appeal-letter", "signed-patient-consent", "cover-sheet"]
    );
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["checklist", "C1", "--level", "2", "--json"])).unwrap();
    assert_eq!(v["documents"][0]["id"], "level-1-decision");

    config(
        &env,
        "[[checklist]]\ncategory = \"cardiology\"\nrequired = [\"Echo report\"]\n",
    );
    let e = env.fails(&["checklist", "C1"]);
    assert!(
        e.contains(
            "config.toml: checklist 1 (\"cardiology\"): category must be one of eligibility"
        ),
        "{e}"
    );
    config(
        &env,
        "[[checklist]]\ncategory = \"coding\"\nrequire = [\"Op note\"]\n",
    );
    let e = env.fails(&["checklist", "C1"]);
    assert!(e.contains("line 3") && e.contains("require"), "{e}");
}
