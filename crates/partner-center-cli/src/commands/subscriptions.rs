//! `subscriptions`: a customer's subscriptions: list, get, update.

use clap::Subcommand;
use partner_center::models::{
    Subscription, SubscriptionStatus, Transition, TransitionEligibility, TransitionType,
};

use crate::output::{collect, opt, print_list, print_one};
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
    /// List what a new-commerce subscription can be upgraded (transitioned) into.
    Upgrades {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The subscription id.
        id: String,
    },
    /// Upgrade (transition) a new-commerce subscription into another product.
    Upgrade {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The subscription id.
        id: String,
        /// The target's catalogItemId (`subscriptions upgrades` lists them).
        #[arg(long)]
        to: String,
        /// Licences to move (default: all of them).
        #[arg(long)]
        quantity: Option<u32>,
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
        SubscriptionsCommand::Upgrades { customer, id } => {
            let items = collect(
                pc.customer(&customer)
                    .subscriptions()
                    .transition_eligibilities(&id),
            )
            .await?;
            print_list(
                ctx.format,
                &items,
                &["TARGET", "TITLE", "QUANTITY", "TRANSITION ONLY"],
                |t: &TransitionEligibility| {
                    vec![
                        t.catalog_item_id.clone(),
                        opt(t.title.as_deref()),
                        t.quantity.map_or("-".to_owned(), |q| q.to_string()),
                        t.allows(&TransitionType::TransitionOnly).to_string(),
                    ]
                },
            );
        }
        SubscriptionsCommand::Upgrade {
            customer,
            id,
            to,
            quantity,
        } => {
            let subscriptions = pc.customer(&customer).subscriptions();
            let quantity = match quantity {
                Some(q) => q,
                None => subscriptions.get(&id).await?.quantity,
            };
            let done = subscriptions
                .transition(&id, &Transition::to(&to, quantity))
                .await?;
            print_one(
                ctx.format,
                &done,
                vec![
                    ("from", opt(done.from_subscription_id.as_deref())),
                    ("to", opt(done.to_subscription_id.as_deref())),
                    ("item", done.to_catalog_item_id.clone()),
                    ("quantity", done.quantity.to_string()),
                ],
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
