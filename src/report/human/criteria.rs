//! The criterion lines of an item in the human report, made short: a
//! criterion the rule names twice is one line, a family of bounds on one
//! number (`requested visits >= 1` … `>= 10`, `pt_visits_completed >= 10`
//! … `>= 1`) is one line stating the number against its limit, and each
//! mention of the letter is quoted once. The criteria that decided what the
//! rule expects come first.

use crate::eval::{CriterionRole, Tri};
use crate::report::view::{CriterionView, ItemView, Mention};
use crate::report::weigh::{Bounds, Measure, Weight};

/// Which way a line argues: one criterion's weight, or both when the rule
/// uses it both ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lean {
    pub for_request: bool,
    pub against: bool,
}

impl Lean {
    fn add(&mut self, weight: Option<Weight>) {
        match weight {
            Some(Weight::For) => self.for_request = true,
            Some(Weight::Against) => self.against = true,
            None => {}
        }
    }

    /// The words of the weight column: `for`, `against`, `both` or nothing.
    pub fn words(self) -> &'static str {
        match (self.for_request, self.against) {
            (true, true) => "both",
            (true, false) => "for",
            (false, true) => "against",
            (false, false) => "",
        }
    }
}

/// How a line's status reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Status(Tri),
    /// The number is stated and within every limit.
    Within,
    /// The number is over (or under) a limit.
    Over,
    /// The number is stated; no limit applies to it.
    Stated,
}

impl Mark {
    pub fn words(self) -> String {
        match self {
            Mark::Status(tri) => crate::report::words(tri),
            Mark::Within => "within limit".into(),
            Mark::Over => "over limit".into(),
            Mark::Stated => "stated".into(),
        }
    }
}

/// One line of criteria.
pub struct Line<'a> {
    pub mark: Mark,
    pub lean: Lean,
    /// `fact — title`, or the numeric summary.
    pub text: String,
    /// The title alone, or the numeric summary (`--brief`).
    pub plain: String,
    pub decisive: bool,
    pub mentions: Vec<&'a Mention<'a>>,
}

/// The lines of an item's criteria: every criterion, repeats merged and
/// numeric families gathered, decisive lines first.
pub fn lines<'a>(view: &ItemView<'a>, criteria: &'a [CriterionView<'a>]) -> Vec<Line<'a>> {
    let plain_facts: Vec<&str> = criteria
        .iter()
        .filter(|c| c.measure.is_none())
        .map(|c| c.fact)
        .collect();
    let mut groups: Vec<Group> = Vec::new();
    for c in criteria {
        let key = match c.measure {
            // A number the letter does not document is the fact not
            // documented, whatever its bound: one line with the fact's.
            Some((Measure::Fact(id), _)) if c.status == Tri::NotDocumented => {
                Key::Fact(id, c.status)
            }
            // A documented number of a fact the rule also names plainly is
            // shown by that fact's line and its quoted words.
            Some((Measure::Fact(id), _)) if !c.decisive && plain_facts.contains(&id) => continue,
            // Deciding bounds on one number, by status: one line each.
            Some((measure, _)) if c.decisive => Key::Deciding(measure, c.status),
            Some((measure, _)) => Key::Family(measure),
            None => Key::Fact(c.fact, c.status),
        };
        match groups.iter_mut().find(|g| g.key == key) {
            Some(group) => group.members.push(c),
            None => groups.push(Group {
                key,
                members: vec![c],
            }),
        }
    }
    let mut out: Vec<Line> = groups.iter().map(|g| g.line(view)).collect();
    // Stable: decisive lines first, each part in the rule's order.
    out.sort_by_key(|l| !l.decisive);
    out
}

/// What gathers criteria on one line.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Key<'a> {
    /// A fact with a status (its repeats, and its undocumented numbers).
    Fact(&'a str, Tri),
    /// The deciding bounds on one number with one status.
    Deciding(Measure<'a>, Tri),
    /// The other bounds on one number, and its limits.
    Family(Measure<'a>),
}

struct Group<'a> {
    key: Key<'a>,
    members: Vec<&'a CriterionView<'a>>,
}

impl<'a> Group<'a> {
    fn line(&self, view: &ItemView) -> Line<'a> {
        let decisive = self.members.iter().any(|c| c.decisive);
        // A deciding line weighs as its deciding uses do; a family of
        // bounds weighs only by its limits (below).
        let mut lean = Lean::default();
        if !matches!(self.key, Key::Family(_)) {
            for c in &self.members {
                if c.decisive || !decisive {
                    lean.add(c.weight);
                }
            }
        }
        let mut mentions = Vec::new();
        for c in &self.members {
            add_mentions(&mut mentions, &c.mentions);
        }
        let first = self.members[0];
        let (mark, text, plain) = match self.key {
            // An undocumented number's title is its fact's.
            // A bound on a sum is named by its bound: its title is the total.
            Key::Fact(id, status) => (
                Mark::Status(status),
                format!("{id} — {}", first.title),
                if id.contains(" <= ") || id.contains(" >= ") {
                    format!("{id} — {}", first.title)
                } else {
                    first.title.to_owned()
                },
            ),
            Key::Deciding(measure, status) => {
                let bound = tightest(&self.members, status);
                let (name, value) = named(view, measure, first);
                let text = format!("{name}: {value} — {bound}");
                let plain = match measure {
                    Measure::Request(_) => text.clone(),
                    Measure::Fact(_) | Measure::Age => format!("{value}, {bound}"),
                };
                (Mark::Status(status), text, plain)
            }
            Key::Family(measure) => {
                let (mark, text) = family(view, measure, &self.members, &mut lean);
                (mark, text.clone(), text)
            }
        };
        Line {
            mark,
            lean,
            text,
            plain,
            decisive,
            mentions,
        }
    }
}

/// Adds mentions not yet quoted (same words, same counting).
fn add_mentions<'a>(to: &mut Vec<&'a Mention<'a>>, mentions: &'a [Mention<'a>]) {
    for m in mentions {
        let e = m.evidence;
        if !to.iter().any(|t| {
            t.evidence.start == e.start && t.evidence.end == e.end && t.counted == m.counted
        }) {
            to.push(m);
        }
    }
}

/// The name of a number and its value as the letter gives it.
fn named(view: &ItemView, measure: Measure, first: &CriterionView) -> (String, String) {
    match measure {
        Measure::Request(kind) => (
            kind.name().to_owned(),
            view.requested(kind)
                .map_or("not stated".to_owned(), |v| v.to_string()),
        ),
        // The bound's title says the documented number.
        Measure::Fact(id) => (id.to_owned(), first.title.to_owned()),
        Measure::Age => ("patient age".to_owned(), first.title.to_owned()),
    }
}

/// The bound that says most of a deciding family: of the met ones the
/// strictest (a number at least 10 is at least 1 too), of the failed ones
/// the loosest (under even the lowest floor).
fn tightest(members: &[&CriterionView], status: Tri) -> String {
    let bounds: Vec<Bounds> = members
        .iter()
        .filter_map(|c| c.measure.map(|(_, b)| b))
        .collect();
    let pick = |values: Vec<f64>, highest: bool| {
        values
            .into_iter()
            .reduce(|a, b| if (b > a) == highest { b } else { a })
    };
    let lows: Vec<f64> = bounds.iter().filter_map(|b| b.at_least).collect();
    let highs: Vec<f64> = bounds.iter().filter_map(|b| b.at_most).collect();
    let met = status != Tri::NotMet;
    let chosen = Bounds {
        at_least: pick(lows, met),
        at_most: pick(highs, !met),
    };
    chosen.to_string()
}

/// One line for the non-deciding bounds on one number, with its limits.
fn family(
    view: &ItemView,
    measure: Measure,
    members: &[&CriterionView],
    lean: &mut Lean,
) -> (Mark, String) {
    let documented = members.iter().any(|c| c.status != Tri::NotDocumented);
    match measure {
        Measure::Request(kind) => {
            let limits: Vec<&&CriterionView> = members
                .iter()
                .filter(|c| c.role == CriterionRole::Limit)
                .collect();
            let (name, value) = named(view, measure, members[0]);
            let mut text = format!("{name}: {value}");
            let limit_words: Vec<String> = limits
                .iter()
                .filter_map(|c| {
                    let (_, bounds) = c.measure?;
                    Some(format!("limit {bounds} ({})", c.title.trim()))
                })
                .collect();
            if !limit_words.is_empty() {
                text.push_str(" — ");
                text.push_str(&limit_words.join("; "));
            } else {
                text.push_str(&format!(" — compared with {}", range(members)));
            }
            let mark = if view.requested(kind).is_none() {
                Mark::Status(Tri::NotDocumented)
            } else if limits.iter().any(|c| c.status == Tri::NotMet) {
                lean.add(Some(Weight::Against));
                Mark::Over
            } else if limits.is_empty() {
                Mark::Stated
            } else {
                Mark::Within
            };
            (mark, text)
        }
        Measure::Fact(_) | Measure::Age => {
            let (name, value) = named(view, measure, members[0]);
            let text = format!("{name} — {value} (compared with {})", range(members));
            let mark = if documented {
                Mark::Stated
            } else {
                Mark::Status(Tri::NotDocumented)
            };
            (mark, text)
        }
    }
}

/// The bounds of a family in words: "at least 1 to 10, at most 6".
fn range(members: &[&CriterionView]) -> String {
    let bounds: Vec<Bounds> = members
        .iter()
        .filter_map(|c| c.measure.map(|(_, b)| b))
        .collect();
    let span = |values: Vec<f64>, words: &str| -> Option<String> {
        let lo = values.iter().copied().reduce(f64::min)?;
        let hi = values.iter().copied().reduce(f64::max)?;
        Some(if lo == hi {
            format!("{words} {lo}")
        } else {
            format!("{words} {lo} to {hi}")
        })
    };
    let one_sided = |lower: bool| -> Vec<f64> {
        bounds
            .iter()
            .filter_map(|b| match (b.at_least, b.at_most) {
                (Some(lo), None) if lower => Some(lo),
                (None, Some(hi)) if !lower => Some(hi),
                _ => None,
            })
            .collect()
    };
    let mut parts: Vec<String> = [
        span(one_sided(true), "at least"),
        span(one_sided(false), "at most"),
    ]
    .into_iter()
    .flatten()
    .collect();
    for b in &bounds {
        let words = b.to_string();
        if b.at_least.is_some() && b.at_most.is_some() && !parts.contains(&words) {
            parts.push(words);
        }
    }
    parts.join(", ")
}
