//! Line items to a file, in constant memory, resumable: what month-end reconciliation
//! runs over hundreds of thousands of rows.
//!
//! A page at a time is written, then a checkpoint beside the output (`<out>.progress`,
//! replaced atomically) records the file's length and the [`Cursor`] of the next page.
//! Run again after an interruption (an error, a kill), the export cuts the file back to
//! the last complete page and goes on from there; a finished export removes its
//! checkpoint. Nothing is synced to disk page by page (it would cost a tenth of the
//! speed; the finished file is synced before its checkpoint goes): after a power loss
//! that left the file shorter than its checkpoint, or a checkpoint whose length does not
//! end a row, the export starts over rather than trust it.
//! CSV has one header row, the kind's documented columns in the docs' order
//! ([`LineItemKind::columns`]), then `extra`: the fields the columns do not name, as a
//! JSON object (empty when there are none). JSON Lines writes each item as sent.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use futures_util::StreamExt as _;
use partner_center_models::LineItemKind;
use partner_center_transport::{Cursor, Pages};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;
use tokio::io::{AsyncSeekExt as _, AsyncWriteExt as _};

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExportFormat {
    /// Comma-separated values, with a header row.
    Csv,
    /// One JSON object per line, as the service sent it.
    JsonLines,
}

/// Why an export stopped. The rows written are kept: after an [`Api`](Self::Api) error
/// that is transient, or an [`Io`](Self::Io) one once fixed, run it again to resume.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// The service failed (after its retries).
    #[error(transparent)]
    Api(#[from] partner_center_transport::Error),
    /// The output or its checkpoint could not be written or read.
    #[error("{path}: {source} (fix the path or the disk, then run the export again to resume)")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The service sent a line item that is not a JSON object: running again meets it
    /// again (quote the page's cursor to support).
    #[error(
        "a line item of the page at {page} is not usable ({reason}); the rows before it are kept"
    )]
    Data {
        /// The page's URI.
        page: String,
        /// Why.
        reason: String,
    },
    /// A checkpoint exists for another export into the same file.
    #[error(
        "{path} records an export of {recorded}, not of {asked}: remove it to start over, or export to another file"
    )]
    OtherExport {
        /// The checkpoint.
        path: PathBuf,
        /// What it records.
        recorded: String,
        /// What was asked.
        asked: String,
    },
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExportReport {
    /// Rows in the file (resumed ones included).
    pub rows: u64,
    /// Whether it went on from a checkpoint.
    pub resumed: bool,
}

/// The checkpoint: where an export is.
#[derive(Debug, Serialize, Deserialize)]
struct Checkpoint {
    /// The export's first page: which export this is.
    source: String,
    format: String,
    /// The file's length after the last complete page.
    bytes: u64,
    rows: u64,
    next: Option<Cursor>,
}

/// An export of a listing of line items of one `kind` (which names the CSV's columns)
/// from `from` into `out`.
#[derive(Debug, Clone)]
pub struct LineItemExport {
    from: Cursor,
    kind: LineItemKind,
    format: ExportFormat,
    out: PathBuf,
}

impl LineItemExport {
    /// An export of the line items from `from` (e.g.
    /// [`Invoices::unbilled_from`](crate::Invoices::unbilled_from)), of `kind`, into `out`.
    pub fn new(
        from: Cursor,
        kind: LineItemKind,
        format: ExportFormat,
        out: impl Into<PathBuf>,
    ) -> Self {
        Self {
            from,
            kind,
            format,
            out: out.into(),
        }
    }

    /// The first page an unfinished export into `out` recorded (its checkpoint's
    /// source), when there is one: a Graph export resumes on the operation it started.
    pub async fn recorded_source(out: &Path) -> Result<Option<String>, ExportError> {
        Ok(read_checkpoint(&checkpoint_of(out))
            .await?
            .map(|c| c.source))
    }

    /// The checkpoint's path: `<out>.progress`.
    pub fn checkpoint_path(&self) -> PathBuf {
        checkpoint_of(&self.out)
    }

    /// Runs (or resumes) the export: `pages` reads from a cursor (e.g.
    /// `|c| pc.invoices().raw_pages(c)`: each item the text the service sent, so numbers
    /// keep every digit and no tree is built per item); `progress` sees the row count
    /// after each page.
    pub async fn run(
        &self,
        pages: impl Fn(Cursor) -> Pages<Box<RawValue>>,
        mut progress: impl FnMut(u64),
    ) -> Result<ExportReport, ExportError> {
        let checkpoint_path = self.checkpoint_path();
        let format = format!("{:?} of {}", self.format, self.kind);
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| ExportError::Io { path, source }
        };
        let mut saved = read_checkpoint(&checkpoint_path).await?;
        if let Some(saved) = &saved {
            if saved.source != self.from.uri || saved.format != format {
                return Err(ExportError::OtherExport {
                    path: checkpoint_path,
                    recorded: format!("{} as {}", saved.source, saved.format),
                    asked: format!("{} as {format}", self.from.uri),
                });
            }
        }
        // A file shorter than its checkpoint says lost pages the system had not written
        // when it stopped (the export does not sync page by page), and one whose recorded
        // length does not end a row was edited: start again.
        let on_disk = tokio::fs::metadata(&self.out).await.map_or(0, |m| m.len());
        let trusted = match &saved {
            Some(c) => on_disk >= c.bytes && ends_a_row(&self.out, c.bytes).await,
            None => true,
        };
        if !trusted {
            tracing::warn!(file = %self.out.display(), "the file does not end where its checkpoint says: exporting again from the start");
            saved = None;
        }
        let mut file = tokio::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(saved.is_none())
            .open(&self.out)
            .await
            .map_err(io(&self.out))?;
        let resumed = saved.is_some();
        let (mut rows, mut bytes, next) = match saved {
            Some(c) => (c.rows, c.bytes, c.next),
            None => {
                let header = self.header()?;
                file.write_all(&header).await.map_err(io(&self.out))?;
                (0, header.len() as u64, Some(self.from.clone()))
            }
        };
        // Cut what was written after the last complete page, and go on at its end.
        file.set_len(bytes).await.map_err(io(&self.out))?;
        file.seek(std::io::SeekFrom::Start(bytes))
            .await
            .map_err(io(&self.out))?;
        if let Some(next) = next {
            let mut cursor_uri = next.uri.clone();
            let mut stream = pages(next);
            while let Some(page) = stream.next().await {
                let page = page?;
                let chunk = self.rows(&page.items, &cursor_uri)?;
                file.write_all(&chunk).await.map_err(io(&self.out))?;
                // Written through to the system before the checkpoint says so.
                file.flush().await.map_err(io(&self.out))?;
                bytes += chunk.len() as u64;
                rows += page.items.len() as u64;
                let checkpoint = Checkpoint {
                    source: self.from.uri.clone(),
                    format: format.clone(),
                    bytes,
                    rows,
                    next: page.next.clone(),
                };
                write_checkpoint(&checkpoint_path, &checkpoint).await?;
                if let Some(next) = &page.next {
                    cursor_uri.clone_from(&next.uri);
                }
                progress(rows);
            }
        }
        // The finished file is on disk before its checkpoint goes.
        file.sync_all().await.map_err(io(&self.out))?;
        match tokio::fs::remove_file(&checkpoint_path).await {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(&checkpoint_path)(e)),
        }
        Ok(ExportReport { rows, resumed })
    }

    fn header(&self) -> Result<Vec<u8>, ExportError> {
        match self.format {
            ExportFormat::JsonLines => Ok(Vec::new()),
            ExportFormat::Csv => {
                let mut w = csv::Writer::from_writer(Vec::new());
                let columns = self.kind.columns().iter().copied().chain(["extra"]);
                w.write_record(columns).map_err(|e| self.csv_error(e))?;
                w.into_inner().map_err(|e| self.csv_error(e.into_error()))
            }
        }
    }

    /// A page's rows, formatted.
    fn rows(&self, items: &[Box<RawValue>], page: &str) -> Result<Vec<u8>, ExportError> {
        let bad = |e: serde_json::Error| ExportError::Data {
            page: page.to_owned(),
            reason: e.to_string(),
        };
        if let Some(item) = items
            .iter()
            .find(|i| !i.get().trim_start().starts_with('{'))
        {
            let text: String = item.get().chars().take(40).collect();
            return Err(ExportError::Data {
                page: page.to_owned(),
                reason: format!("{text:?} is not an object"),
            });
        }
        // A page of the service holds 2,000 items at most; a hostile one may claim more.
        let reserve = items.len().min(2000) * 1024;
        match self.format {
            ExportFormat::JsonLines => {
                let mut out = Vec::with_capacity(reserve);
                for item in items {
                    let text = item.get();
                    if text.contains(['\n', '\r']) {
                        // Sent pretty-printed: one line per item all the same, every
                        // character of every value kept.
                        minify(text, &mut out);
                    } else {
                        out.extend_from_slice(text.as_bytes());
                    }
                    out.push(b'\n');
                }
                Ok(out)
            }
            ExportFormat::Csv => {
                let columns = self.kind.columns();
                let mut w = csv::Writer::from_writer(Vec::with_capacity(reserve));
                let mut used: Vec<bool> = Vec::new();
                for item in items {
                    // Field names borrowed from the page's text, in the order sent; a name
                    // written with escapes (never seen) takes the owned way.
                    let owned: Vec<(String, Box<RawValue>)>;
                    let fields: Vec<(&str, &RawValue)> =
                        match serde_json::from_str::<Fields<'_>>(item.get()) {
                            Ok(fields) => fields.0,
                            Err(_) => {
                                let map: serde_json::Map<String, Value> =
                                    serde_json::from_str(item.get()).map_err(bad)?;
                                owned = map
                                    .into_iter()
                                    .map(|(k, v)| {
                                        serde_json::value::to_raw_value(&v).map(|r| (k, r))
                                    })
                                    .collect::<Result<_, _>>()
                                    .map_err(bad)?;
                                owned
                                    .iter()
                                    .map(|(k, v)| (k.as_str(), v.as_ref()))
                                    .collect()
                            }
                        };
                    used.clear();
                    used.resize(fields.len(), false);
                    // The service sends the fields in the columns' order: look at the one
                    // after the last found first.
                    let mut hint = 0;
                    for column in columns {
                        // Exact first; then without regard to case, as Graph's record
                        // attributes are documented in PascalCase (`CustomerId`).
                        let at = match fields.get(hint) {
                            Some((name, _)) if name == column => Some(hint),
                            _ => fields
                                .iter()
                                .position(|(name, _)| name == column)
                                .or_else(|| {
                                    fields
                                        .iter()
                                        .position(|(name, _)| name.eq_ignore_ascii_case(column))
                                }),
                        };
                        let cell = match at {
                            Some(i) => {
                                used[i] = true;
                                hint = i + 1;
                                cell(fields[i].1).map_err(bad)?
                            }
                            None => Cow::Borrowed(""),
                        };
                        w.write_field(cell.as_bytes())
                            .map_err(|e| self.csv_error(e))?;
                    }
                    // Fields the columns do not name, by name (a stable order).
                    let mut unnamed: Vec<(&str, &RawValue)> = fields
                        .iter()
                        .zip(&used)
                        .filter(|((name, _), used)| !**used && *name != "attributes")
                        .map(|(field, _)| *field)
                        .collect();
                    unnamed.sort_unstable_by_key(|(name, _)| *name);
                    let mut extra = String::new();
                    for (name, raw) in unnamed {
                        extra.push(if extra.is_empty() { '{' } else { ',' });
                        extra.push_str(&Value::from(name).to_string());
                        extra.push(':');
                        extra.push_str(raw.get().trim());
                    }
                    if !extra.is_empty() {
                        extra.push('}');
                    }
                    w.write_field(extra.as_bytes())
                        .map_err(|e| self.csv_error(e))?;
                    w.write_record(None::<&[u8]>)
                        .map_err(|e| self.csv_error(e))?;
                }
                w.into_inner().map_err(|e| self.csv_error(e.into_error()))
            }
        }
    }

    fn csv_error(&self, e: impl Into<std::io::Error>) -> ExportError {
        ExportError::Io {
            path: self.out.clone(),
            source: e.into(),
        }
    }
}

/// The checkpoint of an export into `out`: `<out>.progress`.
fn checkpoint_of(out: &Path) -> PathBuf {
    let mut name = out.as_os_str().to_owned();
    name.push(".progress");
    PathBuf::from(name)
}

/// Whether the file's byte before `at` ends a row (a checkpoint's length must).
async fn ends_a_row(path: &Path, at: u64) -> bool {
    use tokio::io::AsyncReadExt as _;
    let Some(last) = at.checked_sub(1) else {
        return false;
    };
    let Ok(mut file) = tokio::fs::File::open(path).await else {
        return false;
    };
    let mut byte = [0u8; 1];
    file.seek(std::io::SeekFrom::Start(last)).await.is_ok()
        && file.read_exact(&mut byte).await.is_ok()
        && byte[0] == b'\n'
}

/// `text` (valid JSON) without the whitespace between tokens: strings, numbers and keys
/// as written.
fn minify(text: &str, out: &mut Vec<u8>) {
    let (mut in_string, mut escaped) = (false, false);
    for &b in text.as_bytes() {
        if in_string {
            out.push(b);
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
            out.push(b);
        } else if !b.is_ascii_whitespace() {
            out.push(b);
        }
    }
}

/// An object's fields, borrowed from its text, in the order written.
struct Fields<'a>(Vec<(&'a str, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Fields<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visit<'a> {
            type Value = Fields<'a>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a line item object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(64));
                while let Some(entry) = map.next_entry::<&'de str, &'de RawValue>()? {
                    fields.push(entry);
                }
                Ok(Fields(fields))
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}

/// A field as a CSV cell: a string's text (unescaped), anything else as written (numbers
/// keep every digit), null empty.
fn cell(raw: &RawValue) -> Result<Cow<'_, str>, serde_json::Error> {
    let text = raw.get().trim();
    if text == "null" {
        Ok(Cow::Borrowed(""))
    } else if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        if inner.contains('\\') {
            serde_json::from_str::<String>(text).map(Cow::Owned)
        } else {
            Ok(Cow::Borrowed(inner))
        }
    } else {
        Ok(Cow::Borrowed(text))
    }
}

async fn read_checkpoint(path: &Path) -> Result<Option<Checkpoint>, ExportError> {
    let io = |source| ExportError::Io {
        path: path.to_owned(),
        source,
    };
    match tokio::fs::read(path).await {
        Ok(bytes) if bytes.len() <= 1 << 20 => {
            serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                io(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("not a checkpoint ({e}): remove it to start over"),
                ))
            })
        }
        Ok(_) => Err(io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "too large to be a checkpoint: remove it to start over",
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(e)),
    }
}

/// Writes the checkpoint to a temporary file beside it, then renames it over (a reader
/// sees the old one or the new one, never half of one).
async fn write_checkpoint(path: &Path, checkpoint: &Checkpoint) -> Result<(), ExportError> {
    let io = |source| ExportError::Io {
        path: path.to_owned(),
        source,
    };
    let mut temp = path.as_os_str().to_owned();
    temp.push(".tmp");
    let temp = PathBuf::from(temp);
    let body = serde_json::to_vec(checkpoint).map_err(|e| io(std::io::Error::from(e)))?;
    let mut file = tokio::fs::File::create(&temp).await.map_err(io)?;
    file.write_all(&body).await.map_err(io)?;
    file.flush().await.map_err(io)?;
    drop(file);
    tokio::fs::rename(&temp, path).await.map_err(io)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // reason: tests

    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_owned()).unwrap()
    }

    #[test]
    fn cells_keep_the_text_sent_and_unknown_fields_go_to_extra() {
        let export = LineItemExport::new(
            Cursor::first("/x"),
            LineItemKind::OneTime,
            ExportFormat::Csv,
            "out.csv",
        );
        let item = raw(
            r#"{"customerId":"c1","customerName":"A \"quoted\", name","unitPrice":0.1999968000511991808131,
               "quantity":"3","productQualifiers":["AddOn"],"subtotal":null,"zeta":1,"alpha":{"b":2},
               "attributes":{"objectType":"OneTimeInvoiceLineItem"}}"#,
        );
        let text = String::from_utf8(export.rows(&[item], "/x").unwrap()).unwrap();
        let columns = LineItemKind::OneTime.columns();
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        let row = reader.records().next().unwrap().unwrap();
        let at = |name: &str| &row[columns.iter().position(|c| *c == name).unwrap()];
        assert_eq!(at("customerName"), r#"A "quoted", name"#);
        assert_eq!(
            at("unitPrice"),
            "0.1999968000511991808131",
            "every digit kept"
        );
        assert_eq!(at("quantity"), "3");
        assert_eq!(at("productQualifiers"), r#"["AddOn"]"#);
        assert_eq!(at("subtotal"), "");
        assert_eq!(&row[columns.len()], r#"{"alpha":{"b":2},"zeta":1}"#);

        let lines = LineItemExport::new(
            Cursor::first("/x"),
            LineItemKind::OneTime,
            ExportFormat::JsonLines,
            "out.jsonl",
        );
        let pretty = raw("{\n  \"a\": 0.1999968000511991808131,\n  \"s\": \"x \\\" y\"\n}");
        let text =
            String::from_utf8(lines.rows(&[pretty, raw(r#"{"b":2}"#)], "/x").unwrap()).unwrap();
        assert_eq!(
            text,
            "{\"a\":0.1999968000511991808131,\"s\":\"x \\\" y\"}\n{\"b\":2}\n"
        );
        // Field names in another case (Graph's PascalCase) fill the same columns.
        let pascal = raw(r#"{"CustomerId":"c2","Quantity":"4","attributes":{}}"#);
        let text = String::from_utf8(export.rows(&[pascal], "/x").unwrap()).unwrap();
        let row: Vec<&str> = text.trim_end().split(',').collect();
        assert_eq!(
            row[columns.iter().position(|c| *c == "customerId").unwrap()],
            "c2"
        );
        assert_eq!(
            row[columns.iter().position(|c| *c == "quantity").unwrap()],
            "4"
        );
        assert_eq!(*row.last().unwrap(), "", "nothing left for extra");
        // A page of things that are not objects is refused, not written.
        let e = lines.rows(&[raw("0")], "/page").unwrap_err();
        assert!(matches!(e, ExportError::Data { .. }), "{e}");
    }
}
