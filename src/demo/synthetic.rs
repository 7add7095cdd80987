//! Synthetic 835 files at scale for the benchmarks (`bench-data`, `cargo bench`): the
//! demo's payers, locations and claims, in as many transaction sets as asked.

use super::catalog::{LOCATIONS, PAYERS};
use super::claims::{make_claim, GenClaim};
use super::remittance_set::write_remittance;
use super::rng::Rng;
use super::writer::X12Writer;
use super::{anchor, pick_denial};
use chrono::Duration;

/// One large 835 (one payer, many transaction sets of up to 1,000 claims) for benchmarks,
/// with the payer's usual denial rate.
pub fn synthetic_835(claims: usize, seed: u64) -> String {
    synthetic_835_with_denials(claims, seed, PAYERS[2].denial_per_mille)
}

/// As `synthetic_835`, denying `per_mille` of the claims (1000: every one).
pub fn synthetic_835_with_denials(claims: usize, seed: u64, per_mille: u32) -> String {
    synthetic_835_in_sets(claims, 1000, seed, per_mille)
}

/// As `synthetic_835_with_denials`, with `per_set` claims per transaction set.
pub fn synthetic_835_in_sets(claims: usize, per_set: usize, seed: u64, per_mille: u32) -> String {
    synthetic_835_for(&Synthetic {
        payer: 2,
        first_claim: 0,
        claims,
        per_set,
        seed,
        per_mille,
    })
}

/// What a synthetic benchmark file holds.
pub struct Synthetic {
    /// Index into the demo's six payers (each writes its own X12 dialect).
    pub payer: usize,
    /// Claim numbers start here, so files generated in chunks do not collide.
    pub first_claim: usize,
    /// How many claims in all.
    pub claims: usize,
    /// Claims per transaction set.
    pub per_set: usize,
    /// The random seed (the same seed gives the same files).
    pub seed: u64,
    /// Claims denied per thousand.
    pub per_mille: u32,
}

/// A synthetic 835: transaction sets of `per_set` claims spread over the 180 days before
/// the demo anchor, alternating the two locations.
pub fn synthetic_835_for(spec: &Synthetic) -> String {
    let mut rng = Rng::new(spec.seed);
    let payer = &PAYERS[spec.payer % PAYERS.len()];
    let mut w = X12Writer::new(payer.dialect);
    w.open_interchange(
        1,
        payer.id,
        "LAKESHORE",
        &anchor().format("%Y%m%d").to_string(),
    );
    let mut written = 0;
    let mut sets = 0u32;
    while written < spec.claims {
        let loc = &LOCATIONS[(sets % 2) as usize];
        let date = anchor() - Duration::days(i64::from(sets % 180));
        let batch: Vec<GenClaim> = (0..spec.per_set.min(spec.claims - written))
            .map(|i| {
                let denial = rng
                    .chance(spec.per_mille)
                    .then(|| pick_denial(&mut rng, payer));
                let pcn = format!("{}{:09}", loc.pcn_prefix, spec.first_claim + written + i);
                make_claim(&mut rng, payer, loc, pcn, date - Duration::days(20), denial)
            })
            .collect();
        written += batch.len();
        sets += 1;
        write_remittance(&mut w, sets, payer, loc, date, &batch, &[]);
    }
    w.close_interchange(1, sets as usize);
    w.finish()
}
