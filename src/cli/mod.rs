//! The command line: clap definitions and one small function per subcommand.

mod actions;
mod appeals;
mod args;
mod backup;
mod bench_data;
mod checklist;
mod complete;
mod completion_scripts;
mod context;
mod contracts;
mod demo;
pub mod exit;
mod import;
pub mod json_contract;
mod letter;
mod list;
mod list_table;
mod prevent;
mod progress;
mod report;
mod rules;
mod settings;
mod shell;
mod show;
mod sources;
mod ui;

use anyhow::Result;
pub use args::{Cli, Command, ContractsCommand, RulesCommand};

/// Reads a date option, naming the option in the error ("--due: \"31/12\" is not a date…").
fn date_arg(option: &str, text: &str, today: chrono::NaiveDate) -> Result<chrono::NaiveDate> {
    crate::domain::dates::parse_date(text, today).map_err(|e| anyhow::anyhow!("{option}: {e}"))
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    // Installing completions or man pages needs no config and no database.
    match &cli.command {
        Some(Command::Completions { shell }) => return shell::completions(shell),
        Some(Command::Man { out }) => {
            let n = shell::man_pages(out)?;
            println!("done: {n} man pages written to {}", out.display());
            return Ok(());
        }
        Some(Command::Keys) => return shell::keys(cli.readonly),
        Some(Command::Config { default, json }) => return settings::run(&cli, *default, *json),
        _ => {}
    }
    if cli.view.is_some() && cli.command.is_some() {
        return Err(exit::Usage(
            "--view opens the worklist on a saved view; to print one, use `denialdesk list --view NAME`".into(),
        )
        .into());
    }
    let mut ctx = context::Context::new(&cli)?;
    ctx.worklist_first = matches!(cli.command, None | Some(Command::List(_)));
    progress::show_migrations(ctx.verbosity);
    let Some(command) = cli.command else {
        let store = ctx.store()?;
        let live = ctx.live()?;
        return ui::run(&ctx, store, live, cli.view.as_deref());
    };
    match command {
        Command::Import { files } => import::run(&ctx, &files),
        Command::List(args) => list::run(&ctx, &args),
        Command::Batches {
            resolve: Some(batch),
            reason,
            ..
        } => import::resolve_batch(&ctx, &batch, reason.as_deref().unwrap_or("")),
        Command::Batches { all, json, .. } => import::batches(&ctx, all, json),
        Command::Contracts {
            action: ContractsCommand::Import { file },
        } => contracts::import(&ctx, &file),
        Command::Contracts {
            action: ContractsCommand::List { json },
        } => contracts::list(&ctx, json),
        Command::Rules {
            action: RulesCommand::Check { json, matched },
        } => rules::check(&ctx, json, matched),
        Command::Show { claim, json } => show::run(&ctx, &claim, json),
        Command::Call(args) => actions::call(&ctx, args),
        Command::FollowUp { claim, date } => actions::follow_up(&ctx, &claim, &date),
        Command::Status {
            claim,
            status,
            reason,
        } => actions::status(&ctx, &claim, &status, reason),
        Command::Assign { claim, user } => actions::assign(&ctx, &claim, &user),
        Command::Appeal(args) => appeals::appeal(&ctx, args),
        Command::AppealOutcome(args) => appeals::appeal_outcome(&ctx, args),
        Command::Note { claim, text } => actions::note(&ctx, &claim, &text.join(" ")),
        Command::Letter(args) => letter::run(&ctx, &args),
        Command::Checklist(args) => checklist::run(&ctx, &args),
        // Answered above, before any config is read.
        Command::Completions { .. }
        | Command::Man { .. }
        | Command::Keys
        | Command::Config { .. } => Ok(()),
        Command::Prevent { action } => prevent::run(&ctx, &action),
        Command::Audit { claim, json } => actions::audit(&ctx, claim.as_deref(), json),
        Command::Report(args) => report::run(&ctx, &args),
        Command::Export { format } => report::export(&ctx, &format),
        Command::Demo { fresh } => demo::run(&ctx, fresh),
        Command::GenDemo { out, synthetic } => match synthetic {
            Some(claims) => demo::generate_synthetic(&out, claims),
            None => demo::generate(&out),
        },
        Command::Serve {
            idle_exit,
            import_lease,
            write_wait,
            socket,
        } => ctx.serve(
            idle_exit,
            socket,
            crate::store::import_gate::WriteLimits {
                wait: std::time::Duration::from_secs(write_wait),
                lease: std::time::Duration::from_secs(import_lease.max(1)),
            },
        ),
        Command::Backup { file } => backup::backup(&ctx, &file),
        Command::BenchData {
            claims,
            denials_per_mille,
            contracts,
        } => bench_data::run(&ctx, claims, denials_per_mille, contracts.as_deref()),
        Command::Restore { file } => backup::restore(&ctx, &file),
        Command::CompleteValues {
            kind,
            words,
            typing,
        } => match kind.as_str() {
            "line" => complete::line(&ctx, &words, &typing),
            _ => complete::values(&ctx, &kind, words.first().map_or("", String::as_str)),
        },
    }
}
