//! `carts`: build a new-commerce purchase for a customer, then check it out.

use std::path::PathBuf;

use clap::Subcommand;
use partner_center::models::{BillingCycle, Cart, CartCheckoutResult, CartLineItem, CartStatus};

use crate::output::{opt, outln, print_one, read_json};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Carts: create one, read it, check it out (new commerce).
    #[command(subcommand)]
    Carts(CartsCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        let Command::Carts(command) = self;
        carts(ctx, command).await
    }
}

#[derive(Subcommand, Debug)]
pub(crate) enum CartsCommand {
    /// Create a cart: one line from the flags, or the whole cart from --file.
    Create {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The availability's catalogItemId (`catalog availabilities list` shows it).
        #[arg(long, required_unless_present = "file")]
        catalog_item: Option<String>,
        /// Licences.
        #[arg(long, default_value_t = 1)]
        quantity: u32,
        /// The term: P1M, P1Y or P3Y.
        #[arg(long, default_value = "P1M")]
        term: String,
        /// The billing cycle: monthly or annual.
        #[arg(long, default_value = "monthly", value_parser = ["monthly", "annual"])]
        billing: String,
        /// A cart as JSON (`{"lineItems": [...]}`), instead of the line flags.
        #[arg(long, conflicts_with = "catalog_item")]
        file: Option<PathBuf>,
    },
    /// Get a cart.
    Get {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The cart id.
        id: String,
    },
    /// Check a cart out: one order per order group.
    Checkout {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The cart id.
        id: String,
    },
}

fn cart_fields(cart: &Cart) -> Vec<(&'static str, String)> {
    vec![
        ("id", opt(cart.id.as_deref())),
        ("status", opt(cart.status.as_ref().map(CartStatus::as_str))),
        ("expires", opt(cart.expiration_timestamp.as_deref())),
        ("lines", cart.line_items.len().to_string()),
    ]
}

/// A cart in a table: its fields, then a row per line with its error, if any.
fn print_cart(ctx: &Context, cart: &Cart) {
    print_one(ctx.format, cart, cart_fields(cart));
    if !ctx.format.is_data() {
        outln!();
        for line in &cart.line_items {
            let error = line.error.as_ref().map_or(String::new(), |e| {
                format!(
                    "  error {}: {}",
                    e.code().unwrap_or_else(|| "?".into()),
                    opt(e.error_description.as_deref())
                )
            });
            outln!(
                "{} ×{} {} {}{error}",
                line.catalog_item_id,
                line.quantity,
                opt(line.term_duration.as_deref()),
                opt(line.billing_cycle.as_ref().map(BillingCycle::as_str)),
            );
        }
    }
}

fn print_result(ctx: &Context, result: &CartCheckoutResult) {
    let subscriptions: Vec<&str> = result
        .orders
        .iter()
        .flat_map(|o| &o.line_items)
        .filter_map(|l| l.subscription_id.as_deref())
        .collect();
    let orders: Vec<&str> = result.orders.iter().map(|o| o.id.as_str()).collect();
    let errors: Vec<String> = result
        .errors()
        .iter()
        .map(|e| {
            format!(
                "{}: {}",
                opt(e.order_group_id.as_deref()),
                opt(e.description.as_deref())
            )
        })
        .collect();
    print_one(
        ctx.format,
        result,
        vec![
            ("orders", orders.join(", ")),
            ("subscriptions", subscriptions.join(", ")),
            (
                "errors",
                if errors.is_empty() {
                    "-".into()
                } else {
                    errors.join("; ")
                },
            ),
        ],
    );
}

pub(crate) async fn carts(ctx: &Context, command: CartsCommand) -> Result<(), Failure> {
    let pc = ctx.client()?;
    match command {
        CartsCommand::Create {
            customer,
            catalog_item,
            quantity,
            term,
            billing,
            file,
        } => {
            let cart: Cart = match (file, catalog_item) {
                (Some(path), _) => serde_json::from_value(read_json(&path)?).map_err(|e| {
                    Failure::usage(format!("{} is not a cart: {e}", path.display()))
                })?,
                (None, Some(item)) => {
                    let cycle: BillingCycle =
                        billing.parse().unwrap_or_else(|never| match never {});
                    Cart::new(vec![CartLineItem::new(&item, quantity, &term, cycle)])
                }
                (None, None) => {
                    return Err(Failure::usage("give --catalog-item or --file"));
                }
            };
            let created = pc.customer(&customer).carts().create(&cart).await?;
            print_cart(ctx, &created);
        }
        CartsCommand::Get { customer, id } => {
            let cart = pc.customer(&customer).carts().get(&id).await?;
            print_cart(ctx, &cart);
        }
        CartsCommand::Checkout { customer, id } => {
            let result = pc.customer(&customer).carts().checkout(&id).await?;
            print_result(ctx, &result);
        }
    }
    Ok(())
}
