//! Where things live: the database and the payer-rules file, from the command line, the
//! environment, the user's config file, or the platform's data folder, in that order.

use crate::domain::contract::Tolerance;
use crate::domain::money::parse_cents;
use crate::domain::payer_rules::PayerRules;
use anyhow::{anyhow, Context, Result};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The optional config file (`denialdesk/config.toml` in the user's config folder).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Database folder.
    pub db: Option<PathBuf>,
    /// Payer rules TOML.
    pub payer_rules: Option<PathBuf>,
    /// Minutes without a key before the UI hides PHI (default 10; 0 never).
    pub idle_minutes: Option<u64>,
    /// Seconds an auto-started team server lingers after its last client (default 60).
    pub server_idle_secs: Option<u64>,
    /// Users a team service accepts (with `allowed_groups`); honoured only by `serve
    /// --socket`, refused elsewhere (in a team folder the group is the boundary).
    pub allowed_users: Option<Vec<String>>,
    /// Groups whose members a team service accepts.
    pub allowed_groups: Option<Vec<String>>,
    /// A team service's socket (`serve --socket`) to work through instead of a database
    /// folder (as `--server`).
    pub server_socket: Option<PathBuf>,
    /// Days without an 835 or a 277 after which a claim with the payer is in the
    /// no-response queue (default 30).
    pub no_response_days: Option<u32>,
    /// Routing rules for new work items (`[[route]]`), first match wins. Read as they are
    /// and checked by `routing()`: a mistake in one stops imports, not everyone's work.
    #[serde(default)]
    pub route: Vec<toml::Value>,
    /// Teams routing rules may name (`[teams]`).
    #[serde(default)]
    pub teams: toml::Table,
    /// The practice's letterhead for appeal letters, first line its name.
    pub letterhead: Option<Vec<String>>,
    /// How far below the contract a paid line may be before it is an underpayment
    /// (`[underpayment]`: `tolerance = "1.00"`, `tolerance_percent = "2"`).
    pub underpayment: Option<UnderpaymentConfig>,
    /// The documents an appeal needs, by denial category and level (`[[checklist]]`),
    /// over the built-in lists.
    #[serde(default)]
    pub checklist: Vec<crate::domain::packet::checklist::ChecklistRule>,
    /// Saved views (`[[view]]`): named queues with a filter, a sort and columns, shown as
    /// extra worklist tabs and opened with `--view NAME`. Checked by `views()`.
    #[serde(default)]
    pub view: Vec<toml::Value>,
    /// Style overrides (`[theme]`: `danger = "light-red bold"`); `NO_COLOR` wins.
    #[serde(default)]
    pub theme: std::collections::BTreeMap<String, String>,
}

/// The `[underpayment]` table of the config file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnderpaymentConfig {
    /// Dollars (default "1.00").
    pub tolerance: Option<toml::Value>,
    /// Percent of the expected amount (default "2").
    pub tolerance_percent: Option<toml::Value>,
}

impl UnderpaymentConfig {
    /// The tolerance it sets, checked: an amount like "1.00" up to $1,000, a percent like
    /// "2" or "2.5" up to 100.
    pub fn tolerance(&self) -> Result<Tolerance, String> {
        let mut t = Tolerance::default();
        let read = |v: &toml::Value, what: &str, max: i64| -> Result<i64, String> {
            let text = match v {
                toml::Value::String(s) => s.clone(),
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Float(f) => f.to_string(),
                _ => {
                    return Err(format!(
                        "[underpayment] {what}: expected a number like \"2.50\""
                    ))
                }
            };
            // Percent with two decimals reads as basis points, as dollars read as cents.
            let n = parse_cents(text.trim()).map_err(|e| format!("[underpayment] {what}: {e}"))?;
            if !(0..=max).contains(&n) {
                return Err(format!("[underpayment] {what}: {text} is out of range"));
            }
            Ok(n)
        };
        if let Some(v) = &self.tolerance {
            t.cents = read(v, "tolerance", 100_000)?;
        }
        if let Some(v) = &self.tolerance_percent {
            t.basis_points = read(v, "tolerance_percent", 10_000)?;
        }
        Ok(t)
    }
}

/// The commented default config file (`denialdesk config --default`): every option with
/// its default, the one documented place for them.
pub const DEFAULT_FILE: &str = include_str!("config_default.toml");

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "denialdesk")
}

/// The folder of the user's own letter templates (`templates/` in the config folder).
pub fn templates_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("templates"))
}

/// Where the claim pane writes letters (`letters/` in the user's data folder).
pub fn letters_dir() -> Option<PathBuf> {
    project_dirs().map(|d| d.data_dir().join("letters"))
}

/// The keymap file's path, whether or not it exists: `DENIALDESK_KEYMAP`, else
/// `keymap.toml` in the config folder.
pub fn keymap_path() -> Option<PathBuf> {
    match std::env::var_os("DENIALDESK_KEYMAP") {
        Some(p) if !p.is_empty() => Some(PathBuf::from(p)),
        _ => project_dirs().map(|d| d.config_dir().join("keymap.toml")),
    }
}

/// The keys: the defaults, or keymap.toml's over them, with what was wrong with the file.
pub fn keymap(readonly: bool) -> (crate::keymap::Keymap, Vec<String>) {
    match keymap_path() {
        Some(path) => crate::keymap::Keymap::load(&path, readonly),
        None => (crate::keymap::Keymap::new(readonly), vec![]),
    }
}

/// The config file's path, whether or not it exists.
pub fn config_path() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

impl ConfigFile {
    /// Reads the config file if there is one; a broken file is an error naming its line.
    pub fn load() -> Result<ConfigFile> {
        let Some(path) = config_path().filter(|p| p.exists()) else {
            return Ok(ConfigFile::default());
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        let config: ConfigFile = toml::from_str(&text).map_err(|e| {
            anyhow!(
                "config file {}: {}",
                path.display(),
                e.to_string().trim_end()
            )
        })?;
        if let Some(Err(e)) = config.underpayment.as_ref().map(|u| u.tolerance()) {
            return Err(anyhow!("config file {}: {e}", path.display()));
        }
        if let Err(e) = config.checklists().validate() {
            return Err(anyhow!("config file {}: {e}", path.display()));
        }
        if let Err(e) = config.theme(false) {
            return Err(anyhow!("config file {}: {e}", path.display()));
        }
        if let Err(e) = config.views() {
            return Err(anyhow!("config file {}: {e}", path.display()));
        }
        if config.no_response_days.is_some_and(|d| d == 0 || d > 3650) {
            return Err(anyhow!(
                "config file {}: no_response_days must be between 1 and 3650",
                path.display()
            ));
        }
        Ok(config)
    }

    /// The underpayment tolerance (`[underpayment]`, checked by `load`), else the default.
    pub fn underpayment_tolerance(&self) -> Tolerance {
        self.underpayment
            .as_ref()
            .and_then(|u| u.tolerance().ok())
            .unwrap_or_default()
    }

    /// The appeal checklists (`[[checklist]]`, checked by `load`) over the built-ins.
    pub fn checklists(&self) -> crate::domain::packet::Checklists {
        crate::domain::packet::Checklists {
            rules: self.checklist.clone(),
        }
    }

    /// The screen's styles: the 16-colour default with `[theme]` over it (checked by
    /// `load`), or the colourless one under `NO_COLOR`.
    pub fn theme(&self, no_color: bool) -> Result<crate::ui::theme::Theme, String> {
        let overrides: Vec<(String, String)> = self
            .theme
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        crate::ui::theme::Theme::themed(no_color, &overrides)
    }

    /// The saved views (`[[view]]`, checked by `load`).
    pub fn views(&self) -> Result<Vec<crate::domain::saved_view::SavedView>, String> {
        crate::domain::saved_view::SavedView::read_all(&self.view)
    }

    /// Days without an answer that put a claim with the payer in the no-response queue.
    pub fn no_response_days(&self) -> i64 {
        self.no_response_days
            .map_or(crate::domain::queue::DEFAULT_NO_RESPONSE_DAYS, i64::from)
    }

    /// The routing rules and teams the file gives, checked: an unknown key, category or
    /// team, a bad user name, amount or follow-up is an error naming the rule.
    pub fn routing(&self) -> Result<crate::domain::routing::Routing, String> {
        use crate::domain::routing::{Route, Routing, Team};
        let mut routes = Vec::new();
        for (n, value) in self.route.iter().enumerate() {
            let name = value
                .get("name")
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string();
            let route: Route = value.clone().try_into().map_err(|e: toml::de::Error| {
                format!("route {} ({name:?}): {}", n + 1, e.message().trim_end())
            })?;
            routes.push(route);
        }
        let mut teams = std::collections::BTreeMap::new();
        for (name, value) in &self.teams {
            let team: Team = value.clone().try_into().map_err(|_| {
                format!("team {name:?}: give a list of users, or {{ members = [...], pick = \"round-robin\" or \"least-loaded\" }}")
            })?;
            teams.insert(name.clone(), team);
        }
        let routing = Routing { routes, teams };
        routing.validate()?;
        Ok(routing)
    }
}

/// The database folder: `--db`/`DENIALDESK_DB` (given), else the config file, else the
/// platform data folder (`~/.local/share/denialdesk/db` on Linux).
pub fn database_path(given: Option<&Path>, config: &ConfigFile, name: &str) -> Result<PathBuf> {
    if let Some(p) = given {
        return Ok(p.to_path_buf());
    }
    if name == "db" {
        if let Some(p) = &config.db {
            return Ok(p.clone());
        }
    }
    project_dirs()
        .map(|d| d.data_dir().join(name))
        .ok_or_else(|| anyhow!("cannot find a home folder for the database; pass --db PATH"))
}

/// Loads payer rules from `--payers`/`DENIALDESK_PAYERS` or the config file; none means
/// built-in default appeal windows for every payer.
pub fn payer_rules(given: Option<&Path>, config: &ConfigFile) -> Result<PayerRules> {
    let mut rules = payers_file(given, config)?;
    // Routing comes from the config file and travels with the rules to every import.
    rules.routing = config.routing().map_err(|e| {
        anyhow!(
            "config file {}: {e}; fix it before importing (new items are routed at import)",
            config_path().map_or_else(|| "config.toml".into(), |p| p.display().to_string())
        )
    })?;
    rules.underpayment = config.underpayment_tolerance();
    Ok(rules)
}

/// The payers file alone (no routing): what screens need for contacts.
pub fn payers_file(given: Option<&Path>, config: &ConfigFile) -> Result<PayerRules> {
    let mut rules = match given.or(config.payer_rules.as_deref()) {
        None => PayerRules::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read payer rules {}", path.display()))?;
            PayerRules::parse(&path.display().to_string(), &text)?
        }
    };
    // The checklists come from the config file and travel with the rules to every form.
    rules.checklists = config.checklists();
    Ok(rules)
}
