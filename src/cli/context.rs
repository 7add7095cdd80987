//! What every subcommand needs: who is acting, today's date, the payer rules, and the store
//! (opened only by the commands that use it).

use super::Cli;
use crate::config::{self, ConfigFile};
use crate::domain::payer_rules::PayerRules;
use crate::identity::os_user;
use crate::store::SledStore;
use anyhow::Result;
use chrono::NaiveDate;
use std::path::PathBuf;

pub struct Context {
    pub user: String,
    pub today: NaiveDate,
    pub db_given: Option<PathBuf>,
    pub payers_given: Option<PathBuf>,
    pub config: ConfigFile,
    pub readonly: bool,
}

impl Context {
    pub fn new(cli: &Cli) -> Result<Context> {
        Ok(Context {
            user: os_user(),
            today: chrono::Local::now().date_naive(),
            db_given: cli.db.clone(),
            payers_given: cli.payers.clone(),
            config: ConfigFile::load()?,
            readonly: cli.readonly,
        })
    }

    /// Opens the working database.
    pub fn store(&self) -> Result<SledStore> {
        let path = config::database_path(self.db_given.as_deref(), &self.config, "db")?;
        Ok(SledStore::open(&path)?)
    }

    pub fn payer_rules(&self) -> Result<PayerRules> {
        config::payer_rules(self.payers_given.as_deref(), &self.config)
    }
}
