//! Team-server benchmark: round-trip latency of a read and of a durable write through the
//! server (p50/p99), and throughput with 8 clients. Run with `cargo bench --bench team`.

mod support;

use chrono::NaiveDate;
use denialdesk::domain::action::WorkAction;
use denialdesk::store::WorkStore;
use denialdesk::team::client::RemoteStore;
use std::time::{Duration, Instant};

fn percentiles(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<34} p50 {:>7.3} ms   p99 {:>7.3} ms   ({} round trips)",
        ms(samples[samples.len() / 2]),
        ms(samples[samples.len() * 99 / 100]),
        samples.len()
    );
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db");
    let claims = support::generated_store(&db, 2_000, 3, 1000);
    let server = support::start_server(&db);
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let client = RemoteStore::connect(&db).unwrap();
    let reads = (0..2_000)
        .map(|n| {
            let t = Instant::now();
            client.work_item(&claims[n % claims.len()]).unwrap();
            t.elapsed()
        })
        .collect();
    percentiles("read one work item", reads);
    let writes = (0..1_000)
        .map(|n| {
            let t = Instant::now();
            client
                .apply(
                    &claims[n % claims.len()],
                    &WorkAction::AddNote(format!("bench {n}")),
                    today,
                    "",
                )
                .unwrap();
            t.elapsed()
        })
        .collect();
    percentiles("durable write (note, flushed)", writes);

    let per_client = 250;
    let t = Instant::now();
    std::thread::scope(|scope| {
        for k in 0..8 {
            let (db, claims) = (&db, &claims);
            scope.spawn(move || {
                let c = RemoteStore::connect(db).unwrap();
                for n in 0..per_client {
                    let claim = &claims[(k * per_client + n) % claims.len()];
                    c.apply(claim, &WorkAction::AddNote(format!("c{k} {n}")), today, "")
                        .unwrap();
                    c.work_item(claim).unwrap();
                }
            });
        }
    });
    let secs = t.elapsed().as_secs_f64();
    println!(
        "8 clients: {:.0} durable writes/s and {:.0} reads/s together ({} of each in {:.2} s)",
        (8 * per_client) as f64 / secs,
        (8 * per_client) as f64 / secs,
        8 * per_client,
        secs
    );
    drop(server);
}
