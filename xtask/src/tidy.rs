//! Tidy tests: the architecture's rules, checked on every `cargo test`.

use std::fs;

use crate::root;

fn manifest(krate: &str) -> String {
    fs::read_to_string(root().join("crates").join(krate).join("Cargo.toml")).unwrap()
}

/// The `[dependencies]` table of a manifest (not dev-dependencies).
fn dependencies(krate: &str) -> Vec<String> {
    let text = manifest(krate);
    let mut deps = Vec::new();
    let mut in_deps = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_deps = t == "[dependencies]";
            continue;
        }
        if in_deps
            && !t.is_empty()
            && !t.starts_with('#')
            && let Some((name, _)) = t.split_once(['=', '.'])
        {
            deps.push(name.trim().to_owned());
        }
    }
    deps
}

#[test]
fn dependencies_point_one_way() {
    let allowed: &[(&str, &[&str])] = &[
        ("partner-center-auth", &[]),
        ("partner-center-models", &[]),
        (
            "partner-center-transport",
            &["partner-center-auth", "partner-center-models"],
        ),
        (
            "partner-center",
            &[
                "partner-center-auth",
                "partner-center-models",
                "partner-center-transport",
            ],
        ),
        ("partner-center-emulator", &["partner-center-models"]),
        (
            "partner-center-cli",
            &["partner-center", "partner-center-emulator"],
        ),
    ];
    for (krate, ok) in allowed {
        for dep in dependencies(krate)
            .into_iter()
            .filter(|d| d.starts_with("partner-center"))
        {
            assert!(
                ok.contains(&dep.as_str()),
                "{krate} must not depend on {dep} (docs/ARCHITECTURE.md)"
            );
        }
    }
}

#[test]
fn models_do_no_io() {
    for dep in dependencies("partner-center-models") {
        assert!(
            !["reqwest", "tokio", "hyper", "axum", "mockito"].contains(&dep.as_str()),
            "models must not depend on {dep}"
        );
    }
}

#[test]
fn no_openssl_anywhere() {
    let lock = fs::read_to_string(root().join("Cargo.lock")).unwrap();
    for banned in [
        "name = \"openssl\"",
        "name = \"openssl-sys\"",
        "name = \"native-tls\"",
    ] {
        assert!(
            !lock.contains(banned),
            "Cargo.lock contains {banned}: keep the tree on rustls"
        );
    }
}

#[test]
fn every_crate_has_docs_and_a_readme() {
    for entry in fs::read_dir(root().join("crates")).unwrap() {
        let dir = entry.unwrap().path();
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        assert!(dir.join("README.md").is_file(), "{name} has no README.md");
        let entry_file = if dir.join("src/lib.rs").is_file() {
            dir.join("src/lib.rs")
        } else {
            dir.join("src/main.rs")
        };
        let text = fs::read_to_string(entry_file).unwrap();
        assert!(
            text.starts_with("//!") || text.starts_with("#![doc"),
            "{name}: the crate root needs a doc comment"
        );
        assert!(
            manifest(&name).contains("[lints]\nworkspace = true"),
            "{name} must use the workspace lints"
        );
    }
}

#[test]
fn ci_runs_the_readme_test_command() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let ci = fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(
        readme.contains("cargo xtask ci"),
        "README must name the test command"
    );
    assert!(
        ci.lines().any(|l| l.trim() == "cargo xtask ci"),
        ".ci/run must call exactly the README's command"
    );
}

#[test]
fn clippy_bans_expose_secret() {
    let clippy = fs::read_to_string(root().join("clippy.toml")).unwrap();
    assert!(clippy.contains(crate::audit::BANNED_PATH));
}

/// The names a `use partner_center_models::…` or a `partner_center_models::…` path takes
/// from the models crate, in one source text.
fn models_names_used(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (i, _) in text.match_indices("partner_center_models::") {
        let rest = &text[i + "partner_center_models::".len()..];
        let group = if let Some(inner) = rest.strip_prefix('{') {
            &inner[..inner.find('}').unwrap_or(inner.len())]
        } else {
            &rest[..rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len())]
        };
        for item in group.split(',') {
            let head = item.trim().split("::").next().unwrap_or("").trim();
            if !head.is_empty() {
                names.push(head.to_owned());
            }
        }
    }
    names
}

#[test]
fn transport_reads_only_the_envelopes() {
    let envelope =
        fs::read_to_string(root().join("crates/partner-center-models/src/envelope.rs")).unwrap();
    let exported: Vec<&str> = envelope
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            ["pub struct ", "pub enum ", "pub type "]
                .iter()
                .find_map(|p| l.strip_prefix(p))
        })
        .map(|rest| rest.split(['<', ' ', '{', '(', ';']).next().unwrap_or(""))
        .collect();
    let mut checked = 0;
    for path in rust_files(&root().join("crates/partner-center-transport/src")) {
        let text = fs::read_to_string(&path).unwrap();
        for name in models_names_used(&text) {
            checked += 1;
            assert!(
                exported.contains(&name.as_str()),
                "{} uses partner_center_models::{name}: the transport may read only the \
                 envelopes (models/src/envelope.rs), never an API area's models",
                path.display()
            );
        }
    }
    assert!(
        checked > 0,
        "the check found no use of the models crate at all"
    );
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The longest a non-test source file may be: past this, a file mixes concerns
/// (docs/ARCHITECTURE.md: one file per area per layer).
const MAX_SOURCE_LINES: usize = 600;

#[test]
fn no_source_file_is_over_600_lines() {
    let mut dirs = vec![root().join("xtask/src")];
    for entry in fs::read_dir(root().join("crates")).unwrap() {
        dirs.push(entry.unwrap().path().join("src"));
    }
    let mut checked = 0;
    for dir in dirs {
        for path in rust_files(&dir) {
            let lines = fs::read_to_string(&path).unwrap().lines().count();
            checked += 1;
            assert!(
                lines <= MAX_SOURCE_LINES,
                "{} has {lines} lines, over {MAX_SOURCE_LINES}: split it by area or concern",
                path.display()
            );
        }
    }
    assert!(checked > 50, "found only {checked} source files");
}

#[test]
fn auth_only_docs_state_the_crate_counts() {
    let doc = fs::read_to_string(root().join("docs/auth-only.md")).unwrap();
    for (default_features, row) in [(true, "| default ("), (false, "| none (")] {
        let count = crate::auth_crate_count(default_features).unwrap();
        let line = doc
            .lines()
            .find(|l| l.starts_with(row))
            .unwrap_or_else(|| panic!("docs/auth-only.md has no `{row}` row"));
        assert!(
            line.trim_end().ends_with(&format!("| {count} |")),
            "docs/auth-only.md says `{line}`, but `cargo xtask deps` counts {count}: update the page"
        );
    }
}

#[test]
fn rustcrypto_is_one_generation() {
    let lock = fs::read_to_string(root().join("Cargo.lock")).unwrap();
    let digests = lock
        .split("[[package]]")
        .filter(|p| p.contains("\nname = \"digest\"\n"))
        .count();
    assert_eq!(
        digests, 1,
        "Cargo.lock holds {digests} versions of `digest`: keep the RustCrypto crates on one generation (docs/auth-only.md)"
    );
}
