//! The tool's own regular expressions (the letter parser's, the context
//! triggers', the checks'), each compiled in the reading the text needs: the
//! ASCII program when the expression is made (from the tree its syntax check
//! parsed), the Unicode one on the first text with another character that
//! the ASCII program cannot search through its projection onto ASCII.
//!
//! Nearly every letter is plain ASCII. On a text of ASCII characters only, a
//! regular expression matches exactly where its [`ascii_reading`] does: every
//! class narrowed to its ASCII members, every Unicode word boundary read as
//! an ASCII one. The two differ only on characters the text does not hold.
//! The ASCII reading of `\w`, `\s`, `.` or `[^()]{0,60}` is a small program
//! where the Unicode one is large, so an ASCII text is searched with it, and
//! the full Unicode program is compiled only for a text that holds another
//! character, and only when the expression tells one of the text's other
//! characters from its stand-in in the text's projection onto ASCII
//! ([`super::projection`]). The pack's patterns do the same
//! (`text::pattern`).
//!
//! An expression case-insensitive throughout (`(?i)` first, never turned
//! off) has for its ASCII program its lower-case reading
//! ([`super::lowercase`]), searched over the text lowered: the same
//! matches at the same offsets, for two thirds of the cost of compiling the
//! case-insensitive program (a tenth of a one-letter run). A text given
//! once and searched from many places ([`Haystack`]) is read as it is, by
//! the case-insensitive program.

use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::ops::Range;
use std::rc::Rc;
use std::sync::OnceLock;

use super::projection::{Projection, Reading};

use regex_automata::meta::{self, Regex};
use regex_automata::util::primitives::NonMaxUsize;
use regex_automata::{Anchored, Input, Span};
use regex_syntax::hir::{
    self, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange,
};
use regex_syntax::hir::{Hir, HirKind, Look};

/// `hir` as it reads on an ASCII text: each class keeps its ASCII members,
/// each Unicode word boundary becomes the ASCII one (on ASCII characters the
/// two agree). Matches on an ASCII text are those of `hir`, group for group.
pub fn ascii_reading(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0.clone()),
        HirKind::Class(Class::Unicode(class)) => {
            let mut class = class.clone();
            class.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7F')]));
            Hir::class(Class::Unicode(class))
        }
        HirKind::Class(Class::Bytes(class)) => {
            let mut class = class.clone();
            class.intersect(&ClassBytes::new([ClassBytesRange::new(0, 0x7F)]));
            Hir::class(Class::Bytes(class))
        }
        HirKind::Look(look) => Hir::look(ascii_look(*look)),
        HirKind::Repetition(repetition) => Hir::repetition(hir::Repetition {
            min: repetition.min,
            max: repetition.max,
            greedy: repetition.greedy,
            sub: Box::new(ascii_reading(&repetition.sub)),
        }),
        HirKind::Capture(capture) => Hir::capture(hir::Capture {
            index: capture.index,
            name: capture.name.clone(),
            sub: Box::new(ascii_reading(&capture.sub)),
        }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(ascii_reading).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(ascii_reading).collect()),
    }
}

fn ascii_look(look: Look) -> Look {
    match look {
        Look::WordUnicode => Look::WordAscii,
        Look::WordUnicodeNegate => Look::WordAsciiNegate,
        Look::WordStartUnicode => Look::WordStartAscii,
        Look::WordEndUnicode => Look::WordEndAscii,
        Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
        Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
        other => other,
    }
}

/// A regular expression with the syntax and matches of [`regex::Regex`],
/// searching an ASCII text with its ASCII reading (built when the
/// expression is made), another text's projection onto ASCII with the same
/// program when the expression reads it alike, and any other text in full
/// (built on first use).
///
/// Programs are the meta regex of regex-automata (the engine under `regex`)
/// without its literal prefilter: extracting literals was half of the cost
/// of compiling one of these expressions, paid by every run, while the texts
/// they search are a letter's sections and sentences. The letter's headings,
/// searched for over the whole letter, keep it ([`DualRegex::with_prefilter`]).
#[derive(Clone)]
pub struct DualRegex {
    source: String,
    /// The ASCII reading, for ASCII texts.
    ascii: OnceLock<Regex>,
    /// Whether the ASCII program is the expression's lower-case reading
    /// ([`super::lowercase`]): it searches the text lowered. Only an
    /// expression case-insensitive throughout (`(?i)` first) has one.
    lowered: bool,
    /// The case-insensitive ASCII program of an expression whose ASCII
    /// program is lowered, for the searches of a text given once
    /// ([`Haystack`]) and searched from many places, which is not lowered.
    ascii_cased: OnceLock<Regex>,
    /// The expression as written, for every other text.
    unicode: OnceLock<Regex>,
    /// Whether the ASCII reading can search a text's projection onto ASCII
    /// ([`super::projection`]); read from the Unicode parse, for the first
    /// text that holds another character.
    reading: OnceLock<Reading>,
    /// The reading of the expression with its leading `(?i)` dropped, for
    /// a projection without a character that folds to an ASCII letter
    /// ([`unfolded_reading`]); `None` when it cannot stand in.
    unfolded: OnceLock<Option<Reading>>,
    /// Whether the source alone shows that the ASCII reading searches a
    /// projection of symbols alike ([`DualRegex::reads_symbols_alike`]).
    symbols_alike: OnceLock<bool>,
    /// Whether the programs have the regex's literal prefilter
    /// ([`DualRegex::with_prefilter`]).
    prefilter: bool,
    /// What every match begins with ([`DualRegex::led_by`]).
    lead: Option<Box<DualRegex>>,
}

/// What searches one text: a program and, for a text with other
/// characters than ASCII that the expression reads alike, the projection it
/// searches, with the way back to the text's offsets.
struct Searcher<'r, 'l> {
    regex: &'r Regex,
    /// The program of the expression's lead ([`DualRegex::led_by`]), on
    /// an ASCII text: the expression is tried only where it matches.
    lead: Option<&'r Regex>,
    projection: Option<Rc<Projected>>,
    /// The searched text in lower case, for a lowered program (the same
    /// offsets: ASCII letters stay one byte): made for this search, or
    /// the copy of a [`Lowered`] text; for a projection, its own copy.
    lowered: Option<Cow<'l, str>>,
    /// Whether the program reads the projection's lower-case copy.
    projection_lowered: bool,
}

/// A text with other characters than ASCII, its projection and the
/// projection's lower-case copy (made on first use).
struct Projected {
    text: Box<str>,
    projection: Projection,
    lowered: OnceCell<String>,
}

thread_local! {
    /// The last text with other characters projected on this thread: a
    /// letter's readers search one text with many expressions in turn, and
    /// projecting it (and lowering the projection) for each search read
    /// the whole letter again each time.
    static LAST_PROJECTED: RefCell<Option<Rc<Projected>>> = const { RefCell::new(None) };
}

/// The projection of `text` ([`Projection::of`]), shared with the last
/// search of the same text on this thread; `None` for an ASCII text.
fn projected(text: &str) -> Option<Rc<Projected>> {
    LAST_PROJECTED.with(|last| {
        let mut last = last.borrow_mut();
        if let Some(known) = last.as_ref()
            && *known.text == *text
        {
            return Some(Rc::clone(known));
        }
        let projected = Rc::new(Projected {
            text: text.into(),
            projection: Projection::of(text)?,
            lowered: OnceCell::new(),
        });
        *last = Some(Rc::clone(&projected));
        Some(projected)
    })
}

impl Searcher<'_, '_> {
    /// The text the program searches.
    fn text<'a>(&'a self, haystack: &'a str) -> &'a str {
        if let Some(lowered) = &self.lowered {
            return lowered;
        }
        match &self.projection {
            Some(projected) if self.projection_lowered => projected
                .lowered
                .get_or_init(|| projected.projection.ascii.to_ascii_lowercase()),
            Some(projected) => &projected.projection.ascii,
            None => haystack,
        }
    }

    /// Whether the program searches another text than the one given.
    fn searches_a_copy(&self) -> bool {
        self.lowered.is_some() || self.projection.is_some()
    }

    /// The searched text's offset for an offset of the text.
    fn at(&self, offset: usize) -> usize {
        self.projection
            .as_ref()
            .map_or(offset, |projected| projected.projection.projected(offset))
    }

    fn span(&self, span: regex_automata::Span) -> regex_automata::Span {
        match &self.projection {
            Some(projected) => {
                regex_automata::Span::from(projected.projection.original(span.range()))
            }
            None => span,
        }
    }

    /// The leftmost-first match in `text` (the searched text) that starts
    /// at or after `start`. With a lead, the expression is tried anchored
    /// at each place the lead matches, in order: the first place where it
    /// matches is where the whole search's match starts, and at its start
    /// the anchored search finds the same match.
    fn search(&self, text: &str, start: usize) -> Option<Span> {
        let Some(lead) = self.lead else {
            return self
                .regex
                .search(&Input::new(text).range(start..))
                .map(|m| m.span());
        };
        let mut from = start;
        while from <= text.len() {
            let place = lead.search(&Input::new(text).range(from..))?.start();
            let anchored = Input::new(text).range(place..).anchored(Anchored::Yes);
            if let Some(found) = self.regex.search(&anchored) {
                return Some(found.span());
            }
            // The text is ASCII: the next byte is the next character.
            from = place + 1;
        }
        None
    }

    /// Whether the searched text `text` holds a match.
    fn is_match(&self, text: &str) -> bool {
        match self.lead {
            None => self.regex.is_match(text),
            Some(_) => self.search(text, 0).is_some(),
        }
    }

    /// Every match in the searched text, at the offsets of `haystack`.
    fn all_matches<'h>(&self, haystack: &'h str) -> Vec<Match<'h>> {
        let text = self.text(haystack);
        if self.lead.is_none() {
            return self
                .regex
                .find_iter(text)
                .map(|m| Match::new(haystack, self.span(m.span())))
                .collect();
        }
        // The iteration of `find_iter`: each search from the last match's
        // end, an empty match right after a match skipped.
        let mut matches = Vec::new();
        let (mut at, mut last_end) = (0, None);
        while at <= text.len() {
            let Some(span) = self.search(text, at) else {
                break;
            };
            at = if span.is_empty() {
                span.end + 1
            } else {
                span.end
            };
            if span.is_empty() && last_end == Some(span.end) {
                continue;
            }
            last_end = Some(span.end);
            matches.push(Match::new(haystack, self.span(span)));
        }
        matches
    }

    /// The groups of every match in the searched text, at the offsets of
    /// `haystack`.
    fn all_captures<'h>(&self, haystack: &'h str) -> Vec<Captures<'h>> {
        self.regex
            .captures_iter(self.text(haystack))
            .map(|groups| Captures {
                haystack,
                groups: self.groups(groups),
            })
            .collect()
    }

    /// The groups found on the searched text, moved to the text's offsets.
    fn groups(
        &self,
        mut groups: regex_automata::util::captures::Captures,
    ) -> regex_automata::util::captures::Captures {
        if let Some(projected) = &self.projection {
            for slot in groups.slots_mut().iter_mut().flatten() {
                *slot = NonMaxUsize::new(projected.projection.offset(slot.get()))
                    .expect("an offset of a text is below usize::MAX");
            }
        }
        groups
    }
}

impl std::fmt::Debug for DualRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("DualRegex").field(&self.source).finish()
    }
}

/// The size limit of [`regex::RegexBuilder`]'s default.
const SIZE_LIMIT: usize = 10 * (1 << 20);

/// A match: its position in the haystack, and its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match<'h> {
    haystack: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    fn new(haystack: &'h str, span: regex_automata::Span) -> Match<'h> {
        Match {
            haystack,
            start: span.start,
            end: span.end,
        }
    }

    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    pub fn as_str(&self) -> &'h str {
        &self.haystack[self.range()]
    }
}

/// The groups of one match, by index (0 for the whole match) or by name.
#[derive(Debug, Clone)]
pub struct Captures<'h> {
    haystack: &'h str,
    groups: regex_automata::util::captures::Captures,
}

impl<'h> Captures<'h> {
    pub fn get(&self, index: usize) -> Option<Match<'h>> {
        self.groups
            .get_group(index)
            .map(|span| Match::new(self.haystack, span))
    }

    pub fn name(&self, name: &str) -> Option<Match<'h>> {
        self.groups
            .get_group_by_name(name)
            .map(|span| Match::new(self.haystack, span))
    }
}

impl std::ops::Index<usize> for Captures<'_> {
    type Output = str;

    /// The text of group `index`; panics when the group did not take part,
    /// as `regex::Captures` does.
    fn index(&self, index: usize) -> &str {
        self.get(index)
            .map(|m| m.as_str())
            .unwrap_or_else(|| panic!("no group at index '{index}'"))
    }
}

impl std::ops::Index<&str> for Captures<'_> {
    type Output = str;

    fn index(&self, name: &str) -> &str {
        self.name(name)
            .map(|m| m.as_str())
            .unwrap_or_else(|| panic!("no group named '{name}'"))
    }
}

/// A text searched many times from different places (the whole letter),
/// with whether it is ASCII found once: a search of a long text from an
/// offset would otherwise read the whole text again to choose its program.
/// A text with another character is searched in full here: projecting it at
/// each search would read it again too.
#[derive(Debug, Clone, Copy)]
pub struct Haystack<'h> {
    text: &'h str,
    ascii: bool,
}

impl<'h> Haystack<'h> {
    pub fn new(text: &'h str) -> Haystack<'h> {
        Haystack {
            text,
            ascii: text.is_ascii(),
        }
    }

    /// A part of the text: ASCII when the whole is.
    pub fn slice(&self, range: std::ops::RangeFrom<usize>) -> Haystack<'h> {
        Haystack {
            text: &self.text[range],
            ascii: self.ascii,
        }
    }
}

/// A text many expressions search, with its lower-case copy made once (for
/// an ASCII text): an expression case-insensitive throughout searches the
/// copy, where each search would otherwise lower the text again. A part of
/// it ([`Lowered::part`]) shares the copy. The matches are those of the
/// searches on the text itself.
#[derive(Debug, Clone)]
pub struct Lowered<'h> {
    text: &'h str,
    /// The text in lower case; `None` for a text with another character
    /// than ASCII, which each search reads as it does a plain text.
    lower: Option<&'h str>,
}

/// The lower-case copy of a text, owned: what [`Lowered`] borrows. Only
/// ASCII letters are lowered, so every byte keeps its place; the copy also
/// serves the literal automata, which read lower-case text.
#[derive(Debug)]
pub struct LowerCase {
    lower: String,
    /// Whether the text is ASCII: only then do the expressions search the
    /// copy.
    ascii: bool,
}

impl LowerCase {
    pub fn of(text: &str) -> LowerCase {
        LowerCase {
            lower: text.to_ascii_lowercase(),
            ascii: text.is_ascii(),
        }
    }

    /// The text with its ASCII letters lowered.
    pub fn as_str(&self) -> &str {
        &self.lower
    }

    /// `text` (the text this copy was made of) with its copy.
    pub fn with<'h>(&'h self, text: &'h str) -> Lowered<'h> {
        debug_assert_eq!(self.lower.len(), text.len());
        Lowered {
            text,
            lower: self.ascii.then_some(self.lower.as_str()),
        }
    }
}

impl<'h> Lowered<'h> {
    /// The part of the text at `range`, with its part of the copy.
    pub fn part(&self, range: Range<usize>) -> Lowered<'h> {
        Lowered {
            text: &self.text[range.clone()],
            lower: self.lower.map(|lower| &lower[range]),
        }
    }

    pub fn text(&self) -> &'h str {
        self.text
    }
}

impl DualRegex {
    /// Checks `source` without compiling it; the error is the one
    /// `regex::Regex::new` gives for a syntax error. An expression that is
    /// valid but too large to compile never matches.
    pub fn new(source: &str) -> Result<DualRegex, regex::Error> {
        DualRegex::build(source, false)
    }

    /// [`DualRegex::new`] for an expression that searches whole letters
    /// for a heading or a phrase it starts with: its programs keep the
    /// regex's literal prefilter, which skips to where the literal occurs
    /// instead of reading every byte with the lazy DFA (compiling it costs
    /// more once, each search of a letter far less).
    pub fn with_prefilter(source: &str) -> Result<DualRegex, regex::Error> {
        DualRegex::build(source, true)
    }

    fn build(source: &str, prefilter: bool) -> Result<DualRegex, regex::Error> {
        // What ASCII mode reads, Unicode mode reads too, unless the
        // expression turns Unicode off itself (`(?-u:…)` may match bytes
        // that are not UTF-8, which only ASCII mode allows): the cheap parse
        // is check enough, and the Unicode parse gives the error otherwise.
        //
        // An expression case-insensitive throughout is read for lower-case
        // text: its ASCII program, built from that reading, is a third
        // cheaper to compile, and the reading's parse is the check.
        let ascii = OnceLock::new();
        if let Some(program) = lowercase_program(source, prefilter) {
            let _ = ascii.set(program);
            return Ok(DualRegex {
                source: source.to_owned(),
                ascii,
                lowered: true,
                ascii_cased: OnceLock::new(),
                unicode: OnceLock::new(),
                reading: OnceLock::new(),
                unfolded: OnceLock::new(),
                symbols_alike: OnceLock::new(),
                prefilter,
                lead: None,
            });
        }
        let ascii_tree = ascii_mode_parse(source);
        if turns_unicode_off(source) || ascii_tree.is_none() {
            parse(source)?;
        }
        // The tree the check parsed is the ASCII program's: built now rather
        // than parsed again on first use (nearly every text is ASCII).
        if let Some(program) = ascii_tree
            .as_ref()
            .and_then(|hir| build_from_hir(hir, prefilter))
        {
            let _ = ascii.set(program);
        }
        Ok(DualRegex {
            source: source.to_owned(),
            ascii,
            lowered: false,
            ascii_cased: OnceLock::new(),
            unicode: OnceLock::new(),
            reading: OnceLock::new(),
            unfolded: OnceLock::new(),
            symbols_alike: OnceLock::new(),
            prefilter,
            lead: None,
        })
    }

    /// [`DualRegex::new`] for an expression every match of which begins
    /// with a match of `lead` at the same place: the expression is `lead`
    /// followed by more (`(?i)\b(?:MTUS|ODG)\b[^.;]{0,90}?\bstates\b` led
    /// by `(?i)\b(?:MTUS|ODG)\b`). On an ASCII text it is tried only where the
    /// lead matches, anchored there: the same matches, without the lazy-DFA
    /// states that searching every place for a bounded gap builds for each
    /// new text (a gap of 90 characters after any of several names is tens
    /// of thousands of states). Both are searched in the same case, each
    /// with the ASCII program it was made with: a lead read otherwise than
    /// the expression, or without one (a program too large to compile),
    /// is not used.
    pub fn led_by(source: &str, lead: &str) -> Result<DualRegex, regex::Error> {
        let mut regex = DualRegex::new(source)?;
        let lead = DualRegex::new(lead)?;
        if lead.lowered == regex.lowered
            && lead.ascii.get().is_some()
            && regex.ascii.get().is_some()
        {
            regex.lead = Some(Box::new(lead));
        }
        Ok(regex)
    }

    /// The program that searches `haystack`: the ASCII reading for an ASCII
    /// text, and for the projection of another text when the expression
    /// reads each character as its stand-in; the expression in full on the
    /// text otherwise.
    fn on(&self, haystack: &str) -> Searcher<'_, 'static> {
        if !haystack.is_ascii()
            && let Some(projected) = projected(haystack)
        {
            let projection = &projected.projection;
            let alike = (projection.holds_only_symbols() && self.reads_symbols_alike())
                || self.reading_of(projection).reads_alike(projection);
            if !alike {
                return Searcher {
                    regex: self.program(false),
                    lead: None,
                    projection: None,
                    lowered: None,
                    projection_lowered: false,
                };
            }
            return Searcher {
                regex: self.program(true),
                lead: None,
                lowered: None,
                projection_lowered: self.lowered,
                projection: Some(projected),
            };
        }
        Searcher {
            regex: self.program(true),
            lead: self.lead_program(),
            projection: None,
            lowered: self
                .lowered
                .then(|| Cow::Owned(haystack.to_ascii_lowercase())),
            projection_lowered: false,
        }
    }

    /// Whether the expression reads alike every projection that holds
    /// only symbols ([`super::projection::reads_symbols_alike`]), read
    /// from its source once.
    fn reads_symbols_alike(&self) -> bool {
        *self
            .symbols_alike
            .get_or_init(|| super::projection::reads_symbols_alike(&self.source))
    }

    /// What decides whether the expression reads `projection` alike: the
    /// build's reading (the embedded pack's trigger lists, `(?i)` first:
    /// the table keeps what follows it, read case-insensitively, which
    /// reads alike), else the expression's reading without its `(?i)` when
    /// that answers alike for this projection ([`unfolded_reading`]), else
    /// its reading in full.
    fn reading_of(&self, projection: &Projection) -> &Reading {
        let rest = self.source.strip_prefix("(?i)");
        let prepared = || rest.and_then(super::prepared::projection_reading);
        if !projection.holds_folds_to_ascii()
            && let Some(unfolded) = self.unfolded.get_or_init(|| {
                // The build's reading, when there is one, costs no parse.
                match prepared() {
                    Some(_) => None,
                    None => rest.and_then(unfolded_reading),
                }
            })
        {
            return unfolded;
        }
        self.reading.get_or_init(|| {
            prepared().unwrap_or_else(|| {
                parse(&self.source).map_or_else(|_| Reading::never(), |hir| Reading::of(&hir))
            })
        })
    }

    /// [`DualRegex::on`] for a text whose lower-case copy is made already.
    fn on_lowered<'l>(&self, text: &Lowered<'l>) -> Searcher<'_, 'l> {
        match text.lower {
            Some(lower) => Searcher {
                regex: self.program(true),
                lead: self.lead_program(),
                projection: None,
                lowered: self.lowered.then_some(Cow::Borrowed(lower)),
                projection_lowered: false,
            },
            None => self.on(text.text),
        }
    }

    /// Whether the expression is searched from its lead's places
    /// ([`DualRegex::led_by`]) on an ASCII text.
    pub fn has_lead(&self) -> bool {
        self.lead.is_some()
    }

    /// The ASCII program of the expression's lead, if it has one.
    fn lead_program(&self) -> Option<&Regex> {
        self.lead.as_deref().map(|lead| lead.program(true))
    }

    /// The ASCII program that reads a text as it is (not lowered): for the
    /// searches of a [`Haystack`].
    fn cased_program(&self) -> &Regex {
        if !self.lowered {
            return self.program(true);
        }
        self.ascii_cased.get_or_init(|| {
            ascii_mode_parse(&self.source)
                .and_then(|hir| build_from_hir(&hir, self.prefilter))
                .unwrap_or_else(never)
        })
    }

    /// The program for a text whose ASCII-ness is known, read as it is.
    fn program_in(&self, ascii: bool) -> &Regex {
        if ascii {
            self.cased_program()
        } else {
            self.program(false)
        }
    }

    /// The program for an ASCII text, or for any text.
    fn program(&self, ascii: bool) -> &Regex {
        if ascii {
            self.ascii.get_or_init(|| {
                ascii_mode_parse(&self.source)
                    .and_then(|hir| build_from_hir(&hir, self.prefilter))
                    .or_else(|| {
                        let hir = parse(&self.source).ok()?;
                        build_from_hir(&ascii_reading(&hir), self.prefilter)
                    })
                    .unwrap_or_else(never)
            })
        } else {
            self.unicode.get_or_init(|| {
                parse(&self.source)
                    .ok()
                    .and_then(|hir| build_from_hir(&hir, self.prefilter))
                    .unwrap_or_else(never)
            })
        }
    }

    /// The expression as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether an ASCII text is searched lowered ([`super::lowercase`]).
    pub fn reads_lower_case(&self) -> bool {
        self.lowered
    }

    pub fn is_match(&self, haystack: &str) -> bool {
        let searcher = self.on(haystack);
        searcher.is_match(searcher.text(haystack))
    }

    /// [`Self::is_match`] on a text whose ASCII-ness is known.
    pub fn is_match_in(&self, haystack: Haystack<'_>) -> bool {
        self.program_in(haystack.ascii).is_match(haystack.text)
    }

    /// [`Self::find_at`] on a text whose ASCII-ness is known.
    pub fn find_at_in<'h>(&self, haystack: Haystack<'h>, start: usize) -> Option<Match<'h>> {
        let input = Input::new(haystack.text).range(start..);
        self.program_in(haystack.ascii)
            .search(&input)
            .map(|m| Match::new(haystack.text, m.span()))
    }

    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        self.find_at(haystack, 0)
    }

    /// The first match at or after `start`; the text before `start` still
    /// counts for word boundaries and anchors.
    pub fn find_at<'h>(&self, haystack: &'h str, start: usize) -> Option<Match<'h>> {
        let searcher = self.on(haystack);
        searcher
            .search(searcher.text(haystack), searcher.at(start))
            .map(|span| Match::new(haystack, searcher.span(span)))
    }

    /// Every non-overlapping match. On a projection the matches are found
    /// at once; on any other text, as the iterator is read.
    pub fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> impl Iterator<Item = Match<'h>> + 'r
    where
        'h: 'r,
    {
        let searcher = self.on(haystack);
        let projected: Option<Vec<Match<'h>>> = (searcher.searches_a_copy()
            || searcher.lead.is_some())
        .then(|| searcher.all_matches(haystack));
        let direct = projected.is_none().then(|| {
            searcher
                .regex
                .find_iter(haystack)
                .map(move |m| Match::new(haystack, m.span()))
        });
        projected
            .into_iter()
            .flatten()
            .chain(direct.into_iter().flatten())
    }

    /// [`Self::is_match`] on a text whose lower-case copy is made.
    pub fn is_match_lowered(&self, text: &Lowered<'_>) -> bool {
        let searcher = self.on_lowered(text);
        searcher.is_match(searcher.text(text.text))
    }

    /// [`Self::find_at`] on a text whose lower-case copy is made.
    pub fn find_at_lowered<'h>(&self, text: &Lowered<'h>, start: usize) -> Option<Match<'h>> {
        let searcher = self.on_lowered(text);
        searcher
            .search(searcher.text(text.text), searcher.at(start))
            .map(|span| Match::new(text.text, searcher.span(span)))
    }

    /// [`Self::find_iter`] on a text whose lower-case copy is made; the
    /// matches are found at once.
    pub fn find_iter_lowered<'h>(&self, text: &Lowered<'h>) -> Vec<Match<'h>> {
        self.on_lowered(text).all_matches(text.text)
    }

    /// [`Self::captures_iter`] on a text whose lower-case copy is made;
    /// the matches are found at once.
    pub fn captures_iter_lowered<'h>(&self, text: &Lowered<'h>) -> Vec<Captures<'h>> {
        self.on_lowered(text).all_captures(text.text)
    }

    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        self.captures_at(haystack, 0)
    }

    pub fn captures_at<'h>(&self, haystack: &'h str, start: usize) -> Option<Captures<'h>> {
        let searcher = self.on(haystack);
        let mut groups = searcher.regex.create_captures();
        let input = Input::new(searcher.text(haystack)).range(searcher.at(start)..);
        searcher.regex.search_captures(&input, &mut groups);
        groups.is_match().then(|| Captures {
            haystack,
            groups: searcher.groups(groups),
        })
    }

    /// The groups of every non-overlapping match. On a projection they are
    /// found at once; on any other text, as the iterator is read.
    pub fn captures_iter<'r, 'h>(
        &'r self,
        haystack: &'h str,
    ) -> impl Iterator<Item = Captures<'h>> + 'r
    where
        'h: 'r,
    {
        let searcher = self.on(haystack);
        let projected: Option<Vec<Captures<'h>>> = searcher
            .searches_a_copy()
            .then(|| searcher.all_captures(haystack));
        let direct = projected.is_none().then(|| {
            searcher
                .regex
                .captures_iter(haystack)
                .map(move |groups| Captures { haystack, groups })
        });
        projected
            .into_iter()
            .flatten()
            .chain(direct.into_iter().flatten())
    }

    /// Every match replaced by `template`, in which `$1`, `${name}` stand
    /// for the groups (as in `regex::Regex::replace_all`).
    pub fn replace_all<'h>(&self, haystack: &'h str, template: &str) -> Cow<'h, str> {
        let mut out = String::new();
        let mut last = 0;
        let searcher = self.on(haystack);
        // Most texts hold no match: the match search says so far more
        // cheaply than the capture search that replacing needs.
        if !searcher.regex.is_match(searcher.text(haystack)) {
            return Cow::Borrowed(haystack);
        }
        for groups in searcher.regex.captures_iter(searcher.text(haystack)) {
            let groups = searcher.groups(groups);
            let Some(whole) = groups.get_match() else {
                continue;
            };
            out.push_str(&haystack[last..whole.start()]);
            groups.interpolate_string_into(haystack, template, &mut out);
            last = whole.end();
        }
        if last == 0 && out.is_empty() {
            return Cow::Borrowed(haystack);
        }
        out.push_str(&haystack[last..]);
        Cow::Owned(out)
    }
}

/// `source` parsed in ASCII mode (classes, case folding and `\b` over
/// ASCII), which on an ASCII text matches as the Unicode reading does, at a
/// fraction of the cost of a Unicode parse: `None` when ASCII mode does not
/// read it (a non-ASCII character in a class, a Unicode property).
fn ascii_mode_parse(source: &str) -> Option<Hir> {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(source)
        .ok()
}

/// Whether `source` has a flag group that turns Unicode off (`(?-u)`,
/// `(?i-u:`), read loosely: a false alarm costs only a Unicode parse.
fn turns_unicode_off(source: &str) -> bool {
    source.match_indices("(?").any(|(at, _)| {
        let flags = &source[at + 2..];
        let end = flags.find([')', ':']).unwrap_or(flags.len());
        flags[..end]
            .split_once('-')
            .is_some_and(|(_, off)| off.contains('u'))
    })
}

/// The ASCII program of an expression case-insensitive throughout
/// (`(?i)` first, never turned off), read for lower-case text: `None` for
/// any other expression, or one the reading cannot keep exact.
fn lowercase_program(source: &str, prefilter: bool) -> Option<Regex> {
    // An expression that turns Unicode off may hold what only ASCII mode
    // reads: it gets the Unicode parse's check (`DualRegex::new`).
    if turns_unicode_off(source) {
        return None;
    }
    let rest = source.strip_prefix("(?i)")?;
    // The build read the embedded pack's trigger lists already.
    let hir = super::prepared::lowercase_reading(rest, false)?;
    build_from_hir(&hir, prefilter)
}

/// The reading ([`Reading`]) of an expression that followed `(?i)`, read
/// without it: for a projection that holds neither character Unicode case
/// folding pairs with an ASCII letter ([`super::literals::FOLDS_TO_ASCII`]),
/// it answers [`Reading::reads_alike`] as the expression's own reading does,
/// at half the cost of the parse (case folding every literal is the other
/// half). Case folding adds to a class only the other cases of its
/// members: of an ASCII letter, another ASCII letter or one of those two
/// characters; of a stand-in (`_`, a vertical tab, DEL), nothing. Every
/// other class a Unicode parse builds from ASCII text (`\w`, `\s`, `\d`,
/// `.`, a bracketed class of ASCII members, their negations) holds each
/// other character and its other cases alike. So an expression written in
/// ASCII without a Unicode property (`\p`, `\P`, whose classes need not
/// hold a character's other case) reads such a projection alike with or
/// without `(?i)`; folded literals only add ASCII letters, which no
/// stand-in is. `None` for any other expression.
fn unfolded_reading(rest: &str) -> Option<Reading> {
    if !rest.is_ascii() || rest.contains("\\p") || rest.contains("\\P") {
        return None;
    }
    parse(rest).ok().map(|hir| Reading::of(&hir))
}

fn parse(source: &str) -> Result<Hir, regex::Error> {
    regex_syntax::ParserBuilder::new()
        .build()
        .parse(source)
        .map_err(|e| regex::Error::Syntax(e.to_string()))
}

fn build_from_hir(hir: &Hir, prefilter: bool) -> Option<Regex> {
    Regex::builder()
        .configure(
            meta::Config::new()
                .nfa_size_limit(Some(SIZE_LIMIT))
                .auto_prefilter(prefilter),
        )
        .build_from_hir(hir)
        .ok()
}

fn never() -> Regex {
    Regex::new(r"[^\s\S]").expect("an empty class compiles")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXTS: [&str; 4] = [
        "Pain 7/10; sensation intact in the L5-S1 dermatome, SLR +, (ICD9 729.2).",
        "She had 12 sessions of PT over 6 weeks -- no benefit.\nKnee: MRI 01/02/2014",
        "x\ty  z_9 ... [a] {b} \"quoted\" it's K S k s (per MTUS, 2009) page 12",
        "",
    ];

    const SOURCES: [&str; 12] = [
        r"\w+",
        r"(?i)\s+\S",
        r"[^a-z0-9\s]+",
        r".{3}\b",
        r"(?i)(?P<n>\d+)\s+(?:sessions?|weeks?)",
        r"(?i)\bk\b|\bs\b",
        r"[[:punct:]]+",
        r"(?i)\([^()]{0,60}?(?:19|20)\d{2}[a-z]?\s*\)",
        r"(?m)^\w+:|\B\d\b",
        r"(?i)\bICD[-\s]*(?:9|10)?\s*[\w.,\s-]{0,40}\)",
        r"(?i)\b(?:pages?|pg\.?)\s*\d+",
        r"(?-u:\b)x(?-u:\B)|\p{Lu}\p{Ll}+",
    ];

    /// Asserts that `dual` finds on `text` what the regex crate finds:
    /// every match and group, replacements, and searches from `starts`.
    fn assert_same_matches(
        dual: &DualRegex,
        full: &regex::Regex,
        text: &str,
        starts: impl Iterator<Item = usize>,
    ) {
        let source = full.as_str();
        let ours: Vec<_> = dual.captures_iter(text).collect();
        let theirs: Vec<_> = full.captures_iter(text).collect();
        assert_eq!(ours.len(), theirs.len(), "{source} on {text:?}");
        for (a, b) in ours.iter().zip(&theirs) {
            for i in 0..b.len() {
                let theirs = b.get(i).map(|g| g.range());
                assert_eq!(a.get(i).map(|g| g.range()), theirs, "{source} on {text:?}");
            }
        }
        let ours: Vec<_> = dual.find_iter(text).map(|m| m.range()).collect();
        let theirs: Vec<_> = full.find_iter(text).map(|m| m.range()).collect();
        assert_eq!(ours, theirs, "{source} on {text:?}");
        assert_eq!(dual.is_match(text), full.is_match(text));
        for template in ["_", "<$0>", "$1 ${n}$2"] {
            assert_eq!(
                dual.replace_all(text, template),
                full.replace_all(text, template),
                "{source} on {text:?}"
            );
        }
        for start in starts {
            let ours = dual.find_at(text, start).map(|m| m.range());
            let theirs = full.find_at(text, start).map(|m| m.range());
            assert_eq!(ours, theirs, "{source} on {text:?} from {start}");
            let ours = dual
                .captures_at(text, start)
                .map(|c| c.get(1).map(|g| g.range()));
            let theirs = full
                .captures_at(text, start)
                .map(|c| c.get(1).map(|g| g.range()));
            assert_eq!(ours, theirs, "{source} on {text:?} from {start}");
        }
    }

    /// A part of a text searched through its shared lower-case copy, or
    /// with the literal prefilter, is searched as the part alone is by the
    /// regex crate.
    /// The reading without `(?i)` answers as the reading in full for every
    /// pattern of the default pack and the context triggers, on
    /// projections of the characters letters hold and of characters whose
    /// case folding is unusual; a projection with a character that folds
    /// to an ASCII letter is read in full.
    #[test]
    fn a_reading_without_case_folding_answers_as_the_full_reading() {
        let pack = crate::rules::Pack::load(&[] as &[&std::path::Path]).expect("the default pack");
        let mut sources: Vec<String> = pack
            .facts
            .iter()
            .flat_map(|f| f.patterns.iter().chain(&f.absent_patterns))
            .chain(pack.catalogue.documents.iter().flat_map(|d| &d.patterns))
            .map(|p| p.as_str().to_owned())
            .collect();
        sources.extend(
            [
                r"\w+\s+\W",
                r"[^a-z]{0,3}",
                r"[a-z_]+",
                r"\d+\s+weeks",
                r"(?-u:\b)knee",
                r"k\b.s",
                r"(?-i:K)nee",
            ]
            .map(String::from),
        );
        let projections: Vec<Projection> = [
            "“quoted” – 90° \u{a0}ok … •",
            "José ÉCOLE ß µ Å ǅ σ ς Σ",
            "ﬀ ١٢ ‘a’",
        ]
        .iter()
        .map(|text| Projection::of(text).unwrap())
        .collect();
        let (mut read, mut alike) = (0, 0);
        for source in &sources {
            let Some(unfolded) = unfolded_reading(source) else {
                continue;
            };
            let full = Reading::of(&parse(&format!("(?i){source}")).unwrap());
            for projection in &projections {
                assert!(!projection.holds_folds_to_ascii());
                assert_eq!(
                    unfolded.reads_alike(projection),
                    full.reads_alike(projection),
                    "{source}"
                );
                alike += usize::from(full.reads_alike(projection));
            }
            read += 1;
        }
        assert!(read > 900 && alike > 900, "{read} read, {alike} alike");
        assert!(unfolded_reading(r"\p{Lu}+").is_none());
        assert!(unfolded_reading("caf[ée]").is_none());
        // Where it would not answer alike, the projection is read in full.
        let kelvin = Projection::of("\u{212A}nee").unwrap();
        assert!(kelvin.holds_folds_to_ascii());
        let knee = DualRegex::new(r"(?i)knee").unwrap();
        assert!(!knee.reading_of(&kelvin).reads_alike(&kelvin));
        assert_eq!(knee.find("\u{212A}NEE").map(|m| m.range()), Some(0..6));
        let plain = Projection::of("José knee").unwrap();
        assert!(knee.reading_of(&plain).reads_alike(&plain));
    }

    #[test]
    fn an_expression_led_by_its_first_words_finds_the_whole_searchs_matches() {
        let source = r"(?i)\b(?:new\s+york|york|ny)\b[^.;]{0,12}?\b(?:city|state)\b";
        let led = DualRegex::led_by(source, r"(?i)\b(?:new\s+york|york|ny)\b").unwrap();
        let whole = DualRegex::new(source).unwrap();
        assert!(led.has_lead() && !whole.has_lead());
        for text in [
            // The first place fails (a period), a later one inside the same
            // name matches; two matches; none; a name too far away; another
            // character than ASCII (searched without the lead).
            "New York. York and the city, NY state",
            "NEW YORK CITY; new york state",
            "york; city",
            "ny is far too far from the city",
            "Café New York City",
            "",
        ] {
            let found: Vec<_> = led.find_iter(text).map(|m| m.range()).collect();
            let expected: Vec<_> = whole.find_iter(text).map(|m| m.range()).collect();
            assert_eq!(found, expected, "{text}");
            let lower = LowerCase::of(text);
            let lowered = lower.with(text);
            let ranges = |found: Vec<Match<'_>>| found.iter().map(Match::range).collect::<Vec<_>>();
            assert_eq!(ranges(led.find_iter_lowered(&lowered)), expected, "{text}");
            assert_eq!(led.is_match(text), !expected.is_empty(), "{text}");
            for start in (0..=text.len()).filter(|&at| text.is_char_boundary(at)) {
                assert_eq!(
                    led.find_at(text, start).map(|m| m.range()),
                    whole.find_at(text, start).map(|m| m.range()),
                    "{text} from {start}"
                );
            }
        }
        assert_eq!(
            led.find_iter("New York. York and the city, NY state")
                .map(|m| m.as_str())
                .collect::<Vec<_>>(),
            ["York and the city", "NY state"]
        );
        // A lead read in another case than the expression is not used.
        let cased = DualRegex::led_by(r"(?i)\bny\b\s+city", r"\bNY\b").unwrap();
        assert!(!cased.has_lead());
    }

    #[test]
    fn a_lowered_part_and_a_prefiltered_program_match_as_the_regex_crate_does() {
        for source in SOURCES {
            let plain = DualRegex::new(source).unwrap();
            let prefiltered = DualRegex::with_prefilter(source).unwrap();
            let full = regex::Regex::new(source).unwrap();
            for text in TEXTS
                .iter()
                .chain(&["K\u{212A} Pain 12 weeks \u{2013} knee"])
            {
                let lower = LowerCase::of(text);
                let whole = lower.with(text);
                let bounds: Vec<usize> = (0..=text.len())
                    .filter(|&i| text.is_char_boundary(i))
                    .collect();
                for (k, &from) in bounds.iter().enumerate().step_by(3) {
                    for &to in bounds[k..].iter().step_by(5) {
                        let part = &text[from..to];
                        let read = whole.part(from..to);
                        let theirs: Vec<_> = full.find_iter(part).map(|m| m.range()).collect();
                        let ours: Vec<_> = plain
                            .find_iter_lowered(&read)
                            .iter()
                            .map(|m| m.range())
                            .collect();
                        assert_eq!(ours, theirs, "{source} on {part:?}");
                        let groups = |c: &Captures<'_>| {
                            (0..4)
                                .map(|i| c.get(i).map(|g| g.range()))
                                .collect::<Vec<_>>()
                        };
                        let ours: Vec<_> = plain
                            .captures_iter_lowered(&read)
                            .iter()
                            .map(groups)
                            .collect();
                        let theirs: Vec<_> = full
                            .captures_iter(part)
                            .map(|c| {
                                (0..4)
                                    .map(|i| c.get(i).map(|g| g.range()))
                                    .collect::<Vec<_>>()
                            })
                            .collect();
                        assert_eq!(ours, theirs, "{source} on {part:?}");
                        assert_eq!(plain.is_match_lowered(&read), full.is_match(part));
                        let middle = part.len() / 2;
                        if part.is_char_boundary(middle) {
                            assert_eq!(
                                plain.find_at_lowered(&read, middle).map(|m| m.range()),
                                full.find_at(part, middle).map(|m| m.range()),
                                "{source} on {part:?} from {middle}"
                            );
                        }
                    }
                }
                let ours: Vec<_> = prefiltered.find_iter(text).map(|m| m.range()).collect();
                let theirs: Vec<_> = full.find_iter(text).map(|m| m.range()).collect();
                assert_eq!(ours, theirs, "{source} on {text:?}, prefiltered");
            }
        }
    }

    #[test]
    fn on_an_ascii_text_the_ascii_reading_matches_as_the_expression_does() {
        for source in SOURCES {
            let dual = DualRegex::new(source).unwrap();
            let full = regex::Regex::new(source).unwrap();
            for text in TEXTS {
                let starts = [0, 5.min(text.len()), text.len() / 2];
                assert_same_matches(&dual, &full, text, starts.into_iter());
            }
            assert!(dual.unicode.get().is_none(), "{source}: ASCII texts only");
        }
    }

    #[test]
    fn an_expression_case_insensitive_throughout_reads_lower_case_text() {
        for (source, lowered) in [
            (r"(?i)(?P<n>\d+)\s+(?:sessions?|weeks?)", true),
            (r"(?i)\bMRI\b[^.]{0,40}?\b[A-Z][a-z]+", true),
            (r"(?i)no(?-i:MRI)", false),
            (r"\bMRI\b", false),
            (r"(?i)\b\p{Lu}\w+", false),
            (r"(?i)(?-u:\b)knee", false),
        ] {
            let dual = DualRegex::new(source).unwrap();
            assert_eq!(dual.reads_lower_case(), lowered, "{source}");
            let full = regex::Regex::new(source).unwrap();
            for text in [
                "MRI of the Knee, 12 Sessions; mri of the knee",
                "NoMRI nomri",
            ] {
                let starts = [0, 3, 20].map(|s: usize| s.min(text.len()));
                assert_same_matches(&dual, &full, text, starts.into_iter());
                // A text given once and searched from many places is read
                // as it is.
                let hay = Haystack::new(text);
                for start in starts {
                    assert_eq!(
                        dual.find_at_in(hay, start).map(|m| m.range()),
                        full.find_at(text, start).map(|m| m.range()),
                        "{source} on {text:?} from {start}"
                    );
                }
                assert_eq!(dual.is_match_in(hay), full.is_match(text));
            }
        }
    }

    #[test]
    fn the_ascii_reading_is_a_smaller_program() {
        let source = r"(?i)\([^()]{0,60}?(?:19|20)\d{2}\)|[\w.,\s-]{0,40}";
        let hir = parse(source).unwrap();
        let ascii = ascii_reading(&hir).to_string();
        let size = |s: &str| regex_automata::meta::Regex::new(s).unwrap().memory_usage();
        assert!(size(&ascii) * 4 < size(source), "{ascii}");
    }

    const OTHER_TEXTS: [&str; 4] = [
        "Flexion 90°; “no red flags”; pain 7/10 – worse (per MTUS, 2009); José’s knee\u{a0}MRI:",
        "Élan: ٣ sessions, \u{212A}nee, ſession; 12 weeks — page 4\n½ tablet: naïve",
        "«Ärztliche» Ü-Untersuchung x\u{2003}(ICD-10 M54.5, émoji 🙂)",
        "é",
    ];

    #[test]
    fn on_a_text_with_other_characters_the_matches_are_those_of_the_expression() {
        let mut projected = 0;
        for source in SOURCES {
            let dual = DualRegex::new(source).unwrap();
            let full = regex::Regex::new(source).unwrap();
            for text in OTHER_TEXTS {
                let starts = text.char_indices().step_by(3).map(|(at, _)| at);
                assert_same_matches(&dual, &full, text, starts);
            }
            if dual.unicode.get().is_none() {
                projected += 1;
            }
        }
        // Those that neither fold case (the second text holds the Kelvin
        // sign and the long s, which fold to `k` and `s`) nor name a
        // letter's case (`\p{Lu}`) search every projection with their
        // ASCII reading: `\w+`, `[^a-z0-9\s]+`, `.{3}\b`, `[[:punct:]]+`,
        // the line-start expression.
        assert_eq!(projected, 5, "of {}", SOURCES.len());
    }

    /// The projection kept from the last search is that text's alone: two
    /// texts of one length, searched in turn, each find their own words.
    #[test]
    fn a_projection_kept_between_searches_serves_its_own_text_only() {
        let word = DualRegex::new(r"(?i)\b[a-z]+\b").unwrap();
        let texts = [
            "caf\u{e9} knee pain \u{2014} sharp",
            "na\u{ef}ve hip ache \u{2014} dulls",
        ];
        assert_eq!(texts[0].len(), texts[1].len());
        let words = |text: &str| -> Vec<String> {
            word.find_iter(text)
                .map(|m| m.as_str().to_owned())
                .collect()
        };
        for _ in 0..2 {
            // "café" and "naïve" are words of their own: no boundary
            // inside them.
            assert_eq!(words(texts[0]), ["knee", "pain", "sharp"]);
            assert_eq!(words(texts[1]), ["hip", "ache", "dulls"]);
        }
        assert!(word.unicode.get().is_none(), "searched on the projection");
        let kept = projected(texts[1]).unwrap();
        assert!(Rc::ptr_eq(&kept, &projected(texts[1]).unwrap()));
        assert!(!Rc::ptr_eq(&kept, &projected(texts[0]).unwrap()));
    }

    #[test]
    fn a_text_with_another_character_is_searched_in_full_only_when_the_expression_tells_it_apart() {
        let word = DualRegex::new(r"\b\w+\b").unwrap();
        let found: Vec<_> = word.find_iter("José Ñúñez").map(|m| m.as_str()).collect();
        assert_eq!(found, ["José", "Ñúñez"]);
        let names = DualRegex::new(r"(?P<first>\w+)\s+(?P<last>\w+)").unwrap();
        let caps = names.captures("José Ñúñez").unwrap();
        assert_eq!((&caps["first"], &caps[2]), ("José", "Ñúñez"));
        assert_eq!(
            names.replace_all("José Ñúñez", "${last}, $first"),
            "Ñúñez, José"
        );
        // Searched through the projection: no Unicode program.
        assert!(word.unicode.get().is_none() && names.unicode.get().is_none());
        assert_eq!(word.find("plain ascii").unwrap().as_str(), "plain");
        // A class naming the character tells it from its stand-in.
        let possessive = DualRegex::new(r"(?i)tinel(?:['’]?s)?\s+sign").unwrap();
        assert!(possessive.is_match("positive TINEL'S sign"));
        assert!(possessive.unicode.get().is_none());
        assert!(possessive.is_match("positive Tinel’s sign"));
        assert!(possessive.unicode.get().is_some());
        let capitalised = DualRegex::new(r"\p{Lu}\w+").unwrap();
        assert_eq!(capitalised.find("the Élan").unwrap().as_str(), "Élan");
        assert!(capitalised.unicode.get().is_some());
    }

    #[test]
    fn an_expression_that_only_ascii_mode_reads_is_refused() {
        // Bytes that are not UTF-8: ASCII mode would read it.
        assert!(turns_unicode_off(r"a(?i-u:[^a])"));
        assert!(turns_unicode_off(r"(?-u)\xFF"));
        assert!(!turns_unicode_off(r"(?i)a(?:b)(?P<n>c)(?-i:d)"));
        for source in [r"(?-u:[^a])", r"x(?i-u)\xFF"] {
            let theirs = regex::Regex::new(source).unwrap_err().to_string();
            assert_eq!(DualRegex::new(source).unwrap_err().to_string(), theirs);
        }
        // Unicode properties and non-ASCII classes: Unicode mode only.
        assert!(DualRegex::new(r"\p{Greek}+|[’‘]").is_ok());
        assert!(DualRegex::new(r"\p{Nonsense}").is_err());
    }

    #[test]
    fn a_haystack_searched_from_offsets_matches_as_the_text_does() {
        let mark = DualRegex::new(r"(?i)\bDecision\s+rationale:").unwrap();
        let after = DualRegex::new(r"^\s*Decision\s+rationale:").unwrap();
        for text in [
            "Upheld\nDecision rationale: a. Overturned Decision  rationale: b.",
            "Upheld \u{2014} Decision rationale: José. Decision rationale: b.",
        ] {
            let hay = Haystack::new(text);
            assert_eq!(hay.ascii, text.is_ascii());
            for start in 0..=text.len() {
                if !text.is_char_boundary(start) {
                    continue;
                }
                let ours = mark.find_at_in(hay, start).map(|m| m.range());
                assert_eq!(ours, mark.find_at(text, start).map(|m| m.range()));
                let rest = hay.slice(start..);
                assert_eq!(after.is_match_in(rest), after.is_match(&text[start..]));
            }
        }
    }

    #[test]
    fn a_syntax_error_is_the_one_regex_gives() {
        let unclosed = String::from("(unclosed");
        let ours = DualRegex::new(&unclosed).unwrap_err().to_string();
        let theirs = regex::Regex::new(&unclosed).unwrap_err().to_string();
        assert_eq!(ours, theirs);
    }
}
