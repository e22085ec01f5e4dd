//! Line items to a file, in constant memory, resumable: what month-end reconciliation
//! runs over hundreds of thousands of rows.
//!
//! A page at a time is written and synced, then a checkpoint beside the output
//! (`<out>.progress`, written atomically) records the file's length and the [`Cursor`] of
//! the next page. Run again after an interruption, the export cuts the file back to the
//! last complete page and goes on from there; a finished export removes its checkpoint.
//! CSV has one header row, the kind's documented columns in the docs' order
//! ([`LineItemKind::columns`]), then `extra`: the fields the columns do not name, as a
//! JSON object (empty when there are none). JSON Lines writes each item as sent.

use std::path::{Path, PathBuf};

use futures_util::TryStreamExt as _;
use partner_center_models::{InvoiceLineItem, LineItemKind};
use partner_center_transport::{Cursor, Pages};
use serde::{Deserialize, Serialize};
use serde_json::Value;
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

/// Why an export stopped. Run it again to resume: the rows written are kept.
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

    /// The checkpoint's path: `<out>.progress`.
    pub fn checkpoint_path(&self) -> PathBuf {
        let mut name = self.out.as_os_str().to_owned();
        name.push(".progress");
        PathBuf::from(name)
    }

    /// Runs (or resumes) the export: `pages` reads from a cursor (e.g.
    /// `|c| pc.invoices().pages(c)`); `progress` sees the row count after each page.
    pub async fn run(
        &self,
        pages: impl Fn(Cursor) -> Pages<InvoiceLineItem>,
        mut progress: impl FnMut(u64),
    ) -> Result<ExportReport, ExportError> {
        let checkpoint_path = self.checkpoint_path();
        let format = format!("{:?}", self.format);
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| ExportError::Io { path, source }
        };
        let saved = read_checkpoint(&checkpoint_path).await?;
        if let Some(saved) = &saved {
            if saved.source != self.from.uri || saved.format != format {
                return Err(ExportError::OtherExport {
                    path: checkpoint_path,
                    recorded: format!("{} as {}", saved.source, saved.format),
                    asked: format!("{} as {format}", self.from.uri),
                });
            }
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
            let mut stream = pages(next);
            while let Some(page) = stream.try_next().await? {
                let chunk = self.rows(&page.items)?;
                file.write_all(&chunk).await.map_err(io(&self.out))?;
                file.sync_data().await.map_err(io(&self.out))?;
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
                progress(rows);
            }
        }
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
    fn rows(&self, items: &[InvoiceLineItem]) -> Result<Vec<u8>, ExportError> {
        match self.format {
            ExportFormat::JsonLines => {
                let mut out = Vec::new();
                for item in items {
                    serde_json::to_writer(&mut out, item)
                        .map_err(|e| self.csv_error(std::io::Error::from(e)))?;
                    out.push(b'\n');
                }
                Ok(out)
            }
            ExportFormat::Csv => {
                let columns = self.kind.columns();
                let mut w = csv::Writer::from_writer(Vec::new());
                let mut record: Vec<String> = Vec::with_capacity(columns.len() + 1);
                for item in items {
                    record.clear();
                    record.extend(columns.iter().map(|c| cell(item.get(c))));
                    let extra: serde_json::Map<String, Value> = item
                        .fields
                        .iter()
                        .filter(|(k, _)| *k != "attributes" && !columns.contains(&k.as_str()))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    record.push(if extra.is_empty() {
                        String::new()
                    } else {
                        Value::Object(extra).to_string()
                    });
                    w.write_record(&record).map_err(|e| self.csv_error(e))?;
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

/// A field as a CSV cell: strings as they are, numbers as written, arrays and objects
/// as JSON, absent or null empty.
fn cell(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
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

/// Writes the checkpoint to a temporary file beside it, synced, then renames it over.
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
    file.sync_data().await.map_err(io)?;
    drop(file);
    tokio::fs::rename(&temp, path).await.map_err(io)
}
