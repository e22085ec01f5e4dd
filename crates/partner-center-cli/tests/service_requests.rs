//! Service requests end to end: topics, open, read, add a note, close; the documented
//! refusals; App+User only — through the facade and the CLI, against the emulator.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

mod common;

use common::{a_customer, api_code, app, app_and_user};
use partner_center::models::{
    ServiceRequest, ServiceRequestOrganization, ServiceRequestSeverity, ServiceRequestStatus,
};
use partner_center::prelude::*;
use partner_center_emulator::Emulator;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_is_opened_noted_and_closed() {
    let emu = Emulator::builder().start().await.unwrap();
    let pc = app_and_user(&emu);
    let requests = pc.service_requests();
    let topics: Vec<_> = requests.support_topics().try_collect().await.unwrap();
    let topic = topics
        .iter()
        .find(|t| t.name.as_deref() == Some("Cannot manage my profile"))
        .unwrap();
    let ticket = ServiceRequest::new(
        "TrialSR",
        "Ignore this SR",
        ServiceRequestSeverity::Critical,
        &topic.id,
    );
    let opened = requests.create("en-US", &ticket).await.unwrap();
    assert!(!opened.id.is_empty());
    assert_eq!(opened.status, Some(ServiceRequestStatus::Open));
    assert_eq!(
        opened.support_topic_name.as_deref(),
        Some("Cannot manage my profile")
    );
    assert_eq!(
        opened.primary_contact.unwrap().email.as_deref(),
        Some("admin@emulator.onmicrosoft.com")
    );

    let noted = requests
        .update(&opened.id, &ServiceRequest::note("Sample Note"))
        .await
        .unwrap();
    let notes = noted.notes.unwrap();
    assert_eq!(notes[0].text.as_deref(), Some("Sample Note"));
    assert_eq!(
        noted.status,
        Some(ServiceRequestStatus::Open),
        "a note alone changes no status"
    );
    let mut close = ServiceRequest::default();
    close.status = Some(ServiceRequestStatus::Closed);
    let closed = requests.update(&opened.id, &close).await.unwrap();
    assert_eq!(closed.status, Some(ServiceRequestStatus::Closed));
    assert_ne!(
        closed.last_closed_date.as_deref(),
        Some("0001-01-01T00:00:00")
    );
    assert_eq!(requests.get(&opened.id).await.unwrap(), closed);
    let all: Vec<_> = requests.list().try_collect().await.unwrap();
    assert_eq!(all.len(), 1);

    // One for a customer: opened with its tenant as the organization.
    let customer = a_customer(&pc, "ticket.onmicrosoft.com", false).await;
    let mut theirs = ServiceRequest::new(
        "Mailbox",
        "Full",
        ServiceRequestSeverity::Minimal,
        &topic.id,
    );
    let mut org = ServiceRequestOrganization::default();
    org.id = Some(customer.clone());
    theirs.organization = Some(org);
    requests.create("en-US", &theirs).await.unwrap();
    let listed: Vec<_> = pc
        .customer(&customer)
        .service_requests()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].title.as_deref(), Some("Mailbox"));

    // The documented refusals.
    let e = requests
        .create(
            "en-US",
            &ServiceRequest::new("t", "d", ServiceRequestSeverity::Minimal, "999"),
        )
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (400, "800002".to_owned()));
    let mut flag = ServiceRequest::default();
    flag.status = Some(ServiceRequestStatus::AttentionNeeded);
    let e = requests.update(&opened.id, &flag).await.unwrap_err();
    assert_eq!(
        api_code(&e),
        (400, "800002".to_owned()),
        "Microsoft sets that one"
    );
    let e = requests.get("404404").await.unwrap_err();
    assert_eq!(api_code(&e), (404, "1000".to_owned()));
    let e = app(&emu)
        .service_requests()
        .list()
        .try_next()
        .await
        .unwrap_err();
    assert_eq!(api_code(&e), (403, "900329".to_owned()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_opens_and_updates_a_request() {
    let emu = Emulator::builder()
        .approve_as("admin@emulator.onmicrosoft.com")
        .start()
        .await
        .unwrap();
    let (_state, vars) = common::logged_in(&emu).await;
    let topics = common::run(&["service-requests", "topics", "-o", "json"], &vars).await;
    assert_eq!(topics.code, 0, "{}", topics.stderr);
    let topic = topics.json()[0]["id"].as_str().unwrap().to_owned();
    let created = common::run(
        &[
            "service-requests",
            "create",
            "--title",
            "Cannot sign in",
            "--description",
            "Since Monday",
            "--severity",
            "moderate",
            "--topic",
            &topic,
            "-o",
            "json",
        ],
        &vars,
    )
    .await;
    assert_eq!(created.code, 0, "{}", created.stderr);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let updated = common::run(
        &[
            "service-requests",
            "update",
            &id,
            "--note",
            "More detail",
            "--status",
            "closed",
            "-o",
            "table",
        ],
        &vars,
    )
    .await;
    assert_eq!(updated.code, 0, "{}", updated.stderr);
    assert!(updated.stdout.contains("closed"), "{}", updated.stdout);
    let listed = common::run(&["service-requests", "list", "-o", "table"], &vars).await;
    assert!(
        listed.stdout.contains("Cannot sign in"),
        "{}",
        listed.stdout
    );
    let nothing = common::run(&["service-requests", "update", &id], &vars).await;
    assert_eq!(nothing.code, 2, "{}", nothing.stderr);
    let missing = common::run(&["service-requests", "get", "404404"], &vars).await;
    assert_eq!(missing.code, 4, "{}", missing.stderr);

    // App-only credentials: the explanatory refusal.
    let app_only = common::run(&["service-requests", "list"], &common::emulator_env(&emu)).await;
    assert_eq!(app_only.code, 4, "{}", app_only.stderr);
    assert!(
        app_only
            .stderr
            .contains("needs an App+User token: see `auth login`"),
        "{}",
        app_only.stderr
    );
}
