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
