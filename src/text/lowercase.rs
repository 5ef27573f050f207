//! A pack pattern read for lower-case text: its letters lowered, compiled
//! case-sensitively, and searched over the text in lower case.
//!
//! The pack's patterns match case-insensitively. In ASCII mode that makes
//! every letter a class of two bytes (`k` is `[Kk]`), which is a third of
//! the cost of compiling a pattern. An ASCII text lowered keeps every offset
//! (one byte stays one byte), and over a text with no upper-case letter a
//! case-insensitive pattern matches exactly where the same pattern with its
//! letters lowered matches case-sensitively:
//!
//! - a literal letter stands for itself and its other case; only the lower
//!   case can occur, so the literal is lowered;
//! - a class holds a byte of the text when it holds the byte or, for a
//!   lower-case letter, its upper case (case folding comes before a
//!   negation or a set operation, in regex-syntax as here): each item of a
//!   class gains the lower case of the upper-case letters it holds, which
//!   keeps negations, intersections and differences exact.
//!
//! The ASCII program reads ASCII text alone, so a class member outside
//! ASCII (the curly apostrophe of `['’]s`) is left out of the reading: it
//! cannot match such a text, in either program.
//!
//! A pattern this reading cannot keep exact is left to the case-insensitive
//! compile: one that turns case-insensitivity off (`(?-i)`), holds a
//! character outside ASCII other than as a class member, holds one that
//! case folding pairs with an ASCII letter (the KELVIN SIGN with `k`),
//! or names an ASCII class by case (`[[:upper:]]`) or a Unicode class.

use regex_syntax::ast::{self, Ast, ClassSet, ClassSetItem, ClassSetRange};
use regex_syntax::hir::Hir;

use super::literals::FOLDS_TO_ASCII;

/// The pattern read for lower-case text (`lazy` swaps greediness), as ASCII
/// mode reads it; `None` when it cannot be read so exactly, or does not parse.
pub fn lowercase_reading(source: &str, lazy: bool) -> Option<Hir> {
    let mut ast = ast::parse::Parser::new().parse(source).ok()?;
    lower(&mut ast).then_some(())?;
    regex_syntax::hir::translate::TranslatorBuilder::new()
        .unicode(false)
        .utf8(false)
        .case_insensitive(false)
        .swap_greed(lazy)
        .build()
        .translate(source, &ast)
        .ok()
}

/// Lowers `ast` in place; `false` when the reading would not be exact.
fn lower(ast: &mut Ast) -> bool {
    match ast {
        Ast::Empty(_) | Ast::Dot(_) | Ast::Assertion(_) | Ast::ClassPerl(_) => true,
        Ast::ClassUnicode(_) => false,
        Ast::Flags(set) => keeps_case_insensitive(&set.flags),
        Ast::Literal(literal) => {
            literal.c = literal.c.to_ascii_lowercase();
            literal.c.is_ascii()
        }
        Ast::ClassBracketed(class) => lower_set(&mut class.kind),
        Ast::Repetition(repetition) => lower(&mut repetition.ast),
        Ast::Group(group) => {
            if let ast::GroupKind::NonCapturing(flags) = &group.kind
                && !keeps_case_insensitive(flags)
            {
                return false;
            }
            lower(&mut group.ast)
        }
        Ast::Alternation(alternation) => alternation.asts.iter_mut().all(lower),
        Ast::Concat(concat) => concat.asts.iter_mut().all(lower),
    }
}

/// Whether the reading stays exact under `flags`: a `-` before `i` turns
/// case-insensitivity off, and `u` turns Unicode on, whose case folding
/// pairs letters with characters outside ASCII (`\x{212A}`, the Kelvin
/// sign, with `k`) that lowering ASCII letters cannot pair.
fn keeps_case_insensitive(flags: &ast::Flags) -> bool {
    let mut negated = false;
    for item in &flags.items {
        match item.kind {
            ast::FlagsItemKind::Negation => negated = true,
            ast::FlagsItemKind::Flag(ast::Flag::CaseInsensitive) if negated => return false,
            ast::FlagsItemKind::Flag(ast::Flag::Unicode) if !negated => return false,
            ast::FlagsItemKind::Flag(_) => {}
        }
    }
    true
}

fn lower_set(set: &mut ClassSet) -> bool {
    match set {
        ClassSet::Item(item) => lower_item(item),
        ClassSet::BinaryOp(op) => lower_set(&mut op.lhs) && lower_set(&mut op.rhs),
    }
}

/// Adds to a class item the lower case of the upper-case letters it holds.
fn lower_item(item: &mut ClassSetItem) -> bool {
    match item {
        ClassSetItem::Empty(_) | ClassSetItem::Perl(_) => true,
        ClassSetItem::Unicode(_) => false,
        ClassSetItem::Ascii(class) => !matches!(
            class.kind,
            ast::ClassAsciiKind::Upper | ast::ClassAsciiKind::Lower
        ),
        ClassSetItem::Literal(literal) => {
            if !literal.c.is_ascii() {
                return leave_out(item);
            }
            literal.c = literal.c.to_ascii_lowercase();
            true
        }
        ClassSetItem::Range(range) => {
            if !range.end.c.is_ascii() {
                if !range.start.c.is_ascii() {
                    return leave_out(item);
                }
                if FOLDS_TO_ASCII
                    .iter()
                    .any(|c| (range.start.c..=range.end.c).contains(c))
                {
                    return false;
                }
                range.end.c = '\x7F';
            }
            if let Some(union) = with_lower_case(range) {
                *item = union;
            }
            true
        }
        ClassSetItem::Bracketed(class) => lower_set(&mut class.kind),
        ClassSetItem::Union(union) => union.items.iter_mut().all(lower_item),
    }
}

/// Leaves a class member outside ASCII out of the reading (an ASCII text
/// never holds it); `false` for one that case folding pairs with an ASCII
/// letter, which the class holds through it.
fn leave_out(item: &mut ClassSetItem) -> bool {
    let (span, chars) = match item {
        ClassSetItem::Literal(literal) => (literal.span, literal.c..=literal.c),
        ClassSetItem::Range(range) => (range.span, range.start.c..=range.end.c),
        _ => return false,
    };
    if FOLDS_TO_ASCII.iter().any(|c| chars.contains(c)) {
        return false;
    }
    *item = ClassSetItem::Empty(span);
    true
}

/// A range that holds upper-case letters, with the range of their lower
/// case beside it.
fn with_lower_case(range: &ClassSetRange) -> Option<ClassSetItem> {
    let (start, end) = (range.start.c.max('A'), range.end.c.min('Z'));
    if start > end {
        return None;
    }
    let mut lowered = range.clone();
    lowered.start.c = start.to_ascii_lowercase();
    lowered.end.c = end.to_ascii_lowercase();
    Some(ClassSetItem::Union(ast::ClassSetUnion {
        span: range.span,
        items: vec![
            ClassSetItem::Range(range.clone()),
            ClassSetItem::Range(lowered),
        ],
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::meta::Regex;
    use regex_automata::util::syntax;

    fn insensitive(source: &str) -> Regex {
        Regex::builder()
            .syntax(
                syntax::Config::new()
                    .unicode(false)
                    .utf8(false)
                    .case_insensitive(true),
            )
            .build(source)
            .unwrap()
    }

    fn lowered(source: &str) -> Regex {
        Regex::builder()
            .build_from_hir(&lowercase_reading(source, false).expect("lowered"))
            .unwrap()
    }

    #[test]
    fn over_lower_case_text_the_lowered_reading_matches_where_case_insensitivity_does() {
        let patterns = [
            r"\bMRI\s+(?:of\s+)?the\s+(?P<n>[A-Z]+)\b",
            r"[^a-z]+",
            r"[^A-Z0-9]+",
            r"[A-Za-z]{3}",
            r"[0-z]+",
            r"[^\WA-F]+",
            r"[a-z&&[^M-P]]+",
            r"[A-Z--[K-M]]+",
            r"(?i:Knee)|(?x) L O W \s back",
            r"\x4Bnee|\u{4c}eft",
            r"[[:alpha:]]+[[:^digit:]]",
        ];
        let texts = [
            "The MRI of the Knee showed 3 tears; LOW back pain, left knee.",
            "mri OF THE spine: Mild [stenosis] at L4-5 (2016) ~ ok",
            "kneE Left lowback AbCdEfGhIjKlMnOpQrStUvWxYz 0123456789 ^_`{|}",
        ];
        for source in patterns {
            let (a, b) = (insensitive(source), lowered(source));
            for text in texts {
                let low = text.to_ascii_lowercase();
                let expected: Vec<_> = a.find_iter(text).map(|m| m.range()).collect();
                let got: Vec<_> = b.find_iter(&low).map(|m| m.range()).collect();
                assert_eq!(got, expected, "{source} on {text:?}");
            }
        }
    }

    #[test]
    fn what_the_reading_cannot_keep_exact_is_left_to_case_insensitivity() {
        for source in [
            r"(?-i)MRI",
            r"(?i-i:MRI)",
            r"[[:upper:]]",
            r"\pL",
            r"caf\u{e9}|café",
            r"the patient’s",
            r"[\x{212A}]nee",
            r"[a\x{100}-\x{17F}]",
            r"[\x{60}-\x{2100}]",
            r"(?u:\x{212A})nee",
            r"(?u)\x{17F}ession",
            r"(?iu)[\x{2100}-\x{2200}]",
            r"(",
        ] {
            assert!(lowercase_reading(source, false).is_none(), "{source}");
        }
    }

    /// A class member outside ASCII is left out: an ASCII text never holds
    /// it, so the reading matches where the ASCII reading of the Unicode
    /// parse does (that parse folds every letter into a class).
    #[test]
    fn a_class_member_outside_ascii_is_left_out_of_the_reading() {
        let texts = [
            "The Patient's knee; patients' KNEES, Gaenslen's test (ok) ~ 3/10",
            "",
            "x’y is not in an ASCII text, which holds ' and \" alone",
        ];
        for source in [
            r"patient(?:['’]?s)?\s+knee",
            r"gaenslen['’]?s\s+test",
            r"[’a-c]+",
            r"[^’]+",
            r"[^’\s]+",
            r"[\x{2000}-\x{2100}a-z]+",
            r"[\x{60}-\x{17E}]+",
            r"[’]|knee",
        ] {
            let unicode = crate::text::literals::parse(source, false).unwrap();
            let a = Regex::builder()
                .build_from_hir(&crate::text::dual_regex::ascii_reading(&unicode))
                .unwrap();
            let b = lowered(source);
            for text in texts.iter().filter(|t| t.is_ascii()) {
                let low = text.to_ascii_lowercase();
                let expected: Vec<_> = a.find_iter(*text).map(|m| m.range()).collect();
                let got: Vec<_> = b.find_iter(&low).map(|m| m.range()).collect();
                assert_eq!(got, expected, "{source} on {text:?}");
            }
        }
    }

    /// Every fact and catalogue pattern of the default pack, over the samples: the
    /// lowered reading over the lowered text finds the matches the
    /// case-insensitive ASCII program finds over the text.
    #[test]
    fn every_pattern_of_the_pack_reads_lower_case_text_alike() {
        let pack = crate::rules::Pack::load(&[] as &[&std::path::Path]).expect("the default pack");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut text = String::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                let letter = std::fs::read_to_string(path).unwrap();
                if letter.is_ascii() {
                    text.push_str(&letter);
                }
            }
        }
        let low = text.to_ascii_lowercase();
        // Fact patterns greedy, the catalogue's lazy (`.*` as `.*?`).
        let mut sources: Vec<(&str, bool)> = pack
            .facts
            .iter()
            .flat_map(|f| f.patterns.iter().chain(&f.absent_patterns))
            .map(|p| (p.as_str(), false))
            .chain(
                pack.catalogue
                    .documents
                    .iter()
                    .flat_map(|d| &d.patterns)
                    .map(|p| (p.as_str(), true)),
            )
            .collect();
        sources.sort_unstable();
        sources.dedup();
        let (mut lowered, mut matched) = (0, 0);
        for (source, lazy) in sources {
            let Some(hir) = lowercase_reading(source, lazy) else {
                continue;
            };
            lowered += 1;
            let b = Regex::builder().build_from_hir(&hir).unwrap();
            // ASCII mode reads no character outside ASCII: such a pattern
            // is compared with the ASCII reading of its Unicode parse.
            let a = Regex::builder()
                .syntax(
                    syntax::Config::new()
                        .unicode(false)
                        .utf8(false)
                        .case_insensitive(true)
                        .swap_greed(lazy),
                )
                .build(source)
                .unwrap_or_else(|_| {
                    let unicode = crate::text::literals::parse(source, lazy).unwrap();
                    Regex::builder()
                        .build_from_hir(&crate::text::dual_regex::ascii_reading(&unicode))
                        .unwrap()
                });
            let expected: Vec<_> = a.find_iter(&text).map(|m| m.range()).collect();
            let got: Vec<_> = b.find_iter(&low).map(|m| m.range()).collect();
            matched += usize::from(!expected.is_empty());
            assert_eq!(got, expected, "{source} (lazy: {lazy})");
        }
        assert!(lowered > 850, "only {lowered} patterns read lowered");
        assert!(matched > 100, "only {matched} patterns match the samples");
    }
}
