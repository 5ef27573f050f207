//! The `imr-audit` binary: parses arguments, runs the library, maps the
//! outcome to an exit code (0 clean, 1 findings, 2 errors, 130 interrupted)
//! and treats a closed pipe as success.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

/// mimalloc rather than the system's allocator: a run makes and drops
/// many small vectors and strings per letter, and mimalloc's thread-local
/// free lists make each allocation a fraction of glibc malloc's cost (a
/// sixth of the instructions of a corpus run, docs/PERFORMANCE.md). It is
/// built without transparent huge pages (`no_thp`): with them, its arenas
/// made peak memory half as large again.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = imr_audit::cli::Cli::parse();
    imr_audit::output::remove_temporaries_on_signal();
    let color = imr_audit::report::style::enabled(cli.color, std::io::stderr().is_terminal());
    match imr_audit::run(cli) {
        Ok((status, diagnostics)) => {
            let mut stderr = std::io::stderr().lock();
            for message in &diagnostics.messages {
                let _ = writeln!(stderr, "{}", message.render(color));
            }
            ExitCode::from(status.code())
        }
        Err(err) => {
            if err.chain().any(|cause| {
                cause
                    .downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            let error = imr_audit::diagnostic::Diagnostic::Message {
                level: imr_audit::diagnostic::Level::Error,
                text: format!("{err:#}"),
            };
            let _ = writeln!(std::io::stderr(), "{}", error.render(color));
            ExitCode::from(2)
        }
    }
}
