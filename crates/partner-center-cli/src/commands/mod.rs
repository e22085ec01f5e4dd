//! The commands, one file per area; each parses its own arguments, calls the facade and
//! prints. An area's file defines its top-level `Command` enum and `run`; the build script
//! lists the folder, so adding an area is adding its file.

use clap::Subcommand;

use crate::{Context, Failure};

pub(crate) use customers::print_created_customer;

/// Declares each area's module and gathers their top-level commands.
macro_rules! areas {
    ($($area:ident $Area:ident = $path:literal,)*) => {
        $(
            #[path = $path]
            mod $area;
        )*

        /// Every area's top-level commands.
        #[derive(Subcommand, Debug)]
        pub(crate) enum Command {
            $(
                #[command(flatten)]
                $Area($area::Command),
            )*
        }

        impl Command {
            /// Runs the command.
            pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
                match self {
                    $(Command::$Area(command) => command.run(ctx).await,)*
                }
            }
        }
    };
}

include!(concat!(env!("OUT_DIR"), "/commands_areas.rs"));
