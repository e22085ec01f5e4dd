//! `orders`: a customer's orders: list, create, provisioning status.

use std::path::PathBuf;
use std::time::Duration;

use clap::Subcommand;
use partner_center::ingestion::WaitOptions;
use partner_center::models::{Order, ProvisioningState, ProvisioningStatus};

use crate::output::{collect, opt, print_item, print_list, read_json};
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
    /// An order's provisioning status, a line per order line (App+User credentials only).
    Status {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The order id.
        id: String,
        /// Poll until every line has settled (fulfilled or not).
        #[arg(long)]
        wait: bool,
        /// With --wait: give up after this many seconds (exit 5).
        #[arg(long, default_value_t = 900)]
        timeout: u64,
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
        OrdersCommand::Status {
            customer,
            id,
            wait,
            timeout,
        } => {
            let orders = pc.customer(&customer).orders();
            let lines = if wait {
                let options = WaitOptions::default()
                    .intervals(Duration::from_secs(1), Duration::from_secs(15))
                    .timeout(Duration::from_secs(timeout));
                let progress = crate::progress::Progress::start(
                    "{spinner} waiting for the order's lines: {pos} settled {elapsed} {msg}",
                );
                orders
                    .wait_provisioned(&id, options, |lines| {
                        let settled = lines.iter().filter(|l| l.is_settled()).count();
                        progress.set_position(settled as u64);
                    })
                    .await?
            } else {
                orders.provisioning_status(&id).await?
            };
            print_list(
                ctx.format,
                &lines,
                &["LINE", "STATUS", "QUANTITY"],
                |l: &ProvisioningStatus| {
                    vec![
                        l.line_item_number.map_or("-".to_owned(), |n| n.to_string()),
                        opt(l.status.as_ref().map(ProvisioningState::as_str)),
                        l.quantity_provisioning_information
                            .iter()
                            .flatten()
                            .filter_map(|q| q.quantity)
                            .map(u64::from)
                            .sum::<u64>()
                            .to_string(),
                    ]
                },
            );
        }
        OrdersCommand::Create { customer, file } => {
            let body = read_json(&file)?;
            let o = pc.customer(&customer).orders().create(&body).await?;
            print_item(ctx.format, &o, &headers, order_row);
        }
    }
    Ok(())
}
