//! `subscriptions`: a customer's subscriptions: list, get, update.

use clap::Subcommand;
use partner_center::models::{
    BillingCycle, ProductTerm, ScheduledNextTermInstructions, Subscription, SubscriptionStatus,
    Transition, TransitionEligibility, TransitionType,
};

use crate::output::{collect, opt, print_item, print_list, print_one};
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
    /// List the add-ons bought for a subscription.
    Addons {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The base subscription id.
        id: String,
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
    /// The transitions (upgrades) of a subscription, with their last event.
    Transitions {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The subscription id.
        id: String,
    },
    /// Schedule what changes when a new-commerce subscription renews (turns auto-renew on).
    Schedule {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The subscription id.
        id: String,
        /// The next term's catalogItemId (product:sku:availability; default: the current one).
        #[arg(long)]
        item: Option<String>,
        /// The next term's length.
        #[arg(long, value_parser = ["P1M", "P1Y", "P3Y"])]
        term: Option<String>,
        /// The next term's billing cycle.
        #[arg(long, value_parser = ["monthly", "annual"])]
        billing: Option<String>,
        /// The next term's quantity (default: the current one).
        #[arg(long)]
        quantity: Option<u32>,
        /// End the next term on this date (YYYY-MM-DD), aligned with another
        /// subscription's end or a month's end.
        #[arg(long)]
        end_date: Option<String>,
    },
    /// Remove a subscription's scheduled next-term changes.
    Unschedule {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The subscription id.
        id: String,
    },
}

/// The next-term instructions `schedule` asks for, from the current subscription and the
/// flags given.
fn next_term(
    current: &Subscription,
    item: Option<&str>,
    term: Option<String>,
    billing: Option<String>,
    quantity: Option<u32>,
    end_date: Option<String>,
) -> Result<ScheduledNextTermInstructions, Failure> {
    let item = item.or(current.offer_id.as_deref()).unwrap_or_default();
    let mut ids = item.split(':');
    let (Some(product), Some(sku), Some(availability), None) =
        (ids.next(), ids.next(), ids.next(), ids.next())
    else {
        return Err(Failure::usage(format!(
            "--item must be a catalogItemId (product:sku:availability), not {item:?}; \
             `catalog availabilities list` shows them"
        )));
    };
    let term = term
        .or_else(|| current.term_duration.clone())
        .unwrap_or_else(|| "P1M".to_owned());
    let billing: BillingCycle = match billing {
        Some(b) => b.parse().unwrap_or_else(|never| match never {}),
        None => current
            .billing_cycle
            .clone()
            .unwrap_or(BillingCycle::Monthly),
    };
    let product = ProductTerm::new(product, sku, availability, &term, billing);
    let mut next =
        ScheduledNextTermInstructions::new(product, quantity.unwrap_or(current.quantity));
    next.custom_term_end_date = end_date;
    Ok(next)
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
            print_item(ctx.format, &s, &SUB_HEADERS, subscription_row);
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
                        s.set_auto_renew(r);
                    }
                })
                .await?;
            print_item(ctx.format, &s, &SUB_HEADERS, subscription_row);
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
        SubscriptionsCommand::Addons { customer, id } => {
            let items = collect(pc.customer(&customer).subscriptions().add_ons(&id)).await?;
            print_list(ctx.format, &items, &SUB_HEADERS, subscription_row);
        }
        SubscriptionsCommand::Transitions { customer, id } => {
            let items = pc
                .customer(&customer)
                .subscriptions()
                .transitions(&id)
                .await?;
            print_list(
                ctx.format,
                &items,
                &["OPERATION", "TO", "QUANTITY", "TYPE", "STATUS"],
                |t: &Transition| {
                    let last = t.events().pop();
                    vec![
                        opt(t.extra.get("operationId").and_then(|v| v.as_str())),
                        t.target().to_owned(),
                        t.quantity.to_string(),
                        t.transition_type
                            .as_ref()
                            .map_or("-".to_owned(), ToString::to_string),
                        opt(last
                            .as_ref()
                            .and_then(|e| e.status.as_deref())
                            .map(str::trim)),
                    ]
                },
            );
        }
        SubscriptionsCommand::Schedule {
            customer,
            id,
            item,
            term,
            billing,
            quantity,
            end_date,
        } => {
            let subscriptions = pc.customer(&customer).subscriptions();
            let current = subscriptions.get(&id).await?;
            let next = next_term(&current, item.as_deref(), term, billing, quantity, end_date)?;
            let s = subscriptions.schedule_next_term(&id, next).await?;
            print_scheduled(ctx, &s);
        }
        SubscriptionsCommand::Unschedule { customer, id } => {
            let s = pc
                .customer(&customer)
                .subscriptions()
                .clear_next_term(&id)
                .await?;
            print_scheduled(ctx, &s);
        }
        SubscriptionsCommand::Cancel { customer, id } => {
            let s = pc.customer(&customer).subscriptions().cancel(&id).await?;
            print_item(ctx.format, &s, &SUB_HEADERS, subscription_row);
        }
    }
    Ok(())
}

/// A subscription and what its next term will be.
fn print_scheduled(ctx: &Context, s: &Subscription) {
    let next = s.scheduled_next_term_instructions.as_ref();
    let product = next.and_then(|n| n.product.as_ref());
    print_one(
        ctx.format,
        s,
        vec![
            ("id", s.id.clone()),
            (
                "auto-renew",
                s.auto_renew_enabled.unwrap_or(false).to_string(),
            ),
            (
                "next item",
                opt(product.and_then(ProductTerm::catalog_item_id).as_deref()),
            ),
            (
                "next term",
                opt(product.and_then(|p| p.term_duration.as_deref())),
            ),
            (
                "next billing",
                product
                    .and_then(|p| p.billing_cycle.as_ref())
                    .map_or("-".to_owned(), ToString::to_string),
            ),
            (
                "next quantity",
                next.and_then(|n| n.quantity)
                    .map_or("-".to_owned(), |q| q.to_string()),
            ),
            (
                "next end date",
                opt(next.and_then(|n| n.custom_term_end_date.as_deref())),
            ),
        ],
    );
}
