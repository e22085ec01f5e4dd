//! The `partner-center` command (being built).
fn main() {}
