//! `submissions`: a product's submissions: create, promote, watch.

use std::io::IsTerminal;
use std::time::Duration;

use clap::Subcommand;
use futures_util::TryStreamExt;
use partner_center::ingestion::{PublishError, WaitOptions};
use partner_center::models::ingestion::Submission;
use serde_json::json;

use crate::output::{self, Format, Shape, opt, outln, print_item, print_list};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// A product's submissions: create, promote, watch.
    #[command(subcommand)]
    Submissions(SubmissionsCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        match self {
            Command::Submissions(command) => submissions(ctx, command).await,
        }
    }
}

#[derive(Subcommand, Debug)]
pub(crate) enum SubmissionsCommand {
    /// List a product's submissions.
    List {
        /// The product id.
        #[arg(long)]
        product: String,
    },
    /// Get one submission.
    Get {
        /// The product id.
        #[arg(long)]
        product: String,
        /// The submission id.
        id: String,
    },
    /// Submit the product's current drafts (found through its branches).
    Create {
        /// The product id.
        #[arg(long)]
        product: String,
        /// preview or live.
        #[arg(long, default_value = "preview", value_parser = ["preview", "live"])]
        target: String,
    },
    /// Promote a submission that is ready to publish to live.
    Promote {
        /// The product id.
        #[arg(long)]
        product: String,
        /// The submission id.
        id: String,
    },
    /// Follow a submission until it is ready, published or failed.
    Watch {
        /// The product id.
        #[arg(long)]
        product: String,
        /// The submission id.
        id: String,
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 7200)]
        timeout: u64,
        /// The first polling interval, in milliseconds.
        #[arg(long, default_value_t = 2000)]
        interval_ms: u64,
    },
}

fn submission_row(s: &Submission) -> Vec<String> {
    vec![
        s.id.clone(),
        opt(s.target()),
        s.state.as_ref().map_or("-".to_owned(), ToString::to_string),
        s.substate
            .as_ref()
            .map_or("-".to_owned(), ToString::to_string),
        s.release_number.map_or("-".to_owned(), |n| n.to_string()),
    ]
}

const SUBMISSION_HEADERS: [&str; 5] = ["ID", "TARGET", "STATE", "SUBSTATE", "RELEASE"];

pub(crate) async fn submissions(ctx: &Context, command: SubmissionsCommand) -> Result<(), Failure> {
    let pc = ctx.client()?;
    // A list prints an array; a get, a create or a promotion, the object.
    let one = match command {
        SubmissionsCommand::List { product } => {
            let items: Vec<Submission> = pc
                .ingestion()
                .product(&product)
                .submissions()
                .list()
                .try_collect()
                .await?;
            print_list(ctx.format, &items, &SUBMISSION_HEADERS, submission_row);
            return Ok(());
        }
        SubmissionsCommand::Get { product, id } => {
            pc.ingestion()
                .product(&product)
                .submissions()
                .get(&id)
                .await?
        }
        SubmissionsCommand::Create { product, target } => {
            let handle = pc.ingestion().product(&product);
            let drafts = handle.drafts().await?;
            let target = if target == "live" { "Live" } else { "Preview" };
            handle.submit(&drafts, target).await?
        }
        SubmissionsCommand::Promote { product, id } => {
            // The service answers the workflow; the submission is what this prints.
            let submissions = pc.ingestion().product(&product).submissions();
            submissions.promote(&id).await?;
            submissions.get(&id).await?
        }
        SubmissionsCommand::Watch {
            product,
            id,
            timeout,
            interval_ms,
        } => {
            return watch(ctx.format, &pc, &product, &id, timeout, interval_ms).await;
        }
    };
    print_item(ctx.format, &one, &SUBMISSION_HEADERS, submission_row);
    Ok(())
}

/// Shows each transition as it happens: a line on a terminal, a JSON line with `-o json`.
async fn watch(
    format: Format,
    pc: &partner_center::PartnerCenter,
    product: &str,
    id: &str,
    timeout: u64,
    interval_ms: u64,
) -> Result<(), Failure> {
    let interval = Duration::from_millis(interval_ms.max(10));
    let options = WaitOptions::default()
        .intervals(interval, interval * 30)
        .timeout(Duration::from_secs(timeout));
    let terminal = std::io::stdout().is_terminal();
    let progress =
        crate::progress::Progress::start("{spinner} waiting for the submission {elapsed} {msg}");
    let result = pc
        .ingestion()
        .product(product)
        .wait(id, options, |s| progress.suspend(|| match format.shape() {
            Shape::Data => output::emit_event(
                format,
                &json!({"id": s.id, "state": s.state, "substate": s.substate, "target": s.target()}),
            ),
            Shape::Table => {
                let sub = s
                    .substate
                    .as_ref()
                    .map_or("-".to_owned(), ToString::to_string);
                if terminal {
                    outln!(
                        "{}  submission {} → {sub}",
                        humantime::format_rfc3339_seconds(partner_center::auth::Clock::now(
                            &partner_center::auth::SystemClock
                        )),
                        s.id
                    );
                } else {
                    outln!("submission {} → {sub}", s.id);
                }
            }
        }))
        .await;
    drop(progress);
    match result {
        Ok(_) => Ok(()),
        Err(PublishError::Api(e)) => Err(e.into()),
        Err(PublishError::Failed {
            submission,
            validations,
        }) => {
            if format.is_data() {
                // One more event, like the transitions before it.
                output::emit_event(
                    format,
                    &json!({"id": submission.id, "substate": submission.substate, "validations": validations}),
                );
            } else {
                for v in &validations {
                    outln!("  {v:#}");
                }
            }
            Err(Failure {
                code: 4,
                message: format!("submission {} failed: {} validation item(s)", submission.id, validations.len()),
                hint: Some("fix the resources named above in their draft instances, then create a new submission".to_owned()),
                ids: Vec::new(),
            })
        }
        Err(e @ PublishError::TimedOut { .. }) => Err(Failure {
            code: 5,
            message: e.to_string(),
            hint: None,
            ids: Vec::new(),
        }),
        Err(e) => Err(Failure {
            code: 1,
            message: e.to_string(),
            hint: None,
            ids: Vec::new(),
        }),
    }
}
