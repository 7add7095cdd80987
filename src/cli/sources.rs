//! Where a command's database, payer rules and team service come from: each option's
//! source (a flag, its environment variable, or neither) read off the parsed command line,
//! and the precedence that picks the team service. `config` reports them (`settings`).

use crate::config::ConfigFile;
use clap::parser::ValueSource;
use clap::ArgMatches;

/// How a command-line option was given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Given {
    /// Not given.
    #[default]
    No,
    /// On the command line.
    Flag,
    /// By its environment variable.
    Env,
}

/// Where the options that have a config-file twin came from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sources {
    /// `--db` / `DENIALDESK_DB`.
    pub db: Given,
    /// `--payers` / `DENIALDESK_PAYERS`.
    pub payers: Given,
    /// `--server` / `DENIALDESK_SERVER`.
    pub server: Given,
}

impl Sources {
    /// Reads them from the parsed command line.
    pub fn from_matches(matches: &ArgMatches) -> Sources {
        let given = |id: &str| match matches.value_source(id) {
            Some(ValueSource::CommandLine) => Given::Flag,
            Some(ValueSource::EnvVariable) => Given::Env,
            _ => Given::No,
        };
        Sources {
            db: given("db"),
            payers: given("payers"),
            server: given("server"),
        }
    }
}

/// The team service a command works through. What is typed for the command wins: a
/// `--server` flag, then a `--db` flag (no service: a specialist whose config points at
/// the team service still opens a restored copy by its folder); then the environment's
/// `DENIALDESK_SERVER`; then the config file's `server_socket`. `DENIALDESK_DB` alone does
/// not set a configured service aside: an admin may export it host-wide.
pub fn team_socket(cli: &super::Cli, config: &ConfigFile) -> Option<std::path::PathBuf> {
    match (cli.sources.server, cli.sources.db) {
        (Given::Flag, _) => cli.server.clone(),
        (_, Given::Flag) => None,
        (Given::Env, _) => cli.server.clone(),
        (Given::No, _) => config.server_socket.clone(),
    }
}
