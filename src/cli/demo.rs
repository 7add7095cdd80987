//! `denialdesk demo` and `denialdesk gen-demo`.

use super::context::Context;
use crate::config;
use crate::demo::{self, anchor, CONTRACTS_CSV, PAYERS_TOML, ROUTING_TOML};
use crate::domain::money::format_dollars;
use crate::domain::payer_rules::PayerRules;
use crate::domain::row_order::SortKey;
use crate::domain::work_item::ItemKind;
use crate::domain::worklist::{select, Filter};
use crate::import::{import_source, BytesSource};
use crate::store::{MetaKey, SledStore, Store, WorkStore};
use crate::team::client::RemoteStore;
use anyhow::{bail, Context as _, Result};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

fn build(store: &SledStore, ctx: &Context) -> Result<()> {
    let mut rules = PayerRules::parse("demo-data/payers.toml", PAYERS_TOML)?;
    rules.routing = toml::from_str(ROUTING_TOML).context("demo-data/routing.toml")?;
    rules
        .routing
        .validate()
        .map_err(|e| anyhow::anyhow!("demo-data/routing.toml: {e}"))?;
    let contracts = crate::ingest::contracts_csv::parse("demo-data/contracts.csv", CONTRACTS_CSV)?;
    store.set_contracts(&contracts, &ctx.user)?;
    // Built into the binary: the generator is deterministic and tested equal to the
    // checked-in demo-data/, so an installed binary needs no source tree and no folder.
    let (files, from) = (demo::generate(), "built into the binary");
    // The files are dated around a fixed anchor; move them so the queue is live today.
    let shift = (ctx.today - anchor()).num_days();
    let (mut claims, mut denials, mut rejections, mut underpaid) = (0, 0, 0, 0);
    for file in &files {
        let report = import_source(
            store,
            &BytesSource(file.name.clone(), file.contents.as_bytes()),
            &rules,
            &ctx.user,
            shift,
        )?;
        claims += report.claims;
        denials += report.denials_opened;
        rejections += report.rejections_opened;
        underpaid += report.underpayments_opened;
    }
    let actions = demo::seed_activity(store, &rules, ctx.today, &ctx.user)?;
    let fixes = demo::seed_prevention(store, ctx.today, &ctx.user)?;
    store.set_meta(MetaKey::DemoDay, &ctx.today.to_string())?;
    println!(
        "demo database built at {} from {} files ({from}): {claims} claims, {denials} denials, {rejections} rejections, {underpaid} underpayments, {actions} team actions, {fixes} prevention items",
        store.path().display(),
        files.len()
    );
    Ok(())
}

fn reset(path: &Path) -> Result<()> {
    std::fs::remove_dir_all(path)
        .with_context(|| format!("cannot remove old demo database {}", path.display()))
}

/// Builds the demo database in this process, or reuses it when built today.
fn prepare(ctx: &Context, path: &Path, fresh: bool) -> Result<()> {
    let mut store = SledStore::open(path)?;
    match store.meta(MetaKey::DemoDay)? {
        Some(day) if day == ctx.today.to_string() && !fresh => {
            println!("reusing demo database {} (built today)", path.display());
        }
        Some(_) => {
            // A demo built on another day has stale dates: rebuild it for today.
            drop(store);
            reset(path)?;
            store = SledStore::open(path)?;
            build(&store, ctx)?;
        }
        None => {
            if !store.work_items()?.is_empty() || !store.audit_log()?.is_empty() {
                bail!(
                    "{} holds data but is not a demo database; refusing to touch it (use another --db)",
                    path.display()
                );
            }
            build(&store, ctx)?;
        }
    }
    Ok(())
}

pub fn run(ctx: &Context, fresh: bool) -> Result<()> {
    // DENIALDESK_DB names the real database: the demo only goes elsewhere when --db says so.
    let from_env = std::env::var_os("DENIALDESK_DB").map(PathBuf::from);
    let given = ctx
        .db_given
        .as_deref()
        .filter(|p| Some(p.to_path_buf()) != from_env);
    let path = config::database_path(given, &ctx.config, "demo")?;
    if RemoteStore::connect(&path).is_ok() {
        // A demo session is already up (its server lingers a minute): use it as it is.
        println!("reusing the running demo server for {}", path.display());
    } else {
        prepare(ctx, &path, fresh)?;
    }
    let store = ctx.store_at(&path)?;
    if std::io::stdout().is_terminal() {
        let live = ctx.live_at(&path);
        // The demo's own payers (appeal windows, addresses) unless a payers file is named.
        let named = ctx.payers_given.is_some() || ctx.config.payer_rules.is_some();
        let payers = (!named)
            .then(|| PayerRules::parse("demo-data/payers.toml", PAYERS_TOML))
            .transpose()?;
        return super::ui::run_with(ctx, store, live, payers, None);
    }
    let rows = select(
        store.work_items()?,
        &Filter {
            kind: Some(ItemKind::Denial),
            ..Filter::default()
        },
        SortKey::Priority,
        false,
        ctx.today,
    );
    let outstanding: i64 = rows.iter().map(|r| r.item.outstanding_cents()).sum();
    println!(
        "\n{} open denials, {} outstanding. Top of the worklist:\n",
        rows.len(),
        format_dollars(outstanding)
    );
    for row in rows.iter().take(15) {
        let i = &row.item;
        println!(
            "{:>3}  {:<10} {:<22} {:<14} {}",
            row.priority.score,
            i.claim_id,
            i.payer,
            i.carcs.join(","),
            row.priority.explanation
        );
    }
    println!(
        "\nTry: denialdesk --db {} list | show CLAIM | call CLAIM --rep … --ref … --outcome …",
        path.display()
    );
    Ok(())
}

/// Whether a demo-data file is X12 the demo imports (835, 999, 277).
fn is_demo_x12(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "835" || e == "277" || e == "999")
}

/// Writes the demo files into `out`, replacing any older X12 files there.
pub fn generate(out: &Path) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    for entry in std::fs::read_dir(out)? {
        let path = entry?.path();
        if is_demo_x12(&path) {
            std::fs::remove_file(&path)?;
        }
    }
    let files = demo::generate();
    for f in &files {
        write_replacing(&out.join(&f.name), f.contents.as_bytes())?;
    }
    println!("wrote {} files to {}", files.len(), out.display());
    Ok(())
}

/// `gen-demo --synthetic N`: one benchmark-size 835 of N claims.
pub fn generate_synthetic(out: &Path, claims: usize) -> Result<()> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let path = out.join(format!("synthetic-{claims}.835"));
    let text = crate::demo::synthetic_835(claims, 42);
    write_replacing(&path, text.as_bytes())?;
    println!("wrote {} ({} bytes)", path.display(), text.len());
    Ok(())
}

/// Writes `bytes` at `path` (mode 0644: synthetic data, no PHI) by renaming a new file
/// over it: whatever is at `path`, a symbolic link someone planted included, is replaced,
/// never written through (the folder may be a shared one such as /tmp).
fn write_replacing(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut file = tempfile::Builder::new()
        .prefix(".gen-demo.")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write a file in {}", dir.display()))?;
    file.write_all(bytes)?;
    file.as_file()
        .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    file.persist(path)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {}", path.display(), e.error))?;
    Ok(())
}
