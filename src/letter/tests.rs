use super::*;
use crate::domain::claim::Claim;
use crate::domain::payer_rules::PayerRules;
use crate::domain::reconcile::{reconcile, Reconciled};
use crate::domain::test_support::{adj, claim, line};
use chrono::NaiveDate;

/// A 99214 denied CO-197 (no authorization) with remark N54, and its work item.
fn denied() -> (Claim, WorkItem) {
    let mut c = claim("LMN100042", 1, 20_000, 0);
    let mut l = line("99214", 20_000, 0);
    l.adjustments = vec![adj("CO", "197", 20_000)];
    l.remarks = vec!["N54".into()];
    l.service_date = NaiveDate::from_ymd_opt(2026, 10, 1);
    c.lines = vec![l];
    let now = "2026-11-02T10:00:00Z".parse().unwrap();
    match reconcile("LMN100042#k", None, &c, &PayerRules::default(), now, "ana") {
        Reconciled::Opened(item, _) => (c, item),
        other => panic!("{other:?}"),
    }
}

fn data(c: &Claim, item: &WorkItem) -> LetterData {
    LetterData::new(&LetterInput {
        item,
        claim: Some(c),
        level: 1,
        letterhead: &["NORTH CLINIC".into(), "1 MAIN ST, SPRINGFIELD".into()],
        appeals_address: &["ACME HEALTH APPEALS".into(), "PO BOX 14079".into()],
        specialist: "maria",
        today: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
        enclosed: &[],
    })
}

#[test]
fn every_built_in_template_renders_the_claim_whole() {
    let (c, item) = denied();
    assert_eq!(template_for(&item), "authorization");
    let d = data(&c, &item);
    for (name, _) in BUILT_IN.iter().filter(|(n, _)| !n.starts_with('_')) {
        let text = render(name, &d, None).unwrap_or_else(|e| panic!("{name}: {e}"));
        for needle in [
            "NORTH CLINIC\n1 MAIN ST, SPRINGFIELD\n\n2026-12-03\n",
            "ACME HEALTH\nACME HEALTH APPEALS\nPO BOX 14079\n",
            "Patient: DOE, JANE    Member ID: M123",
            "Claim: LMN100042    Payer claim number: PAYLMN100042",
            "Date(s) of service: 2026-10-01    Billed: $200.00",
            "Remittance/EOB date: 2026-11-01    Amount in dispute: $200.00",
            "  - 99214 on 2026-10-01: billed $200.00, in dispute $200.00\n",
            "      CO-197: Precertification, authorization or notification absent\n",
            "      N54: ",
            "\nmaria, [title]    [phone]\nNORTH CLINIC\n",
        ] {
            assert!(text.contains(needle), "{name}: {needle:?} not in\n{text}");
        }
        assert!(!text.contains("{{") && !text.contains("{%"), "{name}");
        // The template's own prose fits a PDF line: only merged data may wrap there.
        for line in text.lines().filter(|l| !l.starts_with(' ')) {
            assert!(
                line.chars().count() <= super::pdf::COLUMNS,
                "{name}: a line the PDF would wrap:\n{line}"
            );
        }
        assert!(
            // Room to sign below "Sincerely,"; nowhere else two blank lines.
            !text.replace("Sincerely,\n\n\n", "").contains("\n\n\n"),
            "{name}: no double blank lines\n{text}"
        );
        assert!(
            text.ends_with("\nmaria, [title]    [phone]\nNORTH CLINIC\n"),
            "{name}"
        );
    }
    let auth = render("authorization", &d, None).unwrap();
    assert!(auth.contains("RE: Level 1 appeal\n"), "{auth}");
    assert!(
        auth.contains("prior authorization or referral (CO-197, N54)"),
        "{auth}"
    );
}

#[test]
fn an_unknown_merge_field_names_the_template_and_line_and_a_user_template_overrides() {
    let (c, item) = denied();
    let d = data(&c, &item);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("authorization.txt"),
        "Dear {{ payer.name }},\n\nPatient {{ patient.name }}\nRef {{ claim.nonsense }}\n",
    )
    .unwrap();
    let e = render("authorization", &d, Some(dir.path())).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("letter template authorization.txt, line 4:"),
        "{e}"
    );
    std::fs::write(
        dir.path().join("short-note.txt"),
        "{% include \"_header.txt\" %}See the enclosed records.\n",
    )
    .unwrap();
    let own = render("short-note", &d, Some(dir.path())).unwrap();
    assert!(own.contains("Patient: DOE, JANE") && own.ends_with("See the enclosed records.\n"));
    let e = render("nope", &d, Some(dir.path())).unwrap_err();
    assert!(e
        .to_string()
        .contains("no letter template \"nope\"; built in: medical-necessity"));
    assert!(
        render("_header", &d, None).is_err(),
        "parts are not letters"
    );
    assert!(render("../etc/passwd", &d, Some(dir.path())).is_err());
}

#[test]
fn medicare_letters_use_its_names_and_a_letter_without_appeal_rights_says_so() {
    let (c, mut item) = denied();
    item.filing_indicator = "MB".into();
    let text = render("authorization", &data(&c, &item), None).unwrap();
    assert!(
        text.contains("RE: Request for Redetermination (level 1 appeal)\n"),
        "{text}"
    );
    assert!(text.contains("Medicare number (MBI): M123"), "{text}");
    assert!(!text.contains("NOT APPEALABLE"));
    item.appeal_rights = crate::domain::rarc::AppealRights::NotAppealable;
    let text = render("general", &data(&c, &item), None).unwrap();
    assert!(
        text.contains("[NOT APPEALABLE: the payer gave no appeal rights"),
        "{text}"
    );
}
