//! `listings`, `properties`, `availabilities`: what a product's current draft holds on the
//! submission API, and what certification checks, so a failed certification is fixed from
//! the command line (then `submissions create` again). Each is listed from the draft,
//! read by id, and updated with the fields given (the rest kept), sent with its etag so a
//! change made meanwhile elsewhere is refused with 412 rather than overwritten.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use futures_util::TryStreamExt;
use partner_center::PartnerCenter;
use partner_center::ingestion::{DraftResource, DraftResources, ProductHandle};
use partner_center::models::ingestion::{Listing, ProductAvailability, Property};
use serde_json::{Map, Value};

use crate::output::{opt, print_item, print_list, read_json};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// A product's draft listings (the store text certification checks): list, get, update.
    #[command(subcommand)]
    Listings(DraftCommand<ListingFields>),
    /// A product's draft properties (categories, industries, terms of use): list, get, update.
    #[command(subcommand)]
    Properties(DraftCommand<PropertyFields>),
    /// A product's draft availability (who can see it): list, get, update.
    #[command(subcommand)]
    Availabilities(DraftCommand<AvailabilityFields>),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        let pc = ctx.client()?;
        match self {
            Command::Listings(c) => {
                let handle = |p: &ProductHandle| p.listings();
                run(ctx, &pc, c, handle, &LISTING, listing_row).await
            }
            Command::Properties(c) => {
                let handle = |p: &ProductHandle| p.properties();
                run(ctx, &pc, c, handle, &PROPERTY, property_row).await
            }
            Command::Availabilities(c) => {
                let handle = |p: &ProductHandle| p.availabilities();
                run(ctx, &pc, c, handle, &AVAILABILITY, availability_row).await
            }
        }
    }
}

/// The actions on one kind of draft resource; `F` holds the update's field flags.
#[derive(Subcommand, Debug)]
pub(crate) enum DraftCommand<F: Args> {
    /// What the product's current draft holds.
    List {
        /// The product id.
        #[arg(long)]
        product: String,
    },
    /// One, by id.
    Get {
        /// The product id.
        #[arg(long)]
        product: String,
        /// Its id.
        id: String,
    },
    /// Changes it: the fields given, the rest kept.
    Update {
        /// The product id.
        #[arg(long)]
        product: String,
        /// Its id.
        id: String,
        #[command(flatten)]
        fields: F,
        /// Fields as JSON (`{"title": …}`; any field the service takes), applied before the
        /// flags; `id` and `@odata.etag` are kept from the service's copy.
        #[arg(long)]
        file: Option<PathBuf>,
    },
}

/// The field flags of an update, as JSON fields.
pub(crate) trait Fields: Args {
    fn changes(self) -> Map<String, Value>;
}

/// Sets the fields whose flags were given.
fn given(pairs: Vec<(&str, Option<Value>)>) -> Map<String, Value> {
    pairs
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_owned(), v?)))
        .collect()
}

#[derive(Args, Debug)]
pub(crate) struct ListingFields {
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
}

impl Fields for ListingFields {
    fn changes(self) -> Map<String, Value> {
        given(vec![
            ("title", self.title.map(Value::from)),
            ("description", self.description.map(Value::from)),
            ("shortDescription", self.short_description.map(Value::from)),
            ("summary", self.summary.map(Value::from)),
        ])
    }
}

#[derive(Args, Debug)]
pub(crate) struct PropertyFields {
    /// The categories, comma-separated.
    #[arg(long, value_delimiter = ',')]
    categories: Option<Vec<String>>,
    /// The industries, comma-separated.
    #[arg(long, value_delimiter = ',')]
    industries: Option<Vec<String>>,
    /// The terms of use (text or a URL).
    #[arg(long)]
    terms_of_use: Option<String>,
    /// Whether the Standard Contract applies instead of the terms of use.
    #[arg(long)]
    use_enterprise_contract: Option<bool>,
}

impl Fields for PropertyFields {
    fn changes(self) -> Map<String, Value> {
        given(vec![
            ("categories", self.categories.map(Value::from)),
            ("industries", self.industries.map(Value::from)),
            ("termsOfUse", self.terms_of_use.map(Value::from)),
            (
                "useEnterpriseContract",
                self.use_enterprise_contract.map(Value::from),
            ),
        ])
    }
}

#[derive(Args, Debug)]
pub(crate) struct AvailabilityFields {
    /// `Public` or `Private`.
    #[arg(long)]
    visibility: Option<String>,
}

impl Fields for AvailabilityFields {
    fn changes(self) -> Map<String, Value> {
        given(vec![("visibility", self.visibility.map(Value::from))])
    }
}

/// A kind's name and table columns.
struct Kind {
    name: &'static str,
    headers: &'static [&'static str],
}

const LISTING: Kind = Kind {
    name: "listing",
    headers: &["ID", "LANGUAGE", "TITLE", "DESCRIPTION"],
};
const PROPERTY: Kind = Kind {
    name: "property",
    headers: &["ID", "CATEGORIES", "INDUSTRIES", "TERMS OF USE"],
};
const AVAILABILITY: Kind = Kind {
    name: "availability",
    headers: &["ID", "VISIBILITY"],
};

fn listing_row(l: &Listing) -> Vec<String> {
    vec![
        l.id.clone(),
        opt(l.language_code.as_deref()),
        opt(l.title.as_deref()),
        opt(l.description.as_deref()),
    ]
}

fn property_row(p: &Property) -> Vec<String> {
    let list =
        |v: &Option<Vec<String>>| v.as_ref().map_or_else(|| "-".to_owned(), |v| v.join(", "));
    vec![
        p.id.clone(),
        list(&p.categories),
        list(&p.industries),
        opt(p.terms_of_use.as_deref()),
    ]
}

fn availability_row(a: &ProductAvailability) -> Vec<String> {
    vec![a.id.clone(), opt(a.visibility.as_deref())]
}

async fn run<T: DraftResource + Clone, F: Fields>(
    ctx: &Context,
    pc: &PartnerCenter,
    command: DraftCommand<F>,
    handle: impl Fn(&ProductHandle) -> DraftResources<T>,
    kind: &Kind,
    row: fn(&T) -> Vec<String>,
) -> Result<(), Failure> {
    match command {
        DraftCommand::List { product } => {
            let of = pc.ingestion().product(&product);
            let drafts = of.drafts().await?;
            let instance = drafts.instance(&T::MODULE).ok_or_else(|| {
                Failure::usage(format!(
                    "product {product} has no draft {} (no {} branch): see `branches list --product {product}`",
                    kind.name, T::MODULE
                ))
            })?;
            let items: Vec<T> = handle(&of).by_instance(instance).try_collect().await?;
            print_list(ctx.format, &items, kind.headers, row);
        }
        DraftCommand::Get { product, id } => {
            let item = handle(&pc.ingestion().product(&product)).get(&id).await?;
            print_item(ctx.format, &item, kind.headers, row);
        }
        DraftCommand::Update {
            product,
            id,
            fields,
            file,
        } => {
            let mut changes = match &file {
                Some(path) => match read_json(path)? {
                    Value::Object(map) => map,
                    _ => {
                        return Err(Failure::usage(format!(
                            "--file: give the {}'s fields as a JSON object",
                            kind.name
                        )));
                    }
                },
                None => Map::new(),
            };
            changes.extend(fields.changes());
            if changes.is_empty() {
                return Err(Failure::usage(format!(
                    "nothing to change: give the {}'s fields as flags or in --file (see --help)",
                    kind.name
                )));
            }
            let resources = handle(&pc.ingestion().product(&product));
            let current = resources.get(&id).await?;
            let changed = merge(&current, changes, kind)?;
            let updated = resources.update(&changed).await?;
            print_item(ctx.format, &updated, kind.headers, row);
        }
    }
    Ok(())
}

/// The resource with `changes` laid over it (its id and etag kept).
fn merge<T: DraftResource>(
    current: &T,
    changes: Map<String, Value>,
    kind: &Kind,
) -> Result<T, Failure> {
    let mut value = serde_json::to_value(current).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        for (k, v) in changes {
            if k != "id" && k != "@odata.etag" {
                map.insert(k, v);
            }
        }
    }
    serde_json::from_value(value)
        .map_err(|e| Failure::usage(format!("the changes are not a {}'s fields: {e}", kind.name)))
}
