//! `imr-audit explain [ID]`.

use super::{Diagnostics, Outcome};
use crate::checks::explain;
use crate::finding::Check;
use crate::{ExitStatus, output};

pub fn run(id: Option<Check>) -> Outcome {
    let diagnostics = Diagnostics::default();
    let text = match id {
        None => {
            let mut table = comfy_table::Table::new();
            table
                .load_style(comfy_table::presets::NOTHING)
                .set_content_arrangement(comfy_table::ContentArrangement::Disabled)
                .force_no_tty();
            for &check in Check::ALL {
                table.add_row([check.id(), explain::text(check).summary]);
            }
            if let Some(ids) = table.column_mut(0) {
                ids.set_padding((2, 1));
            }
            format!(
                "Checks (imr-audit explain ID for details):\n{}\n",
                table.trim_fmt()
            )
        }
        Some(check) => explain::render(check),
    };
    output::emit(None, text.as_bytes())?;
    Ok((ExitStatus::Success, diagnostics))
}
