//! Renderers. Every format is built from the same values: the parsed
//! [`Letter`](crate::letter::Letter) and, for `check`, its [`Audit`](crate::audit::Audit).

pub mod document;
pub mod human;
pub mod outline;
pub mod summary;
