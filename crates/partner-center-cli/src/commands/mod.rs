//! The commands, one file per area; each parses its own arguments, calls the facade and
//! prints. This file lists them and dispatches.

mod auth;
mod customers;
mod demo;
mod emulator;
mod offers;
mod orders;
mod products;
mod submissions;
mod subscriptions;

use clap::Subcommand;

pub(crate) use customers::print_created_customer;

use crate::{Context, Failure};

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Tokens: acquire one, or inspect a JWT.
    #[command(subcommand)]
    Auth(auth::AuthCommand),
    /// Customers: list, get, create.
    #[command(subcommand)]
    Customers(customers::CustomersCommand),
    /// A customer's subscriptions: list, get, update.
    #[command(subcommand)]
    Subscriptions(subscriptions::SubscriptionsCommand),
    /// A customer's orders: list, create.
    #[command(subcommand)]
    Orders(orders::OrdersCommand),
    /// The offer catalogue of a market.
    #[command(subcommand)]
    Offers(offers::OffersCommand),
    /// Marketplace products (the submission API).
    #[command(subcommand)]
    Products(products::ProductsCommand),
    /// A product's branches and their draft instances.
    #[command(subcommand)]
    Branches(products::BranchesCommand),
    /// A product's submissions: create, promote, watch.
    #[command(subcommand)]
    Submissions(submissions::SubmissionsCommand),
    /// The offline emulator of Entra ID and Partner Center.
    #[command(subcommand)]
    Emulator(emulator::EmulatorCommand),
    /// A narrated walk-through on the embedded emulator, with no set-up.
    Demo,
}

impl Command {
    /// Runs the command.
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        match self {
            Command::Auth(c) => auth::run(ctx, c).await,
            Command::Customers(c) => customers::customers(ctx, c).await,
            Command::Subscriptions(c) => subscriptions::subscriptions(ctx, c).await,
            Command::Orders(c) => orders::orders(ctx, c).await,
            Command::Offers(c) => offers::offers(ctx, c).await,
            Command::Products(c) => products::products(ctx, c).await,
            Command::Branches(c) => products::branches(ctx, c).await,
            Command::Submissions(c) => submissions::submissions(ctx, c).await,
            Command::Emulator(c) => emulator::run(ctx, c).await,
            Command::Demo => demo::run().await,
        }
    }
}
