//! What a Linux admin installs beside the binary: shell completions (`completions
//! SHELL`), the man pages (`man --out DIR`, one per command), and the version text that
//! says which store schema and team protocol this build speaks.

use super::completion_scripts;
use anyhow::{bail, Context as _, Result};
use clap::CommandFactory;
use std::path::Path;
use std::sync::OnceLock;

/// `denialdesk --version`: the release, and the schema and protocol it reads and speaks
/// (a team's clients and server must agree on the protocol; an older build refuses a
/// newer schema).
pub fn version_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        format!(
            "{} (store schema {}, team protocol {})",
            env!("CARGO_PKG_VERSION"),
            crate::store::SCHEMA_VERSION,
            crate::team::protocol::PROTOCOL_VERSION
        )
    })
}

/// `denialdesk keys`: the effective keymap, or what is wrong with the keymap file.
pub fn keys(readonly: bool) -> Result<()> {
    let (keymap, problems) = crate::config::keymap(readonly);
    if let Some(path) = crate::config::keymap_path() {
        let state = if path.exists() {
            ""
        } else {
            " (none: the defaults)"
        };
        println!("keymap file: {}{state}", path.display());
    }
    print!("{}", keymap.listing());
    if problems.is_empty() {
        return Ok(());
    }
    for p in &problems {
        eprintln!("{}", crate::text::escape(p));
    }
    bail!(
        "{} mistake(s) in the keymap file; the app uses the default keys until they are fixed",
        problems.len()
    )
}

/// The shells `completions` writes for.
pub const SHELLS: [&str; 5] = ["bash", "zsh", "fish", "elvish", "powershell"];

/// Writes the completion script for `shell` to stdout.
pub fn completions(shell: &str) -> Result<()> {
    use clap_complete::Shell;
    let shell = match shell.to_ascii_lowercase().as_str() {
        "bash" => Shell::Bash,
        "zsh" => Shell::Zsh,
        "fish" => Shell::Fish,
        "elvish" => Shell::Elvish,
        "powershell" => Shell::PowerShell,
        other => bail!("{other:?}: completions are for {}", SHELLS.join(", ")),
    };
    let mut cmd = super::Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "denialdesk", &mut script);
    // clap_complete offers hidden commands in every shell's command lists: take the
    // developer commands out, as --help does.
    let hidden: Vec<String> = cmd
        .get_subcommands()
        .filter(|c| c.is_hide_set())
        .map(|c| c.get_name().to_string())
        .collect();
    let text = without_hidden(&String::from_utf8_lossy(&script), &hidden);
    // Claim ids and users from the database, where the shell can call a command for them.
    let script = match shell {
        Shell::Bash => text + &completion_scripts::bash(),
        Shell::Fish => text + &completion_scripts::fish(),
        Shell::Zsh => completion_scripts::zsh(&text),
        Shell::Elvish => completion_scripts::elvish(&text),
        Shell::PowerShell => completion_scripts::powershell(&text),
        _ => text,
    };
    // Piped into `head`: end quietly when the reader goes away.
    match std::io::Write::write_all(&mut std::io::stdout(), script.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// `script` without the hidden commands among the ones offered: bash's word lists,
/// fish's "needs a command" lines, zsh's `'name:description'` lines, elvish's `cand` and
/// PowerShell's `CompletionResult` lines.
fn without_hidden(script: &str, hidden: &[String]) -> String {
    let offers_hidden = |l: &str| {
        let t = l.trim_start();
        hidden.iter().any(|h| {
            l.contains("__fish_denialdesk_needs_command") && l.contains(&format!("-a \"{h}\""))
                || t.starts_with(&format!("cand {h} "))
                || t.starts_with(&format!("'{h}:"))
                || t.starts_with(&format!("[CompletionResult]::new('{h}', "))
        })
    };
    script
        .lines()
        .filter(|l| !offers_hidden(l))
        .map(|l| {
            // `opts="-h --db … bench-data … help"`: the words inside the quotes.
            match (l.find("opts=\""), l.rfind('"')) {
                (Some(at), Some(end)) if end > at + 5 => {
                    let words: Vec<&str> = l[at + 6..end]
                        .split(' ')
                        .filter(|w| !hidden.iter().any(|h| w == h))
                        .collect();
                    format!("{}{}{}", &l[..at + 6], words.join(" "), &l[end..])
                }
                _ => l.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Writes `denialdesk.1` and one page per command (`denialdesk-import.1`, …,
/// `denialdesk-contracts-import.1`) into `out` (created if needed); returns how many.
pub fn man_pages(out: &Path) -> Result<usize> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut cmd = super::Cli::command();
    // Built, the global options (--db, --readonly, --quiet …) are on every command's page.
    cmd.build();
    let mut written = 0;
    write_page(out, &cmd, "denialdesk", "denialdesk", &mut written)?;
    Ok(written)
}

/// `name` is the page's (`denialdesk-prevent-add`), `typed` how it is run
/// (`denialdesk prevent add`).
fn write_page(
    out: &Path,
    cmd: &clap::Command,
    name: &str,
    typed: &str,
    written: &mut usize,
) -> Result<()> {
    // clap's own `help` subcommands (added by `build`) are not pages of their own.
    if cmd.is_hide_set() || cmd.get_name() == "help" && typed != "denialdesk" {
        return Ok(());
    }
    let page = cmd
        .clone()
        .display_name(name.to_string())
        .bin_name(typed.to_string());
    let mut bytes = Vec::new();
    clap_mangen::Man::new(page)
        .title(name.to_string())
        .source(format!("denialdesk {}", env!("CARGO_PKG_VERSION")))
        .manual("denialdesk manual")
        .render(&mut bytes)?;
    let file = out.join(format!("{name}.1"));
    replace_page(out, &file, &bytes)?;
    *written += 1;
    for sub in cmd.get_subcommands() {
        let sub_name = sub.get_name();
        write_page(
            out,
            sub,
            &format!("{name}-{sub_name}"),
            &format!("{typed} {sub_name}"),
            written,
        )?;
    }
    Ok(())
}

/// Writes a man page as a new file beside its place (created exclusively, never through
/// a link), readable by all, then renamed over the old page: a symbolic link planted in
/// a shared man folder is replaced, never written through.
fn replace_page(dir: &Path, file: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    let mut partial = tempfile::Builder::new()
        .prefix(".denialdesk-man.")
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    partial.write_all(bytes)?;
    partial
        .as_file()
        .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    partial.as_file().sync_all()?;
    partial
        .persist(file)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {}", file.display(), e.error))?;
    Ok(())
}
