//! `denialdesk config`: every setting in effect and where it came from (default, the
//! config file, the environment, a flag); `config --default` prints the commented default
//! file, the one documented place for every option.

use crate::config::{self, ConfigFile};
use crate::text::escape as esc;
use anyhow::Result;
use clap::parser::ValueSource;
use clap::ArgMatches;
use serde_json::json;

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

/// One setting: its key, its value as the config file would write it, and its source.
struct Setting {
    key: &'static str,
    value: String,
    source: String,
}

fn quoted(path: &std::path::Path) -> String {
    format!("{:?}", path.display().to_string())
}

/// A flag's, the environment's, the file's or the default value, with its source.
fn layered(given: Given, (flag, env): (&str, &str), in_file: bool, default: &str) -> String {
    match given {
        Given::Flag => format!("flag {flag}"),
        Given::Env => format!("environment {env}"),
        Given::No if in_file => "file".into(),
        Given::No => default.into(),
    }
}

fn settings(cli: &super::Cli, config: &ConfigFile) -> Result<Vec<Setting>> {
    let s = cli.sources;
    let mut out = Vec::new();
    let mut add = |key, value: String, source: String| out.push(Setting { key, value, source });
    let db = config::database_path(cli.db.as_deref(), config, "db")?;
    add(
        "db",
        quoted(&db),
        layered(
            s.db,
            ("--db", "DENIALDESK_DB"),
            config.db.is_some(),
            "default (the data folder)",
        ),
    );
    let payers = cli.payers.as_deref().or(config.payer_rules.as_deref());
    add(
        "payer_rules",
        payers.map_or("(none: built-in windows, marked *)".into(), quoted),
        layered(
            s.payers,
            ("--payers", "DENIALDESK_PAYERS"),
            config.payer_rules.is_some(),
            "default",
        ),
    );
    let server = cli.server.as_deref().or(config.server_socket.as_deref());
    add(
        "server_socket",
        server.map_or(
            "(none: a server per database folder, started on demand)".into(),
            quoted,
        ),
        layered(
            s.server,
            ("--server", "DENIALDESK_SERVER"),
            config.server_socket.is_some(),
            "default",
        ),
    );
    let from = |set: bool| if set { "file" } else { "default" }.to_string();
    add(
        "idle_minutes",
        config.idle_minutes.unwrap_or(10).to_string(),
        from(config.idle_minutes.is_some()),
    );
    add(
        "server_idle_secs",
        config.server_idle_secs.unwrap_or(60).to_string(),
        from(config.server_idle_secs.is_some()),
    );
    add(
        "no_response_days",
        config.no_response_days().to_string(),
        from(config.no_response_days.is_some()),
    );
    let list = |v: &Option<Vec<String>>| {
        let v = v.clone().unwrap_or_default();
        format!("{v:?}")
    };
    add(
        "letterhead",
        match &config.letterhead {
            Some(_) => list(&config.letterhead),
            None => "(none: the payee on the remittance)".into(),
        },
        from(config.letterhead.is_some()),
    );
    add(
        "allowed_users",
        list(&config.allowed_users),
        from(config.allowed_users.is_some()),
    );
    add(
        "allowed_groups",
        list(&config.allowed_groups),
        from(config.allowed_groups.is_some()),
    );
    let tolerance = config.underpayment_tolerance();
    add(
        "underpayment",
        format!(
            "{{ tolerance = \"{}\", tolerance_percent = \"{}\" }}",
            crate::domain::money::format_cents(tolerance.cents).trim_start_matches('$'),
            tolerance.basis_points as f64 / 100.0
        ),
        from(config.underpayment.is_some()),
    );
    let names = |v: Vec<String>| match v.len() {
        0 => "(none)".to_string(),
        n => format!("{n}: {}", v.join(", ")),
    };
    let routes = config
        .route
        .iter()
        .map(|r| {
            r.get("name")
                .and_then(|n| n.as_str())
                .unwrap_or("?")
                .to_string()
        })
        .collect();
    add("route", names(routes), from(!config.route.is_empty()));
    add(
        "teams",
        names(config.teams.keys().cloned().collect()),
        from(!config.teams.is_empty()),
    );
    add(
        "checklist",
        match config.checklist.len() {
            0 => "(built-in lists)".into(),
            n => format!("{n} rules over the built-in lists"),
        },
        from(!config.checklist.is_empty()),
    );
    let views = config.views().map_err(|e| anyhow::anyhow!(e))?;
    add(
        "view",
        names(views.into_iter().map(|v| v.name).collect()),
        from(!config.view.is_empty()),
    );
    let no_color = crate::ui::theme::Theme::no_color();
    add(
        "theme",
        if no_color {
            "(no colour)".into()
        } else {
            names(
                config
                    .theme
                    .iter()
                    .map(|(k, v)| format!("{k} = {v:?}"))
                    .collect(),
            )
        },
        if no_color {
            "environment NO_COLOR".into()
        } else {
            from(!config.theme.is_empty())
        },
    );
    let keymap = config::keymap_path();
    let (keys, problems) = config::keymap(cli.readonly);
    add(
        "keymap",
        match &keymap {
            Some(p) if p.exists() && problems.is_empty() => {
                format!("{} (preset {})", quoted(p), keys.layers.preset)
            }
            Some(p) if p.exists() => format!(
                "{} has {} mistake(s): default keys (denialdesk keys)",
                quoted(p),
                problems.len()
            ),
            _ => "(defaults)".into(),
        },
        match std::env::var_os("DENIALDESK_KEYMAP") {
            Some(v) if !v.is_empty() => "environment DENIALDESK_KEYMAP".into(),
            _ => from(keymap.as_ref().is_some_and(|p| p.exists())),
        },
    );
    let templates = config::templates_dir();
    let own = templates.as_ref().filter(|t| t.is_dir());
    add(
        "templates",
        match own {
            Some(t) => quoted(t),
            None => "(built-in letters)".into(),
        },
        from(own.is_some()),
    );
    add(
        "letters",
        config::letters_dir().map_or("(none)".into(), |p| quoted(&p)),
        "default (the data folder)".into(),
    );
    add(
        "readonly",
        cli.readonly.to_string(),
        if cli.readonly {
            "flag --readonly"
        } else {
            "default"
        }
        .into(),
    );
    add(
        "embedded",
        cli.embedded.to_string(),
        if cli.embedded {
            "flag --embedded"
        } else {
            "default"
        }
        .into(),
    );
    Ok(out)
}

/// `denialdesk config [--default] [--json]`.
pub fn run(cli: &super::Cli, default: bool, json: bool) -> Result<()> {
    if default {
        print!("{}", config::DEFAULT_FILE);
        return Ok(());
    }
    let config = ConfigFile::load()?;
    let path = config::config_path();
    let found = path.as_ref().is_some_and(|p| p.exists());
    let settings = settings(cli, &config)?;
    if json {
        let settings: Vec<_> = settings
            .iter()
            .map(|s| {
                // A path is quoted for the text form; JSON gives the string itself.
                let value = serde_json::from_str::<String>(&s.value).unwrap_or(s.value.clone());
                json!({"key": s.key, "value": value, "source": s.source})
            })
            .collect();
        let out = json!({
            "config_file": path.as_ref().map(|p| p.display().to_string()),
            "config_file_found": found,
            "settings": settings,
        });
        println!("{}", crate::text::json(out.to_string()));
        return Ok(());
    }
    match &path {
        Some(p) if found => println!("# config file: {} (read)", esc(&p.display().to_string())),
        Some(p) => println!(
            "# config file: {} (none there: every value below that is not a flag or the environment is a default)",
            esc(&p.display().to_string())
        ),
        None => println!("# config file: (no home folder)"),
    }
    println!(
        "# `denialdesk config --default` prints every option, commented; README, Configuration."
    );
    let width = settings
        .iter()
        .map(|s| s.key.len() + 3 + s.value.chars().count())
        .max()
        .unwrap_or(0)
        .min(70);
    for s in &settings {
        let line = format!("{} = {}", s.key, s.value);
        println!("{:<width$}  # {}", esc(&line), s.source);
    }
    Ok(())
}
