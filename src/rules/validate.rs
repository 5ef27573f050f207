//! Validation: the raw files of a pack ([`super::read`]) become a checked
//! [`Pack`], or every problem found is returned. The catalogue comes first,
//! then the facts (shared and rule-local), then each rule against both, then
//! the renames against the rules. Problems are collected through a
//! [`FileContext`] per file, so one bad file never hides another.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::raw::Position;

use super::catalogue::{Document, Section, fold};
use super::context::{CompiledPatterns, FileContext, Greed, nearest, with_suggestions};
use super::raw::{
    MentionContext, RawCatalogue, RawContext, RawFact, RawFactFile, RawLexicon, RawPackMeta,
};
use super::read::{self, PackFile, RuleFile};
use super::rule::{self, RuleScope};
use super::{Catalogue, Pack, Problem};
use crate::facts::context::{Anchor, ContextTriggers, compile_list};
use crate::facts::{Fact, FactAutomata};

/// Builds a pack from layers of files: later layers add to earlier ones.
pub(super) fn build(layers: Vec<Vec<PackFile>>) -> Result<Pack, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut raw = read::read(layers, &mut problems);
    let rule_files = winning_rules(std::mem::take(&mut raw.rules), &mut problems);
    // The context triggers are compiled on a second thread, beside the rest
    // of the pack; their problems come last, as they would in order.
    let contexts = &raw.contexts;
    let (checked, (context, context_problems)) = rayon::join(
        || {
            let compiled =
                compile_all(&raw.catalogues, &raw.fact_files, &rule_files, &raw.lexicons);
            let mut catalogue = Catalogue::default();
            let mut layers = Vec::new();
            for (file, doc) in &raw.catalogues {
                let mut ctx = FileContext::new(file, &mut problems, &compiled);
                add_documents(&mut ctx, doc, &mut catalogue, &mut layers);
            }
            check_shared_names(&raw.catalogues, &catalogue, &mut problems);
            let facts = FactTable::build(
                &raw.fact_files,
                &rule_files,
                &raw.unreadable.facts,
                &compiled,
                &mut problems,
            );
            // The scanner's automata need only the facts: they are built
            // while the rules are checked. The rules come first on this
            // thread; the other, once free, takes the automata.
            let ((rules, renames, lexicon, requests, first_ids), automata) = rayon::join(
                || {
                    let scope = RuleScope::new(&catalogue, &facts);
                    let mut rules: Vec<_> = rule_files
                        .iter()
                        .map(|rf| {
                            let mut ctx = FileContext::new(&rf.file, &mut problems, &compiled);
                            rule::validate(&mut ctx, rf, &scope)
                        })
                        .collect();
                    let (renames, first_ids) = super::renames::renames(
                        &raw.renames,
                        &rule_files,
                        &raw.unreadable.rules,
                        &compiled,
                        &mut problems,
                    );
                    let lexicon = lexicon(&raw.lexicons, &compiled, &mut problems);
                    // Where several rules apply equally, the first in the
                    // pack's order wins (and misquote tries quotes in this
                    // order): order by the id each rule was first given, so
                    // that renaming a rule never changes a choice.
                    let first_id =
                        |id: &str| first_ids.get(id).cloned().unwrap_or_else(|| id.to_owned());
                    rules.sort_by_cached_key(|r| (first_id(&r.id), r.id.clone()));
                    // A pack with problems is never used: no filter for it.
                    let requests = problems
                        .is_empty()
                        .then(|| super::RequestFilter::new(&rules));
                    (rules, renames, lexicon, requests, first_ids)
                },
                || FactAutomata::build(&facts.facts),
            );
            Checked {
                catalogue,
                facts,
                rules,
                renames,
                lexicon,
                automata,
                requests,
                built: (compiled, first_ids),
            }
        },
        || {
            let mut context_problems = Vec::new();
            let context = context_triggers(contexts, &mut context_problems);
            (context, context_problems)
        },
    );
    let Checked {
        catalogue,
        facts,
        rules,
        renames,
        lexicon,
        automata,
        requests,
        built,
    } = checked;
    problems.extend(context_problems);
    let Some(requests) = requests.filter(|_| problems.is_empty()) else {
        return Err(problems);
    };
    let warnings = facts.unused(&rules);
    let fact_origins = facts.origins();
    let FactTable { facts, .. } = facts;
    // A pack without a context.yaml of its own (a partial pack linted
    // alone) reads mentions with the default pack's triggers.
    let context = context.unwrap_or_else(|| ContextTriggers::embedded().clone());
    let scanner = automata.scanner(&facts, context);
    let meta = raw.meta.take().unwrap_or(RawPackMeta {
        name: "unnamed pack".into(),
        version: 0,
        description: None,
    });
    Ok(Pack {
        name: meta.name,
        version: meta.version,
        catalogue,
        facts,
        fact_origins,
        rules,
        renames,
        warnings,
        lexicon_filter: crate::facts::prefilter::Prefilter::of_patterns(
            lexicon.iter().map(|(term, _)| term),
        ),
        lexicon,
        scanner,
        requests,
        prepared_quotes: Default::default(),
        sources: super::PackSources::new((raw, rule_files, built)),
    })
}

/// What checking the files of a pack (but its context triggers) built.
struct Checked<'a> {
    catalogue: Catalogue,
    facts: FactTable<'a>,
    rules: Vec<super::Rule>,
    renames: BTreeMap<String, String>,
    lexicon: Vec<(crate::text::pattern::Pattern, String)>,
    automata: FactAutomata,
    /// `None` for a pack with problems.
    requests: Option<super::RequestFilter>,
    /// What only the checking needed: the compiled patterns and the first
    /// id of each rule.
    built: (CompiledPatterns, BTreeMap<String, String>),
}

/// The lexicon's terms, compiled case-insensitively as whole words.
fn lexicon(
    files: &[(PackFile, RawLexicon)],
    compiled: &CompiledPatterns,
    problems: &mut Vec<Problem>,
) -> Vec<(crate::text::pattern::Pattern, String)> {
    let mut out = Vec::new();
    for (file, raw) in files {
        let mut ctx = FileContext::new(file, problems, compiled);
        for entry in &raw.terms {
            if entry.means.trim().is_empty() {
                ctx.error(
                    &entry.term.referenced,
                    format!("lexicon term `{}` has an empty meaning", entry.term.value),
                    "write what the term means in the words rules match (\"chiropractic\")",
                );
            }
            if let Some(regex) = ctx.regex(&entry.term, Greed::Greedy) {
                out.push((regex, entry.means.clone()));
            }
        }
    }
    out
}

/// The context triggers of the last `context.yaml` (a later layer's
/// replaces an earlier one whole), each list compiled into one expression;
/// an entry that does not compile is a problem at the entry.
pub(super) fn context_triggers(
    files: &[(PackFile, RawContext)],
    problems: &mut Vec<Problem>,
) -> Option<ContextTriggers> {
    let (file, raw) = files.last()?;
    let mut failed = false;
    let mut list = |name: &str, entries: &[super::raw::Located], anchor: Anchor| {
        let values: Vec<&str> = entries.iter().map(|e| e.value.as_str()).collect();
        match compile_list(&values, anchor) {
            Ok(regex) => regex,
            Err((i, err)) => {
                failed = true;
                let detail = err.to_string();
                let last = detail.lines().last().unwrap_or("invalid").trim().to_owned();
                let where_ = match anchor {
                    Anchor::Start => " (matched right after the mention)",
                    Anchor::End => " (matched at the end of the words before the mention)",
                    Anchor::Free => "",
                };
                let message = format!("bad regular expression in `{name}`{where_}: {last}");
                let hint = "triggers use Rust regex syntax (no look-around or back-references); quote them with single quotes in YAML";
                problems.push(match entries.get(i) {
                    Some(at) => Problem::at(&file.shown, &file.text, &at.referenced, message, hint),
                    None => Problem::new(&file.shown, &file.text, 1, 1, message, hint),
                });
                // Stands in so that every list is still checked.
                compile_list(&[], anchor).expect("an empty list compiles")
            }
        }
    };
    let [
        terminator,
        negation,
        negation_pseudo,
        negation_right_before,
        negation_of_record,
        negation_after,
        negation_later,
        hypothetical,
        conditional,
        hedge,
        plan_inside,
        hypothetical_after,
        history_of,
        history_pseudo,
        historical_after,
        this_claim,
        new_clause,
        modifier_before,
        outcome_before,
    ] = super::trigger_list::lists(raw).map(|(name, entries, anchor)| list(name, entries, anchor));
    let triggers = ContextTriggers {
        windows: raw.windows,
        terminator,
        negation,
        negation_pseudo,
        negation_right_before,
        negation_of_record,
        negation_after,
        negation_later,
        hypothetical,
        conditional,
        hedge,
        plan_inside,
        hypothetical_after,
        history_of,
        history_pseudo,
        historical_after,
        this_claim,
        new_clause,
        modifier_before,
        outcome_before,
    };
    (!failed).then_some(triggers)
}

/// The rule file that makes each id: a later layer's file with
/// `override: true` replaces an earlier one; any other repeat is a problem.
fn winning_rules(files: Vec<RuleFile>, problems: &mut Vec<Problem>) -> Vec<RuleFile> {
    let mut winners: Vec<RuleFile> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for rf in files {
        match seen.get(&rf.id) {
            Some(&i) if rf.raw.override_ && rf.layer > 0 => winners[i] = rf,
            Some(_) => problems.push(Problem::new(
                &rf.file.shown,
                &rf.file.text,
                1,
                1,
                format!("rule id `{}` is defined twice", rf.id),
                "a rule that replaces one of the default pack must say `override: true`; otherwise rename the file",
            )),
            // `override` with nothing to replace is harmless.
            None => {
                seen.insert(rf.id.clone(), winners.len());
                winners.push(rf);
            }
        }
    }
    winners
}

fn compile_all(
    catalogues: &[(PackFile, RawCatalogue)],
    fact_files: &[(PackFile, RawFactFile)],
    rules: &[RuleFile],
    lexicons: &[(PackFile, RawLexicon)],
) -> CompiledPatterns {
    let documents = catalogues
        .iter()
        .flat_map(|(_, raw)| raw.documents.iter().flat_map(|d| &d.patterns))
        .map(|p| (p.value.as_str(), Greed::Lazy));
    let facts = fact_files
        .iter()
        .flat_map(|(_, raw)| &raw.facts)
        .chain(rules.iter().flat_map(|rf| &rf.raw.facts))
        .flat_map(|f| f.patterns.iter().chain(&f.absent_patterns));
    let requests = rules
        .iter()
        .flat_map(|rf| rf.raw.applies_to.iter().chain(&rf.raw.excludes))
        .chain(
            lexicons
                .iter()
                .flat_map(|(_, raw)| raw.terms.iter().map(|t| &t.term)),
        );
    CompiledPatterns::new(
        documents.chain(
            facts
                .chain(requests)
                .map(|p| (p.value.as_str(), Greed::Greedy)),
        ),
    )
}

/// Adds a catalogue file's documents. A document of a later layer with
/// `override: true` replaces the one of the same key; any other repeat is a
/// problem. `layers` holds the layer of each document added so far.
fn add_documents(
    ctx: &mut FileContext,
    raw: &RawCatalogue,
    catalogue: &mut Catalogue,
    layers: &mut Vec<usize>,
) {
    for doc in &raw.documents {
        let key = &doc.key.value;
        let earlier = catalogue.documents.iter().position(|d| &d.key == key);
        match earlier.map(|i| layers[i]) {
            Some(layer) if layer < ctx.file.layer && doc.override_ => {}
            Some(layer) if layer < ctx.file.layer => {
                ctx.error(
                    &doc.key.referenced,
                    format!("document `{key}` is already in the catalogue of an earlier pack"),
                    "to replace it, say `override: true` in this entry; otherwise give it another key",
                );
                continue;
            }
            Some(_) => {
                ctx.error(
                    &doc.key.referenced,
                    format!("document `{key}` is defined twice"),
                    "document keys are unique in the catalogue",
                );
                continue;
            }
            None => {}
        }
        let mut sections = HashSet::new();
        for section in &doc.sections {
            if !sections.insert(section.key.as_str()) {
                ctx.error(
                    &doc.key.referenced,
                    format!(
                        "document `{}` lists section `{}` twice",
                        doc.key.value, section.key
                    ),
                    "section keys are unique within a document; merge their names",
                );
            }
        }
        let document = Document {
            key: doc.key.value.clone(),
            title: doc.title.clone(),
            mtus: doc.mtus,
            edition: doc.edition.clone(),
            in_force: ctx.period(&doc.in_force),
            body_parts: doc.body_parts.clone(),
            specificity: doc.specificity,
            names: doc.names.iter().map(|n| fold(n)).collect(),
            patterns: ctx.regexes(&doc.patterns, Greed::Lazy),
            sections: doc
                .sections
                .iter()
                .map(|s| Section {
                    key: s.key.clone(),
                    names: s.names.iter().map(|n| fold(n)).collect(),
                })
                .collect(),
        };
        match earlier {
            Some(i) => {
                catalogue.documents[i] = document;
                layers[i] = ctx.file.layer;
            }
            None => {
                catalogue.documents.push(document);
                layers.push(ctx.file.layer);
            }
        }
    }
}

/// A name two documents share decides nothing when both are equally
/// specific and in force at once: reject it rather than let file order pick.
fn check_shared_names(
    files: &[(PackFile, RawCatalogue)],
    catalogue: &Catalogue,
    problems: &mut Vec<Problem>,
) {
    let mut first: BTreeMap<(bool, u8, String), &Document> = BTreeMap::new();
    for doc in &catalogue.documents {
        for name in &doc.names {
            let key = (doc.mtus, doc.specificity, name.clone());
            match first.get(&key) {
                Some(other) if other.in_force.overlaps(&doc.in_force) => {
                    let Some((file, raw)) = files.iter().find_map(|(f, raw)| {
                        raw.documents
                            .iter()
                            .find(|d| d.key.value == doc.key)
                            .map(|d| (f, d))
                    }) else {
                        continue;
                    };
                    problems.push(Problem::at(
                        &file.shown,
                        &file.text,
                        &raw.key.referenced,
                        format!(
                            "`{}` and `{}` both take the name \"{name}\" and are in force at the same time",
                            other.key, doc.key
                        ),
                        "remove the name from one of them, give their in_force periods an end, or make one more specific (specificity)",
                    ));
                }
                Some(_) => {}
                None => {
                    first.insert(key, doc);
                }
            }
        }
    }
}

/// A fact and where it was defined.
struct Defined<'a> {
    file: &'a PackFile,
    raw: &'a RawFact,
    /// The rule whose file defines it; `None` for the shared files in `facts/`.
    owner: Option<&'a str>,
}

/// Every fact of the pack, sorted by id (so that moving a fact between files
/// changes nothing), with the rule that owns each rule-local one.
pub(super) struct FactTable<'a> {
    pub facts: Vec<Fact>,
    index: HashMap<String, usize>,
    owners: Vec<Option<&'a str>>,
    /// The file and place of each fact's definition, for warnings.
    defined: Vec<(&'a PackFile, &'a Position)>,
    /// Ids of facts in files that could not be read (already reported).
    unreadable: &'a HashSet<String>,
}

impl<'a> FactTable<'a> {
    fn build(
        fact_files: &'a [(PackFile, RawFactFile)],
        rules: &'a [RuleFile],
        unreadable: &'a HashSet<String>,
        compiled: &CompiledPatterns,
        problems: &mut Vec<Problem>,
    ) -> FactTable<'a> {
        let shared = fact_files
            .iter()
            .flat_map(|(file, raw)| raw.facts.iter().map(move |f| (file, f, None)));
        let local = rules.iter().flat_map(|rf| {
            rf.raw
                .facts
                .iter()
                .map(move |f| (&rf.file, f, Some(rf.id.as_str())))
        });
        // Earlier layers first, so that a later one's `override: true` replaces.
        let mut all: Vec<_> = shared.chain(local).collect();
        all.sort_by_key(|(file, _, _)| file.layer);
        let mut first: HashMap<&str, (usize, String)> = HashMap::new();
        let mut defined: Vec<Defined> = Vec::new();
        for (file, raw, owner) in all {
            let mut ctx = FileContext::new(file, problems, compiled);
            let id = raw.id.value.as_str();
            check_fact_shape(&mut ctx, raw);
            let here = format!("{}:{}", file.shown, raw.id.referenced.line());
            match first.get(id) {
                Some((layer, _)) if *layer < file.layer && raw.override_ => {
                    defined.retain(|d| d.raw.id.value != id);
                }
                Some((layer, earlier)) if *layer < file.layer => {
                    ctx.error(
                        &raw.id.referenced,
                        format!("fact `{id}` is already defined by an earlier pack (in {earlier})"),
                        "to replace it, say `override: true` in this fact; otherwise give it another id",
                    );
                    continue;
                }
                Some((_, earlier)) => {
                    ctx.error(
                        &raw.id.referenced,
                        format!("fact `{id}` is defined twice (first in {earlier})"),
                        "fact ids are unique across the pack (facts/*.yaml and every rule's facts); rename or merge one of them",
                    );
                    continue;
                }
                None => {}
            }
            first.insert(id, (file.layer, here));
            defined.push(Defined { file, raw, owner });
        }
        defined.sort_by(|a, b| a.raw.id.value.cmp(&b.raw.id.value));
        let mut table = FactTable {
            facts: Vec::with_capacity(defined.len()),
            index: HashMap::new(),
            owners: Vec::new(),
            defined: Vec::new(),
            unreadable,
        };
        for d in &defined {
            let mut ctx = FileContext::new(d.file, problems, compiled);
            let id = d.raw.id.value.clone();
            table.index.insert(id.clone(), table.facts.len());
            table.owners.push(d.owner);
            table.defined.push((d.file, &d.raw.id.referenced));
            table.facts.push(Fact {
                id,
                title: d.raw.title.clone(),
                terms: d.raw.terms.iter().map(|t| t.to_lowercase()).collect(),
                patterns: {
                    let mut patterns = ctx.regexes(&d.raw.patterns, Greed::Greedy);
                    patterns.extend(ctx.regexes(&d.raw.near_patterns(), Greed::Greedy));
                    patterns
                },
                absent_patterns: ctx.regexes(&d.raw.absent_patterns, Greed::Greedy),
                historical_counts: d.raw.historical_counts
                    || d.raw.documented_by.contains(&MentionContext::Historical),
                hypothetical_counts: d.raw.documented_by.contains(&MentionContext::Hypothetical),
                concept: d.raw.concept.clone(),
                addresses: Vec::new(),
                concedes_request: d.raw.concedes_request,
            });
        }
        // A category's facts, once every fact has its index.
        for (i, d) in defined.iter().enumerate() {
            if d.raw.addresses.is_empty() {
                continue;
            }
            let mut ctx = FileContext::new(d.file, problems, compiled);
            let mut addresses = Vec::new();
            for named in &d.raw.addresses {
                match table.index.get(named.value.as_str()) {
                    Some(&j)
                        if j == i
                            || !defined[j].raw.addresses.is_empty()
                            || defined[j].raw.concedes_request =>
                    {
                        ctx.error(
                            &named.referenced,
                            format!(
                                "fact `{}` addresses the category `{}`",
                                d.raw.id.value, named.value
                            ),
                            "a category names facts that are criteria; list those facts instead",
                        );
                    }
                    Some(&j) => addresses.push(j),
                    None if table.unreadable.contains(named.value.as_str()) => {}
                    None => {
                        let close =
                            nearest(&named.value, table.facts.iter().map(|f| f.id.as_str()));
                        ctx.error(
                            &named.referenced,
                            format!(
                                "fact `{}` addresses `{}`, which is not defined",
                                d.raw.id.value, named.value
                            ),
                            with_suggestions(
                                "name a fact defined in rules/facts/*.yaml or in a rule's facts",
                                &close,
                            ),
                        );
                    }
                }
            }
            table.facts[i].addresses = addresses;
        }
        table
    }

    /// Whether fact `index` is a category, naming other facts as a whole
    /// (never a criterion).
    pub fn is_category(&self, index: usize) -> bool {
        !self.facts[index].addresses.is_empty() || self.facts[index].concedes_request
    }

    /// The index of fact `id` for `rule`: shared facts serve every rule, a
    /// rule-local fact only the rule whose file defines it.
    pub fn lookup(&self, id: &str, rule: &str) -> Result<usize, FactError<'_>> {
        match self.index.get(id) {
            Some(&i) => match self.owners[i] {
                Some(owner) if owner != rule => Err(FactError::OtherRule(owner)),
                _ => Ok(i),
            },
            None if self.unreadable.contains(id) => Err(FactError::Unreadable),
            None => Err(FactError::Undefined(nearest(
                id,
                self.facts
                    .iter()
                    .zip(&self.owners)
                    .filter(|(_, owner)| owner.is_none_or(|o| o == rule))
                    .map(|(f, _)| f.id.as_str()),
            ))),
        }
    }

    /// Where each fact is defined, in the order of the facts.
    fn origins(&self) -> Vec<super::FactOrigin> {
        self.defined
            .iter()
            .zip(&self.owners)
            .map(|((file, at), owner)| super::FactOrigin {
                file: file.shown.clone(),
                line: at.line() as usize,
                rule: owner.map(str::to_owned),
            })
            .collect()
    }

    /// Warnings for facts that no rule uses, in its criteria or its tests.
    fn unused(&self, rules: &[super::Rule]) -> Vec<Problem> {
        let mut used = BTreeSet::new();
        for rule in rules {
            rule.recommended_when.facts(&mut used);
            if let Some(c) = &rule.not_recommended_when {
                c.facts(&mut used);
            }
            for test in &rule.tests {
                for fact in test.expect.met.iter().chain(&test.expect.not_met) {
                    used.extend(self.index.get(fact.as_str()).copied());
                }
            }
        }
        let mut warnings = Vec::new();
        for (i, fact) in self.facts.iter().enumerate() {
            // A category or a concession serves the checks that read
            // rationales, not rules.
            if used.contains(&i) || self.is_category(i) {
                continue;
            }
            let (file, at) = self.defined[i];
            let hint = match self.owners[i] {
                Some(owner) => format!(
                    "rule `{owner}` defines it but does not use it; use it in the rule's criteria or tests, or delete it"
                ),
                None => "use it in a rule's criteria or tests, or delete it".to_owned(),
            };
            warnings.push(
                Problem::at(
                    &file.shown,
                    &file.text,
                    at,
                    format!("fact `{}` is not used by any rule", fact.id),
                    hint,
                )
                .warning(),
            );
        }
        warnings
    }
}

/// Why a fact id does not resolve for a rule.
pub(super) enum FactError<'a> {
    /// No such fact; the closest ids this rule could use.
    Undefined(Vec<&'a str>),
    /// Defined in another rule's file.
    OtherRule(&'a str),
    /// Defined in a file that could not be read, whose problems are reported.
    Unreadable,
}

fn check_fact_shape(ctx: &mut FileContext, fact: &RawFact) {
    let id = &fact.id.value;
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        ctx.error(
            &fact.id.referenced,
            format!("fact id `{id}` is not snake_case"),
            "use lower-case letters, digits and underscores",
        );
    }
    if fact.terms.is_empty() && fact.patterns.is_empty() && fact.near.is_empty() {
        ctx.error(
            &fact.id.referenced,
            format!("fact `{id}` has no terms, patterns or near entries"),
            "give it at least one literal term, regex pattern or `near` entry",
        );
    }
    for entry in &fact.near {
        if let Some((message, hint)) = entry.value.problem() {
            ctx.error(&entry.referenced, format!("fact `{id}`: {message}"), hint);
        }
    }
}
