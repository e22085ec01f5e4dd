//! Customers, subscriptions, orders, offers.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use futures_util::StreamExt;
use partner_center::auth::ExposeSecret;
use partner_center::models::{Customer, Offer, Order, Subscription, SubscriptionStatus};
use partner_center::{Error, Paged};
use serde::Serialize;
use serde_json::Value;

use crate::output::outln;
use crate::output::{self, Format, opt};
use crate::{Context, Failure};

#[derive(Subcommand, Debug)]
pub(crate) enum CustomersCommand {
    /// List customers (the first page; --all follows paging to the end).
    List {
        /// Follow paging to the end.
        #[arg(long)]
        all: bool,
    },
    /// Get one customer.
    Get {
        /// The customer id.
        id: String,
    },
    /// Create a customer from a JSON file (its admin password is shown once).
    Create {
        /// The JSON file.
        #[arg(long)]
        file: PathBuf,
    },
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
}

#[derive(Subcommand, Debug)]
pub(crate) enum OrdersCommand {
    /// List a customer's orders.
    List {
        /// The customer id.
        #[arg(long)]
        customer: String,
    },
    /// Place an order from a JSON file.
    Create {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The JSON file.
        #[arg(long)]
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub(crate) enum OffersCommand {
    /// List the offers of a market.
    List {
        /// Two-letter country code.
        #[arg(long)]
        country: String,
    },
}

/// The largest request file read (`--file`): 1 MiB, far above any request body.
pub(crate) const MAX_INPUT_FILE_BYTES: u64 = 1 << 20;

pub(crate) fn read_json(path: &Path) -> Result<Value, Failure> {
    let bytes = partner_center::auth::limits::read_file_capped(path, MAX_INPUT_FILE_BYTES)
        .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Failure::usage(format!("{} is not valid JSON: {e}", path.display())))
}

/// Collects a stream to its end, with progress on stderr when it is a terminal.
async fn collect<T>(mut stream: Paged<T>) -> Result<Vec<T>, Error> {
    let progress = std::io::stderr().is_terminal();
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item?);
        if progress && items.len() % 100 == 0 {
            eprint!("\rfetched {} …", items.len());
        }
    }
    if progress {
        eprintln!("\rfetched {}   ", items.len());
    }
    Ok(items)
}

pub(crate) fn print_list<T: Serialize>(
    format: Format,
    items: &[T],
    headers: &[&str],
    row: impl Fn(&T) -> Vec<String>,
) {
    match format {
        Format::Json => output::json(&serde_json::to_value(items).unwrap_or_default()),
        Format::Table => output::table(headers, &items.iter().map(row).collect::<Vec<_>>()),
    }
}

fn print_one<T: Serialize>(format: Format, item: &T, fields: Vec<(&str, String)>) {
    match format {
        Format::Json => output::json(&serde_json::to_value(item).unwrap_or_default()),
        Format::Table => {
            for (k, v) in fields {
                outln!("{k:<14} {v}");
            }
        }
    }
}

fn customer_row(c: &Customer) -> Vec<String> {
    vec![c.id.clone(), opt(c.domain()), opt(c.company_name())]
}

fn customer_fields(c: &Customer) -> Vec<(&'static str, String)> {
    vec![
        ("id", c.id.clone()),
        ("domain", opt(c.domain())),
        ("company", opt(c.company_name())),
        (
            "relationship",
            c.relationship_to_partner
                .as_ref()
                .map_or("-".to_owned(), ToString::to_string),
        ),
    ]
}

pub(crate) async fn customers(ctx: &Context, command: CustomersCommand) -> Result<(), Failure> {
    let pc = ctx.client()?;
    match command {
        CustomersCommand::List { all } => {
            let items = if all {
                collect(pc.customers().list()).await?
            } else {
                pc.customers().first_page(100).await?.items
            };
            print_list(
                ctx.format,
                &items,
                &["ID", "DOMAIN", "COMPANY"],
                customer_row,
            );
        }
        CustomersCommand::Get { id } => {
            let c = pc.customers().get(&id).await?;
            print_one(ctx.format, &c, customer_fields(&c));
        }
        CustomersCommand::Create { file } => {
            let body = read_json(&file)?;
            let c = pc.customers().create(&body).await?;
            print_created_customer(ctx.format, &c);
        }
    }
    Ok(())
}

/// The admin password comes once, in this answer: shown here on purpose, never logged.
#[allow(clippy::disallowed_methods)] // reason: the create command's own output is where the one-time admin password must reach the user
pub(crate) fn print_created_customer(format: Format, c: &Customer) {
    let creds = c.user_credentials.as_ref();
    let password = creds
        .and_then(|u| u.password.as_ref())
        .map(|p| p.expose_secret().to_owned());
    match format {
        Format::Json => {
            let mut v = serde_json::to_value(c).unwrap_or_default();
            if let Some(p) = &password {
                v["userCredentials"]["password"] = Value::String(p.clone());
            }
            output::json(&v);
        }
        Format::Table => {
            for (k, v) in customer_fields(c) {
                outln!("{k:<14} {v}");
            }
            if let (Some(u), Some(p)) = (creds, &password) {
                outln!("admin user     {}", u.user_name);
                outln!("admin password {p}   (shown once: store it now)");
            }
        }
    }
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
    }
    Ok(())
}

fn order_row(o: &Order) -> Vec<String> {
    vec![
        o.id.clone(),
        o.status
            .as_ref()
            .map_or("-".to_owned(), ToString::to_string),
        o.line_items.len().to_string(),
        opt(o.creation_date.as_deref()),
    ]
}

pub(crate) async fn orders(ctx: &Context, command: OrdersCommand) -> Result<(), Failure> {
    let pc = ctx.client()?;
    let headers = ["ID", "STATUS", "LINES", "CREATED"];
    match command {
        OrdersCommand::List { customer } => {
            let items = collect(pc.customer(&customer).orders().list()).await?;
            print_list(ctx.format, &items, &headers, order_row);
        }
        OrdersCommand::Create { customer, file } => {
            let body = read_json(&file)?;
            let o = pc.customer(&customer).orders().create(&body).await?;
            print_list(ctx.format, std::slice::from_ref(&o), &headers, order_row);
        }
    }
    Ok(())
}

pub(crate) async fn offers(ctx: &Context, command: OffersCommand) -> Result<(), Failure> {
    let pc = ctx.client()?;
    match command {
        OffersCommand::List { country } => {
            let items: Vec<Offer> = collect(pc.offers(&country).list()).await?;
            print_list(
                ctx.format,
                &items,
                &["ID", "NAME", "MIN", "MAX"],
                |o: &Offer| {
                    vec![
                        o.id.clone(),
                        opt(o.name.as_deref()),
                        o.minimum_quantity.map_or("-".to_owned(), |q| q.to_string()),
                        o.maximum_quantity.map_or("-".to_owned(), |q| q.to_string()),
                    ]
                },
            );
        }
    }
    Ok(())
}
