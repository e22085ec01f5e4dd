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

/// The foreign types a public signature of a library crate may name, as smithy-rs's
/// `external-types.toml`: a path, or a crate prefix ending in `::`. Anything else in a
/// public signature is a dependency users would have to track; wrap it or add it here
/// with a reason.
const ALLOWED_EXTERNAL_TYPES: &[(&str, &str)] = &[
    ("std::", "the standard library"),
    ("core::", "the standard library"),
    ("url::Url", "URLs of endpoints and links"),
    ("secrecy::", "secrets are secrecy types end to end"),
    ("reqwest::Client", "a caller may share its HTTP client"),
    (
        "reqwest::Method",
        "the http crate's Method, re-exported by reqwest",
    ),
    ("reqwest::StatusCode", "the http crate's StatusCode"),
    ("reqwest::header::", "the http crate's header types"),
    (
        "reqwest::Error",
        "the cause of a network failure, for describe_network_error",
    ),
    ("reqwest::Response", "the answer a capped body is read from"),
    ("http::", "http types"),
    (
        "bytes::Bytes",
        "request and response bodies, as http-body does",
    ),
    (
        "serde::",
        "models are serde types; bounds name Serialize/Deserialize",
    ),
    ("serde_json::", "unknown fields are kept as JSON values"),
    (
        "redis::",
        "the fleet feature's shared Redis link takes Redis commands and gives their replies",
    ),
    (
        "azure_core::credentials::TokenCredential",
        "the auth crate's azure-core feature exists to take and give this trait",
    ),
    ("futures_util::Stream", "a listing is a Stream"),
    (
        "tokio::io::AsyncWrite",
        "a download streams into the async runtime's standard sink (a file, a socket, a Vec)",
    ),
    ("futures_util::StreamExt", "the prelude's extension traits"),
    (
        "futures_util::TryStreamExt",
        "the prelude's extension traits",
    ),
    ("async_trait::", "TokenCredential is an async-trait trait"),
    (
        "jsonwebtoken::jwk::JwkSet",
        "the JWKS document format itself (feature jwks)",
    ),
    ("thiserror::", "derive only"),
    ("axum::", "the emulator hands out its router for embedding"),
];

/// `use a::b::{C, d::E as F};` → [("C", "a::b::C"), ("F", "a::b::d::E")].
fn use_items(text: &str) -> Vec<(String, String)> {
    fn expand(prefix: &str, tree: &str, out: &mut Vec<(String, String)>) {
        let tree = tree.trim();
        if let Some(open) = tree.find('{') {
            let head = tree[..open].trim_end_matches("::");
            let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(&join(prefix, head), &inner[start..i], out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            expand(&join(prefix, head), &inner[start..], out);
        } else if !tree.is_empty() {
            let (path, alias) = tree
                .split_once(" as ")
                .map_or((tree, None), |(p, a)| (p.trim(), Some(a.trim())));
            let full = join(prefix, path);
            let name = alias.unwrap_or_else(|| full.rsplit("::").next().unwrap_or(""));
            out.push((name.to_owned(), full));
        }
    }
    fn join(a: &str, b: &str) -> String {
        match (a.is_empty(), b.is_empty()) {
            (true, _) => b.to_owned(),
            (_, true) => a.to_owned(),
            _ => format!("{a}::{b}"),
        }
    }
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(body) = line
            .strip_prefix("pub use ")
            .or_else(|| line.strip_prefix("use "))
        else {
            continue;
        };
        let mut stmt = body.to_owned();
        while !stmt.contains(';') {
            match lines.next() {
                Some(next) => stmt.push_str(next),
                None => break,
            }
        }
        expand("", stmt.split(';').next().unwrap_or(""), &mut out);
    }
    out
}

/// The text of every public signature of a file: `pub fn` up to its body or `where`,
/// `pub use` up to its `;`, any other `pub` item or field to the end of its line.
fn public_signatures(text: &str) -> Vec<String> {
    let mut sigs = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("pub ") {
        let before = &rest[..i];
        let line_start = before.rfind('\n').map_or(0, |n| n + 1);
        let is_item_start = before[line_start..].trim().is_empty();
        let tail = &rest[i + 4..];
        if is_item_start && !tail.starts_with("mod ") && !tail.starts_with('(') {
            let is_fn = ["fn ", "async fn ", "const fn ", "unsafe fn "]
                .iter()
                .any(|p| tail.starts_with(p));
            let end = if is_fn {
                let body = tail.find(['{', ';']).unwrap_or(tail.len());
                tail[..body].find(" where").map_or(body, |w| w.min(body))
            } else if tail.starts_with("use ") {
                tail.find(';').unwrap_or(tail.len())
            } else {
                tail.find('\n').unwrap_or(tail.len())
            };
            sigs.push(tail[..end].to_owned());
        }
        rest = tail;
    }
    sigs
}

/// The foreign paths the public signatures of one source text name, outside the allowlist.
fn disallowed_foreign_types(text: &str, external: &[String]) -> Vec<String> {
    // Only the code before a test module is public API.
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    let imports = use_items(text);
    let mut offenders = Vec::new();
    for sig in public_signatures(text) {
        let mut named = Vec::new();
        if let Some(tree) = sig.strip_prefix("use ") {
            named.extend(
                use_items(&format!("use {tree};"))
                    .into_iter()
                    .map(|(_, f)| f),
            );
        } else {
            let words = sig.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'));
            for word in words.map(|w| w.trim_matches(':')).filter(|w| !w.is_empty()) {
                let (first, tail) = word.split_once("::").unwrap_or((word, ""));
                // A bare lowercase word is a name or a primitive, never a foreign type.
                if tail.is_empty() && !first.starts_with(char::is_uppercase) {
                    continue;
                }
                let resolved = imports
                    .iter()
                    .find(|(n, _)| n == first)
                    .map(|(_, full)| full.clone())
                    .unwrap_or_else(|| first.to_owned());
                named.push(if tail.is_empty() {
                    resolved
                } else {
                    format!("{resolved}::{tail}")
                });
            }
        }
        for full in named {
            let head = full.split("::").next().unwrap_or("");
            if !external.iter().any(|e| e == head) && !["std", "core"].contains(&head) {
                continue;
            }
            let allowed = ALLOWED_EXTERNAL_TYPES.iter().any(|(a, _)| {
                if a.ends_with("::") {
                    full.starts_with(a)
                } else {
                    full == *a
                }
            });
            if !allowed {
                offenders.push(format!("`{full}` in `{}`", sig.trim()));
            }
        }
    }
    offenders
}

#[test]
fn the_foreign_type_check_sees_imports_paths_and_reexports() {
    let external = vec!["fastrand".to_owned(), "url".to_owned()];
    let text = "use fastrand::Rng;\nuse url::Url;\n\npub fn a(r: Rng, u: &Url) {}\npub struct S {\n    pub f: fastrand::Rng,\n    pub url: Url,\n}\npub use fastrand::{Rng as R, u64};\n";
    let found = disallowed_foreign_types(text, &external);
    assert_eq!(found.len(), 4, "{found:?}");
    assert!(found.iter().all(|f| f.contains("fastrand::")), "{found:?}");
}

#[test]
fn public_signatures_name_only_allowed_foreign_types() {
    let libraries = [
        "partner-center-auth",
        "partner-center-transport",
        "partner-center-models",
        "partner-center",
        "partner-center-emulator",
    ];
    let mut offenders = Vec::new();
    let mut files = 0;
    for krate in libraries {
        // The crate's external dependencies, as paths name them.
        let external: Vec<String> = dependencies(krate)
            .into_iter()
            .filter(|d| !d.starts_with("partner-center"))
            .map(|d| d.replace('-', "_"))
            .collect();
        for path in rust_files(&root().join("crates").join(krate).join("src")) {
            files += 1;
            let text = fs::read_to_string(&path).unwrap();
            for o in disallowed_foreign_types(&text, &external) {
                offenders.push(format!("{}: {o}", path.display()));
            }
        }
    }
    assert!(files > 30, "found only {files} source files");
    offenders.sort();
    offenders.dedup();
    assert!(
        offenders.is_empty(),
        "foreign types in public signatures (wrap them, or allow them in ALLOWED_EXTERNAL_TYPES with a reason):\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_area_folders_are_the_build_scripts_folders() {
    let mut declared = Vec::new();
    for entry in fs::read_dir(root().join("crates")).unwrap() {
        let dir = entry.unwrap().path();
        let Ok(build) = fs::read_to_string(dir.join("build.rs")) else {
            continue;
        };
        for (i, _) in build.match_indices("partner_center_areas::declare") {
            let call = &build[i..];
            let start = call.find("(\"").unwrap() + 2;
            let end = start + call[start..].find('"').unwrap();
            let crate_dir = dir
                .strip_prefix(root())
                .unwrap()
                .to_string_lossy()
                .to_string();
            declared.push(format!("{crate_dir}/{}", &call[start..end]));
        }
    }
    declared.sort();
    let mut listed: Vec<String> = crate::AREA_FOLDERS
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    listed.sort();
    assert_eq!(
        declared, listed,
        "xtask's AREA_FOLDERS must name exactly the folders the build scripts declare"
    );
}
