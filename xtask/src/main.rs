//! `cargo xtask <command>`: the project's automation, in plain Rust.
//!
//! - `ci`: fmt check, clippy `-D warnings`, every test and doctest, secret audit.
//! - `test`: every test and doctest of the workspace (xtask's tidy tests included).
//! - `lint`: fmt check (the area files too) and clippy.
//! - `fmt`: `cargo fmt`, and the area files rustfmt does not find on its own.
//! - `secret-audit`: where secrets leave their wrappers (see docs/secret-hygiene.md).
//! - `bench [--fleet]`: release build, then the benchmarks (docs/performance.md); writes
//!   `target/bench/report.json` (`target/bench/fleet.json`).
//! - `man`: the CLI's manual pages (clap_mangen) into `target/man/man1` and
//!   `$CARGO_HOME/share/man/man1`, where `man` finds them for `cargo install`ed commands.
//! - `deps`: the crate count of `partner-center-auth` with default features and with none
//!   (docs/auth-only.md states both; a tidy test keeps them true).
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
        Some("fmt") => fmt(),
        Some("secret-audit") => secret_audit(),
        Some("bench") => bench(args.get(1).is_some_and(|a| a == "--fleet")),
        Some("fuzz") => fuzz(&args[1..]),
        Some("deps") => deps(),
        Some("man") => man(),
        Some("demo") => cargo(&[
            "run",
            "--quiet",
            "--package",
            "partner-center-cli",
            "--",
            "demo",
        ]),
        _ => {
            eprintln!(
                "usage: cargo xtask <ci|test|lint|fmt|secret-audit|deps|bench [--fleet]|man|fuzz --smoke|fuzz --seed-corpus|demo>"
            );
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
///
/// Read at run time (cargo sets `CARGO_MANIFEST_DIR` for `cargo run` and `cargo test`), so
/// an xtask binary built in one clone and run from another, through a shared target
/// directory, works on the clone it runs in.
pub(crate) fn root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest_dir
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

/// The folders whose files the build scripts declare as modules (one file per API area):
/// rustfmt does not follow modules declared by a macro, so `fmt` and `lint` name these
/// files to it. A tidy test keeps the list equal to the build scripts' calls.
pub(crate) const AREA_FOLDERS: &[&str] = &[
    "crates/partner-center-models/src/rest",
    "crates/partner-center-models/src/ingestion",
    "crates/partner-center-models/src/graph",
    "crates/partner-center-models/src/product_ingestion",
    "crates/partner-center/src/rest",
    "crates/partner-center/src/graph",
    "crates/partner-center-emulator/src/rest",
    "crates/partner-center-emulator/src/ingestion",
    "crates/partner-center-emulator/src/graph",
    "crates/partner-center-cli/src/commands",
];

/// rustfmt on every area file, with `extra` arguments (`--check`).
fn rustfmt_areas(extra: &[&str]) -> Result<(), String> {
    let mut files = Vec::new();
    for folder in AREA_FOLDERS {
        let entries = std::fs::read_dir(root().join(folder))
            .map_err(|e| format!("cannot read {folder}: {e}"))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "rs") {
                files.push(path.to_string_lossy().into_owned());
            }
        }
    }
    files.sort();
    let mut args = vec!["--edition", "2024"];
    args.extend_from_slice(extra);
    args.extend(files.iter().map(String::as_str));
    eprintln!("$ rustfmt {} <{} area files>", extra.join(" "), files.len());
    let status = Command::new("rustfmt")
        .args(&args)
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run rustfmt: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("rustfmt: the area files are not formatted; run `cargo xtask fmt`".to_owned())
    }
}

/// `cargo fmt`, and the area files rustfmt cannot find on its own.
fn fmt() -> Result<(), String> {
    cargo(&["fmt", "--all"])?;
    rustfmt_areas(&[])
}

fn lint() -> Result<(), String> {
    cargo(&["fmt", "--all", "--check"])?;
    rustfmt_areas(&["--check"])?;
    clippy(&["--workspace"])?;
    // The auth crate with its azure_core interop.
    clippy(&["-p", "partner-center-auth", "--features", "azure-core"])?;
    // The CLI with its OpenTelemetry export.
    clippy(&["-p", "partner-center-cli", "--features", "otel"])?;
    // The auth crate alone, without its optional features, as a lean user builds it.
    clippy(&["-p", "partner-center-auth", "--no-default-features"])
}

/// `cargo clippy` on `what`, every target, warnings denied.
fn clippy(what: &[&str]) -> Result<(), String> {
    let mut args = vec!["clippy"];
    args.extend_from_slice(what);
    args.extend(["--all-targets", "--locked", "--", "-D", "warnings"]);
    cargo(&args)
}

/// The crates `partner-center-auth` pulls in (itself included, normal dependencies only,
/// for the host target), with its default features or with none.
pub(crate) fn auth_crate_count(default_features: bool) -> Result<usize, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut args = vec![
        "tree",
        "--locked",
        "-p",
        "partner-center-auth",
        "-e",
        "normal",
        "--prefix",
        "none",
    ];
    if !default_features {
        args.push("--no-default-features");
    }
    let out = Command::new(cargo)
        .args(&args)
        .current_dir(root())
        .output()
        .map_err(|e| format!("cannot run cargo tree: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo tree failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let crates: std::collections::BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| l.trim_end_matches(" (*)").to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    Ok(crates.len())
}

fn deps() -> Result<(), String> {
    println!(
        "partner-center-auth: {} crates with default features, {} with none",
        auth_crate_count(true)?,
        auth_crate_count(false)?
    );
    Ok(())
}

fn test() -> Result<(), String> {
    ensure_redis()?;
    cargo(&["test", "--workspace", "--locked"])?;
    // The CLI's `otel` feature: its spans reach an in-process exporter, no secret in them.
    cargo(&[
        "test",
        "-p",
        "partner-center-cli",
        "--features",
        "otel",
        "--bin",
        "partner-center",
        "--locked",
        "telemetry",
    ])?;
    // The auth crate's non-default interop with the current azure_core release.
    cargo(&[
        "test",
        "-p",
        "partner-center-auth",
        "--features",
        "azure-core",
        "--test",
        "azure_core",
        "--locked",
    ])
}

/// The fleet tests run a real `redis-server`: installed from the Debian package when it
/// is missing (apt-get, as root or through sudo), so that no test is skipped.
fn ensure_redis() -> Result<(), String> {
    let has = |program: &str| {
        std::process::Command::new(program)
            .arg("--version")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if has("redis-server") {
        return Ok(());
    }
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    let sudo: &[&str] = if root { &[] } else { &["sudo", "-n"] };
    for args in [
        &["apt-get", "update"][..],
        &["apt-get", "install", "-y", "redis-server"][..],
    ] {
        let command: Vec<&str> = sudo.iter().chain(args).copied().collect();
        println!("$ {}", command.join(" "));
        let ok = std::process::Command::new(command[0])
            .args(&command[1..])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return Err("the fleet tests need redis-server: install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis)".to_owned());
        }
    }
    Ok(())
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

/// The CLI's manual pages, generated from its command definitions into
/// target/man/man1, and installed beside `cargo install`'s binaries
/// (`$CARGO_HOME/share/man/man1`, which `man` searches for commands in
/// `$CARGO_HOME/bin`), so that `man partner-center` works.
fn man() -> Result<(), String> {
    let dir = std::env::var("CARGO_TARGET_DIR")
        .map_or_else(|_| root().join("target"), PathBuf::from)
        .join("man");
    let out = dir.join("man1");
    cargo(&[
        "run",
        "--quiet",
        "--package",
        "partner-center-cli",
        "--",
        "man-pages",
        "--out",
        &out.to_string_lossy(),
    ])?;
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(home) = cargo_home {
        let installed = home.join("share/man/man1");
        std::fs::create_dir_all(&installed)
            .map_err(|e| format!("cannot create {}: {e}", installed.display()))?;
        let pages = std::fs::read_dir(&out).map_err(|e| e.to_string())?;
        for page in pages.flatten() {
            std::fs::copy(page.path(), installed.join(page.file_name()))
                .map_err(|e| format!("cannot copy {}: {e}", page.path().display()))?;
        }
        println!(
            "installed in {} (man partner-center; man partner-center-customers-list)",
            installed.display()
        );
    }
    println!(
        "also in {} (man -M {} partner-center)",
        out.display(),
        dir.display()
    );
    Ok(())
}

/// Builds release binaries and runs the benchmark program (tests/src/bin/bench.rs); with
/// `--fleet`, the fleet benchmark alone (needs `redis-server`).
fn bench(fleet: bool) -> Result<(), String> {
    cargo(&[
        "build",
        "--release",
        "--locked",
        "-p",
        "partner-center-cli",
        "-p",
        "partner-center-e2e",
        "--bins",
    ])?;
    let target =
        std::env::var("CARGO_TARGET_DIR").map_or_else(|_| root().join("target"), PathBuf::from);
    let cli = target.join("release/partner-center");
    if fleet {
        ensure_redis()?;
        let out = target.join("bench/fleet.json");
        let status = Command::new(target.join("release/pc-bench"))
            .args(["--fleet", "--out", &out.to_string_lossy()])
            .current_dir(root())
            .status()
            .map_err(|e| format!("cannot run pc-bench: {e}"))?;
        return if status.success() {
            Ok(())
        } else {
            Err(format!("pc-bench --fleet failed ({status})"))
        };
    }
    let out = target.join("bench/report.json");
    let status = Command::new(target.join("release/pc-bench"))
        .args([
            "--cli",
            &cli.to_string_lossy(),
            "--out",
            &out.to_string_lossy(),
        ])
        .current_dir(root())
        .status()
        .map_err(|e| format!("cannot run pc-bench: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("pc-bench failed ({status})"))
    }
}

const FUZZ_TARGETS: [&str; 4] = ["jwt_inspect", "token_error", "models", "retry_after"];

/// `--seed-corpus`: copies the test fixtures into each target's corpus.
/// `--smoke`: each cargo-fuzz target for 10 s with nightly, else the stable smoke fuzzer.
fn fuzz(args: &[String]) -> Result<(), String> {
    let fuzz_dir = root().join("fuzz");
    if args.iter().any(|a| a == "--seed-corpus") {
        let fixtures = root().join("crates/partner-center-models/tests/fixtures");
        for target in FUZZ_TARGETS {
            let dir = fuzz_dir.join("corpus").join(target);
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            for entry in std::fs::read_dir(&fixtures)
                .map_err(|e| e.to_string())?
                .flatten()
            {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "json") {
                    std::fs::copy(&path, dir.join(entry.file_name())).map_err(|e| e.to_string())?;
                }
            }
        }
        println!("corpus seeded under fuzz/corpus/");
        return Ok(());
    }
    if !args.iter().any(|a| a == "--smoke") {
        return Err(
            "usage: cargo xtask fuzz --smoke | --seed-corpus (real runs: see fuzz/README.md)"
                .to_owned(),
        );
    }
    let nightly = Command::new("cargo")
        .args(["+nightly", "fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if nightly {
        for target in FUZZ_TARGETS {
            let status = Command::new("cargo")
                .args([
                    "+nightly",
                    "fuzz",
                    "run",
                    target,
                    "--",
                    "-max_total_time=10",
                ])
                .current_dir(&fuzz_dir)
                .status()
                .map_err(|e| e.to_string())?;
            if !status.success() {
                return Err(format!("fuzz target {target} failed"));
            }
        }
        return Ok(());
    }
    eprintln!(
        "no nightly toolchain with cargo-fuzz here: running the stable smoke fuzzer instead (tests/tests/fuzz_smoke.rs)."
    );
    eprintln!(
        "for libFuzzer: rustup toolchain install nightly && cargo install cargo-fuzz, then see fuzz/README.md"
    );
    cargo(&[
        "test",
        "--locked",
        "-p",
        "partner-center-e2e",
        "--test",
        "fuzz_smoke",
    ])
}

fn ci() -> Result<(), String> {
    secret_audit()?;
    deps()?;
    lint()?;
    test()
}
