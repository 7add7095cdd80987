//! `denialdesk`: parse the command line and dispatch.

fn main() -> std::process::ExitCode {
    // Piped into `head` or `less`: end quietly when the reader goes away, as Unix tools do,
    // instead of panicking on a closed stdout. (SIGPIPE itself stays ignored: a write to a
    // team server that just went away must be an error to handle, not a silent death.)
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default_hook(info)
    }));
    let cli = denialdesk::cli::Cli::parse_with_sources();
    match denialdesk::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            let code = denialdesk::cli::exit::code(&e);
            if code == 4 {
                // Nothing to do is a note, not an error (empty under --quiet).
                let note = format!("{e:#}");
                if !note.is_empty() {
                    eprintln!("{note}");
                }
            } else {
                eprintln!("error: {e:#}");
            }
            std::process::ExitCode::from(code)
        }
    }
}
