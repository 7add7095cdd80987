//! UI benchmark with 100,000 denials: open the store to the first frame, and keystroke to
//! frame (move the selection, type a filter, change the sort), drawn into a TestBackend at
//! 120x40; plus memory held per denial. Run with `cargo bench --bench ui`
//! (DENIALDESK_BENCH_DENIALS changes the count).

mod support;

use chrono::NaiveDate;
use denialdesk::app::{update, Edit, Intent, Msg, Outcome, Pane, State};
use denialdesk::domain::action::WorkAction;
use denialdesk::keymap::Keymap;
use denialdesk::store::{SledStore, WorkStore};
use denialdesk::ui::{self, theme::Theme};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::time::{Duration, Instant};

fn rss_mb() -> f64 {
    status_mb("VmRSS:")
}

/// A memory figure from /proc/self/status, in MB.
fn status_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{name:<28} median {:>7.2} ms   p95 {:>7.2} ms   max {:>7.2} ms   ({} keys)",
        ms(samples[samples.len() / 2]),
        ms(samples[samples.len() * 95 / 100]),
        ms(*samples.last().unwrap()),
        samples.len()
    );
}

/// First frame as a teammate sees it when the team server already holds the database:
/// connect, fetch the worklist over the socket, draw.
fn team_first_frame(path: &std::path::Path, today: NaiveDate, keymap: &Keymap, theme: &Theme) {
    use denialdesk::team::client::RemoteStore;
    let server = support::start_server(path);
    let mut samples = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        let store = RemoteStore::connect(path).unwrap();
        // What `tui::run` asks for first: the list rows alone.
        let rows = store.list_rows().unwrap();
        let mut state = State::new("bench", today, false);
        update(&mut state, Outcome::ListLoaded(rows));
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        terminal
            .draw(|f| ui::render(f, &state, keymap, theme))
            .unwrap();
        samples.push(start.elapsed());
    }
    drop(server);
    samples.sort();
    println!(
        "first frame through a running team server: median {:.0} ms (of {:?})",
        samples[1].as_secs_f64() * 1000.0,
        samples.iter().map(|d| d.as_millis()).collect::<Vec<_>>()
    );
}

fn main() {
    let denials: usize = std::env::var("DENIALDESK_BENCH_DENIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    // A database built by `denialdesk bench-data` (1M claims), or a generated one.
    let given = std::env::var_os("DENIALDESK_BENCH_DB").map(std::path::PathBuf::from);
    let path = given.clone().unwrap_or_else(|| dir.path().join("db"));
    if given.is_none() {
        support::generated_store(&path, denials, 7, 1000);
    }
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let keymap = Keymap::new(false);
    let theme = Theme::new(false);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();

    team_first_frame(&path, today, &keymap, &theme);

    let rss_before = rss_mb();
    let start = Instant::now();
    let store = SledStore::open(&path).unwrap();
    let opened = start.elapsed();
    let rows = store.list_rows().unwrap();
    let rows_read = start.elapsed();
    let mut state = State::new("bench", today, false);
    update(&mut state, Outcome::ListLoaded(rows));
    terminal
        .draw(|f| ui::render(f, &state, &keymap, &theme))
        .unwrap();
    let first = start.elapsed();
    // Then, behind the first frame, the full items (the worker's second load).
    let items = store.work_items().unwrap();
    let days = store.adjudication_days().unwrap();
    update(&mut state, Outcome::Loaded(items));
    update(&mut state, Outcome::DaysLoaded(days));
    let complete = start.elapsed();
    // What the UI loop does once idle after the first frame (see `tui::run`).
    state.worklist.ensure_search_texts();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{} denials: store open {:.0} ms, list rows read {:.0} ms, first frame at {:.0} ms, \
         full items loaded at {:.0} ms",
        state.worklist.rows().len(),
        ms(opened),
        ms(rows_read),
        ms(first),
        ms(complete)
    );
    let rss_after = rss_mb();
    println!(
        "memory held: {:.0} MB RSS growth ≈ {:.2} KB per denial (store cache included)",
        rss_after - rss_before,
        (rss_after - rss_before) * 1024.0 / denials as f64
    );

    let mut key = |state: &mut State, msg: Msg| -> Duration {
        let t = Instant::now();
        update(state, msg);
        terminal
            .draw(|f| ui::render(f, state, &keymap, &theme))
            .unwrap();
        t.elapsed()
    };
    report(
        "move selection (j)",
        (0..200)
            .map(|_| key(&mut state, Intent::Down.into()))
            .collect(),
    );
    let mut filter = Vec::new();
    for _ in 0..10 {
        key(&mut state, Intent::StartFilter.into());
        for c in "co-1".chars() {
            filter.push(key(&mut state, Edit::Insert(c).into()));
        }
        for _ in 0..4 {
            filter.push(key(&mut state, Edit::DeleteBack.into()));
        }
        key(&mut state, Intent::Submit.into());
    }
    report("type a filter (per key)", filter);
    // A claim number that is there, and a name that is not (every row is scanned twice:
    // the queue, then all, to say whether it is elsewhere).
    for (label, query) in [
        ("search / and n, found", "los0000123"),
        ("search / and n, no match", "zzqx"),
    ] {
        let mut search = Vec::new();
        for _ in 0..10 {
            key(&mut state, Intent::StartSearch.into());
            for c in query.chars() {
                search.push(key(&mut state, Edit::Insert(c).into()));
            }
            search.push(key(&mut state, Intent::Submit.into()));
            for _ in 0..4 {
                search.push(key(&mut state, Intent::NextMatch.into()));
            }
        }
        report(label, search);
    }
    report(
        "change sort (s)",
        (0..20)
            .map(|_| key(&mut state, Intent::CycleSort.into()))
            .collect(),
    );
    report(
        "KPI pane (compute + draw)",
        (0..10)
            .map(|_| {
                let t = key(&mut state, Intent::ShowPane(Pane::Kpi).into());
                key(&mut state, Intent::ShowPane(Pane::Worklist).into());
                t
            })
            .collect(),
    );
    let claims: Vec<String> = state
        .worklist
        .rows()
        .iter()
        .take(500)
        // By the item's key: a CLP01 that two payers' claims share is ambiguous.
        .map(|i| i.key.to_string())
        .collect();
    let mut saves = Vec::new();
    for (n, claim) in claims.iter().enumerate() {
        let t = Instant::now();
        store
            .apply(
                claim,
                &WorkAction::AddNote(format!("bench {n}")),
                today,
                "bench",
            )
            .unwrap();
        saves.push(t.elapsed());
    }
    report("durable save (note, fsync'd)", saves);
    report(
        "switch queue (])",
        (0..16)
            .map(|_| key(&mut state, Intent::NextQueue.into()))
            .collect(),
    );
    println!(
        "peak RSS of the whole run (store, worklist, frames): {:.0} MB",
        status_mb("VmHWM:")
    );
}
