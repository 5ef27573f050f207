//! The embedded pack's patterns, checked and prepared when the binary is
//! built: `build.rs` parses every pattern string of `rules/` (with
//! [`super::literals`], the same code the loader uses) and records the
//! literals its matches need. Loading the pack then looks a pattern up here
//! instead of parsing it, which was most of the start-up.
//!
//! The table is keyed by the pattern's text, so it is right for any pack: a
//! `--rules` pack's pattern that the embedded pack also holds is found here,
//! and any other is parsed at load as before. A pattern that does not parse
//! is never in the table, so its error is still reported at its file, line
//! and column.

/// The prepared patterns, sorted by source: (source as the loader parses it,
/// the sets of literals every match contains one of each:
/// [`super::literals::required_conjuncts_of`]).
static PREPARED: &[(&str, &[&[&[u8]]])] =
    include!(concat!(env!("OUT_DIR"), "/prepared_patterns.rs"));

/// The literal sets of `source` when the build prepared it (empty for a
/// pattern that parses but has no useful literal); `None` when the pattern
/// was not prepared (it must be parsed). Borrowed from the binary: a pack's
/// load copies none of them.
pub fn conjuncts(source: &str) -> Option<&'static [&'static [&'static [u8]]]> {
    let at = PREPARED
        .binary_search_by(|(key, _)| (*key).cmp(source))
        .ok()?;
    Some(PREPARED[at].1)
}

/// How many patterns were prepared.
pub fn len() -> usize {
    PREPARED.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::literals;

    #[test]
    fn the_table_is_sorted_and_agrees_with_the_loader() {
        assert!(len() > 1000, "the embedded pack has some 1,900 patterns");
        assert!(PREPARED.windows(2).all(|w| w[0].0 < w[1].0));
        for (source, _) in PREPARED.iter().step_by(7) {
            let hir = literals::parse(source, false).expect("only patterns that parse");
            assert_eq!(
                conjuncts(source)
                    .map(|sets| super::super::pattern::Conjuncts::Prepared(sets).to_vec()),
                Some(literals::required_conjuncts_of(&hir)),
                "{source}"
            );
        }
        assert_eq!(conjuncts("(unclosed"), None);
    }

    #[test]
    fn every_pattern_of_the_embedded_pack_is_prepared() {
        let pack = crate::rules::Pack::load(&[] as &[&std::path::Path])
            .unwrap_or_else(|p| panic!("{}", p[0]));
        let facts = pack
            .facts
            .iter()
            .flat_map(|f| f.patterns.iter().chain(&f.absent_patterns));
        let requests = pack
            .rules
            .iter()
            .flat_map(|r| r.applies_to.iter().chain(&r.excludes));
        let lexicon = pack.lexicon.iter().map(|(p, _)| p);
        let documents = pack.catalogue.documents.iter().flat_map(|d| &d.patterns);
        let all: Vec<_> = facts
            .chain(requests)
            .chain(lexicon)
            .chain(documents)
            .collect();
        assert!(all.len() > 1000);
        let missing: Vec<&str> = all
            .iter()
            .map(|p| p.as_str())
            .filter(|p| conjuncts(p).is_none())
            .collect();
        assert!(missing.is_empty(), "not prepared by build.rs: {missing:?}");
    }
}
