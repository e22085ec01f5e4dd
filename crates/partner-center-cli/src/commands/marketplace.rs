//! `marketplace`: offers as code on the Product Ingestion API — export a product to a
//! file, see what a file would change, apply it, publish, follow jobs.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use partner_center::ingestion::WaitOptions;
use partner_center::models::product_ingestion::{
    ConfigureError, ConfigureRequest, ConfigureStatus, OfferChange, Resource, TargetType,
};

use crate::output::{Format, collect, emit, opt, outln, print_list, print_one, read_json};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Marketplace offers as code (the Product Ingestion API): export, diff, apply,
    /// publish, jobs.
    #[command(subcommand)]
    Marketplace(MarketplaceCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        let Command::Marketplace(command) = self;
        marketplace(ctx, command).await
    }
}

/// `--target`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum TargetArg {
    /// The draft being edited.
    Draft,
    /// Published to the preview audience.
    Preview,
    /// Published to the marketplace.
    Live,
}

impl From<TargetArg> for TargetType {
    fn from(t: TargetArg) -> Self {
        match t {
            TargetArg::Draft => Self::Draft,
            TargetArg::Preview => Self::Preview,
            TargetArg::Live => Self::Live,
        }
    }
}

#[derive(Subcommand, Debug)]
pub(crate) enum MarketplaceCommand {
    /// The partner's products on the Product Ingestion API.
    #[command(subcommand)]
    Products(ProductsCommand),
    /// Write a product as a configure payload (stdout): no ids, references by external
    /// id, a stable order. Redirect it to a file to keep the offer as code.
    Export {
        /// The product: its offer id (external id), `product/<guid>` or the guid.
        product: String,
        /// Which state.
        #[arg(long, value_enum, default_value = "draft")]
        target: TargetArg,
    },
    /// What applying FILE would change in its product's draft (nothing: no output).
    Diff {
        /// The configure payload.
        file: PathBuf,
    },
    /// Apply FILE to its product's draft (creating the product if it does not exist).
    Apply {
        /// The configure payload.
        file: PathBuf,
        /// Wait for the job and print what it wrote.
        #[arg(long)]
        wait: bool,
        /// Give up waiting after this many seconds (exit 5).
        #[arg(long, default_value_t = 1800)]
        timeout: u64,
    },
    /// Publish a product's draft to preview, or its preview to live.
    Publish {
        /// The product: its offer id, `product/<guid>` or the guid.
        product: String,
        /// Where to.
        #[arg(long, value_enum)]
        target: TargetArg,
        /// Wait for the job.
        #[arg(long)]
        wait: bool,
        /// Give up waiting after this many seconds (exit 5).
        #[arg(long, default_value_t = 1800)]
        timeout: u64,
    },
    /// Configure jobs.
    #[command(subcommand)]
    Jobs(JobsCommand),
}

#[derive(Subcommand, Debug)]
pub(crate) enum ProductsCommand {
    /// Every product (id, offer id, type, name).
    List,
}

#[derive(Subcommand, Debug)]
pub(crate) enum JobsCommand {
    /// A job's status and errors.
    Get {
        /// The job id.
        job: String,
    },
}

fn job_fields(s: &ConfigureStatus) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        ("job", s.job_id.clone()),
        ("status", s.job_status.to_string()),
        ("result", s.job_result.to_string()),
        ("started", opt(s.job_start.as_deref())),
        ("ended", opt(s.job_end.as_deref())),
    ];
    for line in s.errors.iter().flat_map(ConfigureError::lines) {
        fields.push(("error", line));
    }
    fields
}

fn read_offer(file: &std::path::Path) -> Result<ConfigureRequest, Failure> {
    let json = read_json(file)?;
    let bad = |what: String| {
        Failure::usage(format!(
            "{} is not a configure payload ({{\"$schema\": …/configure/<version>, \"resources\": […]}}): {what}",
            file.display()
        ))
    };
    // Each resource on its own, so that an error names which.
    for (i, r) in json["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Err(e) = serde_json::from_value::<Resource>(r.clone()) {
            let kind = r["$schema"].as_str().unwrap_or("no $schema");
            let name = r["resourceName"]
                .as_str()
                .map(|n| format!(" {n}"))
                .unwrap_or_default();
            return Err(bad(format!("resource {}{name} ({kind}): {e}", i + 1)));
        }
    }
    serde_json::from_value(json).map_err(|e| bad(e.to_string()))
}

fn wait_options(timeout: u64) -> WaitOptions {
    let mut options = WaitOptions::default();
    options.timeout = std::time::Duration::from_secs(timeout);
    options
}

async fn marketplace(ctx: &Context, command: MarketplaceCommand) -> Result<(), Failure> {
    let pc = ctx.client()?;
    let offers = pc.product_ingestion();
    match command {
        MarketplaceCommand::Products(ProductsCommand::List) => {
            let items = collect(offers.products()).await?;
            print_list(
                ctx.format,
                &items,
                &["ID", "OFFER ID", "TYPE", "NAME"],
                |r: &Resource| {
                    let json = r.to_json();
                    let text = |v: &serde_json::Value| v.as_str().unwrap_or("-").to_owned();
                    vec![
                        opt(r.id()),
                        text(&json["identity"]["externalId"]),
                        text(&json["type"]),
                        text(&json["alias"]),
                    ]
                },
            );
        }
        MarketplaceCommand::Export { product, target } => {
            let file = offers.export(&product, target.into()).await?;
            let value = serde_json::to_value(&file).unwrap_or_default();
            // The payload is JSON: a table shows it as JSON too (keep it in a file).
            let format = if ctx.format.is_data() {
                ctx.format
            } else {
                Format::Json
            };
            crate::output::emit(format, &value);
        }
        MarketplaceCommand::Diff { file } => {
            let wanted = read_offer(&file)?;
            let changes = offers.diff(&wanted).await?;
            print_changes(ctx, &changes);
        }
        MarketplaceCommand::Apply {
            file,
            wait,
            timeout,
        } => {
            let wanted = read_offer(&file)?;
            let Some(job) = offers.apply(&wanted).await? else {
                if !ctx.format.is_data() {
                    outln!(
                        "no changes: the product's draft is already as {} says",
                        file.display()
                    );
                } else {
                    emit(ctx.format, &serde_json::json!({"changes": 0}));
                }
                return Ok(());
            };
            finish(ctx, &offers, job, wait, timeout).await?;
        }
        MarketplaceCommand::Publish {
            product,
            target,
            wait,
            timeout,
        } => {
            if matches!(target, TargetArg::Draft) {
                return Err(Failure::usage("--target: publish to preview or live"));
            }
            let job = offers.publish(&product, target.into()).await?;
            finish(ctx, &offers, job, wait, timeout).await?;
        }
        MarketplaceCommand::Jobs(JobsCommand::Get { job }) => {
            let (status, _) = offers.status(&job).await?;
            print_one(ctx.format, &status, job_fields(&status));
        }
    }
    Ok(())
}

/// Prints a job, or waits for it (progress on stderr) and prints how it ended.
async fn finish(
    ctx: &Context,
    offers: &partner_center::ProductIngestion,
    job: ConfigureStatus,
    wait: bool,
    timeout: u64,
) -> Result<(), Failure> {
    if !wait {
        print_one(ctx.format, &job, job_fields(&job));
        return Ok(());
    }
    let mut last = String::new();
    let progress =
        crate::progress::Progress::start("{spinner} waiting for the job {elapsed} {msg}");
    let done = offers
        .wait(&job.job_id, wait_options(timeout), |s| {
            let now = format!("{} {}", s.job_status, s.job_result);
            if now != last {
                progress.line(&format!("job {}: {now}", s.job_id));
                last = now;
            }
        })
        .await?;
    drop(progress);
    let detail = offers.detail(&done.job_id).await?;
    if !ctx.format.is_data() {
        print_one(ctx.format, &done, job_fields(&done));
        for r in &detail.resources {
            outln!("{:<14} {} {}", "wrote", r.kind(), r.id().unwrap_or("-"));
        }
    } else {
        let mut value = serde_json::to_value(&done).unwrap_or_default();
        value["resources"] = serde_json::to_value(&detail.resources).unwrap_or_default();
        emit(ctx.format, &value);
    }
    Ok(())
}

fn print_changes(ctx: &Context, changes: &[OfferChange]) {
    let short = |v: &Option<serde_json::Value>| match v {
        None => "(none)".to_owned(),
        Some(v) => {
            let text = v.to_string();
            if text.chars().count() > 80 {
                format!("{}…", text.chars().take(80).collect::<String>())
            } else {
                text
            }
        }
    };
    if ctx.format.is_data() {
        let list: Vec<serde_json::Value> = changes
            .iter()
            .map(|c| match c {
                OfferChange::Added { key } => serde_json::json!({"change": "added", "resource": key}),
                OfferChange::Changed { key, fields } => serde_json::json!({"change": "changed", "resource": key,
                    "fields": fields.iter().map(|(name, before, after)| serde_json::json!({"field": name, "from": before, "to": after})).collect::<Vec<_>>()}),
                OfferChange::NotInFile { key } => serde_json::json!({"change": "not in file", "resource": key}),
                _ => serde_json::json!({"change": "other"}),
            })
            .collect();
        emit(ctx.format, &serde_json::Value::Array(list));
        return;
    }
    for change in changes {
        match change {
            OfferChange::Added { key } => outln!("+ {key}"),
            OfferChange::Changed { key, fields } => {
                outln!("~ {key}");
                for (name, before, after) in fields {
                    outln!("    {name}: {} → {}", short(before), short(after));
                }
            }
            OfferChange::NotInFile { key } => outln!("  {key} (not in the file: stays as it is)"),
            _ => {}
        }
    }
}
