//! The shape of a pack file, checked against its JSON Schema
//! ([`super::schema`]) so that one run reports every problem of a file:
//! each unknown key (with the nearest valid one and the keys valid there),
//! each value of the wrong type ("expected a number, found text `ten`"),
//! each value outside its list, each missing key and each pattern that does
//! not compile.
//!
//! serde stops at a file's first problem, so this runs only when it fails:
//! the file is read again as a tree of located YAML nodes and walked beside
//! its schema. Loading a sound pack never pays for it.

use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::Spanned;

use super::context::nearest;

/// A YAML value with the place of each part.
#[derive(Debug)]
pub(super) enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<Node>, Spanned<Node>)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> serde::de::Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(i64::try_from(v).map_or(Node::Float(v as f64), Node::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element()? {
            out.push(item);
        }
        Ok(Node::Seq(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut out = Vec::new();
        while let Some(entry) = map.next_entry()? {
            out.push(entry);
        }
        Ok(Node::Map(out))
    }
}

/// One problem of shape: where, what, what to do, and how many characters
/// to underline (when the value sits on one line).
#[derive(Debug)]
pub(super) struct Flaw {
    pub line: usize,
    pub column: usize,
    pub width: Option<usize>,
    pub message: String,
    pub hint: String,
}

/// Keys whose values are regular expressions, checked here too so that a
/// file with a shape problem still has its patterns judged in the same run.
const PATTERN_KEYS: &[&str] = &[
    "patterns",
    "absent_patterns",
    "applies_to",
    "excludes",
    "term",
];

/// Every problem of `node` against `schema` (a root schema with `$defs`).
pub(super) fn check(node: &Spanned<Node>, schema: &Value) -> Vec<Flaw> {
    let mut walk = Walk {
        root: schema,
        flaws: Vec::new(),
    };
    walk.value(node, schema, "", "the file");
    walk.flaws
}

struct Walk<'a> {
    root: &'a Value,
    flaws: Vec<Flaw>,
}

/// How many characters of a node to underline: its span when on one line.
fn width(node: &Spanned<Node>) -> Option<usize> {
    match node.value {
        Node::Seq(_) | Node::Map(_) => None,
        _ => usize::try_from(node.referenced.span().len())
            .ok()
            .filter(|&n| n > 0),
    }
}

fn found(node: &Node) -> String {
    match node {
        Node::Null => "nothing (an empty value)".to_owned(),
        Node::Bool(b) => format!("`{b}`"),
        Node::Int(i) => format!("the number `{i}`"),
        Node::Float(f) => format!("the number `{f}`"),
        Node::Str(s) => format!("text `{s}`"),
        Node::Seq(_) => "a list".to_owned(),
        Node::Map(_) => "a mapping (`key: value` lines)".to_owned(),
    }
}

fn expected(kind: &str) -> &'static str {
    match kind {
        "string" => "text",
        "number" => "a number",
        "integer" => "a whole number",
        "boolean" => "true or false",
        "array" => "a list (`- item` lines)",
        "object" => "a mapping (`key: value` lines)",
        _ => "nothing",
    }
}

/// The JSON Schema types `node` satisfies.
fn fits(node: &Node, kind: &str) -> bool {
    match (node, kind) {
        (Node::Null, "null") | (Node::Bool(_), "boolean") | (Node::Int(_), "integer") => true,
        (Node::Int(_) | Node::Float(_), "number") => true,
        // Plain scalars read as text where text is wanted.
        (Node::Bool(_) | Node::Int(_) | Node::Float(_) | Node::Str(_), "string") => true,
        (Node::Seq(_), "array") | (Node::Map(_), "object") => true,
        _ => false,
    }
}

fn types(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The strings an enum-like schema allows (`enum` or `const`), if it is one.
fn allowed(schema: &Value) -> Option<Vec<&str>> {
    if let Some(c) = schema.get("const").and_then(Value::as_str) {
        return Some(vec![c]);
    }
    let list = schema.get("enum")?.as_array()?;
    Some(list.iter().filter_map(Value::as_str).collect())
}

fn properties(schema: &Value) -> Vec<&str> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

fn required(schema: &Value) -> Vec<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn key_text(key: &Spanned<Node>) -> String {
    match &key.value {
        Node::Str(s) => s.clone(),
        other => found(other),
    }
}

impl<'a> Walk<'a> {
    fn flaw(&mut self, node: &Spanned<Node>, message: String, hint: String) {
        self.flaws.push(Flaw {
            line: node.referenced.line() as usize,
            column: node.referenced.column() as usize,
            width: width(node),
            message,
            hint,
        });
    }

    fn resolve(&self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..16 {
            let Some(name) = schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/$defs/"))
            else {
                break;
            };
            match self.root.pointer(&format!("/$defs/{name}")) {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    /// The alternatives of an `anyOf`/`oneOf`, nested ones flattened; the
    /// schema itself when it has none.
    fn alternatives(&self, schema: &'a Value) -> Vec<&'a Value> {
        let schema = self.resolve(schema);
        match schema.get("anyOf").or_else(|| schema.get("oneOf")) {
            Some(Value::Array(list)) => list.iter().flat_map(|s| self.alternatives(s)).collect(),
            _ => vec![schema],
        }
    }

    fn value(&mut self, node: &Spanned<Node>, schema: &'a Value, key: &str, whose: &str) {
        let alts = self.alternatives(schema);
        if matches!(node.value, Node::Null) && alts.iter().any(|a| types(a).contains(&"null")) {
            return;
        }
        let alts: Vec<&Value> = alts.into_iter().filter(|a| types(a) != ["null"]).collect();
        // A choice of words (an enum, or a oneOf of constants) where no
        // alternative takes free text.
        let (word_alts, alts): (Vec<&Value>, Vec<&Value>) =
            alts.into_iter().partition(|a| allowed(a).is_some());
        let scalar = !matches!(node.value, Node::Seq(_) | Node::Map(_) | Node::Null);
        let free_text = alts.iter().any(|a| types(a).contains(&"string"));
        if !word_alts.is_empty() && (alts.is_empty() || (scalar && !free_text)) {
            let words: Vec<&str> = word_alts
                .iter()
                .filter_map(|a| allowed(a))
                .flatten()
                .collect();
            self.word(node, &words, key);
            return;
        }
        if PATTERN_KEYS.contains(&key)
            && let Node::Str(pattern) = &node.value
        {
            self.pattern(node, pattern);
        }
        let fitting: Vec<&Value> = alts
            .iter()
            .copied()
            .filter(|a| {
                let t = types(a);
                t.is_empty() || t.iter().any(|k| fits(&node.value, k))
            })
            .collect();
        match (&node.value, fitting.as_slice()) {
            (_, []) => {
                let mut kinds: Vec<&str> = alts
                    .iter()
                    .flat_map(|a| types(a))
                    .filter(|t| *t != "null")
                    .map(expected)
                    .collect();
                kinds.dedup();
                let what = if key.is_empty() { whose } else { key };
                self.flaw(
                    node,
                    format!(
                        "expected {}, found {}",
                        kinds.join(" or "),
                        found(&node.value)
                    ),
                    format!("give `{what}` {} (docs/RULES.md)", kinds.join(" or ")),
                );
            }
            (Node::Map(entries), _) => self.mapping(node, entries, &fitting, key),
            (Node::Seq(items), [schema, ..]) => {
                if let Some(item) = schema.get("items") {
                    for node in items {
                        self.value(node, item, key, whose);
                    }
                }
            }
            _ => {}
        }
    }

    fn word(&mut self, node: &Spanned<Node>, words: &[&str], key: &str) {
        let text = match &node.value {
            Node::Str(s) => s.clone(),
            Node::Bool(_) | Node::Int(_) | Node::Float(_) => found(&node.value),
            other => {
                let message = format!(
                    "expected one of {}, found {}",
                    words.join(", "),
                    found(other)
                );
                self.flaw(node, message, "write one of the words listed".to_owned());
                return;
            }
        };
        if words.contains(&text.as_str()) {
            return;
        }
        let close = nearest(&text, words.iter().copied());
        let hint = match close.first() {
            Some(best) => format!(
                "did you mean `{best}`? `{key}` takes one of: {}",
                words.join(", ")
            ),
            None => format!("`{key}` takes one of: {}", words.join(", ")),
        };
        self.flaw(node, format!("`{text}` is not a valid `{key}`"), hint);
    }

    fn pattern(&mut self, node: &Spanned<Node>, pattern: &str) {
        if let Err(err) = regex::RegexBuilder::new(pattern)
            .size_limit(1 << 24)
            .build()
        {
            let detail = err.to_string();
            let last = detail.lines().last().unwrap_or("invalid").trim().to_owned();
            self.flaw(
                node,
                format!("bad regular expression `{pattern}`: {last}"),
                "patterns use Rust regex syntax (no look-around or back-references); quote them with single quotes in YAML".to_owned(),
            );
        }
    }

    /// A mapping against the object schemas it may be: the one whose
    /// required keys it has (a criterion's `all`, `number`, `fact`, …), its
    /// keys among those valid there, each value against its own schema.
    fn mapping(
        &mut self,
        node: &Spanned<Node>,
        entries: &[(Spanned<Node>, Spanned<Node>)],
        alts: &[&'a Value],
        key: &str,
    ) {
        let keys: Vec<String> = entries.iter().map(|(k, _)| key_text(k)).collect();
        // A map of free keys (`renames`): every value against one schema.
        if let [one] = alts
            && let Some(values) = one.get("additionalProperties").filter(|v| v.is_object())
        {
            for ((_, value), text) in entries.iter().zip(&keys) {
                self.value(value, values, text, text);
            }
            return;
        }
        let has = |a: &Value| required(a).iter().all(|r| keys.iter().any(|k| k == r));
        let chosen: Vec<&Value> = if alts.len() == 1 {
            alts.to_vec()
        } else {
            alts.iter().copied().filter(|a| has(a)).collect()
        };
        let mut valid: Vec<&str> = alts.iter().flat_map(|a| properties(a)).collect();
        valid.sort_unstable();
        valid.dedup();
        let closed = alts.len() > 1
            || alts
                .first()
                .is_some_and(|a| a.get("additionalProperties") == Some(&Value::Bool(false)));
        for (k, text) in entries.iter().map(|(k, _)| k).zip(&keys) {
            if closed && !valid.contains(&text.as_str()) {
                let close = nearest(text, valid.iter().copied());
                let mean = close
                    .first()
                    .map_or(String::new(), |best| format!("did you mean `{best}`? "));
                let place = if key.is_empty() {
                    "the file".to_owned()
                } else {
                    format!("`{key}`")
                };
                self.flaw(
                    k,
                    format!("unknown key `{text}`"),
                    format!("{mean}the keys of {place} are: {}", valid.join(", ")),
                );
            }
        }
        let forms = || {
            alts.iter()
                .map(|a| required(a).join("+"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let schema = match chosen.as_slice() {
            [one] => *one,
            [] => {
                if alts.len() > 1 && keys.iter().all(|k| valid.contains(&k.as_str())) {
                    self.flaw(
                        node,
                        format!("this `{key}` mapping has none of the keys that say what it is"),
                        format!("a criterion mapping takes one of: {}", forms()),
                    );
                }
                return;
            }
            _ => {
                self.flaw(
                    node,
                    format!("this `{key}` mapping mixes {} forms", chosen.len()),
                    format!("a criterion mapping takes exactly one of: {}", forms()),
                );
                return;
            }
        };
        let props = schema.get("properties");
        for ((_, value), text) in entries.iter().zip(&keys) {
            let sub = props.and_then(|p| p.get(text.as_str())).or_else(|| {
                alts.iter()
                    .find_map(|a| a.get("properties").and_then(|p| p.get(text.as_str())))
            });
            if let Some(sub) = sub {
                self.value(value, sub, text, text);
            }
        }
        for missing in required(schema)
            .iter()
            .filter(|r| !keys.iter().any(|k| k == *r))
        {
            let place = if key.is_empty() {
                "the file".to_owned()
            } else {
                format!("`{key}`")
            };
            self.flaw(
                node,
                format!("{place} lacks the key `{missing}`"),
                format!("add `{missing}:` (docs/RULES.md shows each file's keys)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::raw::{
        RawCatalogue, RawContext, RawFactFile, RawLexicon, RawRenames, RawRule,
    };
    use crate::rules::read::embedded_files;

    fn flaws_of<T: schemars::JsonSchema>(text: &str) -> Vec<Flaw> {
        let tree: Spanned<Node> = serde_saphyr::from_str(text).unwrap();
        let schema = serde_json::to_value(schemars::schema_for!(T)).unwrap();
        check(&tree, &schema)
    }

    /// The walk and serde agree on every file of the shipped pack: a
    /// sound file has no flaw of shape, so none is ever invented.
    #[test]
    fn every_shipped_file_has_the_shape_of_its_schema() {
        for file in embedded_files() {
            let rel = file.rel.as_str();
            let flaws = if rel == "citations.yaml" {
                flaws_of::<RawCatalogue>(&file.text)
            } else if rel == "renames.yaml" {
                flaws_of::<RawRenames>(&file.text)
            } else if rel.starts_with("lexicon") {
                flaws_of::<RawLexicon>(&file.text)
            } else if rel == "context.yaml" {
                flaws_of::<RawContext>(&file.text)
            } else if rel.starts_with("facts/") {
                flaws_of::<RawFactFile>(&file.text)
            } else if rel == "pack.yaml" || !rel.ends_with(".yaml") {
                continue;
            } else {
                flaws_of::<RawRule>(&file.text)
            };
            assert!(flaws.is_empty(), "{rel}: {flaws:?}");
            assert!(!crate::rules::indent::suspect_lines(&file.text), "{rel}");
        }
    }

    #[test]
    fn a_criterion_mixing_forms_and_a_phase_word_are_judged() {
        let text = "facts: [{id: x, title: X, patterns: ['a(']}]\nrecommended_when: {fact: a, number: b}\nnot_recommended_when: {phase: chronik}\n";
        let flaws = flaws_of::<RawRule>(text);
        let messages: Vec<&str> = flaws.iter().map(|f| f.message.as_str()).collect();
        assert!(
            messages
                .iter()
                .any(|m| m.contains("bad regular expression `a(`")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("mixes 2 forms")),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("`chronik` is not a valid `phase`")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("lacks the key `title`")),
            "{messages:?}"
        );
    }

    #[test]
    fn an_item_indented_under_the_one_above_is_found_at_its_line() {
        let text = "terms:\n  - limp\n     - limping\n  - gait\n";
        assert!(crate::rules::indent::suspect_lines(text));
        let tree: Spanned<Node> = serde_saphyr::from_str(text).unwrap();
        let flaws = crate::rules::indent::misindented(&tree, text);
        assert_eq!(flaws.len(), 1, "{flaws:?}");
        assert_eq!((flaws[0].line, flaws[0].column), (3, 6));
        assert!(flaws[0].message.contains("`limp - limping`"));
        assert!(!crate::rules::indent::suspect_lines(
            "terms:\n  - all:\n      - a\n"
        ));
    }
}
