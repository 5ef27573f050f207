//! List items indented deeper than the line above them. YAML folds such
//! a line into the plain text above (`- a` then `   - b` reads as one item,
//! `a - b`), which would otherwise surface later as an undefined fact named
//! `a - b` at the wrong line. A cheap scan of the text finds files that may
//! hold one; their tree of located nodes confirms each.

use serde_saphyr::Spanned;

use super::shape::{Flaw, Node};

pub(super) use super::suspect::suspect_lines;

/// Every list item that YAML folded into the text above it: a plain
/// scalar spanning several lines, one of which starts with `- `.
pub(super) fn misindented(tree: &Spanned<Node>, text: &str) -> Vec<Flaw> {
    let mut out = Vec::new();
    folded(tree, text, &mut out);
    out
}

fn folded(node: &Spanned<Node>, text: &str, out: &mut Vec<Flaw>) {
    match &node.value {
        Node::Seq(items) => items.iter().for_each(|n| folded(n, text, out)),
        Node::Map(entries) => entries.iter().for_each(|(_, v)| folded(v, text, out)),
        Node::Str(value) => {
            let span = node.referenced.span();
            let (Some(start), Some(len)) = (span.byte_offset(), span.byte_len()) else {
                return;
            };
            let (start, len) = (start as usize, len as usize);
            let Some(source) = text.get(start..start + len) else {
                return;
            };
            if source.starts_with(['|', '>', '"', '\'']) {
                return;
            }
            let first_line = node.referenced.line() as usize;
            let first = source.lines().next().unwrap_or_default().trim();
            for (i, line) in source.lines().enumerate().skip(1) {
                let trimmed = line.trim_start();
                if !(trimmed.starts_with("- ") || trimmed == "-") {
                    continue;
                }
                let line_no = first_line + i;
                let column = text
                    .lines()
                    .nth(line_no - 1)
                    .map_or(1, |l| l.len() - l.trim_start().len() + 1);
                out.push(Flaw {
                    line: line_no,
                    column,
                    width: Some(trimmed.trim_end().chars().count()),
                    message: format!(
                        "this list item is indented deeper than `{first}` above it, so YAML reads the two as one value: `{value}`"
                    ),
                    hint: format!(
                        "indent `{}` exactly as the item above it (line {first_line})",
                        trimmed.trim_end()
                    ),
                });
            }
        }
        _ => {}
    }
}
