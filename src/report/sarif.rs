//! `check --format sarif`: a SARIF 2.1.0 log for code-scanning tools.
//!
//! One run; `tool.driver.rules` holds one reporting descriptor per check id
//! (described by `imr-audit explain`), and every finding becomes one result
//! pointing at the letter's lines. Columns are counted in Unicode code points
//! (`columnKind: unicodeCodePoints`), as everywhere in imr-audit. Each result
//! carries `partialFingerprints["imrAudit/v1"]` from
//! [`crate::report::fingerprint`], which ignores line numbers.
//! The bytes depend only on the letters and the pack: no timestamps.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use crate::audit::Audit;
use crate::checks::explain;
use crate::finding::{Check, Finding, Severity};
use crate::report::Accumulator;
use crate::report::fingerprint::{self, sha256_hex};
use crate::report::summary::Summary;
use crate::rules::Pack;
use crate::source::Span;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const VERSION: &str = "2.1.0";
/// Snippets longer than this (in bytes) are left out of regions.
const MAX_SNIPPET: usize = 400;

/// Collects results letter by letter; renders the log at the end.
pub struct SarifReport {
    pack_name: String,
    pack_version: u32,
    artifacts: Vec<Artifact>,
    results: Vec<SarifResult>,
    /// Paths of the letters added, to tell which unreadable ones never were.
    added: BTreeSet<String>,
}

impl SarifReport {
    pub fn new(pack: &Pack) -> SarifReport {
        SarifReport {
            pack_name: pack.name.clone(),
            pack_version: pack.version,
            artifacts: Vec::new(),
            results: Vec::new(),
            added: BTreeSet::new(),
        }
    }
}

impl Accumulator for SarifReport {
    fn add(&mut self, audit: &Audit) {
        let path = audit.source.path();
        self.added.insert(path.display().to_string());
        let uri = uri_of(path);
        let index = self.artifacts.len();
        let text = audit.source.text();
        self.artifacts.push(Artifact {
            location: ArtifactLocation {
                uri: uri.clone(),
                index: None,
            },
            length: text.len(),
            hashes: Hashes {
                sha256: sha256_hex(text.as_bytes()),
            },
            properties: ArtifactProperties {
                case_number: audit.letter.case_number.as_ref().map(|c| c.value.clone()),
                layout: audit.letter.layout.as_str().to_owned(),
                items: audit.letter.items.len(),
            },
        });
        let identity = fingerprint::letter_identity(audit);
        for finding in &audit.findings {
            self.results
                .push(result(audit, finding, &uri, index, &identity));
        }
    }

    fn finish(self: Box<Self>, summary: &Summary) -> Vec<u8> {
        let notifications: Vec<Notification> = summary
            .unreadable
            .iter()
            .filter(|path| !self.added.contains(*path))
            .map(|path| Notification {
                level: "error",
                message: Message {
                    text: format!("{path}: the letter could not be read at all"),
                },
                locations: vec![Location {
                    id: None,
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation {
                            uri: uri_of(Path::new(path)),
                            index: None,
                        },
                        region: None,
                    },
                    message: None,
                }],
            })
            .collect();
        let log = Log {
            schema: SCHEMA,
            version: VERSION,
            runs: vec![Run {
                tool: Tool {
                    driver: Driver {
                        name: "imr-audit",
                        version: env!("CARGO_PKG_VERSION"),
                        semantic_version: env!("CARGO_PKG_VERSION"),
                        rules: Check::ALL.iter().map(|&c| descriptor(c)).collect(),
                        properties: DriverProperties {
                            rule_pack: PackProperties {
                                name: self.pack_name.clone(),
                                version: self.pack_version,
                            },
                        },
                    },
                },
                invocations: vec![Invocation {
                    execution_successful: notifications.is_empty(),
                    tool_execution_notifications: notifications,
                }],
                column_kind: "unicodeCodePoints",
                artifacts: self.artifacts,
                results: self.results,
                properties: RunProperties {
                    letters: summary.letters,
                    items: summary.items,
                    covered: summary.covered,
                    verdicts: crate::eval::Verdict::ALL
                        .iter()
                        .map(|v| {
                            (
                                v.as_str(),
                                summary.verdicts.get(v).copied().unwrap_or_default(),
                            )
                        })
                        .collect(),
                },
            }],
        };
        let mut bytes = serde_json::to_vec_pretty(&log).expect("a SARIF log always serialises");
        bytes.push(b'\n');
        bytes
    }
}

/// The SARIF level of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
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

fn descriptor(check: Check) -> Descriptor {
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
    Descriptor {
        id: check.id(),
        name: camel_case(check.id()),
        short_description: Message {
            text: e.summary.to_owned(),
        },
        full_description: Message {
            text: e.what.to_owned(),
        },
        help: Help {
            text: help,
            markdown,
        },
    }
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

fn result(
    audit: &Audit,
    finding: &Finding,
    uri: &str,
    artifact: usize,
    identity: &str,
) -> SarifResult {
    let physical = |span: &Span| PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: uri.to_owned(),
            index: Some(artifact),
        },
        region: Some(region(audit, span)),
    };
    let locations = match finding.spans.first() {
        Some(span) => vec![Location {
            id: None,
            physical_location: physical(span),
            message: None,
        }],
        None => vec![Location {
            id: None,
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri.to_owned(),
                    index: Some(artifact),
                },
                region: None,
            },
            message: None,
        }],
    };
    let related_locations = finding
        .spans
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, span)| Location {
            id: Some(i),
            physical_location: physical(span),
            message: Some(Message {
                text: related_label(audit, finding, span),
            }),
        })
        .collect();
    SarifResult {
        rule_id: finding.check.id(),
        rule_index: Check::ALL
            .iter()
            .position(|&c| c == finding.check)
            .unwrap_or_default(),
        level: level(finding.severity),
        message: Message {
            text: finding.message.clone(),
        },
        locations,
        related_locations,
        partial_fingerprints: Fingerprints {
            imr_audit_v1: fingerprint::fingerprint_with(identity, audit, finding),
        },
        properties: ResultProperties {
            item: finding.item,
            rule: finding.rule.clone(),
            page: finding.spans.first().map(|s| s.page),
            case_number: audit.letter.case_number.as_ref().map(|c| c.value.clone()),
        },
    }
}

/// What a further span of a finding shows: the criterion whose evidence it is
/// ("red_flag_low_back (affirmed)"), else the words it covers.
fn related_label(audit: &Audit, finding: &Finding, span: &Span) -> String {
    let evidence = finding
        .item
        .and_then(|i| audit.evaluations.iter().find(|e| e.index == i))
        .and_then(|evaluation| {
            evaluation.criteria.iter().find_map(|o| {
                o.evidence
                    .iter()
                    .find(|e| e.start == span.start && e.end == span.end)
                    .map(|e| format!("{} ({}): \"{}\"", o.fact, e.context.as_str(), e.text))
            })
        });
    evidence.unwrap_or_else(|| {
        let words = audit
            .source
            .slice(*span)
            .split_whitespace()
            .collect::<Vec<_>>();
        if words.is_empty() {
            format!("line {}", span.line)
        } else {
            format!("\"{}\"", words.join(" "))
        }
    })
}

fn region(audit: &Audit, span: &Span) -> Region {
    let text = audit.source.slice(*span);
    Region {
        start_line: span.line,
        start_column: span.column,
        end_line: span.end_line,
        end_column: span.end_column,
        byte_offset: span.start,
        byte_length: span.end - span.start,
        snippet: (!text.is_empty() && text.len() <= MAX_SNIPPET).then(|| Snippet {
            text: text.to_owned(),
        }),
    }
}

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: Vec<Invocation>,
    column_kind: &'static str,
    artifacts: Vec<Artifact>,
    results: Vec<SarifResult>,
    properties: RunProperties,
}

#[derive(Serialize)]
struct RunProperties {
    letters: usize,
    items: usize,
    covered: usize,
    verdicts: std::collections::BTreeMap<&'static str, usize>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Descriptor>,
    properties: DriverProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DriverProperties {
    rule_pack: PackProperties,
}

#[derive(Serialize)]
struct PackProperties {
    name: String,
    version: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: String,
    short_description: Message,
    full_description: Message,
    help: Help,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    location: ArtifactLocation,
    length: usize,
    hashes: Hashes,
    properties: ArtifactProperties,
}

#[derive(Serialize)]
struct Hashes {
    #[serde(rename = "sha-256")]
    sha256: String,
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
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
    properties: ResultProperties,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "imrAudit/v1")]
    imr_audit_v1: String,
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
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    byte_offset: usize,
    byte_length: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Snippet>,
}

#[derive(Serialize)]
struct Snippet {
    text: String,
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
