//! Underpayments end to end through the CLI: contracts loaded, an 835 whose primary
//! payer allowed lines below them opens underpayment work items (to the cent, the
//! tolerance's edges honoured), kept apart from denials in `list`, `show` and the KPIs;
//! the payer's reversal and correction at the contract rate closes one.

mod common;

use common::cli_env::{json_lines, Env};
use common::{claim, header, interchange, set, STAR};

const CONTRACTS: &str = "payer,procedure,modifier,allowed,effective_from,effective_to\n\
AETNA,99214,25,200.00,2026-01-01,\n";

/// A primary payment of 99214-25 billed $300.00: allowed `allowed` (AMT*B6), the
/// patient's coinsurance `coins`, the rest contractual (CO-45).
fn paid(pcn: &str, status: u8, allowed: i64, coins: i64) -> Vec<String> {
    let sign = if status == 22 { -1 } else { 1 };
    let money = |c: i64| format!("{}.{:02}", c * sign / 100, (c % 100).abs());
    let mut v = claim(
        pcn,
        status,
        &money(30_000),
        &money(allowed - coins),
        &[
            &format!("CO*45*{}", money(30_000 - allowed)),
            &format!("PR*2*{}", money(coins)),
        ],
    );
    v.push(format!("AMT*B6*{}", money(allowed)));
    v
}

fn remittance(date: &str, trace: &str, claims: &[Vec<String>]) -> String {
    let mut parts = vec![header("AETNA", "60054", date, trace)];
    parts.extend(claims.iter().cloned());
    interchange(&STAR, 1, &[set(&parts)])
}

#[test]
fn lines_paid_below_contract_open_underpayments_and_a_correction_closes_one() {
    let env = Env::new();
    let csv = env.write("contracts.csv", CONTRACTS);
    env.ok(&["contracts", "import", &csv]);
    let first = env.write(
        "first.835",
        &remittance(
            "20261102",
            "T1",
            &[
                // $150.00 allowed: $50.00 below contract.
                paid("U1", 1, 15_000, 3_000),
                // $196.00: $4.00 short is exactly 2 %: within the tolerance.
                paid("U2", 1, 19_600, 0),
                // $195.99: $4.01 short, past both $1.00 and 2 %.
                paid("U3", 1, 19_599, 0),
                // A denial is worked as a denial, never priced.
                claim("U4", 4, "300", "0", &["CO*197*300"]),
            ],
        ),
    );
    let out = env.ok(&["import", &first]);
    assert!(out.contains("4 claims read"), "{out}");

    let rows = json_lines(&env.ok(&["list", "--kind", "underpayment", "--json"]));
    let got: Vec<(&str, &str, i64, i64)> = rows
        .iter()
        .map(|r| {
            (
                r["claim_id"].as_str().unwrap(),
                r["kind"].as_str().unwrap(),
                r["denied_cents"].as_i64().unwrap(),
                r["outstanding_cents"].as_i64().unwrap(),
            )
        })
        .collect();
    let mut got = got;
    got.sort();
    assert_eq!(
        got,
        vec![
            ("U1", "underpayment", 5_000, 5_000),
            ("U3", "underpayment", 401, 401)
        ]
    );
    assert!(rows.iter().all(|r| r["category"] == "contractual"));
    let denials = json_lines(&env.ok(&["list", "--json"]));
    let ids: Vec<&str> = denials
        .iter()
        .map(|r| r["claim_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["U4"], "the default list is the denial worklist");

    let shown = env.ok(&["show", "U1"]);
    assert!(
        shown.contains("underpayment (paid below contract: not a denial)"),
        "{shown}"
    );
    assert!(
        shown.contains("99214-25 2026-10-01: contract expects $200.00 (contracts.csv line 2), payer allowed $150.00 (AMT*B6), paid $120.00, variance $50.00, still below contract $50.00"),
        "{shown}"
    );
    assert!(
        shown.contains("paid below contract: expected $200.00"),
        "{shown}"
    );
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["show", "U1", "--json"])).unwrap();
    let line = &json["work_item"]["underpayment"]["lines"][0];
    assert_eq!(line["expected_cents"], 20_000);
    assert_eq!(line["allowed_cents"], 15_000);
    assert_eq!(line["paid_cents"], 12_000);
    assert_eq!(line["variance_cents"], 5_000);
    assert_eq!(line["row"]["line"], 2);

    let report: serde_json::Value = serde_json::from_str(&env.ok(&[
        "report",
        "--format",
        "json",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
    ]))
    .unwrap();
    let u = &report["underpayments"];
    assert_eq!(u["found"]["count"], 2);
    assert_eq!(u["found"]["cents"], 5_401);
    assert_eq!(u["open"]["cents"], 5_401);
    assert_eq!(u["by_payer"][0]["payer"], "AETNA");
    assert_eq!(report["denied"]["count"], 1, "underpayments are no denials");

    // The export tells the kinds apart and carries the comparison.
    let exported: serde_json::Value =
        serde_json::from_str(&env.ok(&["export", "--format", "json"])).unwrap();
    let u1 = exported
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["claim_id"] == "U1")
        .unwrap();
    assert_eq!(u1["kind"], "underpayment");
    assert_eq!(u1["contract_expected_cents"], 20_000);
    assert_eq!(u1["contract_allowed_cents"], 15_000);
    assert_eq!(u1["contract_rows"], "2");
    assert!(u1["key"].as_str().unwrap().starts_with("U1#"));

    // The dispute letter names the contracted rate (never the practice's own file).
    let letter = env.ok(&["letter", "U3"]);
    assert!(letter.contains("RE: Payment dispute\n"), "{letter}");
    assert!(
        letter.contains("billed $300.00, below contract by $4.01")
            && letter.contains("contract: contracted rate $200.00, payer allowed")
            && !letter.contains("contracts.csv"),
        "{letter}"
    );

    // The payer reverses U1 and pays it again at the contract rate.
    let second = env.write(
        "second.835",
        &remittance(
            "20261201",
            "T2",
            &[paid("U1", 22, 15_000, 3_000), paid("U1", 1, 20_000, 4_000)],
        ),
    );
    env.ok(&["import", &second]);
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["show", "U1", "--json"])).unwrap();
    assert_eq!(json["work_item"]["status"], "paid");
    assert_eq!(
        json["work_item"]["recovered_cents"], 4_000,
        "$160.00 paid for $120.00 taken back"
    );
    let open = json_lines(&env.ok(&["list", "--kind", "underpayment", "--json"]));
    let ids: Vec<&str> = open
        .iter()
        .map(|r| r["claim_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["U3"]);
    assert!(env.ok(&["audit"]).contains("U1"));

    // New rates replace the old at once, for the next file (the team server that priced
    // the first files is still running).
    let csv = env.write("new.csv", &CONTRACTS.replace("200.00", "160.00"));
    env.ok(&["contracts", "import", &csv]);
    let third = env.write(
        "third.835",
        &remittance("20261202", "T3", &[paid("U5", 1, 15_000, 0)]),
    );
    env.ok(&["import", &third]);
    let rows = json_lines(&env.ok(&["list", "--kind", "underpayment", "--json"]));
    let u5 = rows
        .iter()
        .find(|r| r["claim_id"] == "U5")
        .expect("priced by the new rate");
    assert_eq!(u5["denied_cents"], 1_000);
}
