//! One integration test binary; each module guards one part of the tool.

/// Shared helpers: paths to samples and to the real letters in ../shared.
mod util;

/// Every real letter in ../shared/letters/real against its labels.
mod real_letters;
