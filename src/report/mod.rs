//! Renderers. Every format is built from the same values: the parsed
//! [`Letter`](crate::letter::Letter) and, for `check`, its [`Audit`].
//!
//! Streamed formats (human, json, ndjson) write each letter as it finishes.
//! The others implement [`Accumulator`]: they receive every letter in input
//! order, keep only the compact data they need (never the letter texts, except
//! the HTML report, which shows them), and render once at the end.

pub mod document;
pub mod fingerprint;
pub mod html;
pub mod human;
pub mod junit;
pub mod outline;
pub mod sarif;
pub mod summary;

use crate::audit::Audit;

/// How people read a machine spelling: `not-met` → "not met",
/// `case-summary` → "case summary". Every human wording of an enum comes
/// from its one machine spelling through here.
pub fn words(value: impl std::fmt::Display) -> String {
    value.to_string().replace('-', " ")
}
use summary::Summary;

/// A report that needs the whole run before it can be written.
pub trait Accumulator {
    /// Takes one letter; called in input order.
    fn add(&mut self, audit: &Audit);
    /// Renders the finished report.
    fn finish(self: Box<Self>, summary: &Summary) -> Vec<u8>;
}
