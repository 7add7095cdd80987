//! `denialdesk`: parse the command line and dispatch.

use clap::Parser;

fn main() -> std::process::ExitCode {
    // Piped into `head` or `less`: end quietly when the reader goes away, as Unix tools do,
    // instead of panicking on a closed stdout.
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = denialdesk::cli::Cli::parse();
    match denialdesk::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
