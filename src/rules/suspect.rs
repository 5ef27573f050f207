//! The cheap scan of a pack file's text for list items that YAML may have
//! folded into the line above (see `indent`). A file of the embedded pack
//! with such a line is left for the loader to read from its YAML: `build.rs`
//! reads this file too.

/// Lines that may be list items indented deeper than the line above them:
/// YAML folds such a line into the plain text above (`- a` then `   - b`
/// reads as one item `a - b`). Cheap, so every file is scanned; a file with
/// a suspect line is confirmed by `indent::misindented`.
pub fn suspect_lines(text: &str) -> bool {
    let mut above: Option<(usize, &str)> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = line.len() - trimmed.len();
        if (trimmed.starts_with("- ") || trimmed == "-")
            && let Some((above_indent, above_text)) = above
            && indent > above_indent
            && !above_text.trim_end().ends_with(':')
        {
            return true;
        }
        above = Some((indent, trimmed));
    }
    false
}
