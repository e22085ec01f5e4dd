//! `listings`: a product's draft listings on the submission API: what certification
//! checks, so a failed certification is fixed from the command line (then `submissions
//! create` again).

use std::path::PathBuf;

use clap::Subcommand;
use futures_util::TryStreamExt;
use partner_center::models::ingestion::{Listing, Module};

use crate::output::{opt, print_item, print_list, read_json};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// A product's draft listings (the store text certification checks): list, get, update.
    #[command(subcommand)]
    Listings(ListingsCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        match self {
            Command::Listings(command) => listings(ctx, command).await,
        }
    }
}

#[derive(Subcommand, Debug)]
pub(crate) enum ListingsCommand {
    /// The listings of the product's current draft (one per language).
    List {
        /// The product id.
        #[arg(long)]
        product: String,
    },
    /// One listing.
    Get {
        /// The product id.
        #[arg(long)]
        product: String,
        /// The listing id.
        id: String,
    },
    /// Changes a draft listing: the fields given, the rest kept (sent with its etag, so a
    /// change made meanwhile elsewhere is refused with 412 rather than overwritten).
    Update {
        /// The product id.
        #[arg(long)]
        product: String,
        /// The listing id.
        id: String,
        /// The title.
        #[arg(long)]
        title: Option<String>,
        /// The description (certification asks for at least 50 characters).
        #[arg(long)]
        description: Option<String>,
        /// The short description.
        #[arg(long)]
        short_description: Option<String>,
        /// The summary.
        #[arg(long)]
        summary: Option<String>,
        /// Fields as JSON (`{"title": …, "keywords": […]}`), applied before the flags.
        #[arg(long)]
        file: Option<PathBuf>,
    },
}

const HEADERS: [&str; 4] = ["ID", "LANGUAGE", "TITLE", "DESCRIPTION"];

fn row(l: &Listing) -> Vec<String> {
    vec![
        l.id.clone(),
        opt(l.language_code.as_deref()),
        opt(l.title.as_deref()),
        opt(l.description.as_deref()),
    ]
}

async fn listings(ctx: &Context, command: ListingsCommand) -> Result<(), Failure> {
    let pc = ctx.client()?;
    match command {
        ListingsCommand::List { product } => {
            let handle = pc.ingestion().product(&product);
            let drafts = handle.drafts().await?;
            let instance = drafts.instance(&Module::Listing).ok_or_else(|| {
                Failure::usage(format!(
                    "product {product} has no draft listing (no Listing branch): see `branches list --product {product}`"
                ))
            })?;
            let items: Vec<Listing> = handle
                .listings()
                .by_instance(instance)
                .try_collect()
                .await?;
            print_list(ctx.format, &items, &HEADERS, row);
        }
        ListingsCommand::Get { product, id } => {
            let l = pc.ingestion().product(&product).listings().get(&id).await?;
            print_item(ctx.format, &l, &HEADERS, row);
        }
        ListingsCommand::Update {
            product,
            id,
            title,
            description,
            short_description,
            summary,
            file,
        } => {
            let listings = pc.ingestion().product(&product).listings();
            let current = listings.get(&id).await?;
            let mut changed = match &file {
                Some(path) => merge(&current, read_json(path)?)?,
                None => current,
            };
            for (field, value) in [
                (&mut changed.title, title),
                (&mut changed.description, description),
                (&mut changed.short_description, short_description),
                (&mut changed.summary, summary),
            ] {
                if value.is_some() {
                    *field = value;
                }
            }
            let updated = listings.update(&changed).await?;
            print_item(ctx.format, &updated, &HEADERS, row);
        }
    }
    Ok(())
}

/// The listing with the file's fields laid over it (its id and etag kept).
fn merge(current: &Listing, changes: serde_json::Value) -> Result<Listing, Failure> {
    let serde_json::Value::Object(changes) = changes else {
        return Err(Failure::usage(
            "--file: give the listing's fields as a JSON object".to_owned(),
        ));
    };
    let mut value = serde_json::to_value(current).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        for (k, v) in changes {
            if k != "id" && k != "@odata.etag" {
                map.insert(k, v);
            }
        }
    }
    serde_json::from_value(value)
        .map_err(|e| Failure::usage(format!("--file: not a listing's fields: {e}")))
}
