//! `orders`: a customer's orders: list, create.

use std::path::PathBuf;

use clap::Subcommand;
use partner_center::models::Order;

use crate::output::{collect, opt, print_list, read_json};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// A customer's orders: list, create.
    #[command(subcommand)]
    Orders(OrdersCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        match self {
            Command::Orders(command) => orders(ctx, command).await,
        }
    }
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
