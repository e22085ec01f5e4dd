//! `service-requests`: the partner's support tickets with Microsoft (App+User credentials
//! only).

use clap::{Subcommand, ValueEnum};
use partner_center::models::{
    ServiceRequest, ServiceRequestSeverity, ServiceRequestStatus, SupportTopic,
};

use crate::output::{collect, opt, print_list, print_one};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Service requests: list, get, create, update, topics (App+User credentials only).
    #[command(subcommand)]
    ServiceRequests(ServiceRequestsCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        let Command::ServiceRequests(command) = self;
        service_requests(ctx, command).await
    }
}

/// `--severity`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum SeverityArg {
    /// Critical.
    Critical,
    /// Moderate.
    Moderate,
    /// Minimal.
    Minimal,
}

impl From<SeverityArg> for ServiceRequestSeverity {
    fn from(s: SeverityArg) -> Self {
        match s {
            SeverityArg::Critical => Self::Critical,
            SeverityArg::Moderate => Self::Moderate,
            SeverityArg::Minimal => Self::Minimal,
        }
    }
}

/// `--status`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum StatusArg {
    /// Open (again).
    Open,
    /// Closed.
    Closed,
}

#[derive(Subcommand, Debug)]
pub(crate) enum ServiceRequestsCommand {
    /// The partner's service requests, or with --customer those opened for a customer.
    List {
        /// A customer id.
        #[arg(long)]
        customer: Option<String>,
    },
    /// A service request.
    Get {
        /// Its id.
        id: String,
    },
    /// Open a service request.
    Create {
        /// The title.
        #[arg(long)]
        title: String,
        /// What happened.
        #[arg(long)]
        description: String,
        /// How urgent it is.
        #[arg(long, value_enum)]
        severity: SeverityArg,
        /// The support topic's id (`service-requests topics`).
        #[arg(long)]
        topic: String,
        /// The language it is written in.
        #[arg(long, default_value = "en-US")]
        locale: String,
    },
    /// Add a note, close or reopen, change the severity.
    Update {
        /// Its id.
        id: String,
        /// A note to add.
        #[arg(long)]
        note: Option<String>,
        /// The new status.
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        /// The new severity.
        #[arg(long, value_enum)]
        severity: Option<SeverityArg>,
    },
    /// The topics a service request may be filed under.
    Topics,
}

fn fields(r: &ServiceRequest) -> Vec<(&'static str, String)> {
    let text = |v: Option<String>| v.unwrap_or_else(|| "-".to_owned());
    vec![
        ("id", r.id.clone()),
        ("title", opt(r.title.as_deref())),
        ("status", text(r.status.as_ref().map(ToString::to_string))),
        (
            "severity",
            text(r.severity.as_ref().map(ToString::to_string)),
        ),
        ("topic", opt(r.support_topic_name.as_deref())),
        ("created", opt(r.created_date.as_deref())),
        ("modified", opt(r.last_modified_date.as_deref())),
        ("notes", r.notes.as_ref().map_or(0, Vec::len).to_string()),
    ]
}

pub(crate) async fn service_requests(
    ctx: &Context,
    command: ServiceRequestsCommand,
) -> Result<(), Failure> {
    let pc = ctx.client()?;
    let requests = pc.service_requests();
    match command {
        ServiceRequestsCommand::List { customer } => {
            let items = collect(match &customer {
                Some(c) => pc.customer(c).service_requests(),
                None => requests.list(),
            })
            .await?;
            print_list(
                ctx.format,
                &items,
                &[
                    "ID", "TITLE", "STATUS", "SEVERITY", "TOPIC", "CREATED", "MODIFIED", "NOTES",
                ],
                |r: &ServiceRequest| fields(r).into_iter().map(|(_, v)| v).collect(),
            );
        }
        ServiceRequestsCommand::Get { id } => {
            let found = requests.get(&id).await?;
            print_one(ctx.format, &found, fields(&found));
        }
        ServiceRequestsCommand::Create {
            title,
            description,
            severity,
            topic,
            locale,
        } => {
            let ticket = ServiceRequest::new(&title, &description, severity.into(), &topic);
            let opened = requests.create(&locale, &ticket).await?;
            print_one(ctx.format, &opened, fields(&opened));
        }
        ServiceRequestsCommand::Update {
            id,
            note,
            status,
            severity,
        } => {
            if note.is_none() && status.is_none() && severity.is_none() {
                return Err(Failure::usage(
                    "nothing to change: give --note, --status or --severity",
                ));
            }
            let mut changes = note
                .as_deref()
                .map_or_else(ServiceRequest::default, ServiceRequest::note);
            changes.status = status.map(|s| match s {
                StatusArg::Open => ServiceRequestStatus::Open,
                StatusArg::Closed => ServiceRequestStatus::Closed,
            });
            changes.severity = severity.map(Into::into);
            let updated = requests.update(&id, &changes).await?;
            print_one(ctx.format, &updated, fields(&updated));
        }
        ServiceRequestsCommand::Topics => {
            let items = collect(requests.support_topics()).await?;
            print_list(
                ctx.format,
                &items,
                &["ID", "NAME", "DESCRIPTION"],
                |t: &SupportTopic| {
                    vec![
                        t.id.clone(),
                        opt(t.name.as_deref()),
                        opt(t.description.as_deref()),
                    ]
                },
            );
        }
    }
    Ok(())
}
