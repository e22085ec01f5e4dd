//! `buy`: the one-call new-commerce purchase — availability, cart, checkout, subscriptions.

use clap::Subcommand;
use partner_center::Purchase;
use partner_center::models::{BillingCycle, Subscription, SubscriptionStatus};

use crate::output::{opt, outln, print_list, print_one};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Buy a product's SKU for a customer (new commerce): prints the subscriptions created.
    Buy {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The product id (`catalog products list`).
        #[arg(long)]
        product: String,
        /// The SKU id (`catalog skus list`).
        #[arg(long)]
        sku: String,
        /// The term: P1M, P1Y or P3Y.
        #[arg(long, default_value = "P1M")]
        term: String,
        /// The billing cycle: monthly or annual.
        #[arg(long, default_value = "monthly", value_parser = ["monthly", "annual"])]
        billing: String,
        /// Licences.
        #[arg(long)]
        quantity: u32,
        /// The market (default: the customer's billing country).
        #[arg(long)]
        country: Option<String>,
        /// Create the cart and print it, without checking it out.
        #[arg(long)]
        dry_run: bool,
    },
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        let Command::Buy {
            customer,
            product,
            sku,
            term,
            billing,
            quantity,
            country,
            dry_run,
        } = self;
        // clap admits only `monthly` and `annual`; parsing a billing cycle never fails.
        let billing: BillingCycle = billing.parse().unwrap_or_else(|never| match never {});
        let mut purchase = Purchase::new(&product, &sku, quantity)
            .term(&term)
            .billing(billing);
        if let Some(country) = &country {
            purchase = purchase.country(country);
        }
        let pc = ctx.client()?;
        let customer = pc.customer(&customer);
        if dry_run {
            let cart = customer.prepare(&purchase).await?;
            let Some(line) = cart.line_items.first() else {
                return Err(Failure::usage("the service answered a cart with no lines"));
            };
            print_one(
                ctx.format,
                &cart,
                vec![
                    ("cart", opt(cart.id.as_deref())),
                    ("item", line.catalog_item_id.clone()),
                    ("quantity", line.quantity.to_string()),
                    ("term", opt(line.term_duration.as_deref())),
                    (
                        "price",
                        line.pricing
                            .as_ref()
                            .and_then(|p| p.extended_price)
                            .map_or("-".to_owned(), |p| {
                                format!("{p} {}", opt(line.currency_code.as_deref()))
                            }),
                    ),
                ],
            );
            if !ctx.format.is_data() {
                outln!("(dry run: not checked out)");
            }
            return Ok(());
        }
        let bought = customer.buy(&purchase).await?;
        print_list(
            ctx.format,
            &bought,
            &["SUBSCRIPTION", "OFFER", "QUANTITY", "TERM", "STATUS"],
            |s: &Subscription| {
                vec![
                    s.id.clone(),
                    opt(s.offer_id.as_deref()),
                    s.quantity.to_string(),
                    opt(s.term_duration.as_deref()),
                    opt(s.status.as_ref().map(SubscriptionStatus::as_str)),
                ]
            },
        );
        Ok(())
    }
}
