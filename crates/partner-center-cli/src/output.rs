//! Output: tables for people, JSON for scripts. Everything on stdout goes through
//! [`write_line`] (the `outln!` macro): a closed stdout (`| head -1`) ends the command
//! quietly instead of panicking, as gh, ripgrep and cargo do. `println!` is denied in
//! this crate (clippy `print_stdout`), so the class cannot come back.

use std::io::{IsTerminal as _, Write as _};
use std::path::Path;
#[cfg(test)]
use std::time::Duration;
use std::time::SystemTime;

use futures_util::StreamExt as _;
use partner_center::{Error, Paged};
use serde::Serialize;
use serde_json::Value;

use crate::Failure;

/// `println!` for stdout that ends the process quietly on a closed pipe.
macro_rules! outln {
    () => { $crate::output::write_line(format_args!("")) };
    ($($arg:tt)*) => { $crate::output::write_line(format_args!($($arg)*)) };
}
pub(crate) use outln;

/// Writes one line to stdout. A broken pipe ends the process at once with status 0 (the
/// reader has all it wanted); any other write error with status 1.
pub(crate) fn write_line(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    let written = out
        .write_fmt(args)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    if let Err(e) = written {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        let _ = writeln!(std::io::stderr(), "error: cannot write the output: {e}");
        std::process::exit(1);
    }
}

/// `-o table|json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// Aligned columns.
    Table,
    /// JSON.
    Json,
    /// JSON Lines: one compact JSON value per line (a list, one line per item).
    Jsonl,
}

impl Format {
    /// Whether it is one of the JSON formats.
    pub(crate) fn is_json(self) -> bool {
        matches!(self, Format::Json | Format::Jsonl)
    }
}

/// Prints rows under headers, aligned.
pub(crate) fn table(headers: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
            .collect();
        outln!("{}", parts.join("  ").trim_end());
    };
    line(headers.iter().map(|h| (*h).to_owned()).collect());
    for row in rows {
        line(row.clone());
    }
}

pub(crate) fn json(value: &Value) {
    outln!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_owned())
    );
}

/// A value in a JSON format: pretty for `json`; for `jsonl`, one compact line, or a line
/// per element of an array.
pub(crate) fn emit(format: Format, value: &Value) {
    match (format, value) {
        (Format::Jsonl, Value::Array(items)) => {
            for item in items {
                outln!("{item}");
            }
        }
        (Format::Jsonl, other) => outln!("{other}"),
        _ => json(value),
    }
}

/// The last second RFC 3339 can write (9999-12-31T23:59:59Z), in seconds since the epoch.
const MAX_RFC3339_SECS: u64 = 253_402_300_799;

/// An RFC 3339 time, or, for any instant RFC 3339 cannot write (after year 9999, before
/// 1970), the seconds since the epoch: never a panic, whatever the value.
pub(crate) fn stamp(t: SystemTime) -> String {
    match t.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(d) if d.as_secs() <= MAX_RFC3339_SECS => {
            humantime::format_rfc3339_seconds(t).to_string()
        }
        Ok(d) => format!("{} s after 1970 (after year 9999)", d.as_secs()),
        Err(e) => format!("{} s before 1970", e.duration().as_secs()),
    }
}

/// `2026-11-21T10:00:00Z (in 59m)` or `(expired 3m ago)`.
pub(crate) fn when(t: SystemTime, now: SystemTime) -> String {
    let stamp = stamp(t);
    match t.duration_since(now) {
        Ok(d) => format!(
            "{stamp} (in {})",
            humantime::format_duration(std::time::Duration::from_secs(d.as_secs()))
        ),
        Err(e) => format!(
            "{stamp} ({} ago)",
            humantime::format_duration(std::time::Duration::from_secs(e.duration().as_secs()))
        ),
    }
}

pub(crate) fn opt(s: Option<&str>) -> String {
    s.unwrap_or("-").to_owned()
}

/// A `YYYY-MM-DD` date given to `flag`, checked (a usage error otherwise).
pub(crate) fn day(flag: &str, text: &str) -> Result<String, Failure> {
    let valid = text.len() == 10
        && text.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    if valid {
        Ok(text.to_owned())
    } else {
        Err(Failure::usage(format!(
            "{flag} {text}: give the date as YYYY-MM-DD"
        )))
    }
}

/// The largest request file read (`--file`): 1 MiB, far above any request body.
pub(crate) const MAX_INPUT_FILE_BYTES: u64 = 1 << 20;

pub(crate) fn read_json(path: &Path) -> Result<Value, Failure> {
    let bytes = partner_center::auth::limits::read_file_capped(path, MAX_INPUT_FILE_BYTES)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Failure::usage(format!("{} is not valid JSON: {e}", path.display())))
}

/// Collects a stream to its end, with progress on stderr when it is a terminal.
pub(crate) async fn collect<T>(mut stream: Paged<T>) -> Result<Vec<T>, Error> {
    let progress = std::io::stderr().is_terminal();
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item?);
        if progress && items.len() % 100 == 0 {
            eprint!("\rfetched {} …", items.len());
        }
    }
    if progress {
        eprintln!("\rfetched {}   ", items.len());
    }
    Ok(items)
}

pub(crate) fn print_list<T: Serialize>(
    format: Format,
    items: &[T],
    headers: &[&str],
    row: impl Fn(&T) -> Vec<String>,
) {
    match format {
        Format::Json | Format::Jsonl => {
            emit(format, &serde_json::to_value(items).unwrap_or_default());
        }
        Format::Table => table(headers, &items.iter().map(row).collect::<Vec<_>>()),
    }
}

pub(crate) fn print_one<T: Serialize>(format: Format, item: &T, fields: Vec<(&str, String)>) {
    match format {
        Format::Json | Format::Jsonl => {
            emit(format, &serde_json::to_value(item).unwrap_or_default());
        }
        Format::Table => {
            for (k, v) in fields {
                outln!("{k:<14} {v}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_time_prints() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        for secs in [
            0,
            1,
            253_402_300_799,
            253_402_300_800,
            i64::MAX,
            -1,
            i64::MIN,
        ] {
            let shown = partner_center::auth::jwt::time_from_epoch(secs)
                .map_or_else(|| secs.to_string(), |t| when(t, now));
            assert!(!shown.is_empty());
        }
        assert_eq!(
            stamp(SystemTime::UNIX_EPOCH + Duration::from_secs(253_402_300_799)),
            "9999-12-31T23:59:59Z"
        );
    }
}
