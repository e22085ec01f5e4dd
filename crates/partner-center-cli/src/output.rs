//! Output: tables for people, JSON for scripts.

use std::time::SystemTime;

use serde_json::Value;

/// `-o table|json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// Aligned columns.
    Table,
    /// JSON.
    Json,
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
        println!("{}", parts.join("  ").trim_end());
    };
    line(headers.iter().map(|h| (*h).to_owned()).collect());
    for row in rows {
        line(row.clone());
    }
}

pub(crate) fn json(value: &Value) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_owned())
    );
}

/// `2026-11-21T10:00:00Z (in 59m)` or `(expired 3m ago)`.
pub(crate) fn when(t: SystemTime, now: SystemTime) -> String {
    let stamp = humantime::format_rfc3339_seconds(t);
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
