//! `offers`: the legacy offer catalogue of a market.

use clap::Subcommand;
use partner_center::models::Offer;

use crate::output::{collect, opt, print_list};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// The offer catalogue of a market.
    #[command(subcommand)]
    Offers(OffersCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        match self {
            Command::Offers(command) => offers(ctx, command).await,
        }
    }
}

#[derive(Subcommand, Debug)]
pub(crate) enum OffersCommand {
    /// List the offers of a market.
    List {
        /// Two-letter country code.
        #[arg(long)]
        country: String,
    },
}

pub(crate) async fn offers(ctx: &Context, command: OffersCommand) -> Result<(), Failure> {
    let pc = ctx.client()?;
    match command {
        OffersCommand::List { country } => {
            let items: Vec<Offer> = collect(pc.offers(&country).list()).await?;
            print_list(
                ctx.format,
                &items,
                &["ID", "NAME", "MIN", "MAX"],
                |o: &Offer| {
                    vec![
                        o.id.clone(),
                        opt(o.name.as_deref()),
                        o.minimum_quantity.map_or("-".to_owned(), |q| q.to_string()),
                        o.maximum_quantity.map_or("-".to_owned(), |q| q.to_string()),
                    ]
                },
            );
        }
    }
    Ok(())
}
