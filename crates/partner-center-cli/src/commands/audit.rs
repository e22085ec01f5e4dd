//! `audit`: the partner's audit trail (the last 90 days of changes).

use clap::Subcommand;
use partner_center::AuditQuery;
use partner_center::models::{AuditFilter, AuditRecord};

use crate::output::{collect, day, opt, print_list};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// The audit trail: who changed what, when, in which customer.
    #[command(subcommand)]
    Audit(AuditCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        let Command::Audit(command) = self;
        audit(ctx, command).await
    }
}

#[derive(Subcommand, Debug)]
pub(crate) enum AuditCommand {
    /// The records of a date range (the last 30 days by default; kept 90 days), oldest
    /// first. One filter at most: --customer, --company or --resource-type.
    List {
        /// The first day, YYYY-MM-DD (UTC).
        #[arg(long)]
        from: Option<String>,
        /// The last day, YYYY-MM-DD (UTC; today by default).
        #[arg(long)]
        to: Option<String>,
        /// Only this customer's records (its id).
        #[arg(long, conflicts_with_all = ["company", "resource_type"])]
        customer: Option<String>,
        /// Only records of customers whose name contains this text.
        #[arg(long, conflicts_with = "resource_type")]
        company: Option<String>,
        /// Only records of this kind of resource (customer_user, license, order, …).
        #[arg(long)]
        resource_type: Option<String>,
    },
}

pub(crate) async fn audit(ctx: &Context, command: AuditCommand) -> Result<(), Failure> {
    let pc = ctx.client()?;
    let AuditCommand::List {
        from,
        to,
        customer,
        company,
        resource_type,
    } = command;
    let mut query = AuditQuery::default();
    query.start = from.as_deref().map(|d| day("--from", d)).transpose()?;
    query.end = to.as_deref().map(|d| day("--to", d)).transpose()?;
    query.filter = match (customer, company, resource_type) {
        (Some(id), _, _) => Some(AuditFilter::CustomerId(id)),
        (_, Some(name), _) => Some(AuditFilter::CompanyName(name)),
        (_, _, Some(kind)) => Some(AuditFilter::ResourceType(
            kind.parse().unwrap_or_else(|never| match never {}),
        )),
        _ => None,
    };
    let records = collect(pc.audit_records().list(&query)).await?;
    print_list(
        ctx.format,
        &records,
        &["DATE", "OPERATION", "CUSTOMER", "BY", "DETAILS"],
        |r: &AuditRecord| {
            vec![
                r.operation_date.chars().take(19).collect(),
                r.operation_type.to_string(),
                opt(r.customer_name.as_deref().or(r.customer_id.as_deref())),
                opt(r
                    .user_principal_name
                    .as_deref()
                    .or(r.application_id.as_deref())),
                details(r),
            ]
        },
    );
    Ok(())
}

/// The record's `customizedData`, `key=value` joined.
fn details(r: &AuditRecord) -> String {
    r.customized_data
        .iter()
        .flatten()
        .filter(|d| d.key != "CustomerId")
        .map(|d| format!("{}={}", d.key, d.value.as_deref().unwrap_or("-")))
        .collect::<Vec<_>>()
        .join(" ")
}
