//! What power-loss durability costs: a specialist's save (a note) and a file import, each
//! with sled's flush alone and with the `fdatasync` denialdesk adds after it.
//! Run with `cargo bench --bench durability`.

use chrono::NaiveDate;
use denialdesk::demo::synthetic_835_in_sets;
use denialdesk::domain::action::WorkAction;
use denialdesk::domain::payer_rules::PayerRules;
use denialdesk::import::{import_source, BytesSource};
use denialdesk::store::{SledStore, WorkStore};
use std::time::{Duration, Instant};

const SAVES: usize = 1_000;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn run(power_loss_sync: bool) {
    let dir = tempfile::tempdir_in(std::env::current_dir().unwrap()).unwrap();
    let mut store = SledStore::open(&dir.path().join("db")).unwrap();
    store.set_power_loss_sync(power_loss_sync);
    let rules = PayerRules::default();
    let mut imports = Vec::new();
    for n in 0..5u64 {
        let text = synthetic_835_in_sets(5_000, 500, n, 150)
            .replace("LMN0", &format!("B{n}N"))
            .replace("LOS0", &format!("B{n}S"));
        let started = Instant::now();
        import_source(
            &store,
            &BytesSource(format!("f{n}.835"), text.as_bytes()),
            &rules,
            "bench",
            0,
        )
        .unwrap();
        imports.push(started.elapsed());
    }
    let claims: Vec<String> = store
        .work_items()
        .unwrap()
        .into_iter()
        .map(|i| i.claim_id.into())
        .collect();
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let mut saves = Vec::with_capacity(SAVES);
    for n in 0..SAVES {
        let action = WorkAction::AddNote(format!("called payer, ref {n}"));
        let started = Instant::now();
        store
            .apply(&claims[n % claims.len()], &action, today, "bench")
            .unwrap();
        saves.push(started.elapsed());
    }
    saves.sort();
    imports.sort();
    let label = if power_loss_sync {
        "flush + fdatasync (shipped)"
    } else {
        "sled flush only"
    };
    println!(
        "{label:<28} save p50 {:>6.3} ms  p99 {:>6.3} ms   import of 5,000 claims median {:>6.1} ms",
        ms(saves[SAVES / 2]),
        ms(saves[SAVES * 99 / 100]),
        ms(imports[imports.len() / 2]),
    );
}

fn main() {
    println!("durable save ({SAVES} notes) and file import, on the disk under the current folder");
    run(false);
    run(true);
}
