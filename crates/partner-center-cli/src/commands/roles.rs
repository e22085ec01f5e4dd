//! `roles`: a customer's directory roles, their members, adding and removing one (App+User
//! credentials only).

use clap::Subcommand;
use partner_center::models::{DirectoryRole, UserMember};

use crate::output::{collect, opt, outln, print_list, print_one};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Directory roles: list, members, add and remove a member (App+User credentials only).
    #[command(subcommand)]
    Roles(RolesCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        let Command::Roles(command) = self;
        roles(ctx, command).await
    }
}

#[derive(Subcommand, Debug)]
pub(crate) enum RolesCommand {
    /// The customer's directory roles, or with --user that user's.
    List {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// A user id: their roles instead.
        #[arg(long)]
        user: Option<String>,
    },
    /// The members of a role.
    Members {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The role id.
        #[arg(long)]
        role: String,
    },
    /// Add a user to a role.
    AddMember {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The role id.
        #[arg(long)]
        role: String,
        /// The user id.
        #[arg(long)]
        user: String,
    },
    /// Remove a user from a role.
    RemoveMember {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The role id.
        #[arg(long)]
        role: String,
        /// The user id.
        #[arg(long)]
        user: String,
    },
}

fn member_fields(m: &UserMember) -> Vec<(&'static str, String)> {
    vec![
        ("id", m.id.clone()),
        ("upn", opt(m.user_principal_name.as_deref())),
        ("name", opt(m.display_name.as_deref())),
        ("role", opt(m.role_id.as_deref())),
    ]
}

pub(crate) async fn roles(ctx: &Context, command: RolesCommand) -> Result<(), Failure> {
    let pc = ctx.client()?;
    match command {
        RolesCommand::List { customer, user } => {
            let roles = pc.customer(&customer).roles();
            let items = collect(match &user {
                Some(u) => roles.of_user(u),
                None => roles.list(),
            })
            .await?;
            print_list(ctx.format, &items, &["ID", "NAME"], |r: &DirectoryRole| {
                vec![r.id.clone(), opt(r.name.as_deref())]
            });
        }
        RolesCommand::Members { customer, role } => {
            let items = collect(pc.customer(&customer).roles().members(&role)).await?;
            print_list(
                ctx.format,
                &items,
                &["ID", "UPN", "NAME", "ROLE"],
                |m: &UserMember| member_fields(m).into_iter().map(|(_, v)| v).collect(),
            );
        }
        RolesCommand::AddMember {
            customer,
            role,
            user,
        } => {
            let handle = pc.customer(&customer);
            let found = handle.users().get(&user).await?;
            let member = handle.roles().add_member(&role, &found).await?;
            print_one(ctx.format, &member, member_fields(&member));
        }
        RolesCommand::RemoveMember {
            customer,
            role,
            user,
        } => {
            pc.customer(&customer)
                .roles()
                .remove_member(&role, &user)
                .await?;
            if !ctx.format.is_data() {
                outln!("removed {user} from role {role}");
            } else {
                crate::output::emit(
                    ctx.format,
                    &serde_json::json!({"removed": user, "role": role}),
                );
            }
        }
    }
    Ok(())
}
