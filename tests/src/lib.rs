//! Tests only: see `tests/`.

/// The Rust examples of the README, compiled as doctests so the README cannot rot.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeExamples;
