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
            exit(0);
        }
        let _ = writeln!(std::io::stderr(), "error: cannot write the output: {e}");
        exit(1);
    }
}

/// Ends the process now with `code`, the telemetry sent first (feature `otel`): for the
/// exits that cannot return through `main`.
fn exit(code: i32) -> ! {
    #[cfg(feature = "otel")]
    crate::telemetry::flush();
    std::process::exit(code)
}

/// `-o table|json|jsonl|tsv|yaml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// Aligned columns, fitted to the terminal's width.
    Table,
    /// JSON.
    Json,
    /// JSON Lines: one compact JSON value per line (a list, one line per item).
    Jsonl,
    /// Tab-separated values, no header: a list one line per item, an object one line.
    Tsv,
    /// YAML.
    Yaml,
}

impl Format {
    /// Whether the output is rendered from the result's JSON: every format but a table,
    /// and a table too under `--query` (the query's result has no fixed columns).
    pub(crate) fn is_data(self) -> bool {
        self != Format::Table || QUERY.get().is_some()
    }
}

/// How a command renders its result: from its JSON (`emit`), or as its own table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// JSON, JSON Lines, TSV, YAML, or a table under `--query`.
    Data,
    /// The command's own table.
    Table,
}

impl Format {
    /// See [`Shape`].
    pub(crate) fn shape(self) -> Shape {
        if self.is_data() {
            Shape::Data
        } else {
            Shape::Table
        }
    }
}

/// Whether `--query` was given.
pub(crate) fn querying() -> bool {
    QUERY.get().is_some()
}

/// One event of a long operation (a `watch`'s transition): a JSON line for `json` and
/// `jsonl`, a TSV line, a YAML document, `--query` applied; with the time it was seen.
pub(crate) fn emit_event(format: Format, value: &Value) {
    let mut value = value.clone();
    if let Value::Object(map) = &mut value {
        use partner_center::auth::Clock as _;
        map.insert(
            "at".to_owned(),
            Value::String(stamp(partner_center::auth::SystemClock.now())),
        );
    }
    match format {
        Format::Json | Format::Jsonl => emit(Format::Jsonl, &value),
        Format::Yaml => {
            outln!("---");
            emit(Format::Yaml, &value);
        }
        other => emit(other, &value),
    }
}

/// `--query`, compiled once.
static QUERY: std::sync::OnceLock<jmespath::Expression<'static>> = std::sync::OnceLock::new();

/// Compiles `--query` (a JMESPath expression, as `az --query`), applied to every result's
/// JSON before it is rendered.
pub(crate) fn set_query(text: &str) -> Result<(), Failure> {
    let expr = jmespath::compile(text)
        .map_err(|e| Failure::usage(format!("--query {text}: not a JMESPath expression: {e}")))?;
    let _ = QUERY.set(expr);
    Ok(())
}

/// The value `--query` selects from `value` (the value itself without one). A query that
/// fails on this value (a function given the wrong type) is a usage error (exit 2); as the
/// command itself succeeded, its whole result is printed first, so nothing it returned once
/// (a new user's password) is lost.
fn queried(value: &Value) -> Value {
    let Some(expr) = QUERY.get() else {
        return value.clone();
    };
    let found = jmespath::Variable::from_serializable(value)
        .map_err(|e| e.to_string())
        .and_then(|v| expr.search(v).map_err(|e| e.to_string()))
        .and_then(|found| serde_json::to_value(&*found).map_err(|e| e.to_string()));
    match found {
        Ok(v) => v,
        Err(e) => {
            let whole = serde_json::to_string_pretty(value).unwrap_or_default();
            let _ = writeln!(std::io::stdout(), "{whole}");
            let _ = writeln!(
                std::io::stderr(),
                "error: --query: {e}\nhint: the command succeeded; its whole result is on stdout above"
            );
            exit(2);
        }
    }
}

/// Whether tables may be coloured: a terminal, and no `NO_COLOR`.
fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Prints rows under headers (comfy-table): columns fitted to the terminal's width (or
/// `COLUMNS`), long cells cut with an ellipsis, the header bold when colour is allowed.
pub(crate) fn table(headers: &[&str], rows: &[Vec<String>]) {
    use comfy_table::{Attribute, Cell, ContentArrangement, Row, Table};
    let mut t = Table::new();
    t.load_style(comfy_table::presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_truncation_indicator("…");
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|c| *c >= 20);
    if let Some(width) = columns {
        t.set_width(width);
    }
    let bold = colour();
    t.set_header(headers.iter().map(|h| {
        let cell = Cell::new(h);
        if bold {
            cell.add_attribute(Attribute::Bold)
        } else {
            cell
        }
    }));
    for row in rows {
        let mut r = Row::from(row);
        r.max_height(1);
        t.add_row(r);
    }
    let last = headers.len().saturating_sub(1);
    for (i, column) in t.column_iter_mut().enumerate() {
        column.set_padding((0, if i == last { 0 } else { 2 }));
    }
    for line in t.lines() {
        outln!("{}", line.trim_end());
    }
}

pub(crate) fn json(value: &Value) {
    outln!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_owned())
    );
}

/// A result's JSON, `--query` applied, in `format`: pretty JSON; JSON Lines (a line per
/// element of an array); TSV; YAML; or a table of whatever shape it has.
pub(crate) fn emit(format: Format, value: &Value) {
    let value = queried(value);
    match (format, &value) {
        (Format::Jsonl, Value::Array(items)) => {
            for item in items {
                outln!("{item}");
            }
        }
        (Format::Jsonl, other) => outln!("{other}"),
        (Format::Json, _) => json(&value),
        (Format::Tsv, Value::Array(items)) => {
            for line in tsv_lines(items) {
                outln!("{line}");
            }
        }
        (Format::Tsv, other) => outln!("{}", tsv_line(other)),
        (Format::Yaml, _) => {
            let text = serde_yaml_ng::to_string(&value).unwrap_or_else(|_| "null\n".to_owned());
            outln!("{}", text.trim_end());
        }
        (Format::Table, _) => any_table(&value),
    }
}

/// A value as text in a cell: a string as is, null empty, anything nested as compact JSON.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One TSV line: an object's values, an array's elements, or a scalar; tabs and line
/// breaks inside a value become spaces, so each line stays one record.
fn tsv_line(value: &Value) -> String {
    let fields: Vec<String> = match value {
        Value::Object(map) => map.values().map(cell).collect(),
        Value::Array(items) => items.iter().map(cell).collect(),
        other => vec![cell(other)],
    };
    fields
        .iter()
        .map(|f| f.replace(['\t', '\n', '\r'], " "))
        .collect::<Vec<_>>()
        .join("\t")
}

/// A list's TSV lines. Objects: every line has every column, so a field one item lacks
/// cannot shift the ones after it.
fn tsv_lines(items: &[Value]) -> Vec<String> {
    match columns(items) {
        Some(keys) => items
            .iter()
            .map(|item| {
                let fields: Vec<Value> = keys
                    .iter()
                    .map(|k| item.get(*k).cloned().unwrap_or(Value::Null))
                    .collect();
                tsv_line(&Value::Array(fields))
            })
            .collect(),
        None => items.iter().map(tsv_line).collect(),
    }
}

/// The columns of a list of objects: the union of their keys, by name; `None` when the
/// list is empty or holds anything but objects.
fn columns(items: &[Value]) -> Option<Vec<&str>> {
    if items.is_empty() || !items.iter().all(Value::is_object) {
        return None;
    }
    let keys: std::collections::BTreeSet<&str> = items
        .iter()
        .filter_map(Value::as_object)
        .flat_map(|m| m.keys().map(String::as_str))
        .collect();
    Some(keys.into_iter().collect())
}

/// A table of any JSON (a query's result): a list of objects one row each under the
/// union of their keys; a list of values one per row; an object as field and value.
fn any_table(value: &Value) {
    match value {
        Value::Array(items) => match columns(items) {
            Some(keys) => {
                let rows: Vec<Vec<String>> = items
                    .iter()
                    .map(|item| keys.iter().map(|k| cell(&item[*k])).collect())
                    .collect();
                table(&keys, &rows);
            }
            None => {
                let rows: Vec<Vec<String>> = items.iter().map(|i| vec![cell(i)]).collect();
                table(&["Result"], &rows);
            }
        },
        Value::Object(map) => {
            let rows: Vec<Vec<String>> =
                map.iter().map(|(k, v)| vec![k.clone(), cell(v)]).collect();
            table(&["Field", "Value"], &rows);
        }
        other => outln!("{}", cell(other)),
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

/// Collects a stream to its end, with a count on stderr when it is a terminal.
pub(crate) async fn collect<T>(mut stream: Paged<T>) -> Result<Vec<T>, Error> {
    let progress = crate::progress::Progress::start("{spinner} fetched {pos} {msg}");
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item?);
        progress.set_position(items.len() as u64);
    }
    Ok(items)
}

/// A list: an array in the data formats, rows under `headers` in a table.
pub(crate) fn print_list<T: Serialize>(
    format: Format,
    items: &[T],
    headers: &[&str],
    row: impl Fn(&T) -> Vec<String>,
) {
    if format.is_data() {
        emit(format, &serde_json::to_value(items).unwrap_or_default());
    } else {
        table(headers, &items.iter().map(row).collect::<Vec<_>>());
    }
}

/// One resource with its list's columns (a get, a create, an update): the object in the
/// data formats, a one-row table otherwise.
pub(crate) fn print_item<T: Serialize>(
    format: Format,
    item: &T,
    headers: &[&str],
    row: impl Fn(&T) -> Vec<String>,
) {
    if format.is_data() {
        emit(format, &serde_json::to_value(item).unwrap_or_default());
    } else {
        table(headers, &[row(item)]);
    }
}

/// One resource (a get, a create, an update): an object in the data formats, its main
/// fields one per line in a table.
pub(crate) fn print_one<T: Serialize>(format: Format, item: &T, fields: Vec<(&str, String)>) {
    if format.is_data() {
        emit(format, &serde_json::to_value(item).unwrap_or_default());
    } else {
        for (k, v) in fields {
            outln!("{k:<14} {v}");
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

    #[test]
    fn tsv_columns_never_shift() {
        let items = [
            serde_json::json!({"id": "1", "name": "a\tb", "status": "active"}),
            serde_json::json!({"id": "2", "status": "suspended"}),
            serde_json::json!({"extra": true, "id": "3"}),
        ];
        assert_eq!(
            tsv_lines(&items),
            ["\t1\ta b\tactive", "\t2\t\tsuspended", "true\t3\t\t",]
        );
        // Not all objects: one value per line, as before.
        assert_eq!(
            tsv_lines(&[serde_json::json!("x"), serde_json::json!(2)]),
            ["x", "2"]
        );
    }
}
