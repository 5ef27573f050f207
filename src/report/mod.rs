//! Renderers. Every format is built from the same values: the parsed
//! [`Letter`](crate::letter::Letter) and, for `check`, its evaluation.

pub mod document;
pub mod outline;
