//! Placeholder created by the lead so the workspace manifest parses; the pki developer replaces it.
fn main() {}
