//! `customers`: list, get, create.

use std::path::PathBuf;

use clap::Subcommand;
use partner_center::auth::ExposeSecret;
use partner_center::models::Customer;
use serde_json::Value;

use crate::output::{self, Format, Shape, collect, opt, outln, print_list, print_one, read_json};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Customers: list, get, create.
    #[command(subcommand)]
    Customers(CustomersCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        match self {
            Command::Customers(command) => customers(ctx, command).await,
        }
    }
}

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
    match format.shape() {
        Shape::Data => {
            let mut v = serde_json::to_value(c).unwrap_or_default();
            if let Some(p) = &password {
                v["userCredentials"]["password"] = Value::String(p.clone());
            }
            output::emit(format, &v);
        }
        Shape::Table => {
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
