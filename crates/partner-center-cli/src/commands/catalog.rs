//! `catalog`: the new-commerce catalog of a market — products, SKUs, availabilities.

use clap::{Args, Subcommand};
use partner_center::Catalog;
use partner_center::models::{Availability, Product, Sku};

use crate::output::{collect, opt, print_list, print_one};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// The new-commerce catalog: products, SKUs, availabilities (catalogItemId).
    #[command(subcommand)]
    Catalog(CatalogCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        let Command::Catalog(command) = self;
        catalog(ctx, command).await
    }
}

/// The market every catalog command reads.
#[derive(Args, Debug)]
pub(crate) struct Market {
    /// Two-letter country code.
    #[arg(long)]
    country: String,
    /// The segment: commercial, education, government or nonprofit (nonprofit
    /// availabilities are listed only when asked for).
    #[arg(long)]
    segment: Option<String>,
}

impl Market {
    fn catalog(&self, ctx: &Context) -> Result<Catalog, Failure> {
        let catalog = ctx.client()?.catalog(&self.country);
        Ok(match &self.segment {
            Some(segment) => catalog.segment(segment),
            None => catalog,
        })
    }
}

#[derive(Subcommand, Debug)]
pub(crate) enum CatalogCommand {
    /// Products: list a target view, or get one.
    #[command(subcommand)]
    Products(ProductsCommand),
    /// A product's SKUs.
    #[command(subcommand)]
    Skus(SkusCommand),
    /// A SKU's availabilities, with the catalogItemId to buy.
    #[command(subcommand)]
    Availabilities(AvailabilitiesCommand),
}

#[derive(Subcommand, Debug)]
pub(crate) enum ProductsCommand {
    /// List the products of a target view.
    List {
        #[command(flatten)]
        market: Market,
        /// The target view: OnlineServices (licence-based services), OnlineServicesNCE
        /// (only the new-commerce ones), Azure, AzureReservations, Software, …
        #[arg(long, default_value = "OnlineServicesNCE")]
        view: String,
    },
    /// Get one product.
    Get {
        /// The product id.
        id: String,
        #[command(flatten)]
        market: Market,
    },
}

#[derive(Subcommand, Debug)]
pub(crate) enum SkusCommand {
    /// List a product's SKUs.
    List {
        /// The product id.
        #[arg(long)]
        product: String,
        #[command(flatten)]
        market: Market,
    },
    /// Get one SKU.
    Get {
        /// The product id.
        #[arg(long)]
        product: String,
        /// The SKU id.
        sku: String,
        #[command(flatten)]
        market: Market,
    },
}

#[derive(Subcommand, Debug)]
pub(crate) enum AvailabilitiesCommand {
    /// List a SKU's availabilities.
    List {
        /// The product id.
        #[arg(long)]
        product: String,
        /// The SKU id.
        #[arg(long)]
        sku: String,
        #[command(flatten)]
        market: Market,
    },
    /// Get one availability (ids change over time: read one shortly before buying).
    Get {
        /// The product id.
        #[arg(long)]
        product: String,
        /// The SKU id.
        #[arg(long)]
        sku: String,
        /// The availability id.
        id: String,
        #[command(flatten)]
        market: Market,
    },
}

fn product_fields(p: &Product) -> Vec<(&'static str, String)> {
    vec![
        ("id", p.id.clone()),
        ("title", opt(p.title.as_deref())),
        (
            "type",
            opt(p.product_type.as_ref().and_then(|t| t.id.as_deref())),
        ),
        ("publisher", opt(p.publisher_name.as_deref())),
    ]
}

fn sku_fields(s: &Sku) -> Vec<(&'static str, String)> {
    let cycles = s
        .supported_billing_cycles
        .iter()
        .flatten()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",");
    vec![
        ("id", s.id.clone()),
        ("title", opt(s.title.as_deref())),
        (
            "quantity",
            format!(
                "{}-{}",
                s.minimum_quantity.map_or("?".to_owned(), |q| q.to_string()),
                s.maximum_quantity.map_or("?".to_owned(), |q| q.to_string())
            ),
        ),
        (
            "billing",
            if cycles.is_empty() {
                "-".into()
            } else {
                cycles
            },
        ),
    ]
}

fn availability_fields(a: &Availability) -> Vec<(&'static str, String)> {
    let terms = a
        .terms()
        .iter()
        .map(|t| {
            let cycle = t.billing_cycle.as_ref().map(ToString::to_string);
            format!("{}/{}", opt(t.duration.as_deref()), opt(cycle.as_deref()))
        })
        .collect::<Vec<_>>()
        .join(" ");
    vec![
        ("id", a.id.clone()),
        ("catalogItemId", opt(a.catalog_item_id.as_deref())),
        ("segment", opt(a.segment.as_deref())),
        ("terms", if terms.is_empty() { "-".into() } else { terms }),
    ]
}

/// The table headers: the fields' names, upper-cased.
fn headers(fields: &[(&'static str, String)]) -> Vec<String> {
    fields.iter().map(|(k, _)| k.to_ascii_uppercase()).collect()
}

/// Prints a list as a table whose columns are `fields`' names.
fn list<T: serde::Serialize>(
    ctx: &Context,
    items: &[T],
    sample: Vec<(&'static str, String)>,
    fields: fn(&T) -> Vec<(&'static str, String)>,
) {
    let headers = headers(&sample);
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    print_list(ctx.format, items, &headers, |item| {
        fields(item).into_iter().map(|(_, v)| v).collect()
    });
}

pub(crate) async fn catalog(ctx: &Context, command: CatalogCommand) -> Result<(), Failure> {
    match command {
        CatalogCommand::Products(ProductsCommand::List { market, view }) => {
            let catalog = market.catalog(ctx)?;
            let stream = if view.eq_ignore_ascii_case("OnlineServicesNCE") {
                catalog.new_commerce_products()
            } else {
                catalog.products(&view)
            };
            let items = collect(stream).await?;
            list(
                ctx,
                &items,
                product_fields(&Product::default()),
                product_fields,
            );
        }
        CatalogCommand::Products(ProductsCommand::Get { id, market }) => {
            let p = market.catalog(ctx)?.product(&id).await?;
            print_one(ctx.format, &p, product_fields(&p));
        }
        CatalogCommand::Skus(SkusCommand::List { product, market }) => {
            let items = collect(market.catalog(ctx)?.skus(&product)).await?;
            list(ctx, &items, sku_fields(&Sku::default()), sku_fields);
        }
        CatalogCommand::Skus(SkusCommand::Get {
            product,
            sku,
            market,
        }) => {
            let s = market.catalog(ctx)?.sku(&product, &sku).await?;
            print_one(ctx.format, &s, sku_fields(&s));
        }
        CatalogCommand::Availabilities(AvailabilitiesCommand::List {
            product,
            sku,
            market,
        }) => {
            let items = collect(market.catalog(ctx)?.availabilities(&product, &sku)).await?;
            list(
                ctx,
                &items,
                availability_fields(&Availability::default()),
                availability_fields,
            );
        }
        CatalogCommand::Availabilities(AvailabilitiesCommand::Get {
            product,
            sku,
            id,
            market,
        }) => {
            let a = market
                .catalog(ctx)?
                .availability(&product, &sku, &id)
                .await?;
            print_one(ctx.format, &a, availability_fields(&a));
        }
    }
    Ok(())
}
