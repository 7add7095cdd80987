//! The deterministic demo-data generator: ~3,000 claims over six months from six payers
//! and two locations, an initial denial rate near 11% with a realistic CARC mix, and a
//! later remittance per payer in which some denials are paid on appeal. The same code
//! makes the large synthetic file the import benchmark reads.
//!
//! Regenerate with `cargo run --release -- gen-demo --out demo-data`; a test proves the
//! checked-in files equal this output.

mod acknowledgments;
mod activity;
mod catalog;
mod claims;
mod prevention;
mod remittance_set;
mod render;
mod rng;
mod synthetic;
mod writer;

pub use activity::seed as seed_activity;
use catalog::{PayerDef, Scope, DENIALS, LOCATIONS, MEDIGAP, PAYERS};
use chrono::{Duration, NaiveDate};
use claims::{make_claim, paid_on_appeal, reversal_of, DenialDef, GenClaim};
pub use prevention::seed_prevention;
use remittance_set::{write_remittance, Plb};
use rng::Rng;
pub use synthetic::{
    synthetic_835, synthetic_835_for, synthetic_835_in_sets, synthetic_835_with_denials, Synthetic,
};
use writer::X12Writer;

/// The Friday the demo's dates are generated around; `demo` shifts them to today on load.
pub fn anchor() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).expect("valid date")
}

/// Weekly remittances per payer, going back from the anchor.
const WEEKS: i64 = 26;
/// Weeks per generated file.
const WEEKS_PER_FILE: i64 = 4;
/// Average claims per week across all payers (≈ 3,000 over six months).
const CLAIMS_PER_WEEK: i64 = 115;
/// Payer rules shipped with the demo.
pub const PAYERS_TOML: &str = include_str!("../../demo-data/payers.toml");
/// The demo team's routing rules (`[teams]` and `[[route]]`, as in a config file).
pub const ROUTING_TOML: &str = include_str!("../../demo-data/routing.toml");

/// The demo practice's contract rates (`contracts import` format): loaded before the
/// remittances, so a few lines paid below them open underpayments.
pub const CONTRACTS_CSV: &str = include_str!("../../demo-data/contracts.csv");

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoFile {
    /// The file name (in demo-data/).
    pub name: String,
    /// The 835 text.
    pub contents: String,
}

/// CARCs a specialist can usually win back by correcting or appealing.
const APPEALABLE: [&str; 10] = [
    "197", "16", "50", "4", "11", "31", "151", "97", "252", "167",
];

struct Denied {
    claim: GenClaim,
    location: usize,
    scope: Scope,
}

fn pick_denial(rng: &mut Rng, payer: &PayerDef) -> DenialDef {
    let total: u32 = DENIALS.iter().map(|d| d.4).sum();
    loop {
        let mut roll = rng.below(u64::from(total)) as u32;
        for d in DENIALS {
            if roll < d.4 {
                // Traditional Medicare has no network: it never sends CO-242.
                if !(payer.filing == "MB" && d.1 == "242") {
                    return (d.0, d.1, d.2, d.3);
                }
                break;
            }
            roll -= d.4;
        }
    }
}

/// The date of service of a claim remitted on `date`: a few weeks before, except that a
/// timely-filing denial (CO-29) only happens to a claim filed after the payer's limit.
fn date_of_service(
    rng: &mut Rng,
    payer: &PayerDef,
    date: NaiveDate,
    denial: Option<DenialDef>,
) -> NaiveDate {
    match denial {
        Some(d) if d.1 == "29" => date - Duration::days(payer.filing_days + rng.range(10, 60)),
        _ => date - Duration::days(rng.range(12, 40)),
    }
}

/// Generates every demo file, in a stable order.
pub fn generate() -> Vec<DemoFile> {
    let mut rng = Rng::new(0x0D3A_1DE5_2026);
    let mut pcn_seq = [100_000u32; 2];
    let mut interchange = 1000u32;
    let mut files = Vec::new();
    // Medicare claims the Medigap plan pays the coinsurance on, and claims another payer
    // denied for coordination of benefits (OA-22) that the patient's other plan pays.
    let mut crossovers: Vec<(usize, GenClaim)> = Vec::new();
    let mut cob: Vec<(usize, GenClaim)> = Vec::new();
    // Denied claims a specialist asked the payer about (277 status responses).
    let mut asked: Vec<(&'static PayerDef, GenClaim)> = Vec::new();
    for payer in &PAYERS {
        let mut denied: Vec<(i64, Denied)> = Vec::new();
        let mut week = WEEKS;
        let mut file_no = 1;
        while week >= 1 {
            let first_date = anchor() - Duration::days(7 * week);
            let mut w = X12Writer::new(payer.dialect);
            interchange += 1;
            w.open_interchange(
                interchange,
                payer.id,
                "LAKESHORE",
                &first_date.format("%Y%m%d").to_string(),
            );
            let mut sets = 0;
            for _ in 0..WEEKS_PER_FILE.min(week) {
                let date = anchor() - Duration::days(7 * week);
                for (li, loc) in LOCATIONS.iter().enumerate() {
                    let share = if loc.institutional { 30 } else { 70 };
                    // Claims this week, ±20% around the payer's and location's share.
                    let tenths = CLAIMS_PER_WEEK * i64::from(payer.volume) * share / 1_000;
                    let count = rng.range(tenths * 8 / 100, (tenths * 12 + 99) / 100).max(1);
                    let mut claims = Vec::new();
                    let mut previous_denied = false;
                    for _ in 0..count {
                        // Now and then the practice management system reuses an account
                        // number for another patient in the same remittance ("multiple
                        // claims, single check"): two claims, one CLP01, both denied here
                        // so both show in the worklist.
                        let reuse = previous_denied && rng.chance(60);
                        if !reuse {
                            pcn_seq[li] += 1;
                        }
                        let pcn = format!("{}{}", loc.pcn_prefix, pcn_seq[li]);
                        let denial = (reuse || rng.chance(payer.denial_per_mille))
                            .then(|| pick_denial(&mut rng, payer));
                        previous_denied = denial.is_some() && !reuse;
                        let dos = date_of_service(&mut rng, payer, date, denial);
                        let claim = make_claim(&mut rng, payer, loc, pcn, dos, denial);
                        // Crossed over: paid claims, and claims Medicare denied one line
                        // of (the Medigap plan pays the coinsurance on the paid lines,
                        // which leaves Medicare's denial open).
                        let one_line = denial.is_some_and(|d| d.3 == Scope::OneLine);
                        if payer.filing == "MB"
                            && (denial.is_none() || one_line)
                            && claim.patient_share() > 0
                            && rng.chance(if one_line { 500 } else { 120 })
                        {
                            crossovers.push((li, claim.clone()));
                        }
                        if denial.is_some_and(|d| d.1 == "22")
                            && payer.key != "bcbs"
                            && rng.chance(500)
                        {
                            cob.push((li, claim.clone()));
                        }
                        if let Some(d) = denial {
                            if week >= 5 && APPEALABLE.contains(&d.1) {
                                denied.push((
                                    week,
                                    Denied {
                                        claim: claim.clone(),
                                        location: li,
                                        scope: d.3,
                                    },
                                ));
                            }
                        }
                        claims.push(claim);
                    }
                    sets += 1;
                    let plb: Vec<Plb> = if rng.chance(150) {
                        vec![("WO", String::new(), rng.range(1_000, 9_000))]
                    } else {
                        Vec::new()
                    };
                    write_remittance(&mut w, sets, payer, loc, date, &claims, &plb);
                }
                week -= 1;
            }
            w.close_interchange(interchange, sets as usize);
            files.push(DemoFile {
                name: format!("{}-{file_no:02}.835", payer.key),
                contents: w.finish(),
            });
            file_no += 1;
        }
        asked.extend(denied.iter().take(2).map(|(_, d)| (payer, d.claim.clone())));
        files.push(appeal_payments(&mut rng, payer, &denied, &mut interchange));
    }
    // The Medigap plan pays what Medicare left as coinsurance (PR-2).
    files.push(other_coverage_file(
        &mut rng,
        &MEDIGAP,
        "medigap-crossover.835",
        &crossovers,
        2,
        &mut interchange,
        |l| {
            l.cas
                .iter()
                .filter(|c| c.group == "PR")
                .map(|c| c.cents)
                .sum()
        },
    ));
    // The patient's Blue Cross plan was primary after all: it pays most denied lines at
    // its allowed amount, which leaves a balance on the first payer's denial.
    files.push(other_coverage_file(
        &mut rng,
        &PAYERS[2],
        "bcbs-cob-payments.835",
        &cob,
        1,
        &mut interchange,
        |l| l.charge * 55 / 100,
    ));
    files.extend(acknowledgments::files(
        &mut pcn_seq,
        &mut interchange,
        &asked,
    ));
    files
}

/// One remittance file from `payer` covering claims another payer adjudicated first.
fn other_coverage_file(
    rng: &mut Rng,
    payer: &PayerDef,
    name: &str,
    claims: &[(usize, GenClaim)],
    status: i8,
    interchange: &mut u32,
    pay: impl Fn(&claims::GenLine) -> i64 + Copy,
) -> DemoFile {
    let date = anchor() - Duration::days(5);
    let mut per_location: [Vec<GenClaim>; 2] = [Vec::new(), Vec::new()];
    for (li, claim) in claims {
        per_location[*li].push(claims::other_coverage(rng, payer, claim, status, pay));
    }
    one_payment_file(payer, name, date, &per_location, interchange, |_| {
        Vec::new()
    })
}

/// The later remittance: some older appealable denials paid, a few only partly, and
/// line-level denials reprocessed as a reversal plus a corrected claim.
fn appeal_payments(
    rng: &mut Rng,
    payer: &PayerDef,
    denied: &[(i64, Denied)],
    interchange: &mut u32,
) -> DemoFile {
    let date = anchor() - Duration::days(3);
    let mut per_location: [Vec<GenClaim>; 2] = [Vec::new(), Vec::new()];
    for (_, d) in denied {
        if !rng.chance(380) {
            continue;
        }
        let out = &mut per_location[d.location];
        if d.scope == Scope::OneLine && !d.claim.institutional {
            out.push(reversal_of(&d.claim));
            out.push(paid_on_appeal(rng, payer, &d.claim, false));
        } else {
            let partial = rng.chance(200);
            out.push(paid_on_appeal(rng, payer, &d.claim, partial));
        }
    }
    let name = format!("{}-later-appeal-payments.835", payer.key);
    one_payment_file(payer, &name, date, &per_location, interchange, |claims| {
        let mut plb: Vec<Plb> = Vec::new();
        // Interest on late payment comes as a negative provider-level adjustment.
        if payer.filing == "MB" && !claims.is_empty() {
            plb.push(("L6", String::new(), -rng.range(100, 2_000)));
        }
        // A payer that overpaid an appeal takes part of it back, naming the claim.
        if let Some(overpaid) = claims.iter().find(|c| c.status == 1 && c.paid() > 5_000) {
            if rng.chance(600) {
                plb.push(("WO", overpaid.pcn.clone(), overpaid.paid() / 10));
            }
        }
        plb
    })
}

/// One file from `payer` paying on `date`: an interchange with a transaction set per
/// location, `plb` giving each set's provider-level adjustments.
fn one_payment_file(
    payer: &PayerDef,
    name: &str,
    date: NaiveDate,
    per_location: &[Vec<GenClaim>; 2],
    interchange: &mut u32,
    mut plb: impl FnMut(&[GenClaim]) -> Vec<Plb>,
) -> DemoFile {
    let mut w = X12Writer::new(payer.dialect);
    *interchange += 1;
    w.open_interchange(
        *interchange,
        payer.id,
        "LAKESHORE",
        &date.format("%Y%m%d").to_string(),
    );
    let mut sets = 0;
    for (li, claims) in per_location.iter().enumerate() {
        sets += 1;
        let adjustments = plb(claims);
        write_remittance(
            &mut w,
            sets,
            payer,
            &LOCATIONS[li],
            date,
            claims,
            &adjustments,
        );
    }
    w.close_interchange(*interchange, sets as usize);
    DemoFile {
        name: name.to_string(),
        contents: w.finish(),
    }
}
