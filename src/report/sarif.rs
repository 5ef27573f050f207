//! `check --format sarif`: a SARIF 2.1.0 log for code-scanning tools, built
//! with the `serde-sarif` object model.
//!
//! One run; `tool.driver.rules` holds one reporting descriptor per check id
//! (described by `imr-audit explain`), and every finding becomes one result
//! pointing at the letter's lines: its primary label is the location, every
//! other label a related location whose message is the label's. Columns are
//! counted in Unicode code points (`columnKind: unicodeCodePoints`), as
//! everywhere in imr-audit. Each result carries
//! `partialFingerprints["imrAudit/v1"]`: the finding's own fingerprint
//! ([`crate::baseline::fingerprint`]), which ignores line numbers.
//! The bytes depend only on the letters and the pack: no timestamps.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;
use serde_sarif::sarif;

use super::summary::Summary;
use super::{PackOrigin, Reporter};
use crate::audit::Audit;
use crate::baseline::fingerprint::{self, sha256_hex};
use crate::checks::explain;
use crate::eval::Verdict;
use crate::finding::{Check, Finding, Label, Severity};
use crate::input::InputError;
use crate::rules::Pack;
use crate::source::Span;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const VERSION: &str = "2.1.0";
/// Snippets longer than this (in bytes) are left out of regions.
const MAX_SNIPPET: usize = 400;

/// Collects results letter by letter; renders the log at the end.
pub struct SarifReport {
    /// `tool.driver.properties.rulePack`.
    pack: PackOrigin,
    artifacts: Vec<sarif::Artifact>,
    results: Vec<sarif::Result>,
    /// Paths of the letters added, to tell which unreadable ones never were.
    added: BTreeSet<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactProperties {
    #[serde(skip_serializing_if = "Option::is_none")]
    case_number: Option<String>,
    layout: String,
    items: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultProperties {
    #[serde(skip_serializing_if = "Option::is_none")]
    item: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    case_number: Option<String>,
}

#[derive(Serialize)]
struct RunProperties {
    letters: usize,
    items: usize,
    covered: usize,
    verdicts: BTreeMap<&'static str, usize>,
}

/// A property bag holding the fields of `value` (a struct serialised as an object).
fn bag(value: impl Serialize) -> sarif::PropertyBag {
    let serde_json::Value::Object(fields) =
        serde_json::to_value(value).expect("properties serialise")
    else {
        unreachable!("properties are structs")
    };
    sarif::PropertyBag::builder()
        .additional_properties(fields.into_iter().collect::<BTreeMap<_, _>>())
        .build()
}

/// A SARIF integer from a count or position (never anywhere near `i64::MAX`).
fn int(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl SarifReport {
    pub fn new(pack: &Pack) -> SarifReport {
        SarifReport {
            pack: PackOrigin::of(pack, &[]),
            artifacts: Vec::new(),
            results: Vec::new(),
            added: BTreeSet::new(),
        }
    }

    /// Names where the pack came from (`--rules` folders).
    pub fn with_origin(mut self, origin: &PackOrigin) -> SarifReport {
        self.pack = origin.clone();
        self
    }

    fn log(self, summary: &Summary) -> sarif::Sarif {
        let unread = summary
            .unreadable
            .iter()
            .filter(|path| !self.added.contains(*path))
            .map(|path| notification("error", path, "the letter could not be read at all"));
        let skipped = summary.skipped.iter().map(|s| {
            let level = if s.problem { "error" } else { "note" };
            notification(level, &s.path, &format!("not audited: {}", s.reason))
        });
        let notifications: Vec<sarif::Notification> = unread.chain(skipped).collect();
        // An empty `toolExecutionNotifications` is left out rather than written as [].
        let invocation = if notifications.is_empty() {
            sarif::Invocation::builder()
                .execution_successful(true)
                .build()
        } else {
            sarif::Invocation::builder()
                .execution_successful(false)
                .tool_execution_notifications(notifications)
                .build()
        };
        let driver = sarif::ToolComponent::builder()
            .name("imr-audit")
            .version(env!("CARGO_PKG_VERSION"))
            .semantic_version(env!("CARGO_PKG_VERSION"))
            .rules(
                Check::ALL
                    .iter()
                    .map(|&c| descriptor(c))
                    .collect::<Vec<_>>(),
            )
            .properties(bag(serde_json::json!({ "rulePack": self.pack })))
            .build();
        let properties = RunProperties {
            letters: summary.letters,
            items: summary.items,
            covered: summary.covered,
            verdicts: Verdict::ALL
                .iter()
                .map(|&v| {
                    (
                        v.into(),
                        summary.verdicts.get(&v).copied().unwrap_or_default(),
                    )
                })
                .collect(),
        };
        let run = sarif::Run::builder()
            .tool(driver)
            .invocations(vec![invocation])
            .column_kind(serde_json::json!("unicodeCodePoints"))
            .artifacts(self.artifacts)
            .results(self.results)
            .properties(bag(properties))
            .build();
        sarif::Sarif::builder()
            .schema(SCHEMA)
            .version(serde_json::json!(VERSION))
            .runs(vec![run])
            .build()
    }
}

impl Reporter for SarifReport {
    fn letter(&mut self, _out: &mut dyn Write, audit: &Audit) -> io::Result<()> {
        let path = audit.source.path();
        self.added.insert(path.display().to_string());
        let uri = uri_of(path);
        let index = self.artifacts.len();
        // The artifact is the file: its own bytes, also where reading it
        // changed them (line endings, encoding, typographic characters).
        let text = audit.source.text();
        let (length, sha256) = match &audit.source.decoding().file {
            Some(file) => (file.len, file.sha256.clone()),
            None => (text.len(), sha256_hex(text.as_bytes())),
        };
        let case_number = audit.letter.case_number.as_ref().map(|c| c.value.clone());
        self.artifacts.push(
            sarif::Artifact::builder()
                .location(sarif::ArtifactLocation::builder().uri(uri.clone()).build())
                .length(int(length))
                .hashes(BTreeMap::from([("sha-256".to_owned(), sha256)]))
                .properties(bag(ArtifactProperties {
                    case_number: case_number.clone(),
                    layout: audit.letter.layout.to_string(),
                    items: audit.letter.items.len(),
                }))
                .build(),
        );
        let at = ArtifactRef {
            uri: &uri,
            index,
            audit,
        };
        for finding in &audit.findings {
            self.results.push(at.result(finding));
        }
        Ok(())
    }

    /// Reported from the summary in `finish`, as tool execution notifications.
    fn unreadable(&mut self, _out: &mut dyn Write, _error: &InputError) -> io::Result<()> {
        Ok(())
    }

    fn finish(self: Box<Self>, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        out.write_all(&serde_json::to_vec_pretty(&self.log(summary))?)?;
        out.write_all(b"\n")
    }
}

/// A tool execution notification about `path`.
fn notification(level: &str, path: &str, what: &str) -> sarif::Notification {
    sarif::Notification::builder()
        .level(serde_json::json!(level))
        .message(format!("{path}: {what}").as_str())
        .locations(vec![
            sarif::Location::builder()
                .physical_location(
                    sarif::PhysicalLocation::builder()
                        .artifact_location(
                            sarif::ArtifactLocation::builder()
                                .uri(uri_of(Path::new(path)))
                                .build(),
                        )
                        .build(),
                )
                .build(),
        ])
        .build()
}

/// The SARIF level of a severity.
pub fn level(severity: Severity) -> sarif::ResultLevel {
    match severity {
        Severity::Error => sarif::ResultLevel::Error,
        Severity::Warning => sarif::ResultLevel::Warning,
        Severity::Info => sarif::ResultLevel::Note,
    }
}

/// The artifact URI of a letter path: relative paths as given with forward
/// slashes, absolute ones as `file://` URIs; characters a URI reference may
/// not hold are percent-encoded.
pub fn uri_of(path: &Path) -> String {
    let text = path.display().to_string().replace('\\', "/");
    let encoded = percent_encode(&text);
    if path.is_absolute() || text.starts_with('/') {
        if encoded.starts_with('/') {
            format!("file://{encoded}")
        } else {
            format!("file:///{encoded}")
        }
    } else {
        encoded
    }
}

fn percent_encode(text: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            );
        if keep {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn descriptor(check: Check) -> sarif::ReportingDescriptor {
    let e = explain::text(check);
    let help = format!(
        "{}\n\nGuideline basis: {}\n\nExample letter language: {}\n\nReferences: {}",
        e.what, e.basis, e.example, e.references
    );
    let markdown = format!(
        "{}\n\n**Guideline basis:** {}\n\n**Example letter language:** `{}`\n\n**References:** {}\n\nRun `imr-audit explain {}` for more.",
        e.what,
        e.basis,
        e.example.replace('`', "'"),
        e.references,
        check.id()
    );
    let text = |text: &str| {
        sarif::MultiformatMessageString::builder()
            .text(text)
            .build()
    };
    sarif::ReportingDescriptor::builder()
        .id(check.id())
        .name(camel_case(check.id()))
        .short_description(text(e.summary))
        .full_description(text(e.what))
        .help(
            sarif::MultiformatMessageString::builder()
                .text(help)
                .markdown(markdown)
                .build(),
        )
        .build()
}

fn camel_case(id: &str) -> String {
    id.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// The letter a result points into.
struct ArtifactRef<'a> {
    uri: &'a str,
    index: usize,
    audit: &'a Audit,
}

impl ArtifactRef<'_> {
    fn physical(&self, span: Option<Span>) -> sarif::PhysicalLocation {
        let artifact = sarif::ArtifactLocation::builder()
            .uri(self.uri)
            .index(int(self.index))
            .build();
        match span {
            Some(span) => sarif::PhysicalLocation::builder()
                .artifact_location(artifact)
                .region(self.region(span))
                .build(),
            None => sarif::PhysicalLocation::builder()
                .artifact_location(artifact)
                .build(),
        }
    }

    fn region(&self, span: Span) -> sarif::Region {
        let text = self.audit.source.slice(span);
        let region = sarif::Region::builder()
            .start_line(int(span.line))
            .start_column(int(span.column))
            .end_line(int(span.end_line))
            .end_column(int(span.end_column))
            .byte_offset(int(span.start))
            .byte_length(int(span.end - span.start));
        let mut region = if !text.is_empty() && text.len() <= MAX_SNIPPET {
            region
                .snippet(sarif::ArtifactContent::builder().text(text).build())
                .build()
        } else {
            region.build()
        };
        // Byte offsets are the read text's: where reading changed the
        // file's bytes they are not the artifact's, and only lines and
        // columns (always the file's) are given.
        if self.audit.source.decoding().file.is_some() {
            region.byte_offset = None;
            region.byte_length = None;
        }
        region
    }

    /// What a further label shows: its message and words for a fact's
    /// mention ("red_flag_low_back (affirmed): \"…\""), else the words it
    /// covers, else its line.
    fn related_message(&self, label: &Label) -> String {
        if let Some(message) = label.message() {
            return format!(
                "{message}: \"{}\"",
                label.text.as_deref().unwrap_or_default()
            );
        }
        let words = self
            .audit
            .source
            .slice(label.span)
            .split_whitespace()
            .collect::<Vec<_>>();
        if words.is_empty() {
            format!("line {}", label.span.line)
        } else {
            format!("\"{}\"", words.join(" "))
        }
    }

    fn result(&self, finding: &Finding) -> sarif::Result {
        let location = sarif::Location::builder()
            .physical_location(self.physical(finding.primary()))
            .build();
        let related: Vec<sarif::Location> = finding
            .labels
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, label)| {
                sarif::Location::builder()
                    .id(int(i))
                    .physical_location(self.physical(Some(label.span)))
                    .message(self.related_message(label).as_str())
                    .build()
            })
            .collect();
        let properties = bag(ResultProperties {
            item: finding.item,
            rule: finding.rule.clone(),
            page: finding.primary().map(|s| s.page),
            case_number: self
                .audit
                .letter
                .case_number
                .as_ref()
                .map(|c| c.value.clone()),
        });
        let fingerprints = BTreeMap::from([(
            fingerprint::VERSION.to_owned(),
            fingerprint::fingerprint(self.audit, finding),
        )]);
        let rule_index = Check::ALL
            .iter()
            .position(|&c| c == finding.check)
            .unwrap_or_default();
        let result = sarif::Result::builder()
            .rule_id(finding.check.id())
            .rule_index(int(rule_index))
            .level(level(finding.severity))
            .message(finding.message.as_str())
            .locations(vec![location])
            .partial_fingerprints(fingerprints)
            .properties(properties);
        if related.is_empty() {
            result.build()
        } else {
            result.related_locations(related).build()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_forward_slashed_and_encoded() {
        assert_eq!(uri_of(Path::new("samples/a b.txt")), "samples/a%20b.txt");
        assert_eq!(uri_of(Path::new("dir\\x#1.txt")), "dir/x%231.txt");
        assert_eq!(uri_of(Path::new("/tmp/l.txt")), "file:///tmp/l.txt");
        assert_eq!(camel_case("decision-conflict"), "DecisionConflict");
    }
}
