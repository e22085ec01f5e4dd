//! `/reports/partners/billing`: the asynchronous exports of billed and unbilled
//! reconciliation and usage data (Microsoft Graph), followed to their manifest.

use std::path::PathBuf;
use std::time::Duration;

use partner_center_auth::ExposeSecret as _;
use partner_center_models::graph::{BillingOperation, ExportRequest, Manifest, OperationState};
use partner_center_transport::{Cursor, Error, Page, Pages, RequestOptions};
use reqwest::Method;
use serde_json::value::RawValue;

use crate::PartnerCenter;
use crate::ingestion::WaitOptions;

impl PartnerCenter {
    /// The partner billing reports of Microsoft Graph (a token for Graph with
    /// `PartnerBilling.Read.All`, from the same credential).
    ///
    /// ```no_run
    /// use partner_center::ingestion::WaitOptions;
    /// use partner_center::models::graph::{ExportRequest, GraphBillingPeriod};
    /// use partner_center::ReportKind;
    /// # async fn demo(pc: partner_center::PartnerCenter) -> Result<(), partner_center::Error> {
    /// let reports = pc.billing_reports();
    /// let request = ExportRequest::unbilled(GraphBillingPeriod::Current, "USD");
    /// let operation = reports.start(ReportKind::UnbilledReconciliation, &request).await?;
    /// let done = reports.wait(&operation, WaitOptions::default()).await?;
    /// let manifest = reports.manifest(&done).await?;
    /// println!("{} files", manifest.blobs.len());
    /// # Ok(()) }
    /// ```
    pub fn billing_reports(&self) -> BillingReports {
        BillingReports { pc: self.clone() }
    }
}

/// Which data an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReportKind {
    /// An invoice's reconciliation line items (`ExportRequest::billed`).
    BilledReconciliation,
    /// A period's unbilled reconciliation line items (`ExportRequest::unbilled`).
    UnbilledReconciliation,
    /// An invoice's rated daily usage.
    BilledUsage,
    /// A period's unbilled rated daily usage.
    UnbilledUsage,
}

impl ReportKind {
    fn path(self) -> &'static str {
        match self {
            Self::BilledReconciliation => "/reports/partners/billing/reconciliation/billed/export",
            Self::UnbilledReconciliation => {
                "/reports/partners/billing/reconciliation/unbilled/export"
            }
            Self::BilledUsage => "/reports/partners/billing/usage/billed/export",
            Self::UnbilledUsage => "/reports/partners/billing/usage/unbilled/export",
        }
    }
}

/// `/reports/partners/billing`.
#[derive(Debug, Clone)]
pub struct BillingReports {
    pc: PartnerCenter,
}

impl BillingReports {
    /// Starts an export: answers its operation's URL (the `Location` of the `202`).
    pub async fn start(&self, kind: ReportKind, request: &ExportRequest) -> Result<String, Error> {
        let body = serde_json::to_vec(request).map_err(|e| Error::Config(e.to_string()))?;
        let options = RequestOptions::default().header("Content-Type", "application/json");
        let answer = self
            .pc
            .graph_api()
            .send(Method::POST, kind.path(), Some(body.into()), &options)
            .await?;
        answer
            .headers
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .ok_or_else(|| Error::Decode {
                status: answer.status,
                reason: "the export was accepted without a Location header naming its operation"
                    .to_owned(),
                excerpt: String::new(),
                request_id: answer.request_id.clone(),
                correlation_id: answer.correlation_id.clone(),
            })
    }

    /// Where operation `location` is, and how long the service asks to wait before
    /// asking again (`Retry-After`), when it says.
    pub async fn operation(
        &self,
        location: &str,
    ) -> Result<(BillingOperation, Option<Duration>), Error> {
        let answer = self
            .pc
            .graph_api()
            .send(Method::GET, location, None, &RequestOptions::default())
            .await?;
        Ok((answer.json()?, answer.retry_after()))
    }

    /// Reads operation `location` until it has succeeded or failed: after the
    /// `Retry-After` the service gives (capped by `options`' longest interval), else with
    /// the usual backoff, within `options.timeout`. A failed export is [`Error::Api`] with
    /// the operation's error code; a timeout is [`Error::Transient`].
    pub async fn wait(
        &self,
        location: &str,
        options: WaitOptions,
    ) -> Result<BillingOperation, Error> {
        let operation = crate::ingestion::poll(
            options,
            || self.operation(location),
            |operation: &BillingOperation| !matches!(operation.state(), OperationState::Running),
            |operation| {
                format!(
                    "export {} is still running; read its operation later",
                    operation.id
                )
            },
        )
        .await?;
        if operation.state() != OperationState::Failed {
            return Ok(operation);
        }
        let error = operation.error.clone().unwrap_or_default();
        Err(Error::Api {
            status: 200,
            code: error.code.clone(),
            description: format!(
                "export {} failed: {}",
                operation.id,
                error.message.as_deref().unwrap_or("no reason given")
            ),
            fault: None,
            request_id: String::new(),
            correlation_id: String::new(),
        })
    }

    /// The manifest of a succeeded export: its files, and the SAS token that reads them.
    pub async fn manifest(&self, done: &BillingOperation) -> Result<Manifest, Error> {
        let link = done.resource_location.as_deref().ok_or_else(|| {
            Error::Config(format!(
                "operation {} names no manifest: it has not succeeded",
                done.id
            ))
        })?;
        self.pc.graph_api().get(link).await
    }
}

/// Records a page holds when an export's blobs are read page by page.
const RECORDS_PER_PAGE: usize = 2000;

/// Where in an export's files a read is: blob `blob`, after `line` records.
fn position(from: &Cursor) -> (usize, u64) {
    let get = |name: &str| {
        from.headers
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    (
        usize::try_from(get("blob")).unwrap_or(usize::MAX),
        get("line"),
    )
}

fn at(location: &str, blob: usize, line: u64) -> Cursor {
    let mut cursor = Cursor::first(location);
    cursor.headers = vec![
        ("blob".to_owned(), blob.to_string()),
        ("line".to_owned(), line.to_string()),
    ];
    cursor
}

type Lines = std::io::Lines<std::io::BufReader<flate2::read::GzDecoder<std::fs::File>>>;

struct Reading {
    manifest: Manifest,
    location: String,
    http: reqwest::Client,
    scratch: PathBuf,
    blob: usize,
    line: u64,
    lines: Option<Lines>,
    /// Blobs downloaded to their scratch files, not yet read to the end.
    fetched: Vec<usize>,
}

impl BillingReports {
    /// Where a read of operation `location`'s files starts (the first record of the
    /// first blob), for [`records`](Self::records) and an export's checkpoint.
    pub fn records_from(location: &str) -> Cursor {
        at(location, 0, 0)
    }

    /// The records of a succeeded export, 2,000 a page, from `from`: the blobs are read
    /// with the manifest's SAS token and no bearer token (as from Azure Storage), four at
    /// a time in parallel, each streamed to its own scratch file beside `scratch`
    /// (`<scratch>.<n>`, removed once read), and decompressed as it is read, so memory
    /// holds one page.
    pub fn records(
        &self,
        manifest: Manifest,
        from: Cursor,
        scratch: PathBuf,
    ) -> Pages<Box<RawValue>> {
        let (blob, line) = position(&from);
        let state = Reading {
            manifest,
            location: from.uri,
            http: self.pc.transport().http_client().clone(),
            scratch,
            blob,
            line,
            lines: None,
            fetched: Vec::new(),
        };
        Box::pin(futures_util::stream::try_unfold(
            state,
            |mut state| async move {
                loop {
                    if state.blob >= state.manifest.blobs.len() {
                        let _ = tokio::fs::remove_file(&state.scratch).await;
                        return Ok(None);
                    }
                    let lines = match state.lines.take() {
                        Some(lines) => lines,
                        None => open_blob(&mut state).await?,
                    };
                    let (lines, page) = tokio::task::spawn_blocking(move || read_page(lines))
                        .await
                        .map_err(|e| Error::Config(format!("reading a blob stopped: {e}")))??;
                    if page.is_empty() {
                        finish_blob(&mut state).await;
                        continue;
                    }
                    state.line += page.len() as u64;
                    let next = if page.len() < RECORDS_PER_PAGE {
                        finish_blob(&mut state).await;
                        (state.blob < state.manifest.blobs.len())
                            .then(|| at(&state.location, state.blob, 0))
                    } else {
                        state.lines = Some(lines);
                        Some(at(&state.location, state.blob, state.line))
                    };
                    return Ok(Some((Page::new(page, next), state)));
                }
            },
        ))
    }
}

/// How many blobs are downloaded at once, ahead of the one being read (to disk, not
/// memory).
const PARALLEL_BLOBS: usize = 4;

/// Blob `n`'s scratch file: `<scratch>.<n>`.
fn scratch_file(scratch: &std::path::Path, n: usize) -> PathBuf {
    let mut name = scratch.as_os_str().to_owned();
    name.push(format!(".{n}"));
    PathBuf::from(name)
}

/// Opens the current blob past the records read, downloading it first (with the next
/// few, in parallel) unless an earlier batch did.
async fn open_blob(state: &mut Reading) -> Result<Lines, Error> {
    let n = state.blob;
    if !state.fetched.contains(&n) {
        let last = (n + PARALLEL_BLOBS).min(state.manifest.blobs.len());
        let batch = (n..last).map(|m| fetch_blob(state, m));
        for result in futures_util::future::join_all(batch).await {
            state.fetched.push(result?);
        }
    }
    let (path, skip) = (scratch_file(&state.scratch, n), state.line);
    let name = state.manifest.blobs[n].name.clone();
    tokio::task::spawn_blocking(move || {
        use std::io::BufRead as _;
        let file = std::fs::File::open(&path)?;
        let mut lines = std::io::BufReader::new(flate2::read::GzDecoder::new(file)).lines();
        for _ in 0..skip {
            if lines.next().transpose()?.is_none() {
                break;
            }
        }
        Ok::<_, std::io::Error>(lines)
    })
    .await
    .map_err(|e| Error::Config(format!("opening a blob stopped: {e}")))?
    .map_err(|e| Error::Config(format!("blob {name} is unreadable: {e}")))
}

/// Downloads blob `n` to its scratch file, retrying: answers `n`.
async fn fetch_blob(state: &Reading, n: usize) -> Result<usize, Error> {
    let blob = &state.manifest.blobs[n];
    let root = state.manifest.root_directory.as_deref().unwrap_or_default();
    #[allow(clippy::disallowed_methods)]
    // reason: the SAS token goes on the wire to read the blob, as a bearer token would
    let sas = state
        .manifest
        .sas_token
        .as_ref()
        .map(|s| s.expose_secret().to_owned())
        .unwrap_or_default();
    let url = format!("{}/{}?{sas}", root.trim_end_matches('/'), blob.name);
    let path = scratch_file(&state.scratch, n);
    let mut last = String::new();
    for attempt in 0..5u32 {
        if attempt > 0 {
            tokio::time::sleep(Duration::from_millis(100 << attempt)).await;
        }
        match download(&state.http, &url, &path).await {
            Ok(()) => return Ok(n),
            Err(Fetch::Refused(status)) => {
                return Err(Error::Api {
                    status,
                    code: None,
                    description: format!(
                        "blob {} was refused (HTTP {status}): the export's SAS token may have expired; run it again",
                        blob.name
                    ),
                    fault: None,
                    request_id: String::new(),
                    correlation_id: String::new(),
                });
            }
            Err(Fetch::Retry(why)) => last = why,
        }
    }
    Err(Error::Transient {
        status: None,
        message: format!(
            "blob {} could not be read after 5 attempts: {last}",
            blob.name
        ),
        network: None,
        attempts: 5,
        request_id: String::new(),
        correlation_id: String::new(),
    })
}

/// Leaves the blob read to its end: its scratch file goes; the next blob's turn.
async fn finish_blob(state: &mut Reading) {
    let n = state.blob;
    state.fetched.retain(|m| *m != n);
    let _ = tokio::fs::remove_file(scratch_file(&state.scratch, n)).await;
    state.blob += 1;
    state.line = 0;
}

enum Fetch {
    Refused(u16),
    Retry(String),
}

/// One GET of a blob, its body streamed to `path`.
async fn download(http: &reqwest::Client, url: &str, path: &std::path::Path) -> Result<(), Fetch> {
    use tokio::io::AsyncWriteExt as _;
    let mut response = http
        .get(url)
        .send()
        .await
        // Without the URL: it carries the SAS token.
        .map_err(|e| Fetch::Retry(e.without_url().to_string()))?;
    let status = response.status();
    if status.as_u16() == 429 || status.is_server_error() {
        return Err(Fetch::Retry(format!("HTTP {status}")));
    }
    if !status.is_success() {
        return Err(Fetch::Refused(status.as_u16()));
    }
    let failed = |e: std::io::Error| Fetch::Retry(format!("writing {}: {e}", path.display()));
    let mut file = tokio::fs::File::create(path).await.map_err(failed)?;
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| Fetch::Retry(format!("the blob broke off: {}", e.without_url())))?
    {
        file.write_all(&chunk).await.map_err(failed)?;
    }
    file.flush().await.map_err(failed)
}

/// Up to a page of records from `lines` (each a JSON text), and the reader to go on.
fn read_page(mut lines: Lines) -> Result<(Lines, Vec<Box<RawValue>>), Error> {
    let mut page = Vec::with_capacity(RECORDS_PER_PAGE);
    while page.len() < RECORDS_PER_PAGE {
        let Some(line) = lines.next() else { break };
        let line = line.map_err(|e| Error::Config(format!("a blob is unreadable: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let record = RawValue::from_string(line).map_err(|e| Error::Decode {
            status: 200,
            reason: format!("a blob holds a line that is not JSON: {e}"),
            excerpt: String::new(),
            request_id: String::new(),
            correlation_id: String::new(),
        })?;
        page.push(record);
    }
    Ok((lines, page))
}
