//! Command-line arguments as parsed by clap. These are raw: [`crate::run`]
//! turns them into work.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "imr-audit",
    version,
    about = "Audit California workers' compensation IMR Final Determination Letters against MTUS guideline rules",
    long_about = None
)]
pub struct Cli {
    /// When to colour the output: auto (a terminal; NO_COLOR turns it off, CLICOLOR_FORCE on), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Judge every disputed item against the rule pack and report agreement and conflicts.
    // Boxed: its many options would make every other command as large.
    Check(Box<CheckArgs>),
    /// Read letters and print what was extracted (no rules applied).
    Parse(ParseArgs),
    /// Work with the rule pack: lint, test, list, export, schema.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Explain a check: what it looks for, its guideline basis, example letter language.
    Explain {
        /// A check id (decision-conflict, citation-mismatch, ...); omit to list them all.
        #[arg(value_parser = crate::finding::Check::parse_arg)]
        id: Option<crate::finding::Check>,
    },
    /// Print the shell completion script for SHELL (install it where your shell reads completions).
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff): imr-audit(1), or a command's, such as imr-audit-check(1).
    Man {
        /// The command whose page to print (`check`, `rules lint`, ...); omit for imr-audit(1).
        command: Vec<String>,
    },
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Letter files or directories (directories are walked for *.txt and *.pdf); `-` reads stdin.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// Write the report to FILE (written whole, then renamed into place; `-` is stdout; a device or FIFO is written directly) instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Further reports written from the same run (one pass over the letters).
    #[command(flatten)]
    pub outputs: OutputFiles,
    /// Human format: one short block per item (decision, what the rule expects and why, verdict, the deciding evidence).
    #[arg(long)]
    pub brief: bool,
    /// Exit 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value_t = crate::finding::Severity::Error)]
    pub fail_on: crate::finding::Severity,
    /// More rule files (repeatable): a folder with its own pack.yaml replaces the embedded pack; other folders are layered on it (an id already defined needs `override: true`).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Which letters are read, and how much of each.
    #[command(flatten)]
    pub walk: WalkArgs,
    /// Letters processed in parallel (default: the number of cores; at most 4 per core). Output is identical whatever N.
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub jobs: Option<usize>,
    /// Record the findings of this run as accepted, by stable fingerprint, in FILE.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Report only findings not recorded in this baseline FILE; list stale entries.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// A YAML file of accepted findings, each with a mandatory reason; unused waivers are reported.
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// Never show a progress bar (it is shown only when stderr is a terminal and CI is unset).
    #[arg(long)]
    pub no_progress: bool,
}

/// Which files a folder walk reads and how much of a letter is read.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Letters read")]
pub struct WalkArgs {
    /// Only letters matching this glob inside walked directories (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Skip letters matching this glob inside walked directories (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Also read hidden files and walk hidden folders (names starting with a dot).
    #[arg(long)]
    pub hidden: bool,
    /// Honour .gitignore and .ignore files in walked folders (each path they leave out is listed).
    #[arg(long, overrides_with = "no_ignore")]
    pub ignore_files: bool,
    /// Read files that .gitignore or .ignore files exclude (the default; undoes --ignore-files).
    #[arg(long, overrides_with = "ignore_files")]
    pub no_ignore: bool,
    /// The most one letter may hold (bytes, or with K, M, G: 512K, 16M); larger letters are named, not read.
    #[arg(long, value_name = "SIZE", default_value = "16M", value_parser = parse_size)]
    pub max_size: u64,
}

impl Default for WalkArgs {
    fn default() -> WalkArgs {
        WalkArgs {
            include: Vec::new(),
            exclude: Vec::new(),
            hidden: false,
            ignore_files: false,
            no_ignore: false,
            max_size: crate::input::DEFAULT_MAX_SIZE,
        }
    }
}

impl WalkArgs {
    /// How the folders named are walked.
    pub fn collect_options(&self) -> crate::input::CollectOptions {
        crate::input::CollectOptions {
            filters: crate::input::Filters {
                include: self.include.clone(),
                exclude: self.exclude.clone(),
            },
            hidden: self.hidden,
            ignore_files: self.ignore_files && !self.no_ignore,
        }
    }

    /// How each letter is read.
    pub fn read_options(&self) -> crate::input::ReadOptions {
        crate::input::ReadOptions {
            max_size: self.max_size,
        }
    }
}

/// `16M`, `512K`, `1G`, `1.5M`, `100000`, `16MiB`: a size in bytes.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let number = lower.trim_end_matches("ib").trim_end_matches('b');
    let (digits, unit) = match number.char_indices().last() {
        Some((at, c @ ('k' | 'm' | 'g'))) => (&number[..at], Some(c)),
        _ => (number, None),
    };
    let factor: u64 = match unit {
        Some('k') => 1 << 10,
        Some('m') => 1 << 20,
        Some('g') => 1 << 30,
        _ => 1,
    };
    let value: f64 = digits.trim().parse().map_err(|_| {
        format!("`{t}` is not a size; write bytes or a number with K, M or G, such as 16M")
    })?;
    if !(value.is_finite() && value >= 1.0) {
        return Err(format!("`{t}`: the size must be at least one byte"));
    }
    Ok((value * factor as f64) as u64)
}

/// Reports written beside the main one, each in its own format, all from
/// the same audits (as Semgrep's `--json-output`, `--sarif-output`, …).
#[derive(Debug, Default, Args)]
#[command(next_help_heading = "More outputs from the same run")]
pub struct OutputFiles {
    /// Also write the JSON report to FILE.
    #[arg(long, value_name = "FILE")]
    pub output_json: Option<PathBuf>,
    /// Also write the ndjson report to FILE.
    #[arg(long, value_name = "FILE")]
    pub output_ndjson: Option<PathBuf>,
    /// Also write the SARIF report to FILE.
    #[arg(long, value_name = "FILE")]
    pub output_sarif: Option<PathBuf>,
    /// Also write the JUnit XML report to FILE.
    #[arg(long, value_name = "FILE")]
    pub output_junit: Option<PathBuf>,
    /// Also write the HTML report to FILE.
    #[arg(long, value_name = "FILE")]
    pub output_html: Option<PathBuf>,
    /// Also write the CSV table to FILE.
    #[arg(long, value_name = "FILE")]
    pub output_csv: Option<PathBuf>,
}

impl OutputFiles {
    /// Each further report: its format, its file and the option that named it.
    pub fn files(&self) -> Vec<(CheckFormat, &std::path::Path, &'static str)> {
        [
            (CheckFormat::Json, &self.output_json, "--output-json"),
            (CheckFormat::Ndjson, &self.output_ndjson, "--output-ndjson"),
            (CheckFormat::Sarif, &self.output_sarif, "--output-sarif"),
            (CheckFormat::Junit, &self.output_junit, "--output-junit"),
            (CheckFormat::Html, &self.output_html, "--output-html"),
            (CheckFormat::Csv, &self.output_csv, "--output-csv"),
        ]
        .into_iter()
        .filter_map(|(format, path, flag)| Some((format, path.as_deref()?, flag)))
        .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Coloured report with the letter's lines, ending with a summary.
    Human,
    /// One JSON document (docs/JSON.md).
    Json,
    /// One JSON object per line, one line per letter, then a summary line.
    Ndjson,
    /// SARIF 2.1.0 for code-scanning dashboards.
    Sarif,
    /// JUnit XML: a suite per letter, a case per item.
    Junit,
    /// One self-contained HTML file with charts and highlighted evidence.
    Html,
    /// One row per item (letter, case, item, request, decision, rule, expected, verdict, findings) for spreadsheets (docs/CSV.md).
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Validate the pack (embedded plus --rules DIRs, or a whole exported pack): every problem with file:line:column.
    Lint {
        /// More rule files (repeatable): a folder with its own pack.yaml replaces the embedded pack; other folders are layered on it (an id already defined needs `override: true`).
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
    /// Run the rules' own tests (all, or one rule id or id prefix).
    Test {
        /// A rule id (imaging.lumbar.xray) or id prefix (imaging.lumbar); omit to run every rule's tests.
        id: Option<String>,
        /// More rule files (repeatable): a folder with its own pack.yaml replaces the embedded pack; other folders are layered on it (an id already defined needs `override: true`).
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
    /// List the rules: id, title, citation, era, tests, confidence.
    List {
        /// More rule files (repeatable): a folder with its own pack.yaml replaces the embedded pack; other folders are layered on it (an id already defined needs `override: true`).
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
        /// Output format: a table, or JSON (one object per rule).
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// List the facts: id, title, concept, where each is defined and which rules use it.
    Facts {
        /// More rule files (repeatable): a folder with its own pack.yaml replaces the embedded pack; other folders are layered on it (an id already defined needs `override: true`).
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
        /// Output format: a table, or JSON (one object per fact).
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Write a new rule file for ID (imaging.lumbar.ct becomes DIR/imaging/lumbar/ct.yaml) with its fields and test stubs to fill in.
    New {
        /// The new rule's id: its path in the pack with dots (category.group.item, kebab-case).
        id: String,
        /// The pack folder to write into (one written by `rules export`); an existing file is never overwritten.
        dir: PathBuf,
    },
    /// List the requests in a corpus that no rule covers, most frequent first.
    Coverage {
        /// Letter files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// More rule files (repeatable): a folder with its own pack.yaml replaces the embedded pack; other folders are layered on it (an id already defined needs `override: true`).
        #[arg(long = "rules", value_name = "DIR")]
        rules: Vec<PathBuf>,
    },
    /// Write the embedded default pack to DIR for editing.
    Export {
        /// The folder to write the pack into: new, or without the pack's files.
        dir: PathBuf,
        /// Replace pack files already in DIR (a link where a file goes is replaced, never followed).
        #[arg(long)]
        force: bool,
    },
    /// Print the JSON Schema of pack files (rule, facts, citations or renames).
    Schema {
        /// Which kind of file the schema describes.
        #[arg(value_enum, default_value_t = SchemaKind::Rule)]
        kind: SchemaKind,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table for reading.
    Human,
    /// A JSON array, one object per entry.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// A rule file (one treatment item).
    Rule,
    /// A file of fact detectors (facts/*.yaml).
    Facts,
    /// The citation catalogue (citations.yaml).
    Citations,
    /// Rule ids that changed (renames.yaml).
    Renames,
    /// Words letters use for a treatment (lexicon/*.yaml).
    Lexicon,
    /// The triggers that tell a mention's context (context.yaml).
    Context,
}

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Letter files or directories (directories are walked for *.txt and *.pdf); `-` reads stdin.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Which letters are read, and how much of each.
    #[command(flatten)]
    pub walk: WalkArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ParseFormat::Human)]
    pub format: ParseFormat,
    /// Write the report to FILE (written whole, then renamed into place; `-` is stdout; a device or FIFO is written directly) instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
    /// An outline of each letter: dates, patient, reviewer, items, citations.
    Human,
    /// One JSON document (docs/JSON.md).
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour a terminal, unless NO_COLOR is set; CLICOLOR_FORCE colours any output.
    Auto,
    /// Always colour the human report and messages, even into a pipe or file.
    Always,
    /// Never colour.
    Never,
}
