//! GDAP end to end: a relationship created, locked for approval, approved by the
//! customer (the emulator's admin door), given to a security group, its roles changed by
//! a long-running operation, terminated; the documented rules on the way; the audit
//! trail of it — through the facade and the CLI, against the emulator.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

mod common;

use common::{a_customer, app, app_and_user};
use partner_center::models::gdap::{
    DelegatedAdminAccessAssignment, DelegatedAdminAccessAssignmentStatus,
    DelegatedAdminAccessDetails, DelegatedAdminRelationship, DelegatedAdminRelationshipStatus,
    LongRunningOperationStatus,
};
use partner_center::models::{AuditFilter, AuditOperationType};
use partner_center::prelude::*;
use partner_center::{AuditQuery, GdapUpdate};
use partner_center_emulator::Emulator;

const HELPDESK: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const USER_ADMIN: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";
const GROUP: &str = "869713c9-0b28-4d08-8949-ae07ae1bf528";

fn graph_status(e: &partner_center::Error) -> (u16, String) {
    match e {
        partner_center::Error::Api { status, code, .. } => {
            (*status, code.clone().unwrap_or_default())
        }
        other => panic!("not an API refusal: {other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relationship_goes_from_created_to_active_to_terminated() {
    let emu = Emulator::builder().start().await.unwrap();
    let customer = a_customer(&app_and_user(&emu), "gdap.onmicrosoft.com", false).await;
    let pc = app(&emu);
    let gdap = pc.gdap();

    let asked =
        DelegatedAdminRelationship::new("Contoso support", "P730D", &[HELPDESK, USER_ADMIN])
            .for_customer(&customer);
    let created = gdap.create(&asked).await.unwrap();
    assert_eq!(
        created.status,
        Some(DelegatedAdminRelationshipStatus::Created)
    );
    assert_eq!(created.auto_extend_duration.as_deref(), Some("PT0S"));
    // The name is unique; the duration P1D to P2Y.
    let e = gdap.create(&asked).await.unwrap_err();
    assert_eq!(graph_status(&e), (409, "conflict".to_owned()));
    let too_long = DelegatedAdminRelationship::new("Too long", "P3Y", &[HELPDESK]);
    assert_eq!(
        graph_status(&gdap.create(&too_long).await.unwrap_err()).0,
        400
    );

    // While created it may change, with the current etag only.
    let mut rename = DelegatedAdminRelationship::default();
    rename.display_name = Some("Contoso helpdesk".to_owned());
    let e = gdap
        .update(&created.id, "W/\"stale\"", &rename)
        .await
        .unwrap_err();
    assert_eq!(graph_status(&e), (412, "preconditionFailed".to_owned()));
    let renamed = match gdap
        .update(&created.id, created.etag.as_deref().unwrap(), &rename)
        .await
        .unwrap()
    {
        GdapUpdate::Done(r) => r,
        other => panic!("{other:?}"),
    };
    assert_eq!(renamed.display_name.as_deref(), Some("Contoso helpdesk"));

    // Access cannot be assigned before approval.
    let assignment = DelegatedAdminAccessAssignment::new(GROUP, &[HELPDESK]);
    let e = gdap
        .create_access_assignment(&created.id, &assignment)
        .await
        .unwrap_err();
    assert_eq!(graph_status(&e).0, 400);

    let lock = gdap.lock_for_approval(&created.id).await.unwrap();
    assert!(!lock.id.is_empty());
    let pending = gdap.get(&created.id).await.unwrap();
    assert_eq!(
        pending.status,
        Some(DelegatedAdminRelationshipStatus::ApprovalPending)
    );
    assert!(pending.approval_link().ends_with(&created.id));
    // Locked: no more deleting.
    let e = gdap
        .delete(&created.id, pending.etag.as_deref().unwrap())
        .await
        .unwrap_err();
    assert_eq!(graph_status(&e).0, 400);

    emu.approve_relationship(&created.id, None).unwrap();
    let active = gdap.get(&created.id).await.unwrap();
    assert_eq!(
        active.status,
        Some(DelegatedAdminRelationshipStatus::Active)
    );
    assert!(active.activated().is_some());
    let listed: Vec<_> = gdap.of_customer(&customer).try_collect().await.unwrap();
    assert_eq!(listed.len(), 1);

    // A security group gets roles the relationship grants, and no others.
    let made = gdap
        .create_access_assignment(&created.id, &assignment)
        .await
        .unwrap();
    assert_eq!(
        made.status,
        Some(DelegatedAdminAccessAssignmentStatus::Pending)
    );
    let stranger = DelegatedAdminAccessAssignment::new(
        "other-group",
        &["62e90394-69f5-4237-9190-012177145e10"],
    );
    assert_eq!(
        graph_status(
            &gdap
                .create_access_assignment(&created.id, &stranger)
                .await
                .unwrap_err()
        )
        .0,
        400
    );
    let current = gdap.access_assignment(&created.id, &made.id).await.unwrap();
    assert_eq!(
        current.status,
        Some(DelegatedAdminAccessAssignmentStatus::Active)
    );
    let both = DelegatedAdminAccessDetails::roles(&[HELPDESK, USER_ADMIN]);
    let location = match gdap
        .update_access_assignment(
            &created.id,
            &made.id,
            current.etag.as_deref().unwrap(),
            &both,
        )
        .await
        .unwrap()
    {
        GdapUpdate::Accepted(location) => location,
        other => panic!("a role change is a long-running operation: {other:?}"),
    };
    let operation = gdap.wait(&location, Default::default()).await.unwrap();
    assert_eq!(operation.status, LongRunningOperationStatus::Succeeded);
    let operations: Vec<_> = gdap.operations(&created.id).try_collect().await.unwrap();
    assert_eq!(operations.len(), 1);
    let changed = gdap.access_assignment(&created.id, &made.id).await.unwrap();
    assert_eq!(changed.access_details.role_ids(), [HELPDESK, USER_ADMIN]);

    gdap.terminate(&created.id).await.unwrap();
    let ended = gdap.get(&created.id).await.unwrap();
    assert_eq!(
        ended.status,
        Some(DelegatedAdminRelationshipStatus::Terminated)
    );
    let assignments: Vec<_> = gdap
        .access_assignments(&created.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        assignments[0].status,
        Some(DelegatedAdminAccessAssignmentStatus::Deleted)
    );
    let requests: Vec<_> = gdap.requests(&created.id).try_collect().await.unwrap();
    assert_eq!(requests.len(), 2);

    // The audit trail has the lifecycle.
    let trail: Vec<_> = pc
        .audit_records()
        .list(&AuditQuery::default().filter(AuditFilter::CustomerId(customer.clone())))
        .try_collect()
        .await
        .unwrap();
    let kinds: Vec<_> = trail.iter().map(|r| r.operation_type.clone()).collect();
    for kind in [
        AuditOperationType::GranularAdminRelationshipApproved,
        AuditOperationType::GranularAdminRelationshipActivated,
        AuditOperationType::GranularAdminAccessAssignmentCreated,
        AuditOperationType::GranularAdminAccessAssignmentUpdated,
        AuditOperationType::GranularAdminRelationshipTerminated,
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_created_relationship_may_be_deleted_with_its_etag() {
    let emu = Emulator::builder().start().await.unwrap();
    let gdap = app(&emu).gdap();
    let created = gdap
        .create(&DelegatedAdminRelationship::new(
            "Short",
            "P30D",
            &[HELPDESK],
        ))
        .await
        .unwrap();
    let e = gdap.delete(&created.id, "W/\"old\"").await.unwrap_err();
    assert_eq!(graph_status(&e).0, 412);
    gdap.delete(&created.id, created.etag.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(
        graph_status(&gdap.get(&created.id).await.unwrap_err()).0,
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_creates_a_relationship_that_becomes_active_on_approval() {
    let emu = Emulator::builder()
        .approve_as("admin@emulator.onmicrosoft.com")
        .start()
        .await
        .unwrap();
    let customer = a_customer(&app_and_user(&emu), "cli-gdap.onmicrosoft.com", false).await;
    let vars = common::emulator_env(&emu);
    let roles = format!("{HELPDESK},{USER_ADMIN}");
    let created = common::run(
        &[
            "gdap",
            "relationships",
            "create",
            "--customer",
            &customer,
            "--name",
            "CLI support",
            "--duration",
            "P730D",
            "--roles",
            &roles,
            "-o",
            "table",
        ],
        &vars,
    )
    .await;
    assert_eq!(created.code, 0, "{}", created.stderr);
    assert!(
        created.stdout.contains("https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/"),
        "{}",
        created.stdout
    );
    // --approve-as: the customer's admin approved at once.
    assert!(created.stdout.contains("active"), "{}", created.stdout);
    let listed = common::run(
        &[
            "gdap",
            "relationships",
            "list",
            "--customer",
            &customer,
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    let id = listed.json()[0]["id"].as_str().unwrap().to_owned();

    let assigned = common::run(
        &[
            "gdap",
            "assignments",
            "create",
            "--relationship",
            &id,
            "--group",
            GROUP,
            "--roles",
            HELPDESK,
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(assigned.code, 0, "{}", assigned.stderr);
    let assignment = assigned.json()["id"].as_str().unwrap().to_owned();
    let updated = common::run(
        &[
            "gdap",
            "assignments",
            "update",
            "--relationship",
            &id,
            "--assignment",
            &assignment,
            "--roles",
            &roles,
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(updated.code, 0, "{}", updated.stderr);
    assert_eq!(
        updated.json()["accessDetails"]["unifiedRoles"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let ops = common::run(
        &["gdap", "operations", "--relationship", &id, "-o", "table"],
        &vars,
    )
    .await;
    assert!(
        ops.stdout.contains("delegatedAdminAccessAssignmentUpdate"),
        "{}",
        ops.stdout
    );
    let deleted = common::run(
        &[
            "gdap",
            "assignments",
            "delete",
            "--relationship",
            &id,
            "--assignment",
            &assignment,
        ],
        &vars,
    )
    .await;
    assert_eq!(deleted.code, 0, "{}", deleted.stderr);
    let link = common::run(
        &["gdap", "relationships", "approve-link", &id, "-o", "json"],
        &vars,
    )
    .await;
    assert!(link.json()["approvalLink"].as_str().unwrap().ends_with(&id));
    let ended = common::run(
        &["gdap", "relationships", "terminate", &id, "-o", "table"],
        &vars,
    )
    .await;
    assert_eq!(ended.code, 0, "{}", ended.stderr);
    assert!(ended.stdout.contains("terminated"), "{}", ended.stdout);
    let again = common::run(&["gdap", "relationships", "terminate", &id], &vars).await;
    assert_eq!(again.code, 4, "{}", again.stderr);

    // A relationship for a tenant that is not a customer: refused, exit 4.
    let stranger = common::run(
        &[
            "gdap",
            "relationships",
            "create",
            "--customer",
            "not-a-customer",
            "--name",
            "x",
            "--roles",
            HELPDESK,
        ],
        &vars,
    )
    .await;
    assert_eq!(stranger.code, 4, "{}", stranger.stderr);
}
