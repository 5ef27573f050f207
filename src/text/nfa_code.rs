//! A compact byte form of a compiled Thompson NFA, so that `build.rs` can
//! compile each pattern of the embedded pack once — the forward program
//! its lazy DFA is built from, and the reverse one that finds where a match
//! starts — and the binary rebuild the NFA from bytes instead of compiling
//! its syntax tree at every run. Compiling the tree was a tenth of a
//! distinct letter's cost: the patterns a letter needs are compiled on
//! first use.
//!
//! The NFA is rebuilt with regex-automata's own builder, state for state
//! in the compiled order: every state of a compiled NFA is one the builder
//! makes from one call (the compiler's empty states are gone by then), so
//! each keeps its number and the rebuilt NFA is the compiled one
//! (`decode(&encode(n)) == n` as the crate prints them, tested for every
//! pattern of the pack). An NFA with a state the form does not hold (a
//! capture, a dense state, more than one pattern) is not encoded, and
//! bytes that do not decode give `None`: the pattern is compiled as
//! before.

use regex_automata::nfa::thompson::{self, Builder, NFA, State, Transition, WhichCaptures};
use regex_automata::util::look::Look;
use regex_automata::util::primitives::{PatternID, StateID};
use regex_syntax::hir::{Hir, HirKind};

use super::hir_code::Reader;

/// The largest compiled program a pack pattern may have.
pub const SIZE_LIMIT: usize = 1 << 24;

/// The NFA configuration of the meta regex, without capture states.
pub fn nfa_config(size_limit: usize) -> thompson::Config {
    thompson::Config::new()
        .utf8(true)
        .nfa_size_limit(Some(size_limit))
        .shrink(false)
        .which_captures(WhichCaptures::None)
}

/// Whether `hir` holds a group named `name`.
pub fn names_group(hir: &Hir, name: &str) -> bool {
    if hir.properties().explicit_captures_len() == 0 {
        return false;
    }
    match hir.kind() {
        HirKind::Capture(capture) => {
            capture.name.as_deref() == Some(name) || names_group(&capture.sub, name)
        }
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().any(|sub| names_group(sub, name))
        }
        HirKind::Repetition(repetition) => names_group(&repetition.sub, name),
        _ => false,
    }
}

const BYTE_RANGE: u8 = 0;
const SPARSE: u8 = 1;
const LOOK: u8 = 2;
const UNION: u8 = 3;
const BINARY_UNION: u8 = 4;
const FAIL: u8 = 5;
const MATCH: u8 = 6;

/// The bytes of `nfa`; `None` for an NFA the form does not hold.
pub fn encode(nfa: &NFA) -> Option<Vec<u8>> {
    if nfa.pattern_len() != 1 || nfa.start_pattern(PatternID::ZERO) != Some(nfa.start_anchored()) {
        return None;
    }
    let mut out = vec![u8::from(nfa.is_utf8()), u8::from(nfa.is_reverse())];
    number(nfa.states().len(), &mut out);
    number(nfa.start_anchored().as_usize(), &mut out);
    number(nfa.start_unanchored().as_usize(), &mut out);
    for state in nfa.states() {
        match state {
            State::ByteRange { trans } => {
                out.push(BYTE_RANGE);
                transition(trans, &mut out);
            }
            State::Sparse(sparse) => {
                out.push(SPARSE);
                number(sparse.transitions.len(), &mut out);
                for trans in sparse.transitions.iter() {
                    transition(trans, &mut out);
                }
            }
            State::Look { look, next } => {
                out.push(LOOK);
                number(look.as_repr() as usize, &mut out);
                number(next.as_usize(), &mut out);
            }
            State::Union { alternates } => {
                out.push(UNION);
                number(alternates.len(), &mut out);
                for alternate in alternates.iter() {
                    number(alternate.as_usize(), &mut out);
                }
            }
            State::BinaryUnion { alt1, alt2 } => {
                out.push(BINARY_UNION);
                number(alt1.as_usize(), &mut out);
                number(alt2.as_usize(), &mut out);
            }
            State::Fail => out.push(FAIL),
            State::Match { pattern_id } if *pattern_id == PatternID::ZERO => out.push(MATCH),
            State::Match { .. } | State::Dense(_) | State::Capture { .. } => return None,
        }
    }
    Some(out)
}

/// The NFA `bytes` encode, no larger than `size_limit` bytes; `None` when
/// they are not one whole NFA or it is larger.
pub fn decode(bytes: &[u8], size_limit: Option<usize>) -> Option<NFA> {
    let mut reader = Reader::new(bytes);
    let mut builder = Builder::new();
    builder.set_utf8(reader.byte()? == 1);
    builder.set_reverse(reader.byte()? == 1);
    builder.set_size_limit(size_limit).ok()?;
    let len = reader.count()?;
    let start_anchored = reader.state()?;
    let start_unanchored = reader.state()?;
    builder.start_pattern().ok()?;
    for at in 0..len {
        let id = match reader.byte()? {
            BYTE_RANGE => builder.add_range(reader.transition()?),
            SPARSE => {
                let n = reader.count()?;
                let transitions = (0..n)
                    .map(|_| reader.transition())
                    .collect::<Option<Vec<_>>>()?;
                builder.add_sparse(transitions)
            }
            LOOK => {
                let look = Look::from_repr(u32::try_from(reader.number()?).ok()?)?;
                builder.add_look(reader.state()?, look)
            }
            UNION => {
                let n = reader.count()?;
                let alternates = (0..n).map(|_| reader.state()).collect::<Option<Vec<_>>>()?;
                builder.add_union(alternates)
            }
            BINARY_UNION => {
                let alternates = vec![reader.state()?, reader.state()?];
                builder.add_union(alternates)
            }
            FAIL => builder.add_fail(),
            MATCH => builder.add_match(),
            _ => return None,
        }
        .ok()?;
        // Each state keeps its number, or the transitions point elsewhere.
        if id.as_usize() != at {
            return None;
        }
    }
    if !reader.at_end() || start_anchored.as_usize() >= len || start_unanchored.as_usize() >= len {
        return None;
    }
    builder.finish_pattern(start_anchored).ok()?;
    builder.build(start_anchored, start_unanchored).ok()
}

fn number(n: usize, out: &mut Vec<u8>) {
    super::hir_code::number(n as u64, out);
}

fn transition(trans: &Transition, out: &mut Vec<u8>) {
    out.push(trans.start);
    out.push(trans.end);
    number(trans.next.as_usize(), out);
}

/// What the bytes of an NFA hold beyond [`Reader`]'s numbers.
trait ReadNfa {
    fn state(&mut self) -> Option<StateID>;
    fn transition(&mut self) -> Option<Transition>;
}

impl ReadNfa for Reader<'_> {
    fn state(&mut self) -> Option<StateID> {
        StateID::new(usize::try_from(self.number()?).ok()?).ok()
    }

    fn transition(&mut self) -> Option<Transition> {
        let start = self.byte()?;
        let end = self.byte()?;
        let next = self.state()?;
        Some(Transition { start, end, next })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::nfa::thompson;

    const LIMIT: usize = SIZE_LIMIT;

    #[test]
    fn only_a_named_value_group_is_found() {
        let parse = |p: &str| regex_syntax::Parser::new().parse(p).unwrap();
        assert!(names_group(&parse(r"up to (?P<n>\d+) visits"), "n"));
        assert!(names_group(&parse(r"(?:a|(b(?<n>\d+))*)"), "n"));
        assert!(!names_group(&parse(r"up to (\d+) visits"), "n"));
        assert!(!names_group(&parse(r"(?P<m>\d+)"), "n"));
    }

    fn compile(hir: &regex_syntax::hir::Hir, reverse: bool) -> NFA {
        thompson::Compiler::new()
            .configure(nfa_config(LIMIT).reverse(reverse))
            .build_from_hir(hir)
            .expect("compiles")
    }

    /// Every embedded pattern's forward and reverse programs, written and
    /// read back, are the programs compiled: the same states, starts and
    /// flags, as the crate prints them.
    #[test]
    fn every_pack_programs_bytes_read_back_as_the_program() {
        let mut count = 0;
        for source in crate::text::prepared::sources() {
            let Some(hir) = crate::text::prepared::lowercase_reading(source, false) else {
                continue;
            };
            for reverse in [false, true] {
                let nfa = compile(&hir, reverse);
                let bytes = encode(&nfa).unwrap_or_else(|| panic!("{source} encodes"));
                let back =
                    decode(&bytes, Some(LIMIT)).unwrap_or_else(|| panic!("{source} decodes"));
                assert_eq!(format!("{back:?}"), format!("{nfa:?}"), "{source}");
                // A byte short is not a program.
                assert!(decode(&bytes[..bytes.len() - 1], Some(LIMIT)).is_none());
                count += 1;
            }
        }
        assert!(count > 1000, "{count} programs");
    }

    /// The build wrote a pattern's programs only where the binary builds
    /// its lazy DFAs from them: a pack pattern without a value group; and
    /// they are the programs its lower-case reading compiles to.
    #[test]
    fn the_build_wrote_the_programs_of_the_patterns_searched_by_lazy_dfas() {
        let mut written = 0;
        for source in crate::text::prepared::sources() {
            let Some((forward, reverse)) = crate::text::prepared::programs(source) else {
                continue;
            };
            let hir = crate::text::prepared::lowercase_reading(source, false).unwrap();
            assert!(!names_group(&hir, "n"), "{source}");
            for (bytes, reverse) in [(forward, false), (reverse, true)] {
                let back = decode(bytes, Some(LIMIT)).unwrap();
                assert_eq!(format!("{back:?}"), format!("{:?}", compile(&hir, reverse)));
            }
            written += 1;
        }
        assert!(written > 1000, "{written} patterns");
    }

    /// A capture state is not in the form: such a program is compiled.
    #[test]
    fn a_program_with_captures_is_not_written() {
        let hir = regex_syntax::Parser::new().parse(r"(a)b").unwrap();
        let nfa = thompson::Compiler::new().build_from_hir(&hir).unwrap();
        assert!(encode(&nfa).is_none());
    }
}
