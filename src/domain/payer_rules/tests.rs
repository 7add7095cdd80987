//! Payer rules: windows, defaults, levels and refused files.

use super::*;

#[test]
fn the_payers_answer_is_due_after_its_own_response_time_else_the_default() {
    let rules = PayerRules::parse(
        "payers.toml",
        "[[payer]]\nname = \"AETNA\"\nappeal_window_days = 180\nresponse_days = 45\n",
    )
    .unwrap();
    let party = |name: &str| Party {
        name: name.into(),
        id: String::new(),
    };
    assert_eq!(response_days(&rules, &party("Aetna"), "CI", 1), (45, false));
    // 42 CFR 405.950: a Medicare contractor decides a redetermination in 60 days; an ALJ
    // (level 3) has 90 (42 CFR 405.1016).
    assert_eq!(
        response_days(&rules, &party("MEDICARE"), "MB", 1),
        (60, true)
    );
    assert_eq!(
        response_days(&rules, &party("MEDICARE"), "MB", 3),
        (90, true)
    );
    assert_eq!(response_days(&rules, &party("CIGNA"), "CI", 1), (30, true));
    // Level 2 of a payer with no next_level of its own: the program's default.
    assert_eq!(response_days(&rules, &party("Aetna"), "CI", 2), (30, true));
    let zero = "[[payer]]\nname = \"X\"\nappeal_window_days = 90\nresponse_days = 0\n";
    assert!(PayerRules::parse("payers.toml", zero).is_err());
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn party(name: &str, id: &str) -> Party {
    Party {
        name: name.into(),
        id: id.into(),
    }
}

const RULES: &str = r#"
[[payer]]
name = "Aetna"
ids = ["60054"]
appeal_window_days = 180
timely_filing_days = 90
phone = "1-800-555-0100"
"#;

#[test]
fn deadline_uses_payer_rule_by_id_then_name() {
    let rules = PayerRules::parse("payers.toml", RULES).unwrap();
    let by_id = appeal_deadline(&rules, &party("AETNA INC", "60054"), "CI", d("2026-01-10"));
    assert_eq!(by_id.date, d("2026-07-09"));
    assert_eq!(by_id.window_days, 180);
    assert!(!by_id.source.is_default());
    let by_name = appeal_deadline(&rules, &party("aetna", ""), "CI", d("2026-01-10"));
    assert_eq!(by_name.window_days, 180);
}

#[test]
fn unknown_payers_get_defaults_by_filing_indicator_and_say_so() {
    let rules = PayerRules::default();
    let remit = d("2026-03-01");
    let medicare = appeal_deadline(&rules, &party("NOVITAS", "12502"), "MB", remit);
    assert_eq!(medicare.date, d("2026-06-29"));
    assert_eq!(medicare.source, DeadlineSource::DefaultMedicare);
    assert!(medicare.source.is_default());
    assert!(medicare.source.describe(120).contains("default"));
    let medicaid = appeal_deadline(&rules, &party("STATE MEDICAID", ""), "MC", remit);
    // 42 CFR 438.402(c)(2)(ii): 60 days.
    assert_eq!(medicaid.date, d("2026-04-30"));
    // HM is any HMO: Medicare Advantage's 65 days, said to be assumed.
    let hmo = appeal_deadline(&rules, &party("LOCAL HMO", ""), "HM", remit);
    assert_eq!(
        (hmo.window_days, hmo.source.clone()),
        (65, DeadlineSource::DefaultHmo)
    );
    assert!(hmo.source.describe(65).contains("name its program"));
    let other = appeal_deadline(&rules, &party("SMALL PLAN", ""), "CI", remit);
    assert_eq!(other.window_days, 90);
    assert_eq!(other.source, DeadlineSource::DefaultOther);
}

#[test]
fn resubmission_deadlines_count_timely_filing_from_the_date_of_service() {
    let rules = PayerRules::parse("payers.toml", RULES).unwrap();
    let dos = d("2026-01-10");
    let aetna = resubmit_deadline(&rules, &party("AETNA", "60054"), "CI", dos);
    assert_eq!((aetna.date, aetna.window_days), (d("2026-04-10"), 90));
    assert!(aetna.source.is_resubmission() && !aetna.source.is_default());
    let medicare = resubmit_deadline(&rules, &party("NOVITAS", "12502"), "MB", dos);
    assert_eq!(medicare.date, d("2027-01-10"));
    assert!(medicare.source.is_default());
    assert!(medicare.source.describe(365).contains("timely filing"));
    let other = resubmit_deadline(&rules, &party("SMALL", ""), "CI", dos);
    assert_eq!(other.window_days, DEFAULT_OTHER_FILING_DAYS);
}

#[test]
fn bad_rules_files_are_refused_with_the_place() {
    let err = PayerRules::parse("p.toml", "[[payer]]\nname = \"X\"\n").unwrap_err();
    assert!(err.to_string().contains("p.toml"), "{err}");
    assert!(err.to_string().contains("appeal_window_days"), "{err}");
    let err = PayerRules::parse(
        "p.toml",
        "[[payer]]\nname = \"X\"\nappeal_window_days = 0\n",
    )
    .unwrap_err();
    assert!(err.to_string().contains("between 1 and 3650"), "{err}");
    let err = PayerRules::parse("p.toml", "[[payer]\n").unwrap_err();
    assert!(err.to_string().contains("line 1"), "{err}");
}

#[test]
fn medicare_advantage_gets_its_own_window_by_filing_indicator_or_configured_ids() {
    let remit = d("2026-03-01");
    let none = PayerRules::default();
    // CLP06 16 (HMO Medicare risk): 65 days to ask the plan to reconsider (42 CFR 422.582).
    let by_clp06 = appeal_deadline(&none, &party("HUMANA", "61101"), "16", remit);
    assert_eq!((by_clp06.date, by_clp06.window_days), (d("2026-05-05"), 65));
    assert_eq!(by_clp06.source, DeadlineSource::DefaultMedicareAdvantage);
    // A plan remitting with CI is named Medicare Advantage by its id in payers.toml.
    let rules = PayerRules::parse(
        "payers.toml",
        "[[payer]]\nname = \"WELLCARE MA\"\nids = [\"14163\"]\nprogram = \"medicare-advantage\"\n",
    )
    .unwrap();
    let by_id = appeal_deadline(&rules, &party("WELLCARE", "14163"), "CI", remit);
    assert_eq!(by_id.window_days, 65);
    assert_eq!(levels(&rules, &party("WELLCARE", "14163"), "CI"), 5);
    // Its level 2 is the IRE, 60 days from the plan's decision.
    let next = next_level_deadline(&rules, &party("x", "14163"), "CI", 1, remit).unwrap();
    assert_eq!((next.date, next.window_days), (d("2026-04-30"), 60));
    assert!(
        next.source.describe(60).contains("IRE"),
        "{}",
        next.source.describe(60)
    );
}

#[test]
fn next_levels_come_from_the_payers_own_entries_else_its_programs_ladder() {
    let rules = PayerRules::parse(
        "payers.toml",
        "[[payer]]\nname = \"Aetna\"\nappeal_window_days = 180\n\
         [[payer.next_level]]\nwindow_days = 60\nresponse_days = 30\n",
    )
    .unwrap();
    let aetna = party("AETNA", "");
    let decided = d("2026-06-01");
    let l2 = next_level_deadline(&rules, &aetna, "CI", 1, decided).unwrap();
    assert_eq!(l2.date, d("2026-07-31"));
    assert_eq!(
        l2.source,
        DeadlineSource::NextLevelRule {
            payer: "Aetna".into(),
            level: 2
        }
    );
    // Its own entries are all its levels: nothing after level 2.
    assert_eq!(next_level_deadline(&rules, &aetna, "CI", 2, decided), None);
    // A commercial payer not in the file: second level 60 days, external review 120
    // (45 CFR 147.136), nothing after.
    let other = party("SMALL PLAN", "");
    let l3 = next_level_deadline(&rules, &other, "CI", 2, decided).unwrap();
    assert_eq!((l3.window_days, l3.source.appeal_level()), (120, Some(3)));
    assert_eq!(next_level_deadline(&rules, &other, "CI", 3, decided), None);
    // Medicaid: the state fair hearing, 120 days (42 CFR 438.408(f)(2)), is the last.
    assert_eq!(levels(&rules, &party("STATE MEDICAID", ""), "MC"), 2);
    // The constants the rest of the code uses agree with the ladder.
    assert_eq!(
        Program::Medicare.level(1).unwrap().window_days,
        DEFAULT_MEDICARE_DAYS
    );
    assert_eq!(
        Program::Medicare.level(1).unwrap().response_days,
        DEFAULT_MEDICARE_RESPONSE_DAYS
    );
    assert_eq!(
        Program::Commercial.level(1).unwrap().response_days,
        DEFAULT_OTHER_RESPONSE_DAYS
    );
    assert_eq!(
        Program::MedicareAdvantage.level(1).unwrap().window_days,
        DEFAULT_MEDICARE_ADVANTAGE_DAYS
    );
    // A program without appeal_window_days is fine; neither is not.
    let bad = PayerRules::parse(
        "p.toml",
        "[[payer]]\nname = \"X\"\nprogram = \"medicaid\"\n",
    );
    assert!(bad.is_ok());
    let bad = PayerRules::parse(
        "p.toml",
        "[[payer]]\nname = \"X\"\nappeal_window_days = 30\n[[payer.next_level]]\nwindow_days = 0\n",
    )
    .unwrap_err();
    assert!(bad.to_string().contains("next_level 1 (level 2)"), "{bad}");
}
