//! `agreements`: the agreement templates, a customer's confirmations, and confirming that
//! a customer accepted the Microsoft Customer Agreement.

use clap::{Subcommand, ValueEnum};
use partner_center::auth::{Clock as _, SystemClock};
use partner_center::models::{Agreement, AgreementMetadata, AgreementType, Contact};

use crate::output::{collect, opt, print_list, print_one};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Agreements: templates, a customer's confirmations, accepting the Customer Agreement.
    #[command(subcommand)]
    Agreements(AgreementsCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        let Command::Agreements(command) = self;
        agreements(ctx, command).await
    }
}

/// Which agreements.
#[derive(ValueEnum, Clone, Copy, Debug)]
pub(crate) enum Kind {
    /// The Microsoft Customer Agreement.
    Customer,
    /// The Microsoft Cloud Agreement (replaced by the Customer Agreement in 2021).
    Cloud,
    /// Every type.
    All,
}

impl Kind {
    fn agreement_type(self) -> Option<AgreementType> {
        match self {
            Kind::Customer => Some(AgreementType::MicrosoftCustomerAgreement),
            Kind::Cloud => Some(AgreementType::MicrosoftCloudAgreement),
            Kind::All => None,
        }
    }
}

#[derive(Subcommand, Debug)]
pub(crate) enum AgreementsCommand {
    /// Record that a customer accepted the Microsoft Customer Agreement (App+User
    /// credentials only).
    Accept {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// The accepting user's email address.
        #[arg(long)]
        email: String,
        /// Their first name.
        #[arg(long)]
        first_name: String,
        /// Their last name.
        #[arg(long)]
        last_name: String,
        /// Their phone number.
        #[arg(long)]
        phone: Option<String>,
        /// When they accepted it (UTC, YYYY-MM-DD; default today).
        #[arg(long)]
        date: Option<String>,
    },
    /// List a customer's confirmed agreements.
    List {
        /// The customer id.
        #[arg(long)]
        customer: String,
        /// Which agreements.
        #[arg(long, value_enum, default_value_t = Kind::Customer)]
        kind: Kind,
    },
    /// List the agreement templates.
    Templates {
        /// Which agreements.
        #[arg(long, value_enum, default_value_t = Kind::Customer)]
        kind: Kind,
    },
}

fn agreement_fields(a: &Agreement) -> Vec<(&'static str, String)> {
    let contact = a.primary_contact.as_ref();
    vec![
        (
            "type",
            opt(a.agreement_type.as_ref().map(AgreementType::as_str)),
        ),
        ("date agreed", opt(a.date_agreed.as_deref())),
        ("contact", opt(contact.and_then(|c| c.email.as_deref()))),
        ("template", a.template_id.clone()),
    ]
}

/// `YYYY-MM-DD` → the midnight UTC the service expects; today when absent.
fn date_agreed(date: Option<&str>) -> Result<String, Failure> {
    let day = match date {
        Some(d) => d.to_owned(),
        None => humantime::format_rfc3339_seconds(SystemClock.now())
            .to_string()
            .chars()
            .take(10)
            .collect(),
    };
    let day = crate::output::day("--date", &day)?;
    Ok(format!("{day}T00:00:00Z"))
}

pub(crate) async fn agreements(ctx: &Context, command: AgreementsCommand) -> Result<(), Failure> {
    let pc = ctx.client()?;
    match command {
        AgreementsCommand::Accept {
            customer,
            email,
            first_name,
            last_name,
            phone,
            date,
        } => {
            let mut contact = Contact::new(&first_name, &last_name, &email);
            if let Some(phone) = &phone {
                contact = contact.with_phone(phone);
            }
            let agreed = date_agreed(date.as_deref())?;
            let a = pc
                .customer(&customer)
                .agreements()
                .accept_customer_agreement(contact, &agreed)
                .await?;
            print_one(ctx.format, &a, agreement_fields(&a));
        }
        AgreementsCommand::List { customer, kind } => {
            let kind = kind.agreement_type();
            let items = collect(pc.customer(&customer).agreements().list(kind.as_ref())).await?;
            print_list(
                ctx.format,
                &items,
                &["TYPE", "DATE AGREED", "CONTACT", "TEMPLATE"],
                |a: &Agreement| agreement_fields(a).into_iter().map(|(_, v)| v).collect(),
            );
        }
        AgreementsCommand::Templates { kind } => {
            let kind = kind.agreement_type();
            let items = collect(pc.agreement_templates(kind.as_ref())).await?;
            print_list(
                ctx.format,
                &items,
                &["TEMPLATE", "TYPE", "LINK"],
                |t: &AgreementMetadata| {
                    vec![
                        t.template_id.clone(),
                        opt(t.agreement_type.as_ref().map(AgreementType::as_str)),
                        opt(t.agreement_link.as_deref()),
                    ]
                },
            );
        }
    }
    Ok(())
}
