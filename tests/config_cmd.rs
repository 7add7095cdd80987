//! `denialdesk config`: each setting with where it came from (default, file, environment,
//! flag); `config --default` documents every option, and uncommented it is a valid file.

mod common;

use common::cli_env::*;
use std::process::Command;

fn config_file(env: &Env, text: &str) {
    let folder = env.dir.path().join("config/denialdesk");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("config.toml"), text).unwrap();
}

/// `config --json` run with `args` before it and `vars` in the environment: key → (value, source).
fn settings(
    env: &Env,
    args: &[&str],
    vars: &[(&str, &str)],
) -> serde_json::Map<String, serde_json::Value> {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_denialdesk"));
    cmd.args(args)
        .args(["config", "--json"])
        .env("XDG_CONFIG_HOME", env.dir.path().join("config"))
        .env("XDG_DATA_HOME", env.dir.path().join("data"))
        .env_remove("DENIALDESK_DB")
        .env_remove("DENIALDESK_PAYERS")
        .env_remove("DENIALDESK_SERVER")
        .env_remove("DENIALDESK_KEYMAP")
        .env_remove("NO_COLOR");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["settings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["key"].as_str().unwrap().to_string(),
                serde_json::json!([s["value"], s["source"], s["via"]]),
            )
        })
        .collect()
}

#[test]
fn each_setting_says_where_it_came_from() {
    let env = Env::new();
    let data = env.dir.path().join("data/denialdesk/db");
    let s = settings(&env, &[], &[]);
    assert_eq!(s["db"][0], data.display().to_string());
    assert_eq!(s["db"][1], "default");
    assert_eq!(s["idle_minutes"][0], 10, "numbers are numbers");
    assert_eq!(
        s["payer_rules"][0],
        serde_json::Value::Null,
        "not set is null"
    );
    assert_eq!(s["idle_minutes"][1], "default");
    config_file(
        &env,
        "db = \"/srv/team/db\"\nidle_minutes = 5\n[theme]\ndanger = \"light-red\"\n",
    );
    let s = settings(&env, &[], &[]);
    assert_eq!(s["db"], serde_json::json!(["/srv/team/db", "file", null]));
    assert_eq!(s["idle_minutes"], serde_json::json!([5, "file", null]));
    assert_eq!(s["theme"][1], "file");
    let s = settings(
        &env,
        &[],
        &[("DENIALDESK_DB", "/env/db"), ("NO_COLOR", "1")],
    );
    assert_eq!(
        s["db"],
        serde_json::json!(["/env/db", "environment", "DENIALDESK_DB"])
    );
    assert_eq!(s["theme"][1], "environment");
    assert_eq!(s["theme"][2], "NO_COLOR");
    let s = settings(
        &env,
        &["--db", "/flag/db", "--readonly"],
        &[("DENIALDESK_DB", "/env/db")],
    );
    assert_eq!(s["db"], serde_json::json!(["/flag/db", "flag", "--db"]));
    assert_eq!(
        s["readonly"],
        serde_json::json!([true, "flag", "--readonly"])
    );
    let keymap = env.write("keys.toml", "preset = \"emacs\"\n");
    let s = settings(&env, &[], &[("DENIALDESK_KEYMAP", &keymap)]);
    assert_eq!(s["keymap"][2], "DENIALDESK_KEYMAP");
    assert_eq!(s["keymap"][0]["preset"], "emacs", "{s:?}");
    // The text form says the same, one setting per line.
    let text = env.ok(&["config"]);
    assert!(
        text.lines()
            .any(|l| l.starts_with("idle_minutes = 5") && l.ends_with("# file")),
        "{text}"
    );
}

#[test]
fn the_default_file_documents_every_option_and_uncommented_it_loads() {
    let env = Env::new();
    let default = env.ok(&["config", "--default"]);
    for key in [
        "db",
        "payer_rules",
        "server_socket",
        "idle_minutes",
        "server_idle_secs",
        "no_response_days",
        "letterhead",
        "allowed_users",
        "allowed_groups",
        "[theme]",
        "[underpayment]",
        "[teams]",
        "[[route]]",
        "[[checklist]]",
        "[[view]]",
        "keymap.toml",
        "templates/",
    ] {
        assert!(default.contains(key), "{key} is not documented:\n{default}");
    }
    // As printed it sets nothing.
    config_file(&env, &default);
    let s = settings(&env, &[], &[]);
    assert_eq!(s["idle_minutes"][1], "default");
    // Every example uncommented ("#key = …", "#[[view]]") is a valid file.
    let uncommented: String = default
        .lines()
        .map(|l| match l.strip_prefix('#') {
            Some(rest) if !rest.starts_with(' ') && !rest.is_empty() => rest,
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    config_file(&env, &uncommented);
    let s = settings(&env, &[], &[]);
    for key in [
        "db",
        "idle_minutes",
        "view",
        "route",
        "teams",
        "theme",
        "underpayment",
        "checklist",
    ] {
        assert_eq!(s[key][1], "file", "{key}: {s:?}");
    }
    assert_eq!(s["view"][0], serde_json::json!(["my-aetna"]));
    assert_eq!(
        s["checklist"][0],
        serde_json::json!(["medical-necessity level 1"])
    );
    // A team service's socket set: the database folder is said to be unused, unless the
    // command names one (`--db`, as `Env` always does), which wins over the file.
    let without_db = Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .arg("config")
        .env("XDG_CONFIG_HOME", env.dir.path().join("config"))
        .env_remove("DENIALDESK_DB")
        .env_remove("DENIALDESK_SERVER")
        .output()
        .unwrap();
    let text = String::from_utf8(without_db.stdout).unwrap();
    assert!(text.contains("(not used: server_socket is set)"), "{text}");
    assert!(env
        .ok(&["config"])
        .contains("(not used: --db names a database folder)"));
}

#[test]
fn a_database_folder_named_on_the_command_line_wins_over_the_files_team_service() {
    // A specialist whose config works through the team service opens a restored copy
    // by its folder: --db is used, not the socket (which is not even there).
    let env = common::cli_env::seeded();
    config_file(&env, "server_socket = \"/nonexistent/denialdesk.sock\"\n");
    assert!(env.ok(&["list"]).contains("C1"));
    // --server on the command line still wins over everything.
    let err = env.fails(&["--server", "/nonexistent/other.sock", "list"]);
    assert!(err.contains("/nonexistent/other.sock"), "{err}");
    // The environment is not the command: DENIALDESK_DB (an admin may export it host-wide)
    // leaves the file's service in place, and a typed --db wins over DENIALDESK_SERVER.
    let run = |vars: &[(&str, &str)], args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_denialdesk"))
            .args(args)
            .env("XDG_CONFIG_HOME", env.dir.path().join("config"))
            .env_remove("DENIALDESK_DB")
            .env_remove("DENIALDESK_SERVER")
            .envs(vars.iter().copied())
            .output()
            .unwrap()
    };
    let db = env.db();
    let out = run(&[("DENIALDESK_DB", db.to_str().unwrap())], &["list"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("/nonexistent/denialdesk.sock"),
        "{err}"
    );
    let out = run(
        &[("DENIALDESK_SERVER", "/nonexistent/env.sock")],
        &["--db", db.to_str().unwrap(), "list"],
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("C1"),
        "{out:?}"
    );
}

#[test]
fn a_bad_theme_is_named_and_stops_the_command() {
    let env = Env::new();
    config_file(&env, "[theme]\ndanger = \"orange\"\n");
    let err = env.fails(&["list"]);
    assert!(
        err.contains("[theme] danger: \"orange\" is not a colour"),
        "{err}"
    );
    config_file(&env, "[theme]\ndangerous = \"red\"\n");
    let err = env.fails(&["config"]);
    assert!(err.contains("\"dangerous\" is not a style"), "{err}");
}

#[test]
fn readme_carries_the_default_file() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(
        readme.contains(denialdesk::config::DEFAULT_FILE),
        "README's Configuration section is out of date: paste `denialdesk config --default`"
    );
}
