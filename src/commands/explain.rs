//! `imr-audit explain [ID]`.

use super::{Diagnostics, Outcome};
use crate::checks::explain;
use crate::finding::Check;
use crate::{ExitStatus, output};

pub fn run(id: Option<String>) -> Outcome {
    let mut diagnostics = Diagnostics::default();
    let text = match id {
        None => {
            let mut text = String::from("Checks (imr-audit explain ID for details):\n");
            for check in Check::ALL {
                text.push_str(&format!(
                    "  {:<24} {}\n",
                    check.id(),
                    explain::text(check).summary
                ));
            }
            text
        }
        Some(id) => match Check::from_id(&id) {
            Some(check) => explain::render(check),
            None => {
                let ids: Vec<&str> = Check::ALL.iter().map(|c| c.id()).collect();
                diagnostics.messages.push(format!(
                    "error: unknown check `{id}`; known checks: {}",
                    ids.join(", ")
                ));
                return Ok((ExitStatus::Error, diagnostics));
            }
        },
    };
    output::emit(None, text.as_bytes())?;
    Ok((ExitStatus::Success, diagnostics))
}
