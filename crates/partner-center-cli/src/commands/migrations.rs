//! `migrations`: moving a customer's legacy subscriptions to new commerce.

use std::time::Duration;

use clap::{Args, Subcommand};
use partner_center::ingestion::WaitOptions;
use partner_center::models::{
    BillingCycle, MigrationEvent, MigrationStatus, NewCommerceEligibility, NewCommerceMigration,
};

use crate::output::{opt, print_list, print_one};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Move legacy subscriptions to new commerce: validate, create, get, events.
    #[command(subcommand)]
    Migrations(MigrationsCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        match self {
            Command::Migrations(command) => migrations(ctx, command).await,
        }
    }
}

/// What a migration asks for.
#[derive(Args, Debug)]
pub(crate) struct Target {
    /// The customer id.
    #[arg(long)]
    customer: String,
    /// The legacy subscription id.
    subscription: String,
    /// The new term (default: the legacy one).
    #[arg(long, value_parser = ["P1M", "P1Y", "P3Y"])]
    term: Option<String>,
    /// The new billing cycle (default: the legacy one).
    #[arg(long, value_parser = ["monthly", "annual"])]
    billing: Option<String>,
    /// The new quantity (default: the legacy one).
    #[arg(long)]
    quantity: Option<u32>,
    /// Start a new full term (default: keep the legacy term's end).
    #[arg(long)]
    full_term: bool,
}

impl Target {
    fn migration(&self) -> NewCommerceMigration {
        let mut m = NewCommerceMigration::of(&self.subscription);
        m.term_duration.clone_from(&self.term);
        // clap admits only `monthly` and `annual`; parsing a billing cycle never fails.
        m.billing_cycle = self.billing.as_deref().map(|b| {
            b.parse::<BillingCycle>()
                .unwrap_or_else(|never| match never {})
        });
        m.quantity = self.quantity;
        if self.full_term {
            m.purchase_full_term = Some(true);
        }
        m
    }
}

#[derive(Subcommand, Debug)]
pub(crate) enum MigrationsCommand {
    /// Whether a legacy subscription can move to new commerce, and into what.
    Validate(Target),
    /// Move a legacy subscription to new commerce (the legacy one is cancelled).
    Create {
        #[command(flatten)]
        target: Target,
        /// Wait until it has completed (or failed).
        #[arg(long)]
        wait: bool,
        /// With --wait: give up after this many seconds (exit 5).
        #[arg(long, default_value_t = 900)]
        timeout: u64,
    },
    /// One migration.
    Get {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The migration id.
        id: String,
    },
    /// The steps of a migration.
    Events {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The migration id.
        id: String,
    },
}

fn print_migration(ctx: &Context, m: &NewCommerceMigration) {
    print_one(
        ctx.format,
        m,
        vec![
            ("id", opt(m.id.as_deref())),
            (
                "status",
                m.status
                    .as_ref()
                    .map_or("-".to_owned(), ToString::to_string),
            ),
            ("from", m.current_subscription_id.clone()),
            ("item", opt(m.catalog_item_id.as_deref())),
            (
                "subscription",
                opt(m.new_commerce_subscription_id.as_deref()),
            ),
            ("order", opt(m.new_commerce_order_id.as_deref())),
            ("term", opt(m.term_duration.as_deref())),
            ("ends", opt(m.subscription_end_date.as_deref())),
        ],
    );
}

async fn migrations(ctx: &Context, command: MigrationsCommand) -> Result<(), Failure> {
    let pc = ctx.client()?;
    match command {
        MigrationsCommand::Validate(target) => {
            let answer = pc
                .customer(&target.customer)
                .migrations()
                .validate(&target.migration())
                .await?;
            print_eligibility(ctx, &answer);
        }
        MigrationsCommand::Create {
            target,
            wait,
            timeout,
        } => {
            let migrations = pc.customer(&target.customer).migrations();
            let mut m = migrations.create(&target.migration()).await?;
            if wait {
                let options = WaitOptions::default()
                    .intervals(Duration::from_secs(1), Duration::from_secs(15))
                    .timeout(Duration::from_secs(timeout));
                let _progress = crate::progress::Progress::start(
                    "{spinner} waiting for the migration {elapsed} {msg}",
                );
                m = migrations
                    .wait(m.id.as_deref().unwrap_or_default(), options)
                    .await?;
            }
            print_migration(ctx, &m);
            if m.status == Some(MigrationStatus::Failed) {
                return Err(Failure {
                    code: 4,
                    message: format!(
                        "migration {} failed; `migrations events` shows its steps",
                        opt(m.id.as_deref())
                    ),
                    hint: None,
                    ids: Vec::new(),
                });
            }
        }
        MigrationsCommand::Get { customer, id } => {
            let m = pc.customer(&customer).migrations().get(&id).await?;
            print_migration(ctx, &m);
        }
        MigrationsCommand::Events { customer, id } => {
            let events = pc.customer(&customer).migrations().events(&id).await?;
            print_list(
                ctx.format,
                &events,
                &["TIME", "EVENT", "SUBSCRIPTION"],
                |e: &MigrationEvent| {
                    vec![
                        opt(e.created_time.as_deref()),
                        opt(e.event_name.as_deref()),
                        opt(e.current_subscription_id.as_deref()),
                    ]
                },
            );
        }
    }
    Ok(())
}

fn print_eligibility(ctx: &Context, e: &NewCommerceEligibility) {
    let reasons: Vec<String> = e
        .errors
        .iter()
        .flatten()
        .map(|r| {
            format!(
                "{}: {}",
                r.code.map_or("-".to_owned(), |c| c.to_string()),
                opt(r.description.as_deref())
            )
        })
        .collect();
    print_one(
        ctx.format,
        e,
        vec![
            ("subscription", e.current_subscription_id.clone()),
            ("eligible", e.is_eligible.to_string()),
            ("item", opt(e.catalog_item_id.as_deref())),
            ("term", opt(e.term_duration.as_deref())),
            (
                "billing",
                e.billing_cycle
                    .as_ref()
                    .map_or("-".to_owned(), ToString::to_string),
            ),
            (
                "why not",
                if reasons.is_empty() {
                    "-".to_owned()
                } else {
                    reasons.join("; ")
                },
            ),
        ],
    );
}
