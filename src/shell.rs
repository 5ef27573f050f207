//! Shell completions and man pages, generated from the command-line
//! definition in [`crate::cli`] (clap_complete, clap_mangen), so they
//! cannot drift from the options the binary accepts. `imr-audit completions
//! SHELL` and `imr-audit man [COMMAND]...` print them; packagers install
//! the output (see the README).

use clap::CommandFactory;

use crate::cli::Cli;

/// The name the binary is called by, in completions and man pages.
const BIN: &str = "imr-audit";

/// The completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, BIN, &mut out);
    out
}

/// The man page of the command named by `path` (empty: `imr-audit(1)`,
/// `["check"]`: `imr-audit-check(1)`, `["rules", "lint"]`:
/// `imr-audit-rules-lint(1)`), in roff.
pub fn man_page(path: &[String]) -> anyhow::Result<Vec<u8>> {
    let mut cmd = Cli::command();
    cmd.build();
    let mut name = BIN.to_owned();
    for part in path {
        let Some(sub) = cmd.find_subcommand(part).cloned() else {
            let known: Vec<&str> = cmd
                .get_subcommands()
                .map(|s| s.get_name())
                .filter(|n| *n != "help")
                .collect();
            anyhow::bail!(
                "`{name}` has no command `{part}`; its commands: {}",
                known.join(", ")
            );
        };
        name = format!("{name}-{}", sub.get_name());
        cmd = sub;
    }
    let mut invoked = vec![BIN.to_owned()];
    invoked.extend(path.iter().cloned());
    let cmd = cmd.name(name).bin_name(invoked.join(" "));
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd)
        .manual("imr-audit manual")
        .source(format!("imr-audit {}", env!("CARGO_PKG_VERSION")))
        .render(&mut out)?;
    Ok(out)
}

/// The paths of every command with a man page: `[]`, `["check"]`, …,
/// `["rules", "lint"]`, … (for generating them all).
pub fn commands() -> Vec<Vec<String>> {
    fn walk(cmd: &clap::Command, path: Vec<String>, out: &mut Vec<Vec<String>>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let mut p = path.clone();
            p.push(sub.get_name().to_owned());
            walk(sub, p, out);
        }
        out.push(path);
    }
    let mut out = Vec::new();
    walk(&Cli::command(), Vec::new(), &mut out);
    out.sort();
    out
}
