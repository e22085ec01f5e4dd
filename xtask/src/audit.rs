//! The secret audit: every place a secret leaves its wrapper is allow-listed.
//!
//! Rules (docs/secret-hygiene.md explains them for reviewers):
//! 1. clippy.toml bans `secrecy::ExposeSecret::expose_secret`, spelled exactly so
//!    (clippy silently ignores a path it cannot resolve).
//! 2. A source file that calls `expose_secret` or silences `clippy::disallowed_methods`
//!    must be listed in `xtask/secret-allowlist.txt`, with a reason. Files under a
//!    `tests/` directory are test code and exempt.
//! 3. Every allowlist entry exists, has a reason, and still needs to be there.
//! 4. A struct that derives `Debug` or `Serialize` must not hold a secret-named field
//!    as a plain `String`/`Vec<u8>`: use `SecretString`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

pub(crate) const BANNED_PATH: &str = "secrecy::ExposeSecret::expose_secret";
const ALLOWLIST: &str = "xtask/secret-allowlist.txt";

/// Built from pieces so this file does not match itself.
fn call_pattern() -> String {
    [".", "expose", "_secret"].concat()
}

fn allow_pattern() -> String {
    ["allow(clippy::", "disallowed_methods)"].concat()
}

pub(crate) fn run(root: &Path) -> Result<Vec<String>, String> {
    let mut findings = Vec::new();
    let clippy =
        fs::read_to_string(root.join("clippy.toml")).map_err(|e| format!("clippy.toml: {e}"))?;
    if !clippy.contains(&format!("path = \"{BANNED_PATH}\"")) {
        findings.push(format!(
            "clippy.toml must ban `{BANNED_PATH}` in disallowed-methods, spelled exactly"
        ));
    }
    let allowlist = read_allowlist(root, &mut findings)?;
    let mut used = BTreeMap::new();
    for file in rust_files(root) {
        let rel = relative(root, &file);
        if rel.split('/').any(|part| part == "tests") || rel.starts_with("xtask/") {
            continue;
        }
        let text = fs::read_to_string(&file).map_err(|e| format!("{rel}: {e}"))?;
        let exposes =
            text.contains(&call_pattern()) || text.contains("ExposeSecret::expose_secret");
        let silences = text.contains(&allow_pattern());
        if exposes || silences {
            used.insert(rel.clone(), ());
            if !allowlist.contains_key(&rel) {
                let what = if exposes {
                    "calls expose_secret"
                } else {
                    "silences clippy::disallowed_methods"
                };
                findings.push(format!("{rel} {what} but is not in {ALLOWLIST}"));
            }
        }
        findings.extend(plain_secret_fields(&rel, &text));
    }
    for path in allowlist.keys() {
        if !used.contains_key(path) {
            findings.push(format!(
                "{ALLOWLIST}: {path} no longer unwraps a secret; remove the entry"
            ));
        }
    }
    Ok(findings)
}

fn read_allowlist(
    root: &Path,
    findings: &mut Vec<String>,
) -> Result<BTreeMap<String, String>, String> {
    let text = fs::read_to_string(root.join(ALLOWLIST)).map_err(|e| format!("{ALLOWLIST}: {e}"))?;
    let mut entries = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (path, reason) = line.split_once(" -- ").unwrap_or((line, ""));
        let path = path.trim().to_owned();
        if reason.trim().is_empty() {
            findings.push(format!(
                "{ALLOWLIST}:{}: `{path}` has no reason (write `path -- reason`)",
                n + 1
            ));
        }
        if !root.join(&path).is_file() {
            findings.push(format!("{ALLOWLIST}:{}: `{path}` does not exist", n + 1));
        }
        entries.insert(path, reason.trim().to_owned());
    }
    Ok(entries)
}

pub(crate) fn rust_files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.join("crates"), root.join("xtask"), root.join("tests")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path
                    .file_name()
                    .is_some_and(|n| n == "target" || n == "fuzz")
                {
                    continue;
                }
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

pub(crate) fn relative(root: &Path, file: &Path) -> String {
    file.strip_prefix(root)
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/")
}

const SECRET_WORDS: [&str; 7] = [
    "secret",
    "password",
    "token",
    "assertion",
    "private_key",
    "credential",
    "refresh",
];
const NOT_SECRET_SUFFIXES: [&str; 10] = [
    "_type",
    "_url",
    "_uri",
    "_endpoint",
    "_env",
    "_file",
    "_path",
    "_id",
    "_name",
    "_count",
];

/// Names that contain a secret word but are not secrets.
const NOT_SECRETS: [&str; 3] = ["continuation_token", "token_type", "skip_token"];

/// Fields like `client_secret: String` in a struct that derives Debug/Serialize.
fn plain_secret_fields(rel: &str, text: &str) -> Vec<String> {
    let mut findings = Vec::new();
    let mut derives_visible = false;
    let mut in_struct = false;
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with("#[derive(") {
            derives_visible = t.contains("Debug") || t.contains("Serialize");
            continue;
        }
        if t.starts_with("pub struct")
            || t.starts_with("struct")
            || t.starts_with("pub(crate) struct")
        {
            in_struct = derives_visible && t.ends_with('{');
            derives_visible = false;
            continue;
        }
        if !t.starts_with("#[") && !t.starts_with("///") {
            derives_visible = derives_visible && t.is_empty();
        }
        if in_struct {
            if t.starts_with('}') {
                in_struct = false;
                continue;
            }
            let Some((name, ty)) = t
                .trim_start_matches("pub ")
                .trim_start_matches("pub(crate) ")
                .split_once(':')
            else {
                continue;
            };
            let name = name.trim().to_ascii_lowercase();
            let ty = ty.trim().trim_end_matches(',');
            let secretish = SECRET_WORDS.iter().any(|w| name.contains(w))
                && !NOT_SECRETS.contains(&name.as_str())
                && !NOT_SECRET_SUFFIXES.iter().any(|s| name.ends_with(s));
            let plain = matches!(
                ty,
                "String" | "Option<String>" | "Vec<u8>" | "&str" | "Option<&str>"
            );
            if secretish && plain {
                findings.push(format!(
                    "{rel}:{}: `{name}: {ty}` in a type that derives Debug/Serialize; hold it as SecretString",
                    n + 1
                ));
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_passes_the_audit() {
        let findings = run(&crate::root()).unwrap();
        assert!(findings.is_empty(), "{findings:#?}");
    }

    #[test]
    fn plain_secret_fields_are_found() {
        let src = "#[derive(Debug, Clone)]\npub struct Config {\n    pub client_secret: String,\n    pub client_secret_env: Option<String>,\n    token_type: String,\n}\n";
        let f = plain_secret_fields("x.rs", src);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].contains("client_secret: String"));
        let wrapped = "#[derive(Debug)]\nstruct C {\n    password: SecretString,\n}\n";
        assert!(plain_secret_fields("x.rs", wrapped).is_empty());
    }
}
