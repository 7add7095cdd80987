use super::*;

fn set() -> ContractSet {
    let row = |payer: &str,
               modifier: &str,
               cents: i64,
               pos: Option<&str>,
               from: Option<&str>,
               to: Option<&str>,
               line| ContractRow {
        payer: payer.into(),
        procedure: "99214".into(),
        modifier: modifier.into(),
        allowed_cents: cents,
        effective_from: from.map(|d| d.parse().unwrap()),
        effective_to: to.map(|d| d.parse().unwrap()),
        place_of_service: pos.map(String::from),
        revenue_code: None,
        line,
    };
    ContractSet {
        file: "c.csv".into(),
        rows: vec![
            row("AETNA", "", 12_000, None, None, Some("2025-12-31"), 2),
            row("AETNA", "", 12_500, None, Some("2026-01-01"), None, 3),
            row("60054", "25", 13_150, None, Some("2026-01-01"), None, 4),
            row("aetna", "", 11_000, Some("22"), Some("2026-01-01"), None, 5),
        ],
    }
}

fn line<'a>(payer: &'a Party, modifiers: &'a [String], date: &str, pos: &'a str) -> PricedLine<'a> {
    PricedLine {
        payer,
        procedure: "99214",
        modifiers,
        date: Some(date.parse().unwrap()),
        place_of_service: pos,
        revenue_code: None,
    }
}

#[test]
fn the_most_specific_row_in_force_on_the_date_of_service_prices_the_line() {
    let aetna = Party {
        name: "AETNA".into(),
        id: "60054".into(),
    };
    let none: Vec<String> = Vec::new();
    let with_25 = vec!["25".to_string()];
    let s = set();
    assert_eq!(
        s.price(&line(&aetna, &none, "2025-06-01", "11"))
            .unwrap()
            .line,
        2,
        "last year's rate"
    );
    assert_eq!(
        s.price(&line(&aetna, &none, "2026-06-01", "11"))
            .unwrap()
            .line,
        3
    );
    assert_eq!(
        s.price(&line(&aetna, &with_25, "2026-06-01", "11"))
            .unwrap()
            .line,
        4,
        "the modifier's own rate, by payer id"
    );
    assert_eq!(
        s.price(&line(&aetna, &none, "2026-06-01", "22"))
            .unwrap()
            .line,
        5,
        "outpatient hospital rate, name in any case"
    );
    let cigna = Party {
        name: "CIGNA".into(),
        id: "62308".into(),
    };
    assert!(
        s.price(&line(&cigna, &none, "2026-06-01", "11")).is_none(),
        "no contract: no expectation"
    );
}

#[test]
fn the_index_prices_every_line_as_the_whole_set_does() {
    let aetna = Party {
        name: "AETNA".into(),
        id: "60054".into(),
    };
    let s = set();
    let index = ContractIndex::new(&s);
    let none: Vec<String> = Vec::new();
    let with_25 = vec!["25".to_string()];
    for (mods, date, pos) in [
        (&none, "2025-06-01", "11"),
        (&none, "2026-06-01", "11"),
        (&with_25, "2026-06-01", "11"),
        (&none, "2026-06-01", "22"),
        (&with_25, "2027-06-01", "22"),
    ] {
        let l = line(&aetna, mods, date, pos);
        assert_eq!(index.price(&l).map(|r| r.line), s.price(&l).map(|r| r.line));
    }
    let mut other = line(&aetna, &none, "2026-06-01", "11");
    other.procedure = "99213";
    assert_eq!(index.price(&other), None);
    assert!(!index.is_empty() && ContractIndex::new(&ContractSet::default()).is_empty());
}
