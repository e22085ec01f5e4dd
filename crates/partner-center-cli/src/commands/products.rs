//! `products` and `branches`: marketplace products and their draft instances (the
//! submission API).

use std::path::PathBuf;

use clap::Subcommand;
use futures_util::TryStreamExt;
use partner_center::models::ingestion::{Branch, Module, Product};

use crate::output::{opt, print_item, print_list, read_json};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Marketplace products (the submission API).
    #[command(subcommand)]
    Products(ProductsCommand),
    /// A product's branches and their draft instances.
    #[command(subcommand)]
    Branches(BranchesCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        match self {
            Command::Products(command) => products(ctx, command).await,
            Command::Branches(command) => branches(ctx, command).await,
        }
    }
}

#[derive(Subcommand, Debug)]
pub(crate) enum ProductsCommand {
    /// List products (every page).
    List,
    /// Get one product.
    Get {
        /// The product id.
        id: String,
    },
    /// Create a product from a JSON file.
    Create {
        /// The JSON file.
        #[arg(long)]
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub(crate) enum BranchesCommand {
    /// List a product's branches (all modules, or one).
    List {
        /// The product id.
        #[arg(long)]
        product: String,
        /// Listing, Property, Package, Availability, SupplementalContent or Cosell.
        #[arg(long)]
        module: Option<String>,
    },
}

fn product_row(p: &Product) -> Vec<String> {
    vec![
        p.id.clone(),
        opt(p.name.as_deref()),
        p.resource_type
            .as_ref()
            .map_or("-".to_owned(), ToString::to_string),
        p.external_ids
            .iter()
            .map(|e| e.value.clone())
            .collect::<Vec<_>>()
            .join(","),
    ]
}

const PRODUCT_HEADERS: [&str; 4] = ["ID", "NAME", "TYPE", "EXTERNAL IDS"];

pub(crate) async fn products(ctx: &Context, command: ProductsCommand) -> Result<(), Failure> {
    let pc = ctx.client()?;
    // A list prints an array; a get or a create, the object.
    let one = match command {
        ProductsCommand::List => {
            let items: Vec<Product> = pc.ingestion().products().list().try_collect().await?;
            print_list(ctx.format, &items, &PRODUCT_HEADERS, product_row);
            return Ok(());
        }
        ProductsCommand::Get { id } => pc.ingestion().products().get(&id).await?,
        ProductsCommand::Create { file } => {
            pc.ingestion().products().create(&read_json(&file)?).await?
        }
    };
    print_item(ctx.format, &one, &PRODUCT_HEADERS, product_row);
    Ok(())
}

pub(crate) async fn branches(ctx: &Context, command: BranchesCommand) -> Result<(), Failure> {
    let BranchesCommand::List { product, module } = command;
    let pc = ctx.client()?;
    let modules: Vec<Module> = match module {
        Some(m) => vec![m.parse().unwrap_or_else(|never| match never {})],
        None => vec![
            Module::Listing,
            Module::Property,
            Module::Package,
            Module::Availability,
        ],
    };
    let mut all: Vec<Branch> = Vec::new();
    for m in &modules {
        all.extend(
            pc.ingestion()
                .product(&product)
                .branches(m)
                .try_collect::<Vec<_>>()
                .await?,
        );
    }
    print_list(
        ctx.format,
        &all,
        &["ID", "MODULE", "TYPE", "DRAFT INSTANCE", "VARIANT"],
        |b: &Branch| {
            vec![
                b.id.clone(),
                b.module
                    .as_ref()
                    .map_or("-".to_owned(), ToString::to_string),
                b.branch_type
                    .as_ref()
                    .map_or("-".to_owned(), ToString::to_string),
                opt(b.current_draft_instance_id.as_deref()),
                opt(b.variant_id.as_deref()),
            ]
        },
    );
    Ok(())
}
