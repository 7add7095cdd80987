//! Dynamic completion in elvish and PowerShell: both scripts hand the words before the
//! cursor to `complete-values line`, which answers with claim ids or user names from the
//! database, or exit 4 where the word is neither (the script then uses clap's completion).
//! elvish runs for real, interactive in tmux (its completion API exists only there).
//! PowerShell is not on this machine or its package registries: its script is parsed by
//! tree-sitter's PowerShell grammar, and what it delegates is tested through the binary.

mod common;

use common::cli_env::{seeded, Env};
use common::tmux::{have_tmux, keys, new_session, tmux, wait_for};
use std::process::Command;

/// `complete-values line` as a script calls it: the values and the exit code.
fn line(env: &Env, typing: &str, before: &[&str]) -> (String, Option<i32>) {
    let out = Command::new(env!("CARGO_BIN_EXE_denialdesk"))
        .args(["complete-values", "line"])
        .arg(format!("--typing={typing}"))
        .arg("--")
        .args(before)
        .env("DENIALDESK_DB", env.db())
        .env("XDG_CONFIG_HOME", env.dir.path().join("config"))
        .output()
        .unwrap();
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (String::from_utf8(out.stdout).unwrap(), out.status.code())
}

#[test]
fn the_line_a_shell_hands_over_is_answered_with_claims_users_or_exit_4() {
    let env = seeded();
    env.ok(&["assign", "C1", "priya"]);
    let ok = |s: &str| (s.to_string(), Some(0));
    assert_eq!(line(&env, "C", &["denialdesk", "show"]), ok("C1\nC2\n"));
    assert_eq!(
        line(&env, "", &["denialdesk", "--db", "x", "note"]),
        ok("C1\nC2\n")
    );
    assert_eq!(
        line(&env, "C1", &["denialdesk", "audit", "--claim"]),
        ok("C1\n")
    );
    assert_eq!(
        line(&env, "pr", &["denialdesk", "assign", "C1"]),
        ok("priya\n")
    );
    // A claim or user position with nothing matching: nothing, and still exit 0 (the
    // shell offers nothing rather than options).
    assert_eq!(line(&env, "ZZ", &["denialdesk", "show"]), ok(""));
    // Elsewhere exit 4 and nothing printed.
    for before in [
        &["denialdesk"][..],
        &["denialdesk", "list", "--sort"],
        &["denialdesk", "show", "C1"],
    ] {
        assert_eq!(
            line(&env, "", before),
            (String::new(), Some(4)),
            "{before:?}"
        );
    }
    assert_eq!(
        line(&env, "--ow", &["denialdesk", "list"]),
        (String::new(), Some(4))
    );
}

#[test]
fn elvish_completes_claim_ids_and_users_from_the_database() {
    assert!(
        Command::new("elvish").arg("-version").output().is_ok(),
        "install elvish (apt-get install -y elvish; .ci/run does)"
    );
    assert!(have_tmux());
    let env = seeded();
    env.ok(&["assign", "C1", "priya"]);
    let script = env.write("denialdesk.elv", &env.ok(&["completions", "elvish"]));
    // What a user puts in rc.elv.
    let rc = env.write("rc.elv", &format!("eval (slurp < {script})\n"));
    let home = env.dir.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let session = format!("dd-elvish-{}", std::process::id());
    new_session(
        &session,
        ("100", "30"),
        &format!(
            "env HOME={} PATH={}:/usr/bin:/bin DENIALDESK_DB={} XDG_CONFIG_HOME={} elvish -rc {rc}",
            home.display(),
            env.bin_dir().display(),
            env.db().display(),
            env.dir.path().join("config").display()
        ),
    );
    let _end = KillOnDrop(session.clone());
    std::thread::sleep(std::time::Duration::from_millis(500));
    // The arg-completer as elvish's editor calls it (the word being typed last): a value
    // from the database prints as V:, a candidate of clap's as S:.
    keys(
        &session,
        &[
            "fn offer {|@w| $edit:completion:arg-completer[denialdesk] $@w | each {|x| if (eq (kind-of $x) string) { echo V:$x } else { echo S:$x[stem] } } }",
            "Enter",
            "offer denialdesk show C; offer denialdesk assign C1 pr; offer denialdesk list --ow; offer denialdesk sh; echo DONE",
            "Enter",
        ],
    );
    wait_for(&session, "\nDONE");
    // clap's candidates run past the screen: the pane's history too.
    let s = tmux(&["capture-pane", "-p", "-S", "-1000", "-t", &session]);
    let offered: Vec<&str> = s
        .lines()
        .filter(|l| l.starts_with("V:") || l.starts_with("S:"))
        .collect();
    let values: Vec<&str> = offered
        .iter()
        .copied()
        .filter(|l| l.starts_with("V:"))
        .collect();
    assert_eq!(values, ["V:C1", "V:C2", "V:priya"], "{s}");
    // clap's completion elsewhere: options, commands, no developer commands.
    assert!(offered.contains(&"S:--owner"), "{s}");
    assert!(offered.contains(&"S:show"), "{s}");
    assert!(!offered.iter().any(|l| l.contains("bench-data")), "{s}");
    // And with Tab in the editor.
    keys(&session, &["clear", "Enter", "denialdesk show C", "Tab"]);
    let s = wait_for(&session, "COMPLETING argument");
    assert!(
        s.contains("C1") && s.contains("C2") && !s.contains("C3"),
        "{s}"
    );
}

struct KillOnDrop(String);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        tmux(&["kill-session", "-t", &self.0]);
    }
}

#[test]
fn powershell_hands_the_line_over_and_keeps_claps_completion() {
    let env = Env::new();
    let script = env.ok(&["completions", "powershell"]);
    // clap's completer is kept as a function, called where the word is not a claim or a
    // user; the one registered asks the database first.
    assert_eq!(
        script.matches("Register-ArgumentCompleter").count(),
        1,
        "{script}"
    );
    assert!(script.contains("function global:_denialdesk_clap {"));
    assert!(script.contains(
        "& denialdesk complete-values line \"--typing=$wordToComplete\" -- @before 2>$null"
    ));
    assert!(script.contains("_denialdesk_clap $wordToComplete $commandAst $cursorPosition"));
    assert!(!script.contains("[CompletionResult]::new('bench-data'"));
    // Parsed by tree-sitter's PowerShell grammar (.ci/run installs it from PyPI). Its one
    // gap is clap's `$completions.Where{ … }` (a method call given a script block without
    // parentheses, valid PowerShell): every other error fails the test.
    let path = env.write("denialdesk.ps1", &script);
    let out = Command::new("python3")
        .arg("-c")
        .arg(PARSE_POWERSHELL)
        .arg(&path)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "install the PowerShell grammar (pip install tree-sitter==0.26.1 tree-sitter-powershell==0.26.4; .ci/run does): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let errors = String::from_utf8(out.stdout).unwrap();
    assert_eq!(errors, "Where\n", "syntax errors in the PowerShell script");
}

/// Prints the text of each syntax error (or missing token) tree-sitter finds, one a line.
const PARSE_POWERSHELL: &str = r#"
import sys, tree_sitter, tree_sitter_powershell
parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))
source = open(sys.argv[1], 'rb').read()
def errors(node):
    if node.type == 'ERROR' or node.is_missing:
        yield source[node.start_byte:node.end_byte].decode() or '<missing ' + node.type + '>'
    for child in node.children:
        yield from errors(child)
for e in errors(parser.parse(source).root_node):
    print(e)
"#;
