//! Routing rules route new work items at import: first match wins, teams take turns (and
//! go on taking turns across imports) or go to the least-loaded member, every routed
//! assignment is audited as "routed by rule NAME", and `rules check` shows the matches.

mod common;

use common::acks::{file_277ca, AckClaim};
use common::cli_env::{json_lines, Env};
use common::{claim, header, interchange, set, temp_store, STAR};
use denialdesk::domain::payer_rules::PayerRules;
use denialdesk::domain::timeline::EventKind;
use denialdesk::import::{import_source, BytesSource, FileReport};
use denialdesk::store::{SledStore, Store, WorkStore};

const RULES: &str = r#"
[teams]
billing = ["ana", "ben"]
front = { members = ["cy", "dee"], pick = "least-loaded" }

[[route]]
name = "npi-rejections"
kind = "rejection"
status_code = "562"
assign = "cred"
follow_up = "+1"

[[route]]
name = "aetna-auth"
payer = "aetna"
category = "authorization"
assign = "maria"

[[route]]
name = "eligibility"
category = "eligibility"
team = "front"

[[route]]
name = "the-rest"
kind = "denial"
team = "billing"
"#;

fn rules() -> PayerRules {
    let rules = PayerRules {
        routing: toml::from_str(RULES).unwrap(),
        ..PayerRules::default()
    };
    rules.routing.validate().unwrap();
    rules
}

fn import(store: &SledStore, name: &str, text: &str) -> FileReport {
    import_source(
        store,
        &BytesSource(name.into(), text.as_bytes()),
        &rules(),
        "importer",
        0,
    )
    .unwrap()
}

fn remit(control: u32, claims: &[Vec<String>]) -> String {
    let mut parts = vec![header("AETNA", "60054", "20261101", &format!("T{control}"))];
    parts.extend(claims.iter().cloned());
    interchange(&STAR, control, &[set(&parts)])
}

fn owner(store: &SledStore, claim: &str) -> Option<String> {
    store
        .work_item(claim)
        .unwrap()
        .unwrap()
        .owner
        .map(Into::into)
}

#[test]
fn new_items_are_routed_at_import_first_match_wins_and_it_is_audited() {
    let (_dir, store) = temp_store();
    import(
        &store,
        "a.835",
        &remit(
            1,
            &[
                claim("AUTH1", 1, "500", "0", &["CO*197*500"]),
                claim("ELIG1", 1, "200", "0", &["CO*27*200"]),
                claim("CODE1", 1, "90", "0", &["CO*11*90"]),
                claim("CODE2", 1, "80", "0", &["CO*11*80"]),
                claim("CODE3", 1, "70", "0", &["CO*11*70"]),
            ],
        ),
    );
    assert_eq!(owner(&store, "AUTH1").as_deref(), Some("maria"));
    assert_eq!(
        owner(&store, "ELIG1").as_deref(),
        Some("cy"),
        "least loaded: nobody has any, the first listed"
    );
    // The rest take turns in the billing team, in file order.
    let turns: Vec<_> = ["CODE1", "CODE2", "CODE3"]
        .iter()
        .map(|c| owner(&store, c).unwrap())
        .collect();
    assert_eq!(turns, ["ana", "ben", "ana"]);

    let key = store.work_item("AUTH1").unwrap().unwrap().key;
    let audit = store.audit_log().unwrap();
    let entry = audit
        .iter()
        .find(|e| e.claim_id.as_deref() == Some(key.as_str()))
        .unwrap();
    assert!(
        entry.detail.ends_with("; routed by rule aetna-auth"),
        "{}",
        entry.detail
    );
    assert!(
        entry
            .changes
            .iter()
            .any(|c| c.field == "owner" && c.after == "maria"),
        "{:?}",
        entry.changes
    );
    let timeline = store.timeline(&key).unwrap();
    assert!(timeline.iter().any(|e| matches!(&e.kind, EventKind::Routed { rule, owner: Some(o), .. } if rule == "aetna-auth" && o == "maria")));

    // The turn goes on in the next import: ben is next.
    import(
        &store,
        "b.835",
        &remit(2, &[claim("CODE4", 1, "60", "0", &["CO*11*60"])]),
    );
    assert_eq!(owner(&store, "CODE4").as_deref(), Some("ben"));
    // Least-loaded counts the open items each member holds: cy has one, dee none.
    import(
        &store,
        "c.835",
        &remit(3, &[claim("ELIG2", 1, "60", "0", &["CO*27*60"])]),
    );
    assert_eq!(owner(&store, "ELIG2").as_deref(), Some("dee"));
    common::assert_list_rows_match(&store);
}

#[test]
fn rejections_route_by_status_code_and_a_known_claim_is_not_routed_again() {
    let (_dir, store) = temp_store();
    let ack = file_277ca(
        5,
        "PR",
        "AETNA",
        "60054",
        "20261201",
        &[AckClaim::jane("R1", "A7:562:85", "100")],
    );
    import(&store, "ack.277", &ack);
    let item = store.work_item("R1").unwrap().unwrap();
    assert_eq!(item.owner.as_deref(), Some("cred"));
    // +1 from the import day (today, in UTC).
    assert!(item.follow_up.is_some());
    // A later remittance updates the claim; it opens nothing new, so nothing is routed.
    import(
        &store,
        "later.835",
        &remit(6, &[claim("AUTH1", 1, "500", "0", &["CO*197*500"])]),
    );
    import(
        &store,
        "again.835",
        &remit(
            7,
            &[claim("AUTH1", 1, "500", "0", &["CO*197*500", "CO*16*0"])],
        ),
    );
    let audit = store.audit_log().unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.detail.contains("routed by rule aetna-auth"))
            .count(),
        1
    );
}

#[test]
fn rules_check_shows_the_rule_each_open_item_matches_and_bad_rules_stop_with_their_name() {
    let env = common::cli_env::seeded();
    let config = env
        .dir
        .path()
        .join("config")
        .join("denialdesk")
        .join("config.toml");
    let base = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{base}\n{RULES}")).unwrap();
    let table = env.ok(&["rules", "check"]);
    assert!(table.contains("aetna-auth"), "{table}");
    assert!(table.contains("rule aetna-auth: 1 open item\n"), "{table}");
    assert!(table.contains("rule the-rest: 1 open item\n"), "{table}");
    let rows = json_lines(&env.ok(&["rules", "check", "--json"]));
    assert_eq!(rows.len(), 2);
    let c1 = rows.iter().find(|r| r["claim_id"] == "C1").unwrap();
    assert_eq!(c1["rule"], "aetna-auth");
    assert_eq!(c1["action"], "assign maria");

    // Without the catch-all, C2 matches nothing: listed, unless only matches are asked for.
    std::fs::write(
        &config,
        format!("{base}\n[[route]]\nname = \"aetna-auth\"\npayer = \"aetna\"\ncategory = \"authorization\"\nassign = \"maria\"\n"),
    )
    .unwrap();
    let all = env.ok(&["rules", "check"]);
    assert!(
        all.contains("C2") && all.contains("no rule matches"),
        "{all}"
    );
    let matched = env.ok(&["rules", "check", "--matched"]);
    assert!(
        matched.contains("C1") && !matched.contains("no rule matches"),
        "{matched}"
    );
    assert!(matched.contains("no rule: 1 open item"), "{matched}");
    assert!(!matched.lines().any(|l| l.starts_with("C2 ")), "{matched}");

    std::fs::write(&config, format!("{base}\n[[route]]\nname = \"oops\"\ncategory = \"authorisation\"\nassign = \"maria\"\n")).unwrap();
    // A mistake in a rule stops what routes (import, rules check), not everyone's work.
    let listed = env.run(&["list"]);
    assert!(listed.status.success());
    let warning = String::from_utf8_lossy(&listed.stderr);
    assert!(
        warning.contains("route 1 (\"oops\"): category \"authorisation\" is not a denial category"),
        "{warning}"
    );
    assert!(
        warning.contains("imports refuse to run until it is fixed"),
        "{warning}"
    );
    let error = env.fails(&["rules", "check"]);
    assert!(error.contains("fix it before importing"), "{error}");
    let file = env.write(
        "more.835",
        &remit(9, &[claim("NEW1", 1, "100", "0", &["CO*16*100"])]),
    );
    assert!(env.fails(&["import", &file]).contains("route 1 (\"oops\")"));
    std::fs::write(
        &config,
        format!("{base}\n[[route]]\nname = \"oops\"\nescalate = true\n"),
    )
    .unwrap();
    let error = env.fails(&["rules", "check"]);
    assert!(
        error.contains("route 1 (\"oops\"): unknown field `escalate`"),
        "{error}"
    );
    let _ = Env::new;
}
