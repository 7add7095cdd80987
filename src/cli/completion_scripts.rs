//! What each shell's completion script gets beside clap's static one: claim ids and user
//! names from the database (`complete-values`, in `complete.rs`). bash, zsh and fish
//! decide in the script where a claim or a user goes; elvish and PowerShell hand the
//! words before the cursor to `complete-values line` and fall back to clap's completion
//! when it says the word is neither (exit 4).

use super::complete::CLAIM_COMMANDS;

/// What bash adds after clap's script: a claim for the claim commands' first argument and
/// `audit --claim`, a user for `assign`'s second and `--owner`; clap's completion otherwise.
pub fn bash() -> String {
    format!(
        r#"
# Dynamic values (claim ids, users) from the database.
_denialdesk_dynamic() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    local i sub="" pos=0
    for (( i=1; i<COMP_CWORD; i++ )); do
        case "${{COMP_WORDS[i]}}" in
            --db|--payers|--server|--view|--owner|--claim) (( i++ )) ;;
            -*) ;;
            *) if [[ -z "$sub" ]]; then sub="${{COMP_WORDS[i]}}"; else (( pos++ )); fi ;;
        esac
    done
    local kind=""
    case "$prev" in
        --claim) kind=claims ;;
        --owner) kind=users ;;
    esac
    if [[ -z "$kind" && "$cur" != -* ]]; then
        case " {claims} " in
            *" $sub "*) [[ $pos -eq 0 ]] && kind=claims ;;
        esac
        [[ "$sub" == assign && $pos -eq 1 ]] && kind=users
    fi
    if [[ -n "$kind" ]]; then
        COMPREPLY=( $(denialdesk complete-values "$kind" "$cur" 2>/dev/null) )
        return 0
    fi
    _denialdesk "$@"
}}
complete -F _denialdesk_dynamic -o bashdefault -o default denialdesk
"#,
        claims = CLAIM_COMMANDS.join(" ")
    )
}

/// zsh: clap's script with the claim and user arguments (`:_default`) completed from the
/// database instead, and the two helpers that ask for the values.
pub fn zsh(script: &str) -> String {
    let mut out = String::with_capacity(script.len() + 512);
    for line in script.lines() {
        let t = line.trim_start();
        let claim = t.starts_with("':claim -- ") || t.starts_with("'--claim=[");
        let user = t.starts_with("':user -- ") || t.starts_with("'--owner=[");
        let line = match (claim, user) {
            (true, _) => line.replacen(":_default'", ":_denialdesk_claims'", 1),
            (_, true) => line.replacen(":_default'", ":_denialdesk_users'", 1),
            _ => line.to_string(),
        };
        if line.starts_with("if [ \"$funcstack[1]\" = \"_denialdesk\" ]") {
            out.push_str(ZSH_HELPERS);
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

const ZSH_HELPERS: &str = r#"# Dynamic values (claim ids, users) from the database.
(( $+functions[_denialdesk_claims] )) ||
_denialdesk_claims() {
    local -a values
    values=(${(f)"$(denialdesk complete-values claims "$PREFIX" 2>/dev/null)"})
    compadd -a values
}
(( $+functions[_denialdesk_users] )) ||
_denialdesk_users() {
    local -a values
    values=(${(f)"$(denialdesk complete-values users "$PREFIX" 2>/dev/null)"})
    compadd -a values
}

"#;

/// What fish adds: the same values where the same arguments are.
pub fn fish() -> String {
    format!(
        "\n# Dynamic values (claim ids, users) from the database.\n\
         complete -c denialdesk -n '__fish_seen_subcommand_from {claims}; and test (count (commandline -opc)) -eq 2' -f -a '(denialdesk complete-values claims (commandline -ct) 2>/dev/null)'\n\
         complete -c denialdesk -n '__fish_seen_subcommand_from audit' -l claim -f -a '(denialdesk complete-values claims (commandline -ct) 2>/dev/null)'\n\
         complete -c denialdesk -n '__fish_seen_subcommand_from assign; and test (count (commandline -opc)) -eq 3' -f -a '(denialdesk complete-values users (commandline -ct) 2>/dev/null)'\n\
         complete -c denialdesk -l owner -f -a '(denialdesk complete-values users (commandline -ct) 2>/dev/null)'\n",
        claims = CLAIM_COMMANDS.join(" ")
    )
}

/// elvish: clap's arg-completer kept as `denialdesk-clap`, and one in front of it that
/// asks `complete-values line` first (elvish passes every word, the one being typed
/// last) and uses clap's when that exits non-zero.
pub fn elvish(script: &str) -> String {
    const CLAP: &str = "set edit:completion:arg-completer[denialdesk] = {|@words|";
    let script = script.replacen(CLAP, "var denialdesk-clap~ = {|@words|", 1);
    format!(
        "{script}
# Dynamic values (claim ids, users) from the database; clap's completion elsewhere.
set edit:completion:arg-completer[denialdesk] = {{|@words|
    # (`$@words[..-1]` would slice each word: the words before the last go as a list.)
    var before = $words[..-1]
    var dynamic = $true
    var values = [(
        try {{
            e:denialdesk complete-values line --typing=$words[-1] -- $@before 2>/dev/null
        }} catch {{
            set dynamic = $false
        }}
    )]
    if $dynamic {{
        put $@values
    }} else {{
        denialdesk-clap $@words
    }}
}}
"
    )
}

/// PowerShell: clap's completer kept as the function `_denialdesk_clap`, and one in
/// front of it that hands the words before the one being typed (the command's name
/// first) to `complete-values line` and uses clap's when that exits non-zero. The word
/// being typed goes as `--typing=WORD`: PowerShell before 7.3 drops an empty argument.
pub fn powershell(script: &str) -> String {
    const CLAP: &str =
        "Register-ArgumentCompleter -Native -CommandName 'denialdesk' -ScriptBlock {";
    let script = script.replacen(CLAP, "function global:_denialdesk_clap {", 1);
    format!(
        "{script}
# Dynamic values (claim ids, users) from the database; clap's completion elsewhere.
Register-ArgumentCompleter -Native -CommandName 'denialdesk' -ScriptBlock {{
    param($wordToComplete, $commandAst, $cursorPosition)
    $start = $cursorPosition - $wordToComplete.Length
    $before = @($commandAst.CommandElements |
        Where-Object {{ $_.Extent.EndOffset -le $start }} |
        ForEach-Object {{ $_.Extent.Text }})
    # The user's $LASTEXITCODE is theirs: kept. Set to 1 first, so a denialdesk not on
    # PATH falls back to clap's completion too.
    $saved = $global:LASTEXITCODE
    $global:LASTEXITCODE = 1
    $values = @(& denialdesk complete-values line \"--typing=$wordToComplete\" -- @before 2>$null)
    $dynamic = $global:LASTEXITCODE -eq 0
    $global:LASTEXITCODE = $saved
    if ($dynamic) {{
        foreach ($value in $values) {{
            [System.Management.Automation.CompletionResult]::new($value, $value,
                [System.Management.Automation.CompletionResultType]::ParameterValue, $value)
        }}
    }} else {{
        _denialdesk_clap $wordToComplete $commandAst $cursorPosition
    }}
}}
"
    )
}
