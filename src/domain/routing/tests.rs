use super::*;
use crate::domain::test_support::work_item;

fn routing(text: &str) -> Routing {
    let r: Routing = toml::from_str(text).unwrap();
    r.validate().unwrap();
    r
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
}

#[test]
fn the_first_matching_rule_wins_and_every_key_must_hold() {
    let r = routing(
        r#"
        [[route]]
        name = "big-acme"
        payer = "acme health"
        min_amount = "1000.00"
        assign = "lee"
        [[route]]
        name = "acme-info"
        payer = "99999"
        category = "missing-information"
        carc = "16"
        assign = "maria"
        follow_up = "+3"
        [[route]]
        name = "everything"
        assign = "devon"
        "#,
    );
    // ACME HEALTH (id 99999), CO-16, $500: the first rule's amount fails, the second holds.
    let mut item = work_item("C1");
    let mut state = TeamState::default();
    let (rule, event) = r.route(&mut item, &mut state, today()).unwrap();
    assert_eq!(rule, "acme-info");
    assert_eq!(item.owner.as_deref(), Some("maria"));
    assert_eq!(item.follow_up, NaiveDate::from_ymd_opt(2026, 12, 5));
    assert_eq!(
        event.summary(),
        "routed by rule acme-info: owner maria, follow-up 2026-12-05"
    );
    // An owned item is left alone.
    assert!(r.route(&mut item, &mut state, today()).is_none());
    // Another category falls through to the catch-all.
    let mut other = work_item("C2");
    other.category = Category::Coding;
    assert_eq!(
        r.route(&mut other, &mut state, today()).unwrap().0,
        "everything"
    );
}

#[test]
fn teams_take_turns_or_go_to_the_least_loaded_member() {
    let r = routing(
        r#"
        [teams]
        front = ["ana", "ben"]
        auth = { members = ["cy", "dee"], pick = "least-loaded" }
        [[route]]
        name = "front"
        kind = "denial"
        category = "missing-information"
        team = "front"
        [[route]]
        name = "auth"
        team = "auth"
        "#,
    );
    let mut state = TeamState::default();
    let owners: Vec<String> = (0..3)
        .map(|n| {
            let mut item = work_item(&format!("C{n}"));
            r.route(&mut item, &mut state, today()).unwrap();
            item.owner.unwrap().into()
        })
        .collect();
    assert_eq!(owners, ["ana", "ben", "ana"]);
    state.open_by_owner.insert("cy".into(), 5);
    state.open_by_owner.insert("dee".into(), 4);
    let mut coding = work_item("C9");
    coding.category = Category::Coding;
    r.route(&mut coding, &mut state, today()).unwrap();
    assert_eq!(coding.owner.as_deref(), Some("dee"));
    assert_eq!(state.open_by_owner["dee"], 5, "counted for the next pick");
}

#[test]
fn rejections_route_by_their_status_code_and_amounts_by_what_is_owed() {
    let r = routing(
        r#"
        [[route]]
        name = "npi"
        kind = "rejection"
        status_code = "A7:562"
        assign = "cred"
        [[route]]
        name = "small"
        max_amount = "100"
        assign = "junior"
        "#,
    );
    let mut rejection = work_item("R1");
    rejection.kind = ItemKind::Rejection;
    rejection.carcs = vec!["A7:562:85".into()];
    assert_eq!(r.first_match(&rejection).unwrap().name, "npi");
    rejection.carcs = vec!["A7:33:IL".into()];
    assert!(
        r.first_match(&rejection).is_none(),
        "$500 is more than $100"
    );
    let mut small = work_item("S1");
    crate::domain::test_support::set_denied(&mut small, 9_999);
    assert_eq!(r.first_match(&small).unwrap().name, "small");
}

#[test]
fn bad_rules_are_refused_naming_the_rule() {
    let bad = |text: &str, expected: &str| {
        let r: Routing = toml::from_str(text).unwrap();
        let e = r.validate().unwrap_err();
        assert!(e.contains(expected), "{expected:?} not in {e:?}");
    };
    bad(
        "[[route]]\nname = \"x\"\ncategory = \"authorisation\"\nassign = \"a\"",
        "route 1 (\"x\"): category \"authorisation\" is not a denial category",
    );
    bad(
        "[[route]]\nname = \"x\"\nteam = \"nope\"",
        "team \"nope\" is not in [teams]",
    );
    bad(
        "[[route]]\nname = \"x\"\nassign = \"a b\"",
        "\"a b\" is not a user name",
    );
    bad("[[route]]\nname = \"x\"\npayer = \"AETNA\"", "does nothing");
    bad(
        "[[route]]\nname = \"x\"\nmin_amount = \"lots\"\nassign = \"a\"",
        "\"lots\" is not an amount",
    );
    bad(
        "[[route]]\nname = \"x\"\nfollow_up = \"someday\"",
        "follow_up:",
    );
    bad(
        "[[route]]\nname = \"x\"\nkind = \"claims\"\nassign = \"a\"",
        "kind \"claims\"",
    );
    bad("[teams]\nempty = []", "team \"empty\" has no members");
    bad(
        "[[route]]\nname = \"x\"\nboost = 0",
        "boost: give 1 to 100 points",
    );
    assert!(toml::from_str::<Routing>("[[route]]\nname = \"x\"\nboost = 300").is_err());
    bad(
        "[[route]]\nname = \"x\"\nmin_amount = \"500\"\nmax_amount = \"100\"\nassign = \"a\"",
        "can match nothing",
    );
    bad(
        "[[route]]\nname = \"x\"\nkind = \"denial\"\nstatus_code = \"562\"\nassign = \"a\"",
        "status_code only matches rejections",
    );
    bad(
        "[[route]]\nname = \"x\"\nassign = \"a\"\n[[route]]\nname = \"X\"\nassign = \"b\"",
        "route 2 (\"X\"): another rule has this name",
    );
    bad(
        "[teams]\nfront = [\"a\"]\n[[route]]\nname = \"x\"\nteam = \"back\"",
        "(teams: front)",
    );
}

#[test]
fn a_boost_raises_the_priority_score_by_its_points_up_to_100_and_says_so() {
    use crate::domain::priority::{priority, priority_score};
    let r = routing(
        r#"
        [[route]]
        name = "underpaid-first"
        kind = "underpayment"
        boost = 30
        [[route]]
        name = "acme-urgent"
        payer = "ACME HEALTH"
        boost = 100
        "#,
    );
    let mut item = work_item("C1");
    let before = priority_score(&item, today());
    let (rule, event) = r
        .route(&mut item, &mut TeamState::default(), today())
        .unwrap();
    assert_eq!(rule, "acme-urgent");
    assert_eq!(event.summary(), "routed by rule acme-urgent, priority +100");
    assert!(before < 100);
    assert_eq!(priority_score(&item, today()), 100, "never past 100");
    let mut underpaid = work_item("C2");
    underpaid.kind = ItemKind::Underpayment;
    let base = priority_score(&underpaid, today());
    r.route(&mut underpaid, &mut TeamState::default(), today())
        .unwrap();
    assert_eq!(underpaid.owner, None, "a boost alone assigns nobody");
    assert_eq!(priority_score(&underpaid, today()), base + 30);
    let p = priority(&underpaid, today());
    assert_eq!(p.score, base + 30);
    assert!(
        p.explanation.ends_with("+30 by a routing rule"),
        "{}",
        p.explanation
    );
    // The list row ranks the same as the whole item.
    let row = crate::domain::list_row::ListRow::from(&underpaid);
    assert_eq!(priority_score(&row, today()), base + 30);
}
