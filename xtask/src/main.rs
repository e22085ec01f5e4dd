//! `cargo xtask <command>`: the project's automation, in plain Rust.
//!
//! - `ci`: fmt check, clippy `-D warnings`, every test and doctest, secret audit.
//! - `test`: every test and doctest of the workspace (xtask's tidy tests included).
//! - `lint`: fmt check and clippy.
//! - `secret-audit`: where secrets leave their wrappers (see docs/secret-hygiene.md).
//! - `demo`: `partner-center demo` on the embedded emulator.

#![allow(clippy::print_stdout, clippy::print_stderr)] // reason: a command-line tool reports on stdout/stderr

mod audit;
#[cfg(test)]
mod tidy;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ci") => ci(),
        Some("test") => test(),
        Some("lint") => lint(),
        Some("secret-audit") => secret_audit(),
        Some("demo") => cargo(&[
            "run",
            "--quiet",
            "--package",
            "partner-center-cli",
            "--",
            "demo",
        ]),
        _ => {
            eprintln!("usage: cargo xtask <ci|test|lint|secret-audit|demo>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root.
pub(crate) fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn cargo(args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!("$ cargo {}", args.join(" "));
    let status = Command::new(cargo)
        .args(args)
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`cargo {}` failed ({status})", args.join(" ")))
    }
}

fn lint() -> Result<(), String> {
    cargo(&["fmt", "--all", "--check"])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ])
}

fn test() -> Result<(), String> {
    cargo(&["test", "--workspace", "--locked"])
}

fn secret_audit() -> Result<(), String> {
    let findings = audit::run(&root())?;
    if findings.is_empty() {
        println!("secret-audit: ok");
        Ok(())
    } else {
        for f in &findings {
            eprintln!("secret-audit: {f}");
        }
        Err(format!(
            "{} secret-hygiene finding(s); see docs/secret-hygiene.md",
            findings.len()
        ))
    }
}

fn ci() -> Result<(), String> {
    secret_audit()?;
    lint()?;
    test()
}
