//! The command line's definition (clap): the global options and every subcommand, with
//! the help text `--help`, the man pages and the completions are generated from.

use super::{actions, appeals, checklist, letter, list, prevent, report, shell, sources};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Claim denial worklist: import 835 remittances, rank denials, log the work.
#[derive(Debug, Parser)]
#[command(name = "denialdesk", version = shell::version_text(), about)]
pub struct Cli {
    /// Database folder (default: the user's data folder, or `db` in the config file).
    #[arg(long, global = true, env = "DENIALDESK_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Payer rules TOML (appeal windows, timely filing, response times, contacts); see demo-data/payers.toml.
    #[arg(long, global = true, env = "DENIALDESK_PAYERS", value_name = "PATH")]
    pub payers: Option<PathBuf>,
    /// Look without changing anything: every change (a key in the UI, a command) is
    /// refused by name; a database you cannot write (a read-only filesystem) is read from
    /// a private copy, so it can still be listed and backed up.
    #[arg(long, global = true)]
    pub readonly: bool,
    /// Open the database in this process instead of through the team server (scripts,
    /// tests, a single user); refused while a server holds the database.
    #[arg(long, global = true)]
    pub embedded: bool,
    /// Work through the team service listening on SOCKET (`serve --socket`, set up by an
    /// admin) instead of a database folder: this process never opens the database's
    /// files (default: `server_socket` in the config file, unless --db is given).
    #[arg(long, global = true, env = "DENIALDESK_SERVER", value_name = "SOCKET")]
    pub server: Option<PathBuf>,
    /// No progress bars and no notes on stderr (errors are still said).
    #[arg(long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// More detail as it works: one line per transaction set imported.
    #[arg(long, global = true)]
    pub verbose: bool,
    /// Open the worklist UI on this saved view (`[[view]]` in the config file); `list
    /// --view NAME` prints it.
    #[arg(long, value_name = "NAME")]
    pub view: Option<String>,
    /// Without a command, open the worklist UI.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Where --db, --payers and --server came from (a flag or the environment), for
    /// `config`; filled in from the parsed command line (`parse_with_sources`).
    #[arg(skip)]
    pub sources: sources::Sources,
}

impl Cli {
    /// Parses the process's command line (exiting with clap's message and code 2 on a
    /// usage error), remembering where each option came from.
    pub fn parse_with_sources() -> Cli {
        use clap::{CommandFactory, FromArgMatches};
        let matches = Cli::command().get_matches();
        let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
        cli.sources = sources::Sources::from_matches(&matches);
        cli
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import X12 files, detected by content: 835 remittances, 999/997 batch
    /// acknowledgments, 277CA claim acknowledgments (rejections) and 277 claim status
    /// responses; each file is all-or-nothing.
    Import {
        /// The files (one file may hold several interchanges and kinds).
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Print the worklist (open denials, highest priority first).
    List(list::ListArgs),
    /// The claim batches 999/997 acknowledgments (and 277CA whole-group rejections)
    /// answered: open rejected ones first, with each segment and element in error.
    Batches {
        /// Every batch, accepted and resolved ones too (default: open rejected ones).
        #[arg(long)]
        all: bool,
        /// Mark this rejected batch (its control number) fixed and sent again; needs
        /// --reason.
        #[arg(long, value_name = "BATCH", requires = "reason")]
        resolve: Option<String>,
        /// What was done about the batch (audited).
        #[arg(long)]
        reason: Option<String>,
        /// JSON (one object per batch) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Contract rates (expected reimbursement): `contracts import FILE.csv` replaces
    /// them (audited), `contracts list` shows them. Each 835 imported after is compared
    /// with them: lines paid below open underpayments (`list --kind underpayment`).
    Contracts {
        /// What to do with the contracts.
        #[command(subcommand)]
        action: ContractsCommand,
    },
    /// Prevention: operational fixes for denial patterns (a root cause with an owner, a
    /// due date and an action), and whether they worked: the cause's denial rate and
    /// denied dollars in equal periods before and after each started.
    Prevent {
        /// What to do.
        #[command(subcommand)]
        action: prevent::PreventCommand,
    },
    /// Routing rules (`[[route]]` in the config file): `rules check` shows which rule
    /// each open work item would match, first match wins.
    Rules {
        /// What to do with the rules.
        #[command(subcommand)]
        action: RulesCommand,
    },
    /// Show one claim: lines, adjustments with CARC/RARC meaning, work item and timeline.
    Show {
        /// The claim: its key, its CLP01, or CLP01@N when several claims share one.
        claim: String,
        /// JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Log a payer call.
    Call(actions::CallArgs),
    /// Set the follow-up date (2026-12-01, +7, +2w, today, tomorrow, mon…; `none` clears).
    FollowUp {
        /// The claim: its key, its CLP01, or CLP01@N when several claims share one.
        claim: String,
        /// The date, or `none`.
        date: String,
    },
    /// Change the status (new, in-progress, resubmitted, awaiting-payer, paid,
    /// partially-paid, upheld, final-upheld, written-off; written-off and final-upheld
    /// need --reason). Appealed comes from `appeal`, and upheld while an appeal is open
    /// from `appeal-outcome`; `upheld` is shown `upheld-l1` … while a higher level is open.
    /// A rejection moves to in-progress, resubmitted or written-off; `accepted` comes from
    /// an accepted 277CA or the claim's 835.
    Status {
        /// The claim: its key, its CLP01, or CLP01@N when several claims share one.
        claim: String,
        /// The new status.
        status: String,
        /// Why (required for written-off).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Assign to a user (`me` for yourself, `nobody` to unassign).
    Assign {
        /// The claim: its key, its CLP01, or CLP01@N when several claims share one.
        claim: String,
        /// The user name, `me` or `nobody`.
        user: String,
    },
    /// Record an appeal sent to the payer (moves the claim to appealed); --correct or
    /// --withdraw supersede a mistaken record (audited, nothing deleted).
    Appeal(appeals::AppealArgs),
    /// Record the payer's decision on the open appeal: overturned, partial or upheld
    /// (upheld opens the next level, or is final at the last); --correct supersedes a
    /// mistaken decision.
    AppealOutcome(appeals::OutcomeArgs),
    /// Write an appeal letter (a payment dispute for an underpayment) from a template
    /// with the claim's data merged: printed, or to a new --out FILE.txt or .pdf (0600).
    /// One with [bracketed] parts left is a draft; --text EDITED.txt --out FILE.pdf makes
    /// the letter to send. Recorded on the timeline and in the audit log.
    Letter(letter::LetterArgs),
    /// The appeal packet's checklist for a claim: the documents the payer expects for
    /// the denial's category and the level, each checked off with where it is (--check
    /// "2=faxed 2026-12-02"); an appeal is not recorded with required ones missing unless
    /// `appeal --sent-without REASON` says why.
    Checklist(checklist::ChecklistArgs),
    /// Add a note to the claim's timeline.
    Note {
        /// The claim: its key, its CLP01, or CLP01@N when several claims share one.
        claim: String,
        /// The note (the words are joined with spaces).
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
    /// Print the audit log (who changed what, when).
    Audit {
        /// Only entries about this claim (its key, CLP01@N, or a CLP01 for every claim
        /// sharing it), the imported set's entry that opened it included, shown as its own.
        #[arg(long)]
        claim: Option<String>,
        /// JSON lines instead of text.
        #[arg(long)]
        json: bool,
    },
    /// KPI report for managers (text, CSV or JSON); definitions in --help.
    Report(report::ReportArgs),
    /// Export every work item with all fields (CSV or JSON) for a spreadsheet or BI tool.
    Export {
        /// csv or json.
        #[arg(long, default_value = "csv")]
        format: String,
    },
    /// Build (or reuse) a demo database from demo-data/ and open it (prints the worklist
    /// when not on a terminal).
    Demo {
        /// Rebuild the demo database even if it was built today.
        #[arg(long)]
        fresh: bool,
    },
    /// Run the team server for the database in the foreground; clients otherwise start
    /// one on demand. Auto-started, the database folder is the boundary: its owner, or
    /// the group of a team folder (who can read its files anyway), so an allow-list is
    /// refused there. With --socket it is a team service: an owner-only database reached
    /// only through the socket, by the allow-list in this account's config file.
    Serve {
        /// Exit this many seconds after the last client leaves (auto-started servers).
        #[arg(long, value_name = "SECONDS")]
        idle_exit: Option<u64>,
        /// Roll back a file import that sends nothing for this long (a client suspended
        /// or gone mid-file), so teammates' saves can go on.
        #[arg(long, value_name = "SECONDS", default_value_t = 30)]
        import_lease: u64,
        /// The longest a save, import or backup waits for a running import before it
        /// answers "busy, nothing saved".
        #[arg(long, value_name = "SECONDS", default_value_t = 10)]
        write_wait: u64,
        /// Service mode: listen on SOCKET (in a folder clients can reach) for a database
        /// that only this account can open (an owner-only folder); the config file's
        /// allow-list (required here) says who may connect. See README, Security model.
        #[arg(long, value_name = "SOCKET")]
        socket: Option<PathBuf>,
    },
    /// Write a backup of everything (claims, work items, timelines, audit log) to FILE: a
    /// consistent, portable JSON-lines export, taken while others keep working.
    Backup {
        /// Where to write it (created owner-only; an existing file must be yours).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Print the shell completion script: bash, zsh, fish, elvish or powershell (README,
    /// "Install on a jump host", says where each goes).
    Completions {
        /// The shell.
        #[arg(value_parser = shell::SHELLS)]
        shell: String,
    },
    /// The settings in effect, each with where it came from (default, file, environment,
    /// flag); --default prints the commented default config file (every option).
    Config {
        /// Print the default config file, every option commented out.
        #[arg(long)]
        default: bool,
        /// JSON ({config_file, config_file_found, settings: [{key, value, source, via}]}).
        #[arg(long, conflicts_with = "default")]
        json: bool,
    },
    /// The keys in effect, every intent by its keymap name: the defaults, with the preset
    /// and keymap.toml (in the config folder, or DENIALDESK_KEYMAP) over them. Mistakes in
    /// the file are listed with their line, and the exit code is 1.
    Keys,
    /// Write the man pages (denialdesk.1 and one per command) into a folder.
    Man {
        /// The folder (created if needed), e.g. /usr/local/share/man/man1.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Rebuild a database from a backup into a new folder: `restore FILE --db NEW`.
    Restore {
        /// The backup to read.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Build a synthetic database at scale for benchmarks (into a new --db folder). A
    /// developer command (BENCHMARKS.md), hidden from --help.
    #[command(hide = true)]
    BenchData {
        /// How many claims.
        #[arg(long, default_value_t = 1_000_000)]
        claims: usize,
        /// Claims denied per thousand (120: ~120,000 denials in a million claims).
        #[arg(long, default_value_t = 120)]
        denials_per_mille: u32,
        /// Contract rates to load first (`contracts import` format), so the import also
        /// prices every paid line against them.
        #[arg(long, value_name = "FILE.csv")]
        contracts: Option<PathBuf>,
    },
    /// Values for shell completion: open claims' ids or users starting with PREFIX
    /// (`claims|users PREFIX`, as the bash, zsh and fish scripts ask), or for the word
    /// being typed on a command line (`line --typing=WORD -- WORDS…`, as the elvish and
    /// PowerShell scripts ask; exit 4 where it is not a claim or a user). Hidden from
    /// --help.
    #[command(hide = true)]
    CompleteValues {
        /// claims, users or line.
        kind: String,
        /// claims|users: what has been typed of the word; line: the words before the
        /// cursor, the command's name first.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        words: Vec<String>,
        /// line: the word being typed (as `--typing=WORD`, so an empty one is never
        /// dropped by a shell).
        #[arg(long, default_value = "")]
        typing: String,
    },
    /// Regenerate the synthetic demo-data/*.835 files (deterministic). A developer
    /// command, hidden from --help.
    #[command(hide = true)]
    GenDemo {
        /// The folder to write them to.
        #[arg(long, default_value = "demo-data")]
        out: PathBuf,
        /// Instead, write one synthetic 835 of N claims (1,000 per transaction set, one
        /// payer, its usual denial rate) into --out as `synthetic-N.835`: the file the
        /// import benchmarks in BENCHMARKS.md use.
        #[arg(long, value_name = "N")]
        synthetic: Option<usize>,
    },
}

/// `denialdesk contracts …`.
#[derive(Debug, Subcommand)]
pub enum ContractsCommand {
    /// Replaces the contract rows with a CSV file's: a header with payer, procedure,
    /// modifier, allowed, effective_from, effective_to (and optionally place_of_service,
    /// revenue_code); a bad line is named with its column and nothing is stored.
    Import {
        /// The CSV file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// The contract rows in force.
    List {
        /// JSON (one object per row) instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// `denialdesk rules …`.
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Every open work item with the rule that would route it and what it would do.
    Check {
        /// JSON (one object per item) instead of a table.
        #[arg(long)]
        json: bool,
        /// Only the items some rule matches.
        #[arg(long)]
        matched: bool,
    },
}
