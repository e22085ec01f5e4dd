//! `subscriptions`: a customer's subscriptions: list, get, update.

use clap::Subcommand;
use partner_center::models::{Subscription, SubscriptionStatus};

use crate::output::{collect, opt, print_list};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// A customer's subscriptions: list, get, update.
    #[command(subcommand)]
    Subscriptions(SubscriptionsCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        match self {
            Command::Subscriptions(command) => subscriptions(ctx, command).await,
        }
    }
}

#[derive(Subcommand, Debug)]
pub(crate) enum SubscriptionsCommand {
    /// List a customer's subscriptions.
    List {
        /// The customer id.
        #[arg(long)]
        customer: String,
    },
    /// Get one subscription.
    Get {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The subscription id.
        id: String,
    },
    /// Change quantity, status or auto-renewal.
    Update {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The subscription id.
        id: String,
        /// The new quantity.
        #[arg(long)]
        quantity: Option<u32>,
        /// active or suspended.
        #[arg(long, value_parser = ["active", "suspended"])]
        status: Option<String>,
        /// true or false.
        #[arg(long)]
        auto_renew: Option<bool>,
    },
    /// Cancel a subscription (new commerce: within seven days of purchase, with a refund).
    Cancel {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The subscription id.
        id: String,
    },
}

fn subscription_row(s: &Subscription) -> Vec<String> {
    vec![
        s.id.clone(),
        opt(s.offer_name.as_deref()),
        s.quantity.to_string(),
        s.status
            .as_ref()
            .map_or("-".to_owned(), ToString::to_string),
        s.auto_renew_enabled
            .map_or("-".to_owned(), |b| b.to_string()),
    ]
}

const SUB_HEADERS: [&str; 5] = ["ID", "OFFER", "QTY", "STATUS", "AUTO-RENEW"];

pub(crate) async fn subscriptions(
    ctx: &Context,
    command: SubscriptionsCommand,
) -> Result<(), Failure> {
    let pc = ctx.client()?;
    match command {
        SubscriptionsCommand::List { customer } => {
            let items = collect(pc.customer(&customer).subscriptions().list()).await?;
            print_list(ctx.format, &items, &SUB_HEADERS, subscription_row);
        }
        SubscriptionsCommand::Get { customer, id } => {
            let s = pc.customer(&customer).subscriptions().get(&id).await?;
            print_list(
                ctx.format,
                std::slice::from_ref(&s),
                &SUB_HEADERS,
                subscription_row,
            );
        }
        SubscriptionsCommand::Update {
            customer,
            id,
            quantity,
            status,
            auto_renew,
        } => {
            if quantity.is_none() && status.is_none() && auto_renew.is_none() {
                return Err(Failure::usage(
                    "nothing to change: give --quantity, --status or --auto-renew",
                ));
            }
            let status: Option<SubscriptionStatus> =
                status.map(|s| s.parse().unwrap_or_else(|never| match never {}));
            let s = pc
                .customer(&customer)
                .subscriptions()
                .modify(&id, |s| {
                    if let Some(q) = quantity {
                        s.quantity = q;
                    }
                    if let Some(st) = status {
                        s.status = Some(st);
                    }
                    if let Some(r) = auto_renew {
                        s.auto_renew_enabled = Some(r);
                    }
                })
                .await?;
            print_list(
                ctx.format,
                std::slice::from_ref(&s),
                &SUB_HEADERS,
                subscription_row,
            );
        }
        SubscriptionsCommand::Cancel { customer, id } => {
            let s = pc.customer(&customer).subscriptions().cancel(&id).await?;
            print_list(
                ctx.format,
                std::slice::from_ref(&s),
                &SUB_HEADERS,
                subscription_row,
            );
        }
    }
    Ok(())
}
