//! What an admin installs beside the binary: completions for each shell (bash's parsed by
//! bash), the man pages (one per command), the version with the schema and protocol, and
//! developer commands kept out of --help. None of it reads the config or a database.

mod common;

use common::cli_env::Env;

#[test]
fn version_names_the_schema_and_protocol() {
    let out = Env::new().ok(&["--version"]);
    assert_eq!(
        out.trim(),
        format!(
            "denialdesk {} (store schema {}, team protocol {})",
            env!("CARGO_PKG_VERSION"),
            denialdesk::store::SCHEMA_VERSION,
            denialdesk::team::protocol::PROTOCOL_VERSION
        )
    );
}

#[test]
fn completions_for_every_shell_and_bash_parses_its_own() {
    let env = Env::new();
    // A broken config file does not stand in the way of installing completions.
    let config = env.dir.path().join("config/denialdesk");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "this is = = not toml").unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = env.ok(&["completions", shell]);
        assert!(script.contains("prevent"), "{shell}: {script}");
        assert!(script.contains("checklist"), "{shell}");
    }
    let bash = env.write("denialdesk.bash", &env.ok(&["completions", "bash"]));
    let parsed = std::process::Command::new("bash")
        .args(["-n", &bash])
        .output()
        .unwrap();
    assert!(
        parsed.status.success(),
        "{}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    assert!(env
        .fails(&["completions", "tcsh"])
        .contains("invalid value 'tcsh'"));
}

#[test]
fn man_pages_one_per_command() {
    let env = Env::new();
    let dir = env.dir.path().join("man1");
    // A link planted where a page goes (a shared man folder) is replaced, not written
    // through.
    std::fs::create_dir_all(&dir).unwrap();
    let victim = env.write("victim.txt", "keep me");
    std::os::unix::fs::symlink(&victim, dir.join("denialdesk-import.1")).unwrap();
    let said = env.ok(&["man", "--out", dir.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    let page = std::fs::symlink_metadata(dir.join("denialdesk-import.1")).unwrap();
    assert!(page.file_type().is_file());
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(page.permissions().mode() & 0o777, 0o644);
    assert!(said.starts_with("done: "), "{said}");
    for page in [
        "denialdesk.1",
        "denialdesk-import.1",
        "denialdesk-letter.1",
        "denialdesk-checklist.1",
        "denialdesk-prevent.1",
        "denialdesk-prevent-add.1",
        "denialdesk-contracts-import.1",
    ] {
        assert!(dir.join(page).exists(), "{page}");
    }
    assert!(!dir.join("denialdesk-bench-data.1").exists());
    let add = std::fs::read_to_string(dir.join("denialdesk-prevent-add.1")).unwrap();
    assert!(
        add.starts_with(".ie") && add.contains(".TH denialdesk-prevent-add 1"),
        "{add}"
    );
    assert!(add.contains("\\fBdenialdesk prevent add\\fR"), "{add}");
    // Every command's page names the global options, and clap's help tree has no pages.
    let import = std::fs::read_to_string(dir.join("denialdesk-import.1")).unwrap();
    assert!(
        import.contains("\\fB\\-\\-db\\fR") && import.contains("\\-\\-readonly"),
        "{import}"
    );
    assert!(
        !dir.join("denialdesk-help.1").exists() && !dir.join("denialdesk-help-import.1").exists()
    );
}

#[test]
fn developer_commands_are_hidden_from_help_but_still_run() {
    let env = Env::new();
    let help = env.ok(&["--help"]);
    assert!(
        !help.contains("bench-data") && !help.contains("gen-demo"),
        "{help}"
    );
    assert!(
        help.contains("completions") && help.contains("prevent"),
        "{help}"
    );
    assert!(env.ok(&["bench-data", "--help"]).contains("--claims"));
}

#[test]
fn bash_completes_claim_ids_and_users_from_the_database() {
    let env = common::cli_env::seeded();
    env.ok(&["assign", "C1", "priya"]);
    let script = env.ok(&["completions", "bash"]);
    let path = env.write("denialdesk.bash", &script);
    // The script calls `denialdesk` by name: a folder with it (and only it) first on PATH.
    let bin = env.bin_dir();
    let complete = |words: &str, cword: usize| {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source {path}; COMP_WORDS=({words}); COMP_CWORD={cword}; _denialdesk_dynamic denialdesk \"${{COMP_WORDS[$COMP_CWORD]}}\" x; printf '%s\\n' \"${{COMPREPLY[@]}}\""
            ))
            .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
            .env("DENIALDESK_DB", env.db())
            .env("XDG_CONFIG_HOME", env.dir.path().join("config"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(complete("denialdesk show C", 2), "C1\nC2\n");
    assert_eq!(complete("denialdesk --readonly note C2", 3), "C2\n");
    assert_eq!(complete("denialdesk audit --claim C1", 3), "C1\n");
    assert_eq!(complete("denialdesk assign C1 pr", 3), "priya\n");
    // Elsewhere clap's own completion: options and commands.
    assert!(complete("denialdesk list --ow", 2).contains("--owner"));
    assert!(complete("denialdesk sh", 1).contains("show"));
    // Developer commands are not offered, as --help leaves them out.
    let b = complete("denialdesk b", 1);
    assert!(b.contains("backup") && !b.contains("bench-data"), "{b}");
    assert!(!complete("denialdesk ", 1).contains("complete-values"));
    // The fish script asks for the same values.
    let fish = env.ok(&["completions", "fish"]);
    assert!(fish.contains("denialdesk complete-values claims"), "{fish}");
    assert!(
        !fish
            .lines()
            .any(|l| l.contains("needs_command") && l.contains("-a \"gen-demo\"")),
        "{fish}"
    );
}

#[test]
fn zsh_completes_claim_ids_and_users_from_the_database() {
    // zsh must be there (.ci/run installs it): a completion test that skips is no test.
    assert!(
        std::process::Command::new("zsh")
            .arg("--version")
            .output()
            .is_ok(),
        "install zsh (apt-get install -y zsh; .ci/run does)"
    );
    let env = common::cli_env::seeded();
    env.ok(&["assign", "C2", "priya"]);
    let script = env.ok(&["completions", "zsh"]);
    let path = env.write("_denialdesk", &script);
    let syntax = std::process::Command::new("zsh")
        .arg("-n")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    // Developer commands are not offered, as --help leaves them out.
    assert!(!script.contains("'bench-data:"), "{script}");
    // The claim and user arguments ask the database; everything else is clap's.
    assert!(script.contains(":claim -- ") && script.contains(":_denialdesk_claims'"));
    assert!(script.contains("'--owner=[") && script.contains(":_denialdesk_users'"));
    let bin = env.bin_dir();
    // The helpers run as completion runs them, with compadd recording what is offered.
    let out = std::process::Command::new("zsh")
        .arg("-c")
        .arg(format!(
            "source {path} 2>/dev/null; compadd() {{ [[ $1 == -a ]] && print -l ${{(P)2}} }}; PREFIX=C; _denialdesk_claims; PREFIX=pr; _denialdesk_users"
        ))
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("DENIALDESK_DB", env.db())
        .env("XDG_CONFIG_HOME", env.dir.path().join("config"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "C1\nC2\npriya\n");
}

#[test]
fn completing_on_a_database_that_is_not_there_creates_nothing() {
    let env = Env::new();
    let missing = env.dir.path().join("typo");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .args(["complete-values", "claims", ""])
        .env("DENIALDESK_DB", &missing)
        .env("XDG_CONFIG_HOME", env.dir.path().join("config"))
        .output()
        .unwrap();
    assert!(out.status.success() && out.stdout.is_empty());
    assert!(!missing.exists(), "Tab created a database");
}
