//! `denialdesk`: parse the command line and dispatch.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = denialdesk::cli::Cli::parse();
    match denialdesk::cli::run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
