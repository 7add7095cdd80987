//! `denialdesk config`: every setting in effect and where it came from (default, the
//! config file, the environment, a flag); `config --default` prints the commented default
//! file, the one documented place for every option.

use super::sources::{team_socket, Given};
use crate::config::{self, ConfigFile};
use crate::text::escape as esc;
use anyhow::Result;
use serde_json::json;

/// Where a value came from: one of four words, and the flag or variable when there is one.
#[derive(Debug, Clone)]
struct Source {
    /// `default`, `file`, `environment` or `flag`.
    kind: &'static str,
    /// The flag (`--db`) or variable (`DENIALDESK_DB`), or what the default is.
    via: Option<String>,
}

fn default() -> Source {
    Source {
        kind: "default",
        via: None,
    }
}

fn file_or_default(in_file: bool) -> Source {
    Source {
        kind: if in_file { "file" } else { "default" },
        via: None,
    }
}

/// A flag's, the environment's, the file's or the default value, with its source.
fn layered(given: Given, (flag, env): (&str, &str), in_file: bool) -> Source {
    match given {
        Given::Flag => Source {
            kind: "flag",
            via: Some(flag.into()),
        },
        Given::Env => Source {
            kind: "environment",
            via: Some(env.into()),
        },
        Given::No => file_or_default(in_file),
    }
}

/// One setting: its key, its value (JSON-typed, null when not set), how the text form
/// shows it, and its source.
struct Setting {
    key: &'static str,
    value: serde_json::Value,
    text: String,
    source: Source,
}

/// A path, or null with what that means.
fn path_value(path: Option<&std::path::Path>, none: &str) -> (serde_json::Value, String) {
    match path {
        Some(p) => (
            json!(p.display().to_string()),
            format!("{:?}", p.display().to_string()),
        ),
        None => (serde_json::Value::Null, format!("(none: {none})")),
    }
}

fn settings(cli: &super::Cli, config: &ConfigFile) -> Result<Vec<Setting>> {
    let s = cli.sources;
    let mut out = Vec::new();
    let mut add = |key, (value, text): (serde_json::Value, String), source: Source| {
        out.push(Setting {
            key,
            value,
            text,
            source,
        })
    };
    let server = team_socket(cli, config);
    let db = config::database_path(cli.db.as_deref(), config, "db")?;
    let (db_value, mut db_text) = path_value(Some(&db), "");
    // Through a team service no database folder is opened: say so, not silently.
    if server.is_some() {
        db_text.push_str(" (not used: server_socket is set)");
    }
    add(
        "db",
        (db_value, db_text),
        layered(s.db, ("--db", "DENIALDESK_DB"), config.db.is_some()),
    );
    let payers = cli.payers.as_deref().or(config.payer_rules.as_deref());
    add(
        "payer_rules",
        path_value(payers, "built-in windows, marked *"),
        layered(
            s.payers,
            ("--payers", "DENIALDESK_PAYERS"),
            config.payer_rules.is_some(),
        ),
    );
    let (socket_value, mut socket_text) = path_value(
        server.as_deref().or(config.server_socket.as_deref()),
        "a server per database folder, started on demand",
    );
    if server.is_none() && config.server_socket.is_some() {
        socket_text.push_str(" (not used: --db names a database folder)");
    }
    add(
        "server_socket",
        (socket_value, socket_text),
        layered(
            s.server,
            ("--server", "DENIALDESK_SERVER"),
            config.server_socket.is_some(),
        ),
    );
    let number = |n: u64| (json!(n), n.to_string());
    add(
        "idle_minutes",
        number(config.idle_minutes.unwrap_or(10)),
        file_or_default(config.idle_minutes.is_some()),
    );
    add(
        "server_idle_secs",
        number(config.server_idle_secs.unwrap_or(60)),
        file_or_default(config.server_idle_secs.is_some()),
    );
    add(
        "no_response_days",
        number(config.no_response_days() as u64),
        file_or_default(config.no_response_days.is_some()),
    );
    let list = |v: &Option<Vec<String>>| {
        let v = v.clone().unwrap_or_default();
        (json!(v), format!("{v:?}"))
    };
    add(
        "letterhead",
        match &config.letterhead {
            Some(_) => list(&config.letterhead),
            None => (
                serde_json::Value::Null,
                "(none: the payee on the remittance)".into(),
            ),
        },
        file_or_default(config.letterhead.is_some()),
    );
    add(
        "allowed_users",
        list(&config.allowed_users),
        file_or_default(config.allowed_users.is_some()),
    );
    add(
        "allowed_groups",
        list(&config.allowed_groups),
        file_or_default(config.allowed_groups.is_some()),
    );
    let tolerance = config.underpayment_tolerance();
    let (dollars, percent) = (
        format!("{}.{:02}", tolerance.cents / 100, tolerance.cents % 100),
        format!("{}", tolerance.basis_points as f64 / 100.0),
    );
    add(
        "underpayment",
        (
            json!({"tolerance": dollars, "tolerance_percent": percent}),
            format!("{{ tolerance = \"{dollars}\", tolerance_percent = \"{percent}\" }}"),
        ),
        file_or_default(config.underpayment.is_some()),
    );
    let names = |v: Vec<String>| {
        let text = if v.is_empty() {
            "(none)".to_string()
        } else {
            format!("{v:?}")
        };
        (json!(v), text)
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
    add(
        "route",
        names(routes),
        file_or_default(!config.route.is_empty()),
    );
    add(
        "teams",
        names(config.teams.keys().cloned().collect()),
        file_or_default(!config.teams.is_empty()),
    );
    add(
        "checklist",
        (
            // Each rule as "category" or "category level N", as `names` lists the others.
            json!(config
                .checklist
                .iter()
                .map(|r| match r.level {
                    Some(l) => format!("{} level {l}", r.category),
                    None => r.category.clone(),
                })
                .collect::<Vec<_>>()),
            match config.checklist.len() {
                0 => "(built-in lists)".into(),
                n => format!("{n} rules over the built-in lists"),
            },
        ),
        file_or_default(!config.checklist.is_empty()),
    );
    let views = config.views().map_err(|e| anyhow::anyhow!(e))?;
    add(
        "view",
        names(views.into_iter().map(|v| v.name).collect()),
        file_or_default(!config.view.is_empty()),
    );
    let no_color = crate::ui::theme::Theme::no_color();
    add(
        "theme",
        (
            json!(config.theme),
            if no_color {
                "(no colour: NO_COLOR is set)".into()
            } else if config.theme.is_empty() {
                "(the 16-colour default)".into()
            } else {
                format!("{:?}", config.theme)
            },
        ),
        if no_color {
            Source {
                kind: "environment",
                via: Some("NO_COLOR".into()),
            }
        } else {
            file_or_default(!config.theme.is_empty())
        },
    );
    let keymap = config::keymap_path();
    let (keys, problems) = config::keymap(cli.readonly);
    let found = keymap.as_ref().filter(|p| p.exists());
    add(
        "keymap",
        match found {
            Some(p) if problems.is_empty() => (
                json!({"file": p.display().to_string(), "preset": keys.layers.preset}),
                format!(
                    "{:?} (preset {})",
                    p.display().to_string(),
                    keys.layers.preset
                ),
            ),
            Some(p) => (
                json!({"file": p.display().to_string(), "mistakes": problems.len()}),
                format!(
                    "{:?} has {} mistake(s): the default keys (denialdesk keys)",
                    p.display().to_string(),
                    problems.len()
                ),
            ),
            None => (serde_json::Value::Null, "(the default keys)".into()),
        },
        match std::env::var_os("DENIALDESK_KEYMAP") {
            Some(v) if !v.is_empty() => Source {
                kind: "environment",
                via: Some("DENIALDESK_KEYMAP".into()),
            },
            _ => file_or_default(found.is_some()),
        },
    );
    let templates = config::templates_dir();
    let own = templates.as_deref().filter(|t| t.is_dir());
    add(
        "templates",
        path_value(own, "built-in letters"),
        file_or_default(own.is_some()),
    );
    add(
        "letters",
        path_value(config::letters_dir().as_deref(), "no home folder"),
        default(),
    );
    let flag = |on: bool, name: &str| Source {
        kind: if on { "flag" } else { "default" },
        via: on.then(|| name.to_string()),
    };
    add(
        "readonly",
        (json!(cli.readonly), cli.readonly.to_string()),
        flag(cli.readonly, "--readonly"),
    );
    add(
        "embedded",
        (json!(cli.embedded), cli.embedded.to_string()),
        flag(cli.embedded, "--embedded"),
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
                json!({"key": s.key, "value": s.value, "source": s.source.kind, "via": s.source.via})
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
        .map(|s| s.key.len() + 3 + s.text.chars().count())
        .max()
        .unwrap_or(0)
        .min(70);
    for s in &settings {
        let line = format!("{} = {}", s.key, s.text);
        let source = match &s.source.via {
            Some(via) => format!("{} {via}", s.source.kind),
            None => s.source.kind.to_string(),
        };
        println!("{:<width$}  # {source}", esc(&line));
    }
    Ok(())
}
