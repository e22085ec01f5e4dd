//! `licenses`: a customer's subscribed SKUs (seats and how many are used), a user's
//! licences, and assigning or removing them (App+User credentials only).

use clap::Subcommand;
use partner_center::models::{License, LicenseUpdate, SubscribedSku};

use crate::output::{collect, opt, print_list, print_one};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Licences: the customer's seats, a user's licences, assign and remove (App+User
    /// credentials only).
    #[command(subcommand)]
    Licenses(LicensesCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        let Command::Licenses(command) = self;
        licenses(ctx, command).await
    }
}

#[derive(Subcommand, Debug)]
pub(crate) enum LicensesCommand {
    /// The customer's subscribed SKUs with their seats, or with --user that user's
    /// licences.
    List {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// A user id: their licences instead.
        #[arg(long)]
        user: Option<String>,
    },
    /// Assign licences (SKU ids from `licenses list`) to a user: a seat of each is used.
    Assign {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The user id.
        #[arg(long)]
        user: String,
        /// A SKU id (repeatable).
        #[arg(long = "sku", required = true)]
        skus: Vec<String>,
    },
    /// Remove licences from a user, freeing their seats.
    Remove {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The user id.
        #[arg(long)]
        user: String,
        /// A SKU id (repeatable).
        #[arg(long = "sku", required = true)]
        skus: Vec<String>,
    },
}

fn update_fields(u: &LicenseUpdate) -> Vec<(&'static str, String)> {
    let assigned: Vec<&str> = u
        .licenses_to_assign
        .iter()
        .flatten()
        .map(|a| a.sku_id.as_str())
        .collect();
    let removed = u.licenses_to_remove.clone().unwrap_or_default();
    let warnings: Vec<String> = u
        .license_warnings
        .iter()
        .flatten()
        .map(|w| format!("{}: {}", opt(w.code.as_deref()), opt(w.message.as_deref())))
        .collect();
    vec![
        ("assigned", assigned.join(", ")),
        ("removed", removed.join(", ")),
        ("warnings", warnings.join("; ")),
    ]
}

pub(crate) async fn licenses(ctx: &Context, command: LicensesCommand) -> Result<(), Failure> {
    let pc = ctx.client()?;
    match command {
        LicensesCommand::List {
            customer,
            user: None,
        } => {
            let items = collect(pc.customer(&customer).licenses().subscribed_skus(&[])).await?;
            print_list(
                ctx.format,
                &items,
                &["SKU", "NAME", "PART NUMBER", "TOTAL", "USED", "AVAILABLE"],
                |s: &SubscribedSku| {
                    vec![
                        s.product_sku.id.clone(),
                        opt(s.product_sku.name.as_deref()),
                        opt(s.product_sku.sku_part_number.as_deref()),
                        s.total_units.to_string(),
                        s.consumed_units.to_string(),
                        s.available_units.to_string(),
                    ]
                },
            );
        }
        LicensesCommand::List {
            customer,
            user: Some(user),
        } => {
            let items = collect(pc.customer(&customer).licenses().of_user(&user, &[])).await?;
            print_list(
                ctx.format,
                &items,
                &["SKU", "NAME", "PART NUMBER"],
                |l: &License| {
                    vec![
                        l.product_sku.id.clone(),
                        opt(l.product_sku.name.as_deref()),
                        opt(l.product_sku.sku_part_number.as_deref()),
                    ]
                },
            );
        }
        LicensesCommand::Assign {
            customer,
            user,
            skus,
        } => {
            let skus: Vec<&str> = skus.iter().map(String::as_str).collect();
            let update = LicenseUpdate::new(&skus, &[]);
            let done = pc
                .customer(&customer)
                .licenses()
                .update(&user, &update)
                .await?;
            print_one(ctx.format, &done, update_fields(&done));
        }
        LicensesCommand::Remove {
            customer,
            user,
            skus,
        } => {
            let skus: Vec<&str> = skus.iter().map(String::as_str).collect();
            let update = LicenseUpdate::new(&[], &skus);
            let done = pc
                .customer(&customer)
                .licenses()
                .update(&user, &update)
                .await?;
            print_one(ctx.format, &done, update_fields(&done));
        }
    }
    Ok(())
}
