//! The `imr-audit` binary: parses arguments, runs the library, maps the
//! outcome to an exit code (0 clean, 1 findings, 2 errors, 130 interrupted)
//! and treats a closed pipe as success.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    tune_allocator();
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

/// Lets glibc's malloc grow a heap by 32 MiB at a time rather than by what
/// each request needs. A thread's heap grows by a system call that takes
/// the process's memory-map lock, on which the other thread's page faults
/// then wait: with two threads building programs and automata at start-up,
/// growing in small steps cost a tenth of a one-letter run
/// (docs/PERFORMANCE.md). The padding is address space: a page costs memory
/// only once written, and peak memory is unchanged.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn tune_allocator() {
    const TOP_PAD: libc::c_int = 32 << 20;
    // SAFETY: `mallopt` only sets one of malloc's parameters, and this runs
    // first in `main`, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, TOP_PAD);
    }
}

/// Other allocators need no setting.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}
