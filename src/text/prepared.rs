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
//! and column. A pattern searched by lazy DFAs alone also finds here the
//! NFAs they are built from ([`programs`]), compiled by the build.

use super::literals::ByteSet;
use super::match_length::LengthBound;

/// The prepared patterns, sorted by source: (source as the loader parses it,
/// the sets of literals every match contains one of each:
/// [`super::literals::required_conjuncts_of`], the range of [`LOWERED`]
/// that holds its lower-case reading, empty when it has none, its reading
/// of projected texts, the bound on its matches' length read from its
/// lower-case reading, [`LengthBound::parts`], which of its literal sets
/// every match starts with, [`super::literals::start_set_of`], the
/// bytes a match can begin with, [`super::literals::first_bytes`], and
/// where [`PROGRAMS`] holds its forward NFA, its reverse NFA and their end:
/// [`programs`]).
static PREPARED: &[PreparedPattern] = include!(concat!(env!("OUT_DIR"), "/prepared_patterns.rs"));

/// One row of [`PREPARED`].
type PreparedPattern = (
    &'static str,
    LiteralSets,
    usize,
    usize,
    PreparedReading,
    Option<(u64, u64, u64, u64)>,
    Option<usize>,
    Option<ByteSet>,
    usize,
    usize,
    usize,
);

/// A pattern's reading of projected texts ([`super::projection::Reading`]):
/// the indices of its classes in [`CLASSES`], the bit set of its literals'
/// ASCII bytes, whether it has ASCII word boundaries, whether it is never
/// projected.
type PreparedReading = (&'static [u16], u128, bool, bool);

/// The classes of the prepared readings, each once, as sorted ranges.
static CLASSES: &[&[(char, char)]] = include!(concat!(env!("OUT_DIR"), "/prepared_classes.rs"));

/// The sets of literals a pattern's matches contain one of each.
type LiteralSets = &'static [&'static [&'static [u8]]];

/// Each prepared pattern's lower-case reading ([`super::lowercase`]) in the
/// byte form of [`super::hir_code`], one after another.
static LOWERED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/prepared_hirs.bin"));

/// The pack patterns' programs ([`programs`]), one after another; each row
/// names where its forward program starts, where its reverse one starts,
/// and where that ends.
static PROGRAMS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/prepared_nfas.bin"));

/// The literal sets of `source` when the build prepared it (empty for a
/// pattern that parses but has no useful literal); `None` when the pattern
/// was not prepared (it must be parsed). Borrowed from the binary: a pack's
/// load copies none of them.
pub fn conjuncts(source: &str) -> Option<LiteralSets> {
    prepared_literals(source).map(|prepared| prepared.sets)
}

/// What the build read of a pattern's literals and length.
#[derive(Clone, Copy, Debug)]
pub struct PreparedLiterals {
    /// [`conjuncts`].
    pub sets: LiteralSets,
    /// The bound on the length of the pattern's matches
    /// ([`LengthBound::of_pattern`] of its lower-case reading; `None` when
    /// it has none).
    pub length: Option<LengthBound>,
    /// Which set every match starts with ([`super::literals::start_set_of`]).
    pub starts_with: Option<usize>,
    /// The bytes a match can begin with ([`super::literals::first_bytes`]).
    pub first_bytes: Option<ByteSet>,
}

/// The row of `source` in [`PREPARED`]; `None` when the build did not
/// prepare it.
fn row(source: &str) -> Option<&'static PreparedPattern> {
    let at = PREPARED
        .binary_search_by(|(key, ..)| (*key).cmp(source))
        .ok()?;
    Some(&PREPARED[at])
}

/// [`PreparedLiterals`] of `source`; `None` when the build did not prepare it.
pub fn prepared_literals(source: &str) -> Option<PreparedLiterals> {
    let row = row(source)?;
    Some(PreparedLiterals {
        sets: row.1,
        length: row.5.map(LengthBound::from_parts),
        starts_with: row.6,
        first_bytes: row.7,
    })
}

/// The lower-case reading of `source` ([`super::lowercase::lowercase_reading`]):
/// the tree the build made for an embedded pattern read greedily, else the
/// pattern parsed now.
pub fn lowercase_reading(source: &str, lazy: bool) -> Option<regex_syntax::hir::Hir> {
    let prepared = if lazy { None } else { lowered(source) };
    prepared
        .and_then(super::hir_code::decode)
        .or_else(|| super::lowercase::lowercase_reading(source, lazy))
}

/// The lower-case reading of `source` (read greedily) as the build wrote
/// it, for [`super::hir_code::decode`]; `None` when the build did not
/// prepare the pattern or it has no such reading.
pub fn lowered(source: &str) -> Option<&'static [u8]> {
    let (_, _, start, end, ..) = *row(source)?;
    (start < end).then(|| &LOWERED[start..end])
}

/// The reading of projected texts ([`super::projection::Reading`]) of
/// `source` when the build prepared it; `None` when the pattern must be
/// parsed for it.
pub fn projection_reading(source: &str) -> Option<super::projection::Reading> {
    let (classes, literal_bytes, ascii_word_boundaries, never) = row(source)?.4;
    let classes = classes
        .iter()
        .map(|&i| std::borrow::Cow::Borrowed(CLASSES[usize::from(i)]))
        .collect();
    Some(super::projection::Reading::from_parts(
        classes,
        literal_bytes,
        ascii_word_boundaries,
        never,
    ))
}

/// The forward and reverse NFAs the build compiled from `source`'s
/// lower-case reading (read greedily) for its lazy DFAs, in the byte form
/// of [`super::nfa_code`]; `None` when the build did not prepare the
/// pattern, or it has a value group (the meta regex searches it).
pub fn programs(source: &str) -> Option<(&'static [u8], &'static [u8])> {
    let (.., forward, reverse, end) = *row(source)?;
    (forward < reverse).then(|| (&PROGRAMS[forward..reverse], &PROGRAMS[reverse..end]))
}

/// How many patterns were prepared.
pub fn len() -> usize {
    PREPARED.len()
}

/// The patterns prepared, as the table keys them.
#[cfg(test)]
pub fn sources() -> impl Iterator<Item = &'static str> {
    PREPARED.iter().map(|row| row.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::literals;

    #[test]
    fn the_table_is_sorted_and_agrees_with_the_loader() {
        assert!(len() > 1000, "the embedded pack has some 1,900 patterns");
        assert!(PREPARED.windows(2).all(|w| w[0].0 < w[1].0));
        for (source, ..) in PREPARED.iter().step_by(7) {
            let hir = literals::parse(source, false).expect("only patterns that parse");
            let sets = literals::required_conjuncts_of(&hir);
            let prepared = prepared_literals(source).expect("a prepared pattern");
            assert_eq!(
                super::super::pattern::Conjuncts::Prepared(prepared.sets).to_vec(),
                sets,
                "{source}"
            );
            assert_eq!(
                prepared.starts_with,
                literals::start_set_of(&hir, &sets),
                "{source}"
            );
            assert_eq!(
                prepared.first_bytes,
                literals::first_bytes(&hir),
                "{source}"
            );
        }
        assert_eq!(conjuncts("(unclosed"), None);
    }

    /// Every prepared lower-case reading is the tree the pattern reads
    /// to at run time, and its bound on a match's length that tree's.
    #[test]
    fn every_prepared_reading_decodes_to_the_patterns_own() {
        let (mut read, mut bounded) = (0, 0);
        for (source, ..) in PREPARED {
            let tree = crate::text::lowercase::lowercase_reading(source, false);
            let prepared = lowered(source).map(|bytes| {
                crate::text::hir_code::decode(bytes).expect("the build's bytes decode")
            });
            assert_eq!(prepared, tree, "{source}");
            // The bound on a match's length is that reading's.
            let length = prepared_literals(source).and_then(|prepared| prepared.length);
            assert_eq!(
                length,
                tree.as_ref().and_then(LengthBound::of_pattern),
                "{source}"
            );
            bounded += usize::from(length.is_some());
            read += usize::from(tree.is_some());
        }
        assert!(read > 1000, "{read} patterns with a lower-case reading");
        assert!(
            bounded * 10 > read * 8,
            "{bounded} of {read} with a bounded length"
        );
    }

    /// Every prepared reading of projected texts is the one the pattern's
    /// Unicode parse gives.
    #[test]
    fn every_prepared_projection_reading_is_the_patterns_own() {
        let mut read = 0;
        for (source, ..) in PREPARED {
            let hir = literals::parse(source, false).expect("only patterns that parse");
            assert_eq!(
                projection_reading(source),
                Some(crate::text::projection::Reading::of(&hir)),
                "{source}"
            );
            read += 1;
        }
        assert!(read > 1000, "{read} patterns with a prepared reading");
        assert_eq!(projection_reading("(unclosed"), None);
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
