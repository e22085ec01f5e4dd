//! The READMEs' examples, compiled as doctests of a crate whose only dependencies are
//! `partner-center` and `tokio`: if an example needs anything else, this fails to build.

/// The workspace README.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct WorkspaceReadme;

/// The facade's README.
#[cfg(doctest)]
#[doc = include_str!("../../../crates/partner-center/README.md")]
struct FacadeReadme;
