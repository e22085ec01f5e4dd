//! The config file's plaintext-secret check: every key is looked at before the file is
//! parsed, and no error quotes a value.

use std::path::Path;

use super::{File, shown, usage};
use crate::Error;

/// Refuses a plaintext secret anywhere in the file, then parses it. No error quotes a
/// value: parse errors give the line, the column and what was expected, and name keys
/// only.
pub(super) fn check_file(text: &str, path: Option<&Path>) -> Result<File, Error> {
    let at = shown(path);
    let keys = keys_of(text);
    if let Some((line, key)) = keys.iter().find(|(_, k)| looks_like_secret(k)) {
        return Err(usage(format!(
            "{at}, line {line}: `{key}` looks like a plaintext secret; secrets never go in the config file. \
             Move it to an environment variable and write `client_secret_env = \"NAME\"`, \
             or to a file readable only by you and write `client_secret_file = \"PATH\"`"
        )));
    }
    toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((0, 0), |span| line_col(text, span.start));
        let names: Vec<&str> = keys.iter().map(|(_, k)| k.as_str()).collect();
        usage(format!(
            "{at}, line {line}, column {column}: {} (see the format in docs/cli.md)",
            scrub(e.message(), &names)
        ))
    })
}

pub(super) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The keys the file's lines assign (`key = …`, `"key" = …`, `a.b.key = …`, inline
/// tables too), with their line numbers: read without parsing, so a file that does not
/// parse is checked as well.
pub(super) fn keys_of(text: &str) -> Vec<(usize, String)> {
    let mut keys = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_start();
        if line.starts_with('#') || line.starts_with('[') && !line.contains('=') {
            continue;
        }
        for piece in line.split(['{', ',']) {
            let Some((key, _)) = piece.split_once('=') else {
                continue;
            };
            for part in key.split('.') {
                let part = part.trim().trim_matches(['"', '\'']).trim();
                if !part.is_empty() && part.len() <= 64 && !part.contains(char::is_whitespace) {
                    keys.push((n + 1, part.to_owned()));
                }
            }
        }
    }
    keys
}

/// `client_secret`, `clientSecret`, `client-secret`, `AZURE_CLIENT_SECRET`, `password`,
/// `refresh_token`…, but not the references `client_secret_env`, `…_file`, `…_path`.
pub(super) fn looks_like_secret(key: &str) -> bool {
    let norm: String = key
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    const WORDS: [&str; 7] = [
        "secret",
        "password",
        "passwd",
        "token",
        "apikey",
        "privatekey",
        "assertion",
    ];
    WORDS.iter().any(|w| norm.contains(w))
        && !["env", "file", "path"].iter().any(|s| norm.ends_with(s))
}

/// A parser message with every quoted fragment dropped, except the file's own key names.
pub(super) fn scrub(message: &str, keys: &[&str]) -> String {
    let first = message.lines().next().unwrap_or_default();
    let mut out = String::new();
    let mut rest = first;
    while let Some(i) = rest.find(['`', '"', '\'']) {
        let quote = rest[i..].chars().next().unwrap_or('`');
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find(quote) {
            Some(j) => {
                let inner = &after[..j];
                if keys.contains(&inner) || KNOWN_KEYS.contains(&inner) {
                    out.push('`');
                    out.push_str(inner);
                    out.push('`');
                } else {
                    out.push_str("(a value)");
                }
                rest = &after[j + 1..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

pub(super) const KNOWN_KEYS: [&str; 18] = [
    "profiles",
    "tenant",
    "client_id",
    "cloud",
    "authority_host",
    "api_url",
    "ingestion_url",
    "graph_url",
    "client_secret_env",
    "client_secret_file",
    "certificate_path",
    "certificate_password_env",
    "refresh_token_env",
    "send_certificate_chain",
    "endpoint",
    "credential",
    "managed_identity_client_id",
    "login_store",
];
