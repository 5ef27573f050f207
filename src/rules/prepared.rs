//! The embedded pack's files in their raw shape, read when the binary was
//! built: `build.rs` parses each YAML file of `rules/` into its
//! [`RawFile`] (with the types of [`super::raw`], the loader's own) and
//! writes them in postcard's compact form to
//! `$OUT_DIR/prepared_pack.postcard`. Loading the embedded pack reads these
//! instead of parsing its YAML, which was most of the start-up.
//!
//! Only a file the build read cleanly is here: one that does not parse, or
//! whose text has a list item that may be misindented
//! ([`super::suspect`]), is left out and parsed at load as before, so its
//! problems are reported at their file, line and column. Files of a
//! `--rules` pack are always parsed from their YAML.

use std::sync::OnceLock;

use super::raw::RawFile;

/// postcard of the (path inside the pack, text length, compact form of the
/// [`RawFile`]) of each prepared file, sorted by path.
static PREPARED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/prepared_pack.postcard"));

type Entry = (&'static str, u64, &'static [u8]);

fn index() -> &'static [Entry] {
    static INDEX: OnceLock<Vec<Entry>> = OnceLock::new();
    INDEX.get_or_init(|| postcard::from_bytes(PREPARED).unwrap_or_default())
}

/// The raw shape of the embedded file at `rel` (path inside the pack) whose
/// text is `text`, when the build prepared it.
pub(super) fn raw_file(rel: &str, text: &str) -> Option<RawFile> {
    let index = index();
    let at = index.binary_search_by(|(key, _, _)| (*key).cmp(rel)).ok()?;
    let (_, len, bytes) = index[at];
    if len != text.len() as u64 {
        return None;
    }
    postcard::from_bytes(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::read::{self, PackFile, embedded_files};

    fn yaml_files() -> Vec<PackFile> {
        embedded_files()
            .into_iter()
            .filter(|f| f.rel.ends_with(".yaml") || f.rel.ends_with(".yml"))
            .collect()
    }

    #[test]
    fn every_file_of_the_embedded_pack_is_prepared() {
        let files = yaml_files();
        assert_eq!(index().len(), files.len());
        for file in &files {
            assert!(raw_file(&file.rel, &file.text).is_some(), "{}", file.rel);
        }
        assert!(raw_file("pack.yaml", "name: other\nversion: 1\n").is_none());
        assert!(raw_file("no/such/file.yaml", "").is_none());
    }

    /// Every raw value with its places, as `Debug` shows them.
    fn shown(files: Vec<PackFile>) -> Vec<String> {
        let mut problems = Vec::new();
        let raw = read::read(vec![files], &mut problems);
        assert!(problems.is_empty());
        let mut out = vec![format!("{:?}", raw.meta)];
        out.extend(
            raw.catalogues
                .iter()
                .map(|(f, r)| format!("{} {r:?}", f.rel)),
        );
        out.extend(
            raw.fact_files
                .iter()
                .map(|(f, r)| format!("{} {r:?}", f.rel)),
        );
        out.extend(raw.renames.iter().map(|(f, r)| format!("{} {r:?}", f.rel)));
        out.extend(raw.lexicons.iter().map(|(f, r)| format!("{} {r:?}", f.rel)));
        out.extend(raw.contexts.iter().map(|(f, r)| format!("{} {r:?}", f.rel)));
        out.extend(
            raw.rules
                .iter()
                .map(|r| format!("{} {} {:?}", r.file.rel, r.id, r.raw)),
        );
        out
    }

    #[test]
    fn the_prepared_pack_is_the_pack_its_yaml_reads_as() {
        let prepared = shown(yaml_files());
        let parsed = shown(
            yaml_files()
                .into_iter()
                .map(|f| PackFile {
                    embedded: false,
                    ..f
                })
                .collect(),
        );
        assert!(prepared.len() > 100);
        assert_eq!(prepared.len(), parsed.len());
        for (a, b) in prepared.iter().zip(&parsed) {
            assert_eq!(a, b);
        }
    }
}
