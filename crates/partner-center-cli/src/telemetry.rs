//! Feature `otel`: the SDK's spans (one per operation, one per token acquisition, at INFO)
//! exported with OpenTelemetry over OTLP/HTTP. Configured by the standard variables: on
//! when `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set (and
//! `OTEL_SDK_DISABLED` is not `true`); `OTEL_EXPORTER_OTLP_HEADERS`, `…_TIMEOUT`,
//! `OTEL_SERVICE_NAME` (default `partner-center`) as the exporter reads them.

use std::sync::OnceLock;

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::Layer;

/// The exporter's provider: flushed and shut down when dropped (at the end of `main`).
pub(crate) struct Otel(SdkTracerProvider);

impl Drop for Otel {
    fn drop(&mut self) {
        let _ = self.0.shutdown();
    }
}

/// The provider in use, for a process that ends before `main` returns.
static PROVIDER: OnceLock<SdkTracerProvider> = OnceLock::new();

/// Sends the spans still buffered: the output's early exits (a closed pipe, a failed
/// `--query`) call it, as they skip the guard's drop.
pub(crate) fn flush() {
    if let Some(provider) = PROVIDER.get() {
        let _ = provider.force_flush();
    }
}

/// Whether the variables ask for an export.
fn configured(env: &dyn Fn(&str) -> Option<String>) -> bool {
    let set = |k: &str| env(k).is_some_and(|v| !v.trim().is_empty());
    let disabled = env("OTEL_SDK_DISABLED").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    !disabled && (set("OTEL_EXPORTER_OTLP_ENDPOINT") || set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
}

/// The layer exporting the SDK's spans, when the variables ask for it. An exporter that
/// cannot be built is a warning, never a failed command.
pub(crate) fn layer<S>() -> Option<(impl Layer<S>, Otel)>
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    if !configured(&|k| std::env::var(k).ok()) {
        return None;
    }
    let exporter = match opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .build()
    {
        Ok(e) => e,
        Err(e) => {
            tracing::warn!("OpenTelemetry export is off: {e}");
            return None;
        }
    };
    let provider = SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(service())
        .build();
    let _ = PROVIDER.set(provider.clone());
    Some((spans(&provider), Otel(provider)))
}

/// `OTEL_SERVICE_NAME`, else `partner-center`.
fn service() -> opentelemetry_sdk::Resource {
    let name = std::env::var("OTEL_SERVICE_NAME")
        .ok()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "partner-center".to_owned());
    opentelemetry_sdk::Resource::builder()
        .with_service_name(name)
        .build()
}

/// The SDK's spans (targets `partner_center*`, INFO and above) as OpenTelemetry spans.
fn spans<S>(provider: &SdkTracerProvider) -> impl Layer<S> + use<S>
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    let tracer = provider.tracer("partner-center");
    tracing_opentelemetry::layer()
        .with_tracer(tracer)
        .with_filter(
            tracing_subscriber::filter::Targets::new()
                .with_target("partner_center", tracing::Level::INFO),
        )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // reason: tests

    use std::sync::{Arc, Mutex};

    use opentelemetry_sdk::error::OTelSdkResult;
    use opentelemetry_sdk::trace::{SpanData, SpanExporter};
    use partner_center::prelude::*;
    use partner_center_emulator::Emulator;
    use tracing_subscriber::layer::SubscriberExt as _;

    use super::*;

    /// An in-process collector: what the exporter would send.
    #[derive(Debug, Clone, Default)]
    struct Collected(Arc<Mutex<Vec<SpanData>>>);

    impl SpanExporter for Collected {
        fn export(
            &self,
            batch: Vec<SpanData>,
        ) -> impl std::future::Future<Output = OTelSdkResult> + Send {
            self.0.lock().unwrap().extend(batch);
            std::future::ready(Ok(()))
        }
    }

    #[test]
    fn the_variables_turn_it_on() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert!(!configured(&env(&[])));
        assert!(configured(&env(&[(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "http://collector:4318"
        )])));
        assert!(configured(&env(&[(
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            "http://c/v1/traces"
        )])));
        assert!(!configured(&env(&[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
            ("OTEL_SDK_DISABLED", "true"),
        ])));
    }

    /// Calls against the emulator: one span per operation with the semantic-convention
    /// attributes, the token's span with the cache's outcome, and no secret in any
    /// attribute.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn spans_reach_the_exporter_without_a_secret() {
        let emu = Emulator::builder().start().await.unwrap();
        let collected = Collected::default();
        let provider = SdkTracerProvider::builder()
            .with_simple_exporter(collected.clone())
            .build();
        let subscriber = tracing_subscriber::registry().with(spans(&provider));
        let _guard = tracing::subscriber::set_default(subscriber);
        let vars = [
            ("AZURE_AUTHORITY_HOST", emu.authority_host().to_owned()),
            ("PARTNER_CENTER_API_URL", emu.api_url().to_owned()),
            ("AZURE_TENANT_ID", emu.tenant_id().to_owned()),
            ("AZURE_CLIENT_ID", emu.client_id().to_owned()),
            ("AZURE_CLIENT_SECRET", emu.client_secret().to_owned()),
        ];
        let pc = partner_center::PartnerCenter::from_env_with(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.clone())
        })
        .unwrap();
        let _: Vec<_> = pc.customers().list().try_collect().await.unwrap();
        let _: Vec<_> = pc.customers().list().try_collect().await.unwrap();
        provider.force_flush().unwrap();

        let spans = collected.0.lock().unwrap().clone();
        let attr = |s: &SpanData, key: &str| {
            s.attributes
                .iter()
                .find(|kv| kv.key.as_str() == key)
                .map(|kv| kv.value.to_string())
        };
        let ops: Vec<_> = spans
            .iter()
            .filter(|s| s.name == "GET /v1/customers")
            .collect();
        assert_eq!(
            ops.len(),
            2,
            "{:?}",
            spans.iter().map(|s| &s.name).collect::<Vec<_>>()
        );
        assert_eq!(attr(ops[0], "http.request.method").as_deref(), Some("GET"));
        assert_eq!(
            attr(ops[0], "url.template").as_deref(),
            Some("/v1/customers")
        );
        assert_eq!(
            attr(ops[0], "http.response.status_code").as_deref(),
            Some("200")
        );
        assert_eq!(attr(ops[0], "server.address").as_deref(), Some("127.0.0.1"));
        assert!(attr(ops[0], "partner_center.request_id").is_some());
        let cache: Vec<_> = spans
            .iter()
            .filter(|s| s.name == "token")
            .filter_map(|s| attr(s, "partner_center.token.cache"))
            .collect();
        assert_eq!(cache, ["fetch", "hit"]);
        let everything = format!("{spans:?}");
        assert!(
            !everything.contains(emu.client_secret()),
            "no client secret"
        );
        assert!(!everything.contains("eyJ"), "no token");
    }
}
