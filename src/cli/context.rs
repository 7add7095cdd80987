//! What every subcommand needs: who is acting, today's date, the payer rules, and the store
//! (opened only by the commands that use it).

use super::Cli;
use crate::config::{self, ConfigFile};
use crate::domain::payer_rules::PayerRules;
use crate::identity::os_user;
use crate::store::read_only::{writable, ReadOnly};
use crate::store::{SledStore, Store, StoreError};
use crate::team::autostart::{connect_or_start, connect_or_start_for_worklist};
use crate::team::client::{RemoteStore, ServerAddress};
use crate::team::server::{serve, ServeOptions};
use anyhow::Result;
use chrono::NaiveDate;
use std::path::PathBuf;

/// A store as a command opened it.
pub enum Opened {
    /// Through a team server (the database folder's, or a team service).
    Team(RemoteStore),
    /// In this process.
    Here(Box<dyn Store + Send>),
}

pub struct Context {
    pub user: String,
    pub today: NaiveDate,
    pub db_given: Option<PathBuf>,
    pub payers_given: Option<PathBuf>,
    pub config: ConfigFile,
    pub readonly: bool,
    pub embedded: bool,
    /// A team service's socket to work through (`--server`, or the config file).
    pub server: Option<PathBuf>,
    /// `--quiet` / `--verbose`.
    pub verbosity: super::progress::Verbosity,
    /// The command reads the worklist first (the UI, `list`; set by the caller, which knows
    /// the command): an embedded open reads the rows beside the database meanwhile
    /// (`SledStore::open_for_worklist`).
    pub worklist_first: bool,
}

/// Seconds an auto-started team server stays up after its last client leaves.
const DEFAULT_SERVER_IDLE_SECS: u64 = 60;

impl Context {
    pub fn new(cli: &Cli) -> Result<Context> {
        let config = ConfigFile::load()?;
        // A broken routing rule stops imports (which route), not everyone's work.
        if let Err(e) = config.routing() {
            eprintln!(
                "warning: config file {}: {}: routing rules are off, and imports refuse to run until it is fixed",
                config::config_path().map_or_else(|| "config.toml".into(), |p| p.display().to_string()),
                crate::text::escape(&e)
            );
        }
        Ok(Context {
            user: os_user(),
            today: chrono::Local::now().date_naive(),
            db_given: cli.db.clone(),
            payers_given: cli.payers.clone(),
            readonly: cli.readonly,
            embedded: cli.embedded,
            server: super::sources::team_socket(cli, &config),
            verbosity: super::progress::Verbosity {
                quiet: cli.quiet,
                verbose: cli.verbose,
            },
            worklist_first: false,
            config,
        })
    }

    /// The working database's folder.
    pub fn db_path(&self) -> Result<PathBuf> {
        config::database_path(self.db_given.as_deref(), &self.config, "db")
    }

    /// Opens the working database: through its team server (started if needed), or in
    /// this process with `--embedded`.
    pub fn store(&self) -> Result<Box<dyn Store + Send>> {
        Ok(self.wrap(self.opened()?))
    }

    /// Where this command's store is, before `--readonly` wraps it: `import` sends files
    /// to a team server as they are (see `team::server_import`).
    pub fn opened(&self) -> Result<Opened> {
        let Some(socket) = &self.server else {
            return self.open_at(&self.db_path()?);
        };
        if self.embedded {
            anyhow::bail!("--embedded opens a database folder; with a team service (--server or server_socket) there is none to open");
        }
        match RemoteStore::connect_socket(socket) {
            Ok(store) => Ok(Opened::Team(store)),
            Err(StoreError::Remote(e)) => anyhow::bail!("{e}"),
            Err(e) => anyhow::bail!(
                "cannot reach the team service at {}: {e} ({})",
                socket.display(),
                if matches!(&e, StoreError::Connection(m) if m.contains("ermission denied")) {
                    "you may not use this socket: ask your admin to add you to the service's group"
                } else {
                    "is it running? ask your admin"
                }
            ),
        }
    }

    /// The store an import writes to: under `--readonly`, the wrapped store that refuses.
    pub fn importer(&self) -> Result<Opened> {
        if self.readonly {
            return Ok(Opened::Here(self.store()?));
        }
        self.opened()
    }

    fn wrap(&self, opened: Opened) -> Box<dyn Store + Send> {
        let store: Box<dyn Store + Send> = match opened {
            Opened::Team(store) => Box::new(store),
            Opened::Here(store) => store,
        };
        if self.readonly {
            Box::new(ReadOnly(store))
        } else {
            store
        }
    }

    /// Seconds an auto-started team server lingers after its last client.
    pub fn server_idle_secs(&self) -> u64 {
        self.config
            .server_idle_secs
            .unwrap_or(DEFAULT_SERVER_IDLE_SECS)
    }

    /// The team server that brings teammates' saves into the UI, if any.
    pub fn live(&self) -> Result<Option<ServerAddress>> {
        if let Some(socket) = &self.server {
            return Ok(Some(ServerAddress::Service(socket.clone())));
        }
        Ok(self.live_at(&self.db_path()?))
    }

    /// As `live`, for the database folder `path`: none when it is opened in this process
    /// (`--embedded`, or a read-only copy).
    pub fn live_at(&self, path: &std::path::Path) -> Option<ServerAddress> {
        (!self.embedded && !self.reads_a_copy(path))
            .then(|| ServerAddress::Database(path.to_path_buf()))
    }

    /// `--readonly` on a database this user cannot write (a read-only filesystem), with
    /// no server to ask: it is read from a private copy (see `SledStore::open_copy`).
    fn reads_a_copy(&self, path: &std::path::Path) -> bool {
        self.readonly && path.is_dir() && !writable(path) && RemoteStore::connect(path).is_err()
    }

    pub fn store_at(&self, path: &std::path::Path) -> Result<Box<dyn Store + Send>> {
        Ok(self.wrap(self.open_at(path)?))
    }

    fn open_at(&self, path: &std::path::Path) -> Result<Opened> {
        say_if_new_and_shared(path);
        // A database this user cannot write (a read-only filesystem, a folder shared
        // read-only) can still be looked at and backed up, from a private copy, unless a
        // server is there to ask.
        if self.reads_a_copy(path) {
            return Ok(Opened::Here(Box::new(SledStore::open_copy(path)?)));
        }
        if self.embedded {
            if RemoteStore::connect(path).is_ok() {
                anyhow::bail!(
                    "a denialdesk server holds {}; run without --embedded to go through it",
                    path.display()
                );
            }
            let store = if self.worklist_first {
                SledStore::open_for_worklist(path)?
            } else {
                SledStore::open(path)?
            };
            return Ok(Opened::Here(Box::new(store)));
        }
        let idle = self.server_idle_secs();
        let connected = if self.worklist_first {
            connect_or_start_for_worklist(path, idle)
        } else {
            connect_or_start(path, idle)
        };
        match connected {
            Ok(store) => Ok(Opened::Team(store)),
            Err(StoreError::Connection(e) | StoreError::Remote(e)) => anyhow::bail!("{e}"),
            Err(e) => Err(e.into()),
        }
    }

    /// `denialdesk serve`.
    pub fn serve(
        &self,
        idle_exit: Option<u64>,
        socket: Option<PathBuf>,
        limits: crate::store::import_gate::WriteLimits,
    ) -> Result<()> {
        serve(
            &self.db_path()?,
            ServeOptions {
                socket,
                idle: idle_exit.map(std::time::Duration::from_secs),
                allowed_users: self.config.allowed_users.clone().unwrap_or_default(),
                allowed_groups: self.config.allowed_groups.clone().unwrap_or_default(),
                limits,
            },
        )
    }

    pub fn payer_rules(&self) -> Result<PayerRules> {
        config::payer_rules(self.payers_given.as_deref(), &self.config)
    }
}

/// A database about to be created in a team folder (the setgid bit and a group, perhaps
/// set by someone else at a path you chose) is shared with that group: say so before
/// anything is written, so nobody shares PHI without knowing.
pub fn say_if_new_and_shared(path: &std::path::Path) {
    use crate::store::permissions::{access_for, Access};
    use std::os::unix::fs::MetadataExt;
    let new = !path.join("db").exists();
    if new && access_for(path) == Access::Group {
        let gid = std::fs::metadata(path).map(|m| m.gid()).unwrap_or(0);
        let owner = std::fs::metadata(path).map(|m| m.uid()).unwrap_or(0);
        eprintln!(
            "note: {} is a team folder (group {}, made by {}): everyone in that group can read and change the database created in it; for a personal one, choose a folder of your own",
            crate::text::escape(&path.display().to_string()),
            crate::identity::group_name(gid),
            crate::identity::user_name(owner)
        );
    }
}
