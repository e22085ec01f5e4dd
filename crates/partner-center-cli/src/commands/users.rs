//! `users`: a customer's user accounts (App+User credentials only): list (or the
//! deleted ones), get, create (the password shown once), update, reset the password,
//! delete and restore.

use clap::Subcommand;
use partner_center::auth::{ExposeSecret, SecretString};
use partner_center::models::{CustomerUser, UserState};

use crate::output::{Format, Shape, collect, opt, outln, print_list, print_one};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// A customer's user accounts (App+User credentials only).
    #[command(subcommand)]
    Users(UsersCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        let Command::Users(command) = self;
        users(ctx, command).await
    }
}

#[derive(Subcommand, Debug)]
pub(crate) enum UsersCommand {
    /// List the active users (or, with --deleted, those deleted in the last 30 days).
    List {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The deleted users instead, restorable for 30 days.
        #[arg(long)]
        deleted: bool,
    },
    /// Show a user.
    Get {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The user id.
        user: String,
    },
    /// Create a user; the password (generated unless --password-file) is shown once and
    /// must be changed at the first sign-in.
    Create {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The user principal name, name@<the customer's domain>.
        #[arg(long)]
        upn: String,
        /// First name.
        #[arg(long)]
        first_name: String,
        /// Last name.
        #[arg(long)]
        last_name: String,
        /// Display name (default "First Last").
        #[arg(long)]
        display_name: Option<String>,
        /// Where the user uses licences: a two-letter country code.
        #[arg(long, default_value = "US")]
        usage_location: String,
        /// A file holding the password (`-` for stdin); default: a generated one.
        #[arg(long)]
        password_file: Option<std::path::PathBuf>,
    },
    /// Change a user's names, principal name or usage location.
    Update {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The user id.
        user: String,
        /// New first name.
        #[arg(long)]
        first_name: Option<String>,
        /// New last name.
        #[arg(long)]
        last_name: Option<String>,
        /// New display name.
        #[arg(long)]
        display_name: Option<String>,
        /// New usage location.
        #[arg(long)]
        usage_location: Option<String>,
        /// New user principal name.
        #[arg(long)]
        upn: Option<String>,
    },
    /// Set a new password (generated unless --password-file), shown once.
    ResetPassword {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The user id.
        user: String,
        /// A file holding the password (`-` for stdin); default: a generated one.
        #[arg(long)]
        password_file: Option<std::path::PathBuf>,
        /// Do not make the user change it at the next sign-in.
        #[arg(long)]
        no_force_change: bool,
    },
    /// Delete a user: inactive for 30 days (restorable), then purged.
    Delete {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The user id.
        user: String,
    },
    /// Restore a user deleted in the last 30 days.
    Restore {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The user id.
        user: String,
    },
}

fn user_fields(u: &CustomerUser) -> Vec<(&'static str, String)> {
    vec![
        ("id", u.id.clone()),
        ("upn", opt(u.user_principal_name.as_deref())),
        ("name", opt(u.display_name.as_deref())),
        ("state", opt(u.state.as_ref().map(UserState::as_str))),
        ("usage location", opt(u.usage_location.as_deref())),
    ]
}

/// A password from a file (or stdin), or a generated one.
fn password(file: Option<&std::path::Path>) -> Result<SecretString, Failure> {
    match file {
        Some(p) if p.as_os_str() == "-" => Ok(partner_center::auth::secret::from_reader(
            std::io::stdin().lock(),
        )?),
        Some(p) => Ok(partner_center::auth::secret::from_file(p)?),
        None => Ok(partner_center::auth::secret::random_password()),
    }
}

/// A user answer that carries a password (create, reset): shown here on purpose, once.
#[allow(clippy::disallowed_methods)] // reason: the create and reset commands' own output is where the one-time password must reach the user
fn print_with_password(format: Format, user: &CustomerUser) {
    let password = user
        .password_profile
        .as_ref()
        .and_then(|p| p.password.as_ref())
        .map(|p| p.expose_secret().to_owned());
    match format.shape() {
        Shape::Data => print_one(format, user, Vec::new()),
        Shape::Table => {
            print_one(format, user, user_fields(user));
            if let Some(p) = password {
                outln!("password       {p}   (shown once: give it to the user now)");
            }
        }
    }
}

pub(crate) async fn users(ctx: &Context, command: UsersCommand) -> Result<(), Failure> {
    let pc = ctx.client()?;
    match command {
        UsersCommand::List { customer, deleted } => {
            let handle = pc.customer(&customer).users();
            let items = collect(if deleted {
                handle.deleted()
            } else {
                handle.list()
            })
            .await?;
            print_list(
                ctx.format,
                &items,
                &["ID", "UPN", "NAME", "STATE", "USAGE LOCATION"],
                |u: &CustomerUser| user_fields(u).into_iter().map(|(_, v)| v).collect(),
            );
        }
        UsersCommand::Get { customer, user } => {
            let u = pc.customer(&customer).users().get(&user).await?;
            print_one(ctx.format, &u, user_fields(&u));
        }
        UsersCommand::Create {
            customer,
            upn,
            first_name,
            last_name,
            display_name,
            usage_location,
            password_file,
        } => {
            let secret = password(password_file.as_deref())?;
            let mut new = CustomerUser::new(&upn, &first_name, &last_name, &usage_location, secret);
            if let Some(d) = display_name {
                new.display_name = Some(d);
            }
            let created = pc.customer(&customer).users().create(&new).await?;
            print_with_password(ctx.format, &created);
        }
        UsersCommand::Update {
            customer,
            user,
            first_name,
            last_name,
            display_name,
            usage_location,
            upn,
        } => {
            let mut changes = CustomerUser::default();
            changes.first_name = first_name;
            changes.last_name = last_name;
            changes.display_name = display_name;
            changes.usage_location = usage_location;
            changes.user_principal_name = upn;
            let u = pc
                .customer(&customer)
                .users()
                .update(&user, &changes)
                .await?;
            print_one(ctx.format, &u, user_fields(&u));
        }
        UsersCommand::ResetPassword {
            customer,
            user,
            password_file,
            no_force_change,
        } => {
            let secret = password(password_file.as_deref())?;
            let u = pc
                .customer(&customer)
                .users()
                .reset_password(&user, secret, !no_force_change)
                .await?;
            print_with_password(ctx.format, &u);
        }
        UsersCommand::Delete { customer, user } => {
            pc.customer(&customer).users().delete(&user).await?;
            if !ctx.format.is_data() {
                outln!("deleted {user} (restorable for 30 days: `users restore`)");
            } else {
                crate::output::emit(ctx.format, &serde_json::json!({"deleted": user}));
            }
        }
        UsersCommand::Restore { customer, user } => {
            let u = pc.customer(&customer).users().restore(&user).await?;
            print_one(ctx.format, &u, user_fields(&u));
        }
    }
    Ok(())
}
