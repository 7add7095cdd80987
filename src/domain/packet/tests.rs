//! Checklists (built-in, configured, most specific wins) and the packet's moves through
//! `apply`: checking off, letters linked, and an appeal refused with required documents
//! missing unless someone says why.

use super::checklist::{built_in, ChecklistRule};
use super::*;
use crate::domain::action::{apply, checklist_for, packet, ActionError, WorkAction};
use crate::domain::appeal::Channel;
use crate::domain::taxonomy::Category;
use crate::domain::test_support::work_item;
use crate::domain::timeline::EventKind;
use crate::domain::work_item::WorkItem;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

fn ids(docs: &[ChecklistDoc]) -> Vec<&str> {
    docs.iter().map(|d| d.id.as_str()).collect()
}

fn medical_necessity() -> WorkItem {
    let mut item = work_item("C1");
    item.category = Category::MedicalNecessity;
    item
}

fn file(packet: PacketCheck) -> WorkAction {
    WorkAction::FileAppeal {
        level: 1,
        channel: Channel::Fax,
        submitted: today(),
        response_due: today() + chrono::Duration::days(30),
        documents: String::new(),
        packet,
    }
}

fn entry(doc: &ChecklistDoc, reference: &str) -> DocumentEntry {
    DocumentEntry {
        doc: doc.clone(),
        reference: reference.into(),
    }
}

#[test]
fn the_built_in_checklist_follows_the_category_and_the_level() {
    let l1 = built_in("medical-necessity", 1);
    assert_eq!(
        ids(&l1),
        [
            "appeal-letter",
            "remittance-835-eob-showing-the-denial",
            "the-payer-s-own-appeal-form-if-it-has-one",
            "medical-records-for-the-date-of-service",
            "letter-of-medical-necessity-from-the-physician",
            "clinical-guidelines-or-coverage-policy-cited",
            "record-of-prior-conservative-treatment",
        ]
    );
    assert_eq!(l1.iter().filter(|d| d.required).count(), 4);
    // Above level 1 the decision being appealed goes with it.
    let l2 = built_in("medical-necessity", 2);
    assert!(l2
        .iter()
        .any(|d| d.id == "decision-letter-from-the-level-below" && d.required));
    // Timely filing turns on proof of submission; an underpayment on the contract.
    assert!(
        ids(&built_in("timely-filing", 1)).contains(&"proof-of-timely-filing-999-277ca-or-report")
    );
    assert!(ids(&built_in("underpayment", 1)).contains(&"contract-fee-schedule-page-for-the-codes"));
    assert!(ids(&built_in("underpayment", 1)).contains(&"remittance-835-eob-showing-the-payment"));
    // Medicare: its request forms by level (a letter with the same elements may stand in),
    // the records carry the physician's support, and an ABN when one was signed.
    let medicare = super::checklist::built_in_for("medical-necessity", 1, true);
    let required: Vec<&str> = medicare
        .iter()
        .filter(|d| d.required)
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(
        required,
        [
            "appeal-letter",
            "remittance-835-eob-showing-the-denial",
            "medical-records-for-the-date-of-service"
        ]
    );
    assert!(ids(&medicare).contains(&"cms-20027-redetermination-request-form"));
    assert!(ids(&medicare).contains(&"signed-abn-if-one-was-given"));
    assert!(ids(&super::checklist::built_in_for("coding", 2, true))
        .contains(&"cms-20033-reconsideration-request-form"));
    assert!(ids(&super::checklist::built_in_for("coding", 3, true))
        .contains(&"omha-100-request-for-an-alj-hearing"));
}

#[test]
fn a_configured_checklist_replaces_the_built_in_one_most_specific_first() {
    let rule = |category: &str, level: Option<u8>, required: &[&str]| ChecklistRule {
        category: category.into(),
        level,
        required: required.iter().map(|s| s.to_string()).collect(),
        optional: vec!["Cover sheet".into()],
    };
    let lists = Checklists {
        rules: vec![
            rule("any", None, &["Appeal letter"]),
            rule("medical-necessity", None, &["Appeal letter", "Records"]),
            rule(
                "medical-necessity",
                Some(2),
                &["Appeal letter", "Level 1 decision"],
            ),
            rule("any", Some(3), &["External review form"]),
        ],
    };
    lists.validate().unwrap();
    let mut item = medical_necessity();
    assert_eq!(
        ids(&checklist_for(&item, &lists, 1)),
        ["appeal-letter", "records", "cover-sheet"]
    );
    assert_eq!(
        ids(&checklist_for(&item, &lists, 2)),
        ["appeal-letter", "level-1-decision", "cover-sheet"]
    );
    item.category = Category::Coding;
    assert_eq!(
        ids(&checklist_for(&item, &lists, 3)),
        ["external-review-form", "cover-sheet"]
    );
    assert_eq!(
        ids(&checklist_for(&item, &lists, 1)),
        ["appeal-letter", "cover-sheet"]
    );
    // Nothing configured: the built-in list.
    assert_eq!(
        checklist_for(&item, &Checklists::default(), 1),
        built_in("coding", 1)
    );
}

#[test]
fn a_bad_checklist_entry_is_named() {
    let bad = |category: &str, level: Option<u8>, required: Vec<String>| {
        Checklists {
            rules: vec![ChecklistRule {
                category: category.into(),
                level,
                required,
                optional: vec![],
            }],
        }
        .validate()
        .unwrap_err()
    };
    let e = bad("cardiology", None, vec!["Records".into()]);
    assert!(
        e.starts_with("checklist 1 (\"cardiology\"): category must be one of eligibility"),
        "{e}"
    );
    assert!(bad("coding", Some(9), vec!["X".into()]).contains("level must be 1 to 5"));
    assert!(bad("coding", None, vec!["Records".into(), "records".into()]).contains("listed twice"));
    assert!(bad("coding", None, vec![]).contains("list its documents"));
    assert!(bad("coding", None, vec!["--".into()]).contains("needs words"));
}

#[test]
fn an_appeal_with_required_documents_missing_is_refused_naming_them() {
    let item = medical_necessity();
    let checklist = built_in("medical-necessity", 1);
    let e = apply(
        &item,
        &file(PacketCheck {
            checklist: checklist.clone(),
            ..PacketCheck::default()
        }),
        today(),
    )
    .unwrap_err();
    assert!(matches!(e, ActionError::DocumentsMissing { level: 1, .. }));
    let text = e.to_string();
    assert!(
        text.contains("missing required documents: Appeal letter; Remittance (835/EOB) showing the denial; Medical records for the date of service; Letter of medical necessity from the physician."),
        "{text}"
    );
    assert!(text.contains("\"Why missing\", --sent-without"), "{text}");
}

#[test]
fn references_typed_with_the_appeal_check_it_off_and_are_what_was_sent() {
    let item = medical_necessity();
    let checklist = built_in("medical-necessity", 1);
    let checks: Vec<DocumentEntry> = checklist
        .iter()
        .filter(|d| d.required)
        .map(|d| entry(d, "faxed 2026-12-02"))
        .collect();
    let (item, events) = apply(
        &item,
        &file(PacketCheck {
            checklist,
            checks,
            sent_without: None,
        }),
        today(),
    )
    .unwrap();
    assert_eq!(item.appeals.len(), 1);
    assert!(item.appeals[0]
        .documents
        .starts_with("Appeal letter (faxed 2026-12-02); Remittance (835/EOB) showing the denial (faxed 2026-12-02)"));
    let checked = events
        .iter()
        .filter(|e| matches!(e, EventKind::DocumentChecked { .. }))
        .count();
    assert_eq!(checked, 4);
    assert!(packet(&item, 1).unwrap().sent_without.is_none());
    // What went is on the record: the sent level's packet no longer changes.
    let later = WorkAction::CheckDocuments {
        level: 1,
        entries: vec![entry(&ChecklistDoc::new("Records", false), "x")],
    };
    assert!(apply(&item, &later, today())
        .unwrap_err()
        .to_string()
        .contains("already sent"));
}

#[test]
fn sent_without_required_documents_says_why_on_the_timeline() {
    let item = medical_necessity();
    let checklist = built_in("medical-necessity", 1);
    let action = file(PacketCheck {
        checks: vec![entry(&checklist[0], "portal upload 4471")],
        checklist,
        sent_without: Some("payer's portal takes records by separate upload".into()),
    });
    let (item, events) = apply(&item, &action, today()).unwrap();
    let without = packet(&item, 1).unwrap().sent_without.clone().unwrap();
    assert_eq!(without.documents.len(), 3);
    assert_eq!(
        without.reason,
        "payer's portal takes records by separate upload"
    );
    let said: Vec<String> = events.iter().map(EventKind::summary).collect();
    assert!(
        said.iter().any(|s| s.starts_with(
            "level 1 appeal sent without Remittance (835/EOB) showing the denial; Medical records"
        ) && s
            .ends_with("(confirmed: payer's portal takes records by separate upload)")),
        "{said:?}"
    );
    assert!(said
        .iter()
        .any(|s| s == "level 1 packet: Appeal letter checked off (portal upload 4471)"));
    // A blank reason is no reason.
    let blank = file(PacketCheck {
        checklist: built_in("medical-necessity", 1),
        checks: vec![],
        sent_without: Some("   ".into()),
    });
    assert!(apply(&medical_necessity(), &blank, today()).is_err());
}

#[test]
fn a_letter_written_for_the_level_checks_off_the_appeal_letter() {
    let item = medical_necessity();
    let letter = LetterRecord {
        what: "level 1 appeal letter".into(),
        template: "medical-necessity".into(),
        path: Some("/home/maria/.local/share/denialdesk/letters/C1-level-1.pdf".into()),
        written_on: today(),
        draft: false,
    };
    let (item, events) = apply(
        &item,
        &WorkAction::RecordLetter {
            level: 1,
            letter: letter.clone(),
        },
        today(),
    )
    .unwrap();
    assert_eq!(
        events[0].summary(),
        "level 1 appeal letter (template medical-necessity) written to /home/maria/.local/share/denialdesk/letters/C1-level-1.pdf for the level 1 packet"
    );
    let checklist = built_in("medical-necessity", 1);
    let states = packet(&item, 1).unwrap().state(&checklist);
    assert_eq!(states[0].reference.as_deref(), letter.path.as_deref());
    assert!(states[1].reference.is_none());
    assert_eq!(packet(&item, 1).unwrap().missing(&checklist).len(), 3);
}

#[test]
fn checking_off_changes_only_what_differs_and_unchecking_is_recorded() {
    let item = medical_necessity();
    let doc = ChecklistDoc::new("Medical records for the date of service", true);
    let check = |reference: &str| WorkAction::CheckDocuments {
        level: 1,
        entries: vec![entry(&doc, reference)],
    };
    let (item, events) = apply(&item, &check("EHR doc 88123"), today()).unwrap();
    assert_eq!(events.len(), 1);
    let (same, none) = apply(&item, &check("EHR doc 88123"), today()).unwrap();
    assert!(none.is_empty());
    assert_eq!(same.packets, item.packets);
    let (moved, events) = apply(&item, &check("EHR doc 88124"), today()).unwrap();
    assert_eq!(
        events[0].summary(),
        "level 1 packet: Medical records for the date of service: EHR doc 88123 → EHR doc 88124"
    );
    let (cleared, events) = apply(&moved, &check(""), today()).unwrap();
    assert_eq!(
        events[0].summary(),
        "level 1 packet: Medical records for the date of service unchecked"
    );
    // An empty packet is not kept.
    assert!(cleared.packets.is_empty());
    let bad = check("faxed\u{1b}[2J");
    assert!(matches!(
        apply(&item, &bad, today()),
        Err(ActionError::ControlCharacter { .. })
    ));
}
