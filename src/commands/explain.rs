//! `imr-audit explain [ID]`.

use super::{Diagnostics, Outcome};
use crate::checks::explain;
use crate::finding::Check;
use crate::{ExitStatus, output};

pub fn run(id: Option<Check>) -> Outcome {
    let diagnostics = Diagnostics::default();
    let text = match id {
        None => {
            let mut text = String::from("Checks (imr-audit explain ID for details):\n");
            for &check in Check::ALL {
                text.push_str(&format!(
                    "  {:<24} {}\n",
                    check.id(),
                    explain::text(check).summary
                ));
            }
            text
        }
        Some(check) => explain::render(check),
    };
    output::emit(None, text.as_bytes())?;
    Ok((ExitStatus::Success, diagnostics))
}
