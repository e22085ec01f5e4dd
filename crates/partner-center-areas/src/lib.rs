#![doc = include_str!("../README.md")]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The area files of `dir` (relative to the crate's manifest): every `.rs` file but
/// `mod.rs`, as `(module name, absolute path)`, sorted by name.
///
/// # Panics
///
/// When the folder cannot be read or a file name is not a Rust identifier: a build
/// script has no better way to say the tree is wrong.
pub fn areas(dir: &str) -> Vec<(String, PathBuf)> {
    let root = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(PathBuf::new, PathBuf::from);
    let dir = root.join(dir);
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read the area folder {}: {e}", dir.display()));
    let mut areas: Vec<(String, PathBuf)> = entries
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            if path.extension()? != "rs" {
                return None;
            }
            let name = path.file_stem()?.to_str()?.to_owned();
            (name != "mod").then_some((name, path))
        })
        .collect();
    for (name, path) in &areas {
        assert!(
            is_identifier(name),
            "{} is not a module name: name area files in snake_case",
            path.display()
        );
    }
    areas.sort();
    areas
}

/// Writes `$OUT_DIR/<last folder>_areas.rs`, one `areas!(…)` call listing the area files of
/// `dir` as `name Name = "absolute path",`, for the crate's own `areas!` macro, and asks
/// cargo to rerun when the folder changes.
///
/// # Panics
///
/// As [`areas`], and when `OUT_DIR` cannot be written (a build script's only way to fail).
pub fn declare(dir: &str) {
    let mut call = String::from("areas!(\n");
    for (name, path) in areas(dir) {
        let _ = writeln!(
            call,
            "    {name} {} = {},",
            camel_case(&name),
            literal(&path)
        );
    }
    call.push_str(");\n");
    write(dir, &call);
}

/// Writes `$OUT_DIR/<last folder>_areas.rs` declaring each area file of `dir` as a private
/// module whose public items are exported (`mod x; pub use x::*;`), and asks cargo to
/// rerun when the folder changes: an area's types appear where the file is included.
///
/// # Panics
///
/// As [`declare`].
pub fn declare_exported(dir: &str) {
    let mut items = String::new();
    for (name, path) in areas(dir) {
        let _ = writeln!(
            items,
            "#[path = {}]\nmod {name};\npub use {name}::*;",
            literal(&path)
        );
    }
    write(dir, &items);
}

fn literal(path: &Path) -> String {
    format!("{:?}", path.display().to_string())
}

fn write(dir: &str, text: &str) {
    #[allow(clippy::print_stdout)] // reason: stdout is how a build script talks to cargo
    {
        println!("cargo:rerun-if-changed={dir}");
    }
    let folder = Path::new(dir)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("areas");
    let out = std::env::var_os("OUT_DIR").map_or_else(PathBuf::new, PathBuf::from);
    let file = out.join(format!("{folder}_areas.rs"));
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
}

/// `new_commerce` → `NewCommerce`.
pub fn camel_case(name: &str) -> String {
    name.split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect()
}

/// Rust's keywords, which cannot name a module.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "dyn", "else", "enum",
    "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod",
    "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
    "try", "type", "unsafe", "use", "where", "while", "yield", "_",
];

fn is_identifier(name: &str) -> bool {
    !KEYWORDS.contains(&name)
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_become_types_and_identifiers_are_checked() {
        assert_eq!(super::camel_case("catalog"), "Catalog");
        assert_eq!(super::camel_case("new_commerce_carts"), "NewCommerceCarts");
        assert!(super::is_identifier("carts"));
        assert!(!super::is_identifier("Carts"));
        assert!(!super::is_identifier("my-area"));
        assert!(!super::is_identifier("type"));
        assert!(!super::is_identifier("_"));
    }
}
