//! A value of a pack file with the place it was written.
//!
//! Read from YAML, a [`Located`] takes its place from serde-saphyr's
//! `Spanned`. The embedded pack is also read in a compact binary form
//! (postcard) that `build.rs` writes from the same YAML: there a located
//! value is the value followed by its line and column. Which form is read
//! follows from the format: YAML is human-readable, postcard is not.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A line and column (both from 1) in a pack file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    line: u32,
    column: u32,
}

impl Position {
    pub fn line(&self) -> u64 {
        u64::from(self.line)
    }

    pub fn column(&self) -> u64 {
        u64::from(self.column)
    }
}

impl From<&serde_saphyr::Location> for Position {
    fn from(at: &serde_saphyr::Location) -> Position {
        let narrow = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        Position {
            line: narrow(at.line()),
            column: narrow(at.column()),
        }
    }
}

/// A value with the place it was written.
#[derive(Debug, Clone)]
pub struct Located<T = String> {
    pub value: T,
    pub referenced: Position,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
            Ok(Located {
                referenced: Position::from(&spanned.referenced),
                value: spanned.value,
            })
        } else {
            let (value, line, column) = <(T, u32, u32)>::deserialize(deserializer)?;
            Ok(Located {
                value,
                referenced: Position { line, column },
            })
        }
    }
}

// Serialised as serde-saphyr's `Spanned` is when human-readable (the
// value alone): the JSON Schemas show the defaults of located fields.
impl<T: Serialize> Serialize for Located<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            self.value.serialize(serializer)
        } else {
            let Position { line, column } = self.referenced;
            (&self.value, line, column).serialize(serializer)
        }
    }
}
