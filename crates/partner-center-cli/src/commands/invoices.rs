//! `invoices`: invoices, the balance, statement PDFs, line items, and exports to files.

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Subcommand, ValueEnum};
use futures_util::TryStreamExt as _;
use partner_center::export::{ExportError, ExportFormat, LineItemExport};
use partner_center::ingestion::WaitOptions;
use partner_center::models::graph::{ExportRequest, GraphBillingPeriod};
use partner_center::models::{Invoice, InvoiceLineItem, InvoiceSummary};
use partner_center::{
    BillingPeriod, BillingReports, Invoices, LineItemType, Provider, ReportKind, line_item_kind,
};

use crate::output::{Format, collect, opt, outln, print_list, print_one};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Invoices, the balance, statement PDFs, line items, exports.
    #[command(subcommand)]
    Invoices(InvoicesCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        match self {
            Command::Invoices(command) => invoices(ctx, command).await,
        }
    }
}

/// `--provider`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ProviderArg {
    /// New commerce, marketplace, Azure plan.
    Onetime,
    /// Legacy licence-based.
    Office,
    /// Legacy Azure.
    Azure,
    /// Marketplace.
    Marketplace,
}

impl From<ProviderArg> for Provider {
    fn from(p: ProviderArg) -> Self {
        match p {
            ProviderArg::Onetime => Provider::OneTime,
            ProviderArg::Office => Provider::Office,
            ProviderArg::Azure => Provider::Azure,
            ProviderArg::Marketplace => Provider::Marketplace,
        }
    }
}

/// `--type`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum TypeArg {
    /// Charges (billing line items).
    Billing,
    /// Rated daily usage (usage line items).
    Usage,
}

impl From<TypeArg> for LineItemType {
    fn from(t: TypeArg) -> Self {
        match t {
            TypeArg::Billing => LineItemType::Billing,
            TypeArg::Usage => LineItemType::Usage,
        }
    }
}

/// `--period`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum PeriodArg {
    /// The period in progress.
    Current,
    /// The one before it.
    Previous,
}

/// `--format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum FileFormat {
    /// CSV with a header row.
    Csv,
    /// JSON Lines.
    Jsonl,
}

#[derive(Subcommand, Debug)]
pub(crate) enum InvoicesCommand {
    /// List the invoices.
    List,
    /// One invoice (App+User credentials).
    Get {
        /// The invoice id.
        id: String,
    },
    /// The balance; with --all-currencies, one per billing currency (App+User credentials).
    Summary {
        /// Every billing currency.
        #[arg(long)]
        all_currencies: bool,
    },
    /// Save an invoice's statement PDF (App+User credentials).
    Pdf {
        /// The invoice id.
        id: String,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// An invoice's line items.
    LineItems {
        /// The invoice id.
        id: String,
        /// Who bills them.
        #[arg(long, value_enum)]
        provider: ProviderArg,
        /// Billing or usage line items.
        #[arg(long = "type", value_enum, default_value = "billing")]
        kind: TypeArg,
    },
    /// Write every line item of an invoice, or of an unbilled period, to a file, in
    /// constant memory; run it again after an interruption to resume.
    Export {
        /// The invoice id (or --unbilled).
        #[arg(required_unless_present = "unbilled", conflicts_with = "unbilled")]
        invoice: Option<String>,
        /// The unbilled line items of --period instead.
        #[arg(long)]
        unbilled: bool,
        /// With --unbilled: which period.
        #[arg(long, value_enum, default_value = "current", requires = "unbilled")]
        period: PeriodArg,
        /// With --unbilled: the billing currency.
        #[arg(long, default_value = "usd", requires = "unbilled")]
        currency: String,
        /// Who bills them.
        #[arg(long, value_enum)]
        provider: ProviderArg,
        /// Billing or usage line items.
        #[arg(long = "type", value_enum, default_value = "billing")]
        kind: TypeArg,
        /// csv or jsonl.
        #[arg(long, value_enum, default_value = "csv")]
        format: FileFormat,
        /// The file to write.
        #[arg(long)]
        out: PathBuf,
        /// Through Microsoft Graph's asynchronous export (billed or unbilled
        /// reconciliation and usage), which Microsoft recommends for large volumes.
        #[arg(long)]
        graph: bool,
        /// With --graph: give up waiting for the export after this many seconds (exit 5).
        #[arg(long, default_value_t = 900, requires = "graph")]
        timeout: u64,
    },
}

fn invoice_row(i: &Invoice) -> Vec<String> {
    vec![
        i.id.clone(),
        opt(i.invoice_date.as_deref().and_then(|d| d.get(..10))),
        opt(i.invoice_type.as_deref()),
        i.total_charges
            .as_ref()
            .map_or("-".to_owned(), ToString::to_string),
        opt(i.currency_code.as_deref()),
    ]
}

const INVOICE_HEADERS: [&str; 5] = ["ID", "DATE", "TYPE", "TOTAL", "CURRENCY"];

fn summary_row(s: &InvoiceSummary) -> Vec<String> {
    vec![
        s.balance_amount
            .as_ref()
            .map_or("-".to_owned(), ToString::to_string),
        opt(s.currency_code.as_deref()),
        opt(s.latest_invoice_date.as_deref().and_then(|d| d.get(..10))),
    ]
}

async fn invoices(ctx: &Context, command: InvoicesCommand) -> Result<(), Failure> {
    let pc = ctx.client()?;
    let invoices = pc.invoices();
    match command {
        InvoicesCommand::List => {
            let items = collect(invoices.list()).await?;
            print_list(ctx.format, &items, &INVOICE_HEADERS, invoice_row);
        }
        InvoicesCommand::Get { id } => {
            let i = invoices.get(&id).await?;
            let row = invoice_row(&i);
            let fields = INVOICE_HEADERS
                .iter()
                .map(|h| h.to_ascii_lowercase())
                .zip(row)
                .collect::<Vec<_>>();
            let fields = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect();
            print_one(ctx.format, &i, fields);
        }
        InvoicesCommand::Summary { all_currencies } => {
            let headers = ["BALANCE", "CURRENCY", "LATEST INVOICE"];
            if all_currencies {
                let items = collect(invoices.summaries()).await?;
                print_list(ctx.format, &items, &headers, summary_row);
            } else {
                let s = invoices.summary().await?;
                let fields = headers
                    .iter()
                    .map(|h| h.to_ascii_lowercase())
                    .zip(summary_row(&s))
                    .collect::<Vec<_>>();
                let fields = fields
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.clone()))
                    .collect();
                print_one(ctx.format, &s, fields);
            }
        }
        InvoicesCommand::Pdf { id, out } => pdf(ctx, &invoices, &id, &out).await?,
        InvoicesCommand::LineItems { id, provider, kind } => {
            let items = invoices.line_items(&id, provider.into(), kind.into());
            line_items(ctx, items).await?;
        }
        InvoicesCommand::Export {
            invoice,
            unbilled: _,
            period,
            currency,
            provider,
            kind,
            format,
            out,
            graph,
            timeout,
        } => {
            let (provider, kind): (Provider, LineItemType) = (provider.into(), kind.into());
            let from = match &invoice {
                Some(id) => Invoices::line_items_from(id, provider, kind),
                None => {
                    let period = match period {
                        PeriodArg::Current => BillingPeriod::Current,
                        PeriodArg::Previous => BillingPeriod::Previous,
                    };
                    if provider != Provider::OneTime {
                        return Err(Failure::usage(
                            "unbilled line items are listed for --provider onetime only",
                        ));
                    }
                    Invoices::unbilled_from(kind, &currency, period)
                }
            };
            let format = match format {
                FileFormat::Csv => ExportFormat::Csv,
                FileFormat::Jsonl => ExportFormat::JsonLines,
            };
            let line_kind = line_item_kind(provider, kind);
            // A spinner with the count on stderr, only on a terminal.
            let bar = crate::progress::Progress::start(
                "{spinner} exported {pos} rows ({per_sec}) {elapsed} {msg}",
            );
            let progress = |rows| bar.set_position(rows);
            let (_export, report) = if graph {
                let period = match period {
                    PeriodArg::Current => GraphBillingPeriod::Current,
                    PeriodArg::Previous => GraphBillingPeriod::Last,
                };
                let (report_kind, request) = match (&invoice, kind) {
                    (Some(id), LineItemType::Billing) => {
                        (ReportKind::BilledReconciliation, ExportRequest::billed(id))
                    }
                    (Some(id), _) => (ReportKind::BilledUsage, ExportRequest::billed(id)),
                    (None, LineItemType::Billing) => (
                        ReportKind::UnbilledReconciliation,
                        ExportRequest::unbilled(period, &currency.to_ascii_uppercase()),
                    ),
                    (None, _) => (
                        ReportKind::UnbilledUsage,
                        ExportRequest::unbilled(period, &currency.to_ascii_uppercase()),
                    ),
                };
                let options = WaitOptions::default()
                    .intervals(Duration::from_secs(1), Duration::from_secs(30))
                    .timeout(Duration::from_secs(timeout));
                graph_export(
                    &pc,
                    report_kind,
                    &request,
                    line_kind,
                    format,
                    &out,
                    options,
                    progress,
                )
                .await?
            } else {
                let export = LineItemExport::new(from, line_kind, format, &out);
                let report = export
                    .run(|cursor| invoices.raw_pages(cursor), progress)
                    .await
                    .map_err(|e| export_failure(e, &export))?;
                (export, report)
            };

            drop(bar);
            if std::io::stderr().is_terminal() {
                eprintln!("exported {} rows to {}", report.rows, out.display());
            }
            let summary = serde_json::json!({
                "out": out.display().to_string(),
                "rows": report.rows,
                "resumed": report.resumed,
            });
            print_one(
                ctx.format,
                &summary,
                vec![
                    ("out", out.display().to_string()),
                    ("rows", report.rows.to_string()),
                    ("resumed", report.resumed.to_string()),
                ],
            );
        }
    }
    Ok(())
}

/// An export through Microsoft Graph: the operation an unfinished export into `out`
/// recorded (the same request), or a new one; its files, read page by page.
#[allow(clippy::too_many_arguments)] // reason: the export's every choice, from the flags
async fn graph_export(
    pc: &partner_center::PartnerCenter,
    report_kind: ReportKind,
    request: &ExportRequest,
    line_kind: partner_center::models::LineItemKind,
    format: ExportFormat,
    out: &std::path::Path,
    options: WaitOptions,
    progress: impl FnMut(u64),
) -> Result<(LineItemExport, partner_center::export::ExportReport), Failure> {
    let reports = pc.billing_reports();
    // The source names the request too, so another export into the same file is refused.
    let asked = format!(
        "{report_kind:?}:{}",
        serde_json::to_string(request).unwrap_or_default()
    );
    let recorded = LineItemExport::recorded_source(out)
        .await
        .map_err(|e| Failure::usage(e.to_string()))?;
    let location = match recorded.as_deref().and_then(|s| s.split_once('#')) {
        Some((location, what)) if what == asked => location.to_owned(),
        _ => reports.start(report_kind, request).await?,
    };
    let waiting = crate::progress::Progress::start(
        "{spinner} waiting for the billing export {elapsed} {msg}",
    );
    let done = reports.wait(&location, options).await?;
    drop(waiting);
    let manifest = reports.manifest(&done).await?;
    let mut scratch = out.as_os_str().to_owned();
    scratch.push(".blob");
    let scratch = PathBuf::from(scratch);
    let from = BillingReports::records_from(&format!("{location}#{asked}"));
    let export = LineItemExport::new(from, line_kind, format, out);
    let report = export
        .run(
            |cursor| reports.records(manifest.clone(), cursor, scratch.clone()),
            progress,
        )
        .await
        .map_err(|e| export_failure(e, &export))?;
    Ok((export, report))
}

fn export_failure(e: ExportError, export: &LineItemExport) -> Failure {
    let progress = export.checkpoint_path();
    match e {
        ExportError::Api(e) => {
            let transient = matches!(e, partner_center::Error::Transient { .. });
            let mut failure = Failure::from(e);
            failure.hint = Some(if transient {
                format!(
                    "run the same command again to resume: {} records where it stopped",
                    progress.display()
                )
            } else {
                format!(
                    "the rows so far are kept; once the cause is fixed, run the command again, or remove {} to start over",
                    progress.display()
                )
            });
            failure
        }
        ExportError::Data { .. } => Failure {
            code: 6,
            message: e.to_string(),
            hint: Some(format!(
                "running again meets the same page; remove {} to start over",
                progress.display()
            )),
            ids: Vec::new(),
        },
        other => Failure::usage(other.to_string()),
    }
}

/// Writes the statement to a temporary file beside `out`, renamed over it when complete.
async fn pdf(
    ctx: &Context,
    invoices: &Invoices,
    id: &str,
    out: &std::path::Path,
) -> Result<(), Failure> {
    let mut partial = out.as_os_str().to_owned();
    partial.push(".part");
    let partial = PathBuf::from(partial);
    let cannot =
        |e: std::io::Error| Failure::usage(format!("cannot write {}: {e}", partial.display()));
    let mut file = tokio::fs::File::create(&partial).await.map_err(cannot)?;
    let written = invoices.statement(id, &mut file).await;
    drop(file);
    let statement = match written {
        Ok(s) => s,
        Err(e) => {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(e.into());
        }
    };
    tokio::fs::rename(&partial, out).await.map_err(|e| {
        Failure::usage(format!(
            "cannot move {} to {}: {e}",
            partial.display(),
            out.display()
        ))
    })?;
    let summary = serde_json::json!({
        "out": out.display().to_string(),
        "bytes": statement.bytes,
        "fileName": statement.file_name,
    });
    print_one(
        ctx.format,
        &summary,
        vec![
            ("out", out.display().to_string()),
            ("bytes", statement.bytes.to_string()),
            ("service name", opt(statement.file_name.as_deref())),
        ],
    );
    Ok(())
}

/// Line items: `-o json` streams one array and `-o jsonl` a line per item, a page at a
/// time; the table reads them all.
async fn line_items(
    ctx: &Context,
    mut items: partner_center::Paged<InvoiceLineItem>,
) -> Result<(), Failure> {
    match ctx.format {
        Format::Json if !crate::output::querying() => {
            let mut first = true;
            outln!("[");
            while let Some(item) = items.try_next().await? {
                let comma = if first { "" } else { "," };
                first = false;
                outln!(
                    "{comma}{}",
                    serde_json::to_string(&item).unwrap_or_default()
                );
            }
            outln!("]");
        }
        Format::Jsonl if !crate::output::querying() => {
            while let Some(item) = items.try_next().await? {
                outln!("{}", serde_json::to_string(&item).unwrap_or_default());
            }
        }
        _ => {
            let all = collect(items).await?;
            print_list(
                ctx.format,
                &all,
                &[
                    "CUSTOMER",
                    "SUBSCRIPTION",
                    "CHARGE",
                    "QUANTITY",
                    "PRE-TAX",
                    "CURRENCY",
                ],
                |i: &InvoiceLineItem| {
                    vec![
                        opt(i
                            .text("customerName")
                            .or_else(|| i.customer_id())
                            .as_deref()),
                        opt(i.subscription_id().as_deref()),
                        opt(i.charge_type().as_deref()),
                        opt(i.text("quantity").as_deref()),
                        i.pre_tax_total()
                            .map_or("-".to_owned(), |t| format!("{t:.2}")),
                        opt(i.currency().as_deref()),
                    ]
                },
            );
        }
    }
    Ok(())
}
