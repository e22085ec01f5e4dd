//! The spans an operation leaves. A binary of its own: tracing caches, per callsite,
//! whether any subscriber wants it, and a test thread meeting a callsite while another
//! test's thread-local subscriber is being set can cache "never" for everyone; alone in
//! its process, this test sees every span it causes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // reason: tests

use std::sync::{Arc, Mutex};

use partner_center_models::Customer;
use partner_center_transport::RequestOptions;

mod common;
use common::setup;

/// The spans an operation leaves, by name: their fields as recorded.
#[derive(Clone, Default)]
struct Spans(Arc<Mutex<Vec<SpanRecord>>>);

/// A span's id, name and fields.
type SpanRecord = (u64, String, Vec<(String, String)>);

struct Fields<'a>(&'a mut Vec<(String, String)>);

impl tracing::field::Visit for Fields<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let value = format!("{value:?}");
        self.0.retain(|(k, _)| k != field.name());
        self.0
            .push((field.name().to_owned(), value.trim_matches('"').to_owned()));
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Spans {
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut fields = Vec::new();
        attrs.record(&mut Fields(&mut fields));
        let name = attrs.metadata().name().to_owned();
        self.0.lock().unwrap().push((id.into_u64(), name, fields));
    }

    fn on_record(
        &self,
        id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut spans = self.0.lock().unwrap();
        if let Some((_, _, fields)) = spans.iter_mut().rev().find(|(i, _, _)| *i == id.into_u64()) {
            values.record(&mut Fields(fields));
        }
    }
}

impl Spans {
    fn named(&self, name: &str) -> Vec<std::collections::HashMap<String, String>> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, n, _)| n == name)
            .map(|(_, _, f)| f.iter().cloned().collect())
            .collect()
    }
}

/// One INFO span per operation with OpenTelemetry's fields (the path as a template: no
/// customer id), the attempts counted; the token's own span says what the cache did;
/// no token anywhere.
#[tokio::test]
async fn each_operation_is_one_info_span_with_semantic_convention_fields() {
    use tracing_subscriber::layer::SubscriberExt as _;
    let spans = Spans::default();
    let subscriber = tracing_subscriber::registry().with(tracing_subscriber::Layer::with_filter(
        spans.clone(),
        tracing_subscriber::filter::LevelFilter::INFO,
    ));
    let _guard = tracing::subscriber::set_default(subscriber);
    let mut server = mockito::Server::new_async().await;
    let id = "4b10bf41-ab11-40e3-8c53-cd67849b50de";
    let path = format!("/v1/customers/{id}");
    server
        .mock("GET", path.as_str())
        .with_status(503)
        .expect(1)
        .create_async()
        .await;
    server
        .mock("GET", path.as_str())
        .with_body(format!(r#"{{"id":"{id}"}}"#))
        .expect(2)
        .create_async()
        .await;
    let (t, p, _) = setup(&server);
    for _ in 0..2 {
        t.get_json::<Customer>(&p, &format!("/customers/{id}"), &RequestOptions::default())
            .await
            .unwrap();
    }
    let ops = spans.named("partner_center.operation");
    assert_eq!(ops.len(), 2, "one span per operation, not per attempt");
    let first = &ops[0];
    assert_eq!(first["otel.name"], "GET /v1/customers/{id}");
    assert_eq!(first["http.request.method"], "GET");
    assert_eq!(first["url.template"], "/v1/customers/{id}");
    assert_eq!(first["server.address"], "127.0.0.1");
    assert_eq!(first["http.response.status_code"], "200");
    assert_eq!(
        first["http.request.resend_count"], "1",
        "a 503, then a success"
    );
    assert!(
        !ops[1].contains_key("http.request.resend_count"),
        "no resend, no count"
    );
    assert!(!first["partner_center.request_id"].is_empty());
    assert!(!first["partner_center.correlation_id"].is_empty());
    // `Counting` keeps no cache: after the first token, each is asked again ("refresh");
    // a credential with a cache answers "hit" (the CLI's telemetry test shows it).
    let tokens = spans.named("partner_center.token");
    let outcomes: Vec<&str> = tokens
        .iter()
        .map(|t| t["partner_center.token.cache"].as_str())
        .collect();
    assert_eq!(outcomes, ["fetch", "refresh", "refresh"]);
    let everything = format!("{:?}", spans.0.lock().unwrap());
    assert!(!everything.contains(id), "no customer id in any span");
    assert!(!everything.contains("token-1"), "no token in any span");
}
