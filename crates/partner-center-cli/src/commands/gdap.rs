//! `gdap`: granular delegated admin relationships with customers, their access
//! assignments and operations (Microsoft Graph).

use clap::Subcommand;
use partner_center::GdapUpdate;
use partner_center::ingestion::WaitOptions;
use partner_center::models::gdap::{
    DelegatedAdminAccessAssignment, DelegatedAdminAccessDetails, DelegatedAdminRelationship,
    DelegatedAdminRelationshipOperation,
};

use crate::output::{collect, emit, opt, outln, print_list, print_one};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// GDAP: admin relationships with customers, access assignments, operations.
    #[command(subcommand)]
    Gdap(GdapCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        let Command::Gdap(command) = self;
        match command {
            GdapCommand::Relationships(c) => relationships(ctx, c).await,
            GdapCommand::Assignments(c) => assignments(ctx, c).await,
            GdapCommand::Operations { relationship } => {
                let pc = ctx.client()?;
                let items = collect(pc.gdap().operations(&relationship)).await?;
                print_list(
                    ctx.format,
                    &items,
                    &["ID", "TYPE", "STATUS", "CREATED"],
                    |o: &DelegatedAdminRelationshipOperation| {
                        vec![
                            o.id.clone(),
                            o.operation_type.to_string(),
                            o.status.to_string(),
                            opt(o.created_date_time.as_deref()),
                        ]
                    },
                );
                Ok(())
            }
        }
    }
}

#[derive(Subcommand, Debug)]
pub(crate) enum GdapCommand {
    /// Relationships: list, get, create (and lock for approval), approve-link, terminate.
    #[command(subcommand)]
    Relationships(RelationshipsCommand),
    /// Access assignments: a security group given roles in an active relationship.
    #[command(subcommand)]
    Assignments(AssignmentsCommand),
    /// The long-running operations of a relationship.
    Operations {
        /// The relationship id.
        #[arg(long)]
        relationship: String,
    },
}

#[derive(Subcommand, Debug)]
pub(crate) enum RelationshipsCommand {
    /// Every relationship, or with --customer those with one customer.
    List {
        /// A customer's tenant id.
        #[arg(long)]
        customer: Option<String>,
    },
    /// A relationship.
    Get {
        /// Its id.
        id: String,
    },
    /// Create a relationship and lock it for the customer's approval, printing the link
    /// to send them (as the Partner Center UI does).
    Create {
        /// The customer's tenant id.
        #[arg(long)]
        customer: String,
        /// Its name, unique among the partner's relationships (50 characters at most).
        #[arg(long)]
        name: String,
        /// How long it lasts once approved, ISO 8601: P1D to P730D.
        #[arg(long, default_value = "P730D")]
        duration: String,
        /// The Entra ID role template ids, comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        roles: Vec<String>,
        /// Extend it by this at its end: P180D, or PT0S for never.
        #[arg(long)]
        auto_extend: Option<String>,
        /// Leave it in status created (to change it before locking).
        #[arg(long)]
        no_lock: bool,
    },
    /// The link the customer's Global Administrator opens to approve, and the status.
    ApproveLink {
        /// The relationship id.
        id: String,
    },
    /// End an active relationship.
    Terminate {
        /// The relationship id.
        id: String,
    },
    /// Delete a relationship not yet locked for approval.
    Delete {
        /// The relationship id.
        id: String,
    },
}

#[derive(Subcommand, Debug)]
pub(crate) enum AssignmentsCommand {
    /// The access assignments of a relationship.
    List {
        /// The relationship id.
        #[arg(long)]
        relationship: String,
    },
    /// Give a security group of the partner roles of an active relationship.
    Create {
        /// The relationship id.
        #[arg(long)]
        relationship: String,
        /// The security group's object id.
        #[arg(long)]
        group: String,
        /// The role template ids, comma-separated (the relationship's).
        #[arg(long, value_delimiter = ',', required = true)]
        roles: Vec<String>,
    },
    /// Change an assignment's roles.
    Update {
        /// The relationship id.
        #[arg(long)]
        relationship: String,
        /// The assignment id.
        #[arg(long)]
        assignment: String,
        /// The role template ids, comma-separated.
        #[arg(long, value_delimiter = ',', required = true)]
        roles: Vec<String>,
    },
    /// Remove an assignment.
    Delete {
        /// The relationship id.
        #[arg(long)]
        relationship: String,
        /// The assignment id.
        #[arg(long)]
        assignment: String,
    },
}

fn relationship_fields(r: &DelegatedAdminRelationship) -> Vec<(&'static str, String)> {
    let status = r.status.as_ref().map(ToString::to_string);
    let roles = r.access_details.as_ref().map(|a| a.role_ids().join(","));
    vec![
        ("id", r.id.clone()),
        ("name", opt(r.display_name.as_deref())),
        ("status", opt(status.as_deref())),
        (
            "customer",
            opt(r.customer.as_ref().and_then(|c| c.tenant_id.as_deref())),
        ),
        ("duration", opt(r.duration.as_deref())),
        ("roles", opt(roles.as_deref())),
        ("activated", opt(r.activated())),
    ]
}

fn assignment_fields(a: &DelegatedAdminAccessAssignment) -> Vec<(&'static str, String)> {
    let status = a.status.as_ref().map(ToString::to_string);
    vec![
        ("id", a.id.clone()),
        ("group", a.access_container.access_container_id.clone()),
        ("status", opt(status.as_deref())),
        ("roles", a.access_details.role_ids().join(",")),
    ]
}

/// The etag just read, which updates and deletes send as `If-Match`.
fn etag_of(etag: Option<&str>) -> Result<&str, Failure> {
    etag.ok_or_else(|| Failure {
        code: 6,
        message: "the service sent no @odata.etag with the object, and changes need it (If-Match)"
            .to_owned(),
        hint: Some("read it again; report the request id if it persists".to_owned()),
        ids: Vec::new(),
    })
}

fn values(fields: Vec<(&'static str, String)>) -> Vec<String> {
    fields.into_iter().map(|(_, v)| v).collect()
}

/// A relationship with its approval link, as `-o json` prints it.
fn print_with_link(ctx: &Context, r: &DelegatedAdminRelationship) {
    let link = r.approval_link();
    if !ctx.format.is_data() {
        print_one(ctx.format, r, relationship_fields(r));
        outln!("{:<14} {link}", "approval link");
    } else {
        let mut value = serde_json::to_value(r).unwrap_or_default();
        value["approvalLink"] = serde_json::Value::from(link);
        emit(ctx.format, &value);
    }
}

async fn relationships(ctx: &Context, command: RelationshipsCommand) -> Result<(), Failure> {
    let pc = ctx.client()?;
    let gdap = pc.gdap();
    match command {
        RelationshipsCommand::List { customer } => {
            let items = collect(match &customer {
                Some(c) => gdap.of_customer(c),
                None => gdap.list(),
            })
            .await?;
            print_list(
                ctx.format,
                &items,
                &[
                    "ID",
                    "NAME",
                    "STATUS",
                    "CUSTOMER",
                    "DURATION",
                    "ROLES",
                    "ACTIVATED",
                ],
                |r: &DelegatedAdminRelationship| values(relationship_fields(r)),
            );
        }
        RelationshipsCommand::Get { id } => {
            let r = gdap.get(&id).await?;
            print_one(ctx.format, &r, relationship_fields(&r));
        }
        RelationshipsCommand::Create {
            customer,
            name,
            duration,
            roles,
            auto_extend,
            no_lock,
        } => {
            let mut asked =
                DelegatedAdminRelationship::new(&name, &duration, &roles).for_customer(&customer);
            asked.auto_extend_duration = auto_extend;
            let created = gdap.create(&asked).await?;
            if !no_lock {
                gdap.lock_for_approval(&created.id).await?;
            }
            print_with_link(ctx, &gdap.get(&created.id).await?);
        }
        RelationshipsCommand::ApproveLink { id } => {
            print_with_link(ctx, &gdap.get(&id).await?);
        }
        RelationshipsCommand::Terminate { id } => {
            gdap.terminate(&id).await?;
            let r = gdap.get(&id).await?;
            print_one(ctx.format, &r, relationship_fields(&r));
        }
        RelationshipsCommand::Delete { id } => {
            let r = gdap.get(&id).await?;
            gdap.delete(&id, etag_of(r.etag.as_deref())?).await?;
            if !ctx.format.is_data() {
                outln!("deleted relationship {id}");
            } else {
                emit(ctx.format, &serde_json::json!({"deleted": id}));
            }
        }
    }
    Ok(())
}

async fn assignments(ctx: &Context, command: AssignmentsCommand) -> Result<(), Failure> {
    let pc = ctx.client()?;
    let gdap = pc.gdap();
    match command {
        AssignmentsCommand::List { relationship } => {
            let items = collect(gdap.access_assignments(&relationship)).await?;
            print_list(
                ctx.format,
                &items,
                &["ID", "GROUP", "STATUS", "ROLES"],
                |a: &DelegatedAdminAccessAssignment| values(assignment_fields(a)),
            );
        }
        AssignmentsCommand::Create {
            relationship,
            group,
            roles,
        } => {
            let asked = DelegatedAdminAccessAssignment::new(&group, &roles);
            let made = gdap.create_access_assignment(&relationship, &asked).await?;
            print_one(ctx.format, &made, assignment_fields(&made));
        }
        AssignmentsCommand::Update {
            relationship,
            assignment,
            roles,
        } => {
            let current = gdap.access_assignment(&relationship, &assignment).await?;
            let etag = etag_of(current.etag.as_deref())?;
            let roles = DelegatedAdminAccessDetails::roles(&roles);
            let done = match gdap
                .update_access_assignment(&relationship, &assignment, etag, &roles)
                .await?
            {
                GdapUpdate::Done(a) => a,
                GdapUpdate::Accepted(location) => {
                    let _progress = crate::progress::Progress::start(
                        "{spinner} waiting for the role change {elapsed} {msg}",
                    );
                    gdap.wait(&location, WaitOptions::default()).await?;
                    gdap.access_assignment(&relationship, &assignment).await?
                }
                _ => current,
            };
            print_one(ctx.format, &done, assignment_fields(&done));
        }
        AssignmentsCommand::Delete {
            relationship,
            assignment,
        } => {
            let current = gdap.access_assignment(&relationship, &assignment).await?;
            gdap.delete_access_assignment(
                &relationship,
                &assignment,
                etag_of(current.etag.as_deref())?,
            )
            .await?;
            if !ctx.format.is_data() {
                outln!("deleted assignment {assignment}");
            } else {
                emit(ctx.format, &serde_json::json!({"deleted": assignment}));
            }
        }
    }
    Ok(())
}
