#![doc = include_str!("../README.md")]
#![recursion_limit = "256"] // reason: serde_json::json! of a whole invoice line item (invoices.rs)
#![allow(clippy::result_large_err)] // reason: handlers return axum Responses as their error; clarity beats boxing here

/// Declares each area module of an API's folder (its build script lists the folder: adding
/// an area is adding its file) and merges their routes into that API's `area_routes()`.
macro_rules! areas {
    ($($area:ident $Area:ident = $path:literal,)*) => {
        $(
            #[path = $path]
            mod $area;
        )*

        /// Every area's routes.
        fn area_routes() -> Router<AppState> {
            Router::new()$(.merge($area::routes()))*
        }
    };
}

mod auth;
mod billing;
mod consent;
mod entra;
mod errors;
mod faults;
mod graph;
pub(crate) mod ingestion;
mod keys;
mod rest;
mod state;
mod tls;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::middleware;
use secrecy::{ExposeSecret, SecretString};

pub use faults::{Fault, FaultKind, FaultTrigger};
pub use ingestion::EMULATED_OPERATIONS;

/// The kind of Partner Center account the emulator plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum AccountKind {
    /// The integration sandbox: 75 customers, 5 subscriptions each, 25 licences each
    /// (error 800018 past them); customers can be deleted and orders cancelled.
    #[default]
    IntegrationSandbox,
    /// A primary account: no sandbox limits, no sandbox-only operations.
    Primary,
}

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmulatorError {
    /// Binding the address failed.
    #[error("cannot listen on {addr}: {source}; choose another --port (0 picks a free one)")]
    Bind {
        /// The address.
        addr: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Generating or using the signing key failed.
    #[error("signing key: {0}")]
    Key(String),
    /// A fault spec is invalid.
    #[error("invalid fault spec: {0}")]
    Fault(String),
    /// The state file cannot be read or written.
    #[error("state file: {0}")]
    State(String),
    /// A GDAP relationship cannot be approved.
    #[error("GDAP: {0}")]
    Gdap(String),
}

/// Settings for an emulator; `start` runs it.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let emu = partner_center_emulator::Emulator::builder().start().await.unwrap();
/// assert!(emu.api_url().starts_with("http://127.0.0.1:"));
/// emu.shutdown().await;
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    host: String,
    port: u16,
    pub(crate) config: Config,
    faults: Vec<Fault>,
    seed_customers: usize,
    client_certificates: Vec<Vec<u8>>,
    fail_certification: bool,
    tls: bool,
    state_file: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) account: AccountKind,
    pub(crate) tenant_id: String,
    pub(crate) client_id: String,
    pub(crate) client_secret: SecretString,
    pub(crate) expired_secrets: Vec<SecretString>,
    pub(crate) refresh_token: SecretString,
    pub(crate) token_lifetime: Duration,
    pub(crate) rate_limit_per_minute: Option<u32>,
    /// The window the limit counts over (default a minute).
    pub(crate) rate_limit_window: Duration,
    pub(crate) page_size: usize,
    pub(crate) ingestion_page_size: usize,
    pub(crate) submission_step: Duration,
    pub(crate) billing_line_items: u64,
    pub(crate) export_delay: Duration,
    /// Approve every interactive sign-in at once as this user (`--approve-as`).
    pub(crate) approve_as: Option<String>,
    /// Whether users sign in with MFA (default yes).
    pub(crate) approve_with_mfa: bool,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".to_owned(),
            port: 0,
            config: Config {
                account: AccountKind::IntegrationSandbox,
                tenant_id: "4a6f2b3c-0000-4000-8000-00000000e4a1".to_owned(),
                client_id: "9f1c7d2e-0000-4000-8000-00000000c11e".to_owned(),
                client_secret: SecretString::from("emulator-secret-not-for-production"),
                expired_secrets: vec![SecretString::from("emulator-expired-secret")],
                refresh_token: SecretString::from("emulator-refresh-token-0"),
                token_lifetime: Duration::from_secs(3599),
                rate_limit_per_minute: Some(500),
                rate_limit_window: Duration::from_secs(60),
                page_size: 40,
                ingestion_page_size: 25,
                submission_step: Duration::from_secs(1),
                billing_line_items: 4,
                export_delay: Duration::from_secs(2),
                approve_as: None,
                approve_with_mfa: true,
            },
            faults: Vec::new(),
            seed_customers: 0,
            client_certificates: Vec::new(),
            fail_certification: false,
            tls: false,
            state_file: None,
        }
    }
}

impl EmulatorBuilder {
    /// The interface to bind (default `127.0.0.1`).
    pub fn host(mut self, host: impl Into<String>) -> Self {
        self.host = host.into();
        self
    }

    /// The port (default 0: a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Which account to play (default: the integration sandbox).
    pub fn account(mut self, account: AccountKind) -> Self {
        self.config.account = account;
        self
    }

    /// The lifetime of issued access tokens (default 3599 s).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.config.token_lifetime = lifetime;
        self
    }

    /// Requests per minute per tenant on customers, orders and subscriptions
    /// (default 500, the documented limit); `None` turns throttling off.
    pub fn rate_limit_per_minute(mut self, limit: Option<u32>) -> Self {
        self.config.rate_limit_per_minute = limit;
        self
    }

    /// Counts the rate limit over `window` instead of a minute (`rate_limit(600, 10 s)`
    /// for a quick throttling test); the limit is still `rate_limit_per_minute`'s count.
    pub fn rate_limit_window(mut self, window: Duration) -> Self {
        self.config.rate_limit_window = window.max(Duration::from_millis(1));
        self
    }

    /// The default page size of customer listings (default 40).
    pub fn page_size(mut self, size: usize) -> Self {
        self.config.page_size = size.max(1);
        self
    }

    /// The page size of product listings in the submission API (default 25).
    pub fn ingestion_page_size(mut self, size: usize) -> Self {
        self.config.ingestion_page_size = size.max(1);
        self
    }

    /// How many line items last month's invoice has (default 4): generated from a fixed
    /// seed when read, never held in memory, so a benchmark can ask for millions.
    pub fn billing_line_items(mut self, count: u64) -> Self {
        self.config.billing_line_items = count;
        self
    }

    /// How long a Microsoft Graph billing export runs before its operation succeeds
    /// (default 2 s; it answers `Retry-After` meanwhile).
    pub fn export_delay(mut self, delay: Duration) -> Self {
        self.config.export_delay = delay;
        self
    }

    /// Approves every interactive sign-in (authorization code, device code) at once as
    /// `user`, with no browser: how tests and scripts log in (`emulator serve
    /// --approve-as USER`).
    pub fn approve_as(mut self, user: impl Into<String>) -> Self {
        self.config.approve_as = Some(user.into());
        self
    }

    /// Users sign in without MFA: their App+User tokens lack `amr: ["mfa"]`, and the
    /// REST API refuses them (401, 900421), as Partner Center does.
    pub fn approve_without_mfa(mut self) -> Self {
        self.config.approve_with_mfa = false;
        self
    }

    /// How long each phase of a submission's lifecycle takes (default 1 s):
    /// InDraft → Submitted (2 steps) → ReadyToPublish / FailedInCertification, or for a
    /// live target Publishing (2 steps) → Published.
    pub fn submission_step(mut self, step: Duration) -> Self {
        self.config.submission_step = step.max(Duration::from_millis(1));
        self
    }

    /// Fails the certification of every new submission (with a validation item saying so).
    pub fn fail_certification(mut self, fail: bool) -> Self {
        self.fail_certification = fail;
        self
    }

    /// Serves https with a generated CA and server certificate; the CA's PEM file is at
    /// [`Emulator::ca_cert`] for clients to trust (e.g. `SSL_CERT_FILE`).
    pub fn tls(mut self, tls: bool) -> Self {
        self.tls = tls;
        self
    }

    /// Keeps the REST API's state (customers, orders, subscriptions) in this JSON file:
    /// loaded at start when it exists, written at shutdown.
    pub fn state_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// Adds a fault rule.
    pub fn fault(mut self, fault: Fault) -> Self {
        self.faults.push(fault);
        self
    }

    /// Seeds `n` customers in bulk (not counted against sandbox limits), for paging
    /// tests and benchmarks.
    pub fn seed_customers(mut self, n: usize) -> Self {
        self.seed_customers = n;
        self
    }

    /// Registers a client certificate (PEM; only the certificate is read) so that
    /// client-assertion grants signed by its key are accepted.
    pub fn client_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.client_certificates.push(pem.into());
        self
    }

    /// Binds, generates the signing key and serves in the background.
    pub async fn start(self) -> Result<Emulator, EmulatorError> {
        let addr_text = format!("{}:{}", self.host, self.port);
        let listener = tokio::net::TcpListener::bind(&addr_text)
            .await
            .map_err(|source| EmulatorError::Bind {
                addr: addr_text.clone(),
                source,
            })?;
        let addr = listener
            .local_addr()
            .map_err(|source| EmulatorError::Bind {
                addr: addr_text,
                source,
            })?;
        let scheme = if self.tls { "https" } else { "http" };
        let base = match addr {
            SocketAddr::V6(a) => format!("{scheme}://[{}]:{}", a.ip(), a.port()),
            SocketAddr::V4(a) => format!("{scheme}://{a}"),
        };
        let (ca_dir, tls) = if self.tls {
            let (dir, ca_path) = tls::private_ca_path()?;
            let config = tls::server_config(&self.host, &ca_path)?;
            (Some(dir), Some((config, ca_path)))
        } else {
            (None, None)
        };
        let key = keys::SigningKey::generate()?;
        let client_certs = self
            .client_certificates
            .iter()
            .map(|pem| keys::ClientCert::from_pem(pem))
            .collect::<Result<Vec<_>, _>>()?;
        let mut db = match &self.state_file {
            Some(path) if path.exists() => state::Db::load(path)?,
            _ => state::Db::default(),
        };
        db.seed_customers(self.seed_customers);
        let mut faults = faults::Faults::default();
        faults.set(self.faults);
        let shared = Arc::new(Shared {
            config: self.config.clone(),
            base: base.clone(),
            key,
            client_certs,
            db: Mutex::new(db),
            ingestion: Mutex::new(ingestion::IngestionDb::default()),
            fail_certification: std::sync::atomic::AtomicBool::new(self.fail_certification),
            faults: Mutex::new(faults),
        });
        let app = router(Arc::clone(&shared));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let ca_cert = tls.as_ref().map(|(_, path)| path.clone());
        let task = match tls {
            Some((config, _)) => tokio::spawn(tls::serve(listener, app, config, rx)),
            None => tokio::spawn(async move {
                let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                    let _ = rx.await;
                });
                if let Err(e) = serve.await {
                    tracing::error!(error = %e, "emulator stopped");
                }
            }),
        };
        Ok(Emulator {
            base,
            config: self.config,
            shared,
            shutdown: Some(tx),
            task: Some(task),
            ca_cert,
            _ca_dir: ca_dir,
            state_file: self.state_file,
        })
    }
}

pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) base: String,
    pub(crate) key: keys::SigningKey,
    pub(crate) client_certs: Vec<keys::ClientCert>,
    pub(crate) db: Mutex<state::Db>,
    pub(crate) ingestion: Mutex<ingestion::IngestionDb>,
    pub(crate) fail_certification: std::sync::atomic::AtomicBool,
    pub(crate) faults: Mutex<faults::Faults>,
}

pub(crate) type AppState = Arc<Shared>;

fn router(state: AppState) -> Router {
    Router::new()
        .merge(entra::routes())
        .merge(consent::routes())
        .merge(rest::routes())
        .merge(ingestion::routes())
        .merge(graph::routes())
        .merge(faults::admin_routes())
        .layer(middleware::from_fn(errors::shape_errors))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            rest::record_changes,
        ))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&state),
            faults::inject_faults,
        ))
        .with_state(state)
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A running emulator. Dropping it stops the server.
#[derive(Debug)]
pub struct Emulator {
    base: String,
    config: Config,
    shared: AppState,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    ca_cert: Option<std::path::PathBuf>,
    /// The private directory holding the CA file; removed when the emulator is dropped.
    _ca_dir: Option<tempfile::TempDir>,
    state_file: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl Emulator {
    /// A builder with the defaults: integration sandbox, loopback, a free port.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The authority host (use as `AZURE_AUTHORITY_HOST`).
    pub fn authority_host(&self) -> &str {
        &self.base
    }

    /// The REST API base, without `/v1` (use as `PARTNER_CENTER_API_URL`).
    pub fn api_url(&self) -> &str {
        &self.base
    }

    /// The submission API base, without `/v1.0/ingestion` (`PARTNER_CENTER_INGESTION_URL`).
    pub fn ingestion_url(&self) -> &str {
        &self.base
    }

    /// The Microsoft Graph base, without `/v1.0` (`PARTNER_CENTER_GRAPH_URL`).
    pub fn graph_url(&self) -> &str {
        &self.base
    }

    /// The tenant it accepts.
    pub fn tenant_id(&self) -> &str {
        &self.config.tenant_id
    }

    /// The client id it accepts.
    pub fn client_id(&self) -> &str {
        &self.config.client_id
    }

    /// The client secret it accepts (a test credential, printed by `emulator serve`).
    #[allow(clippy::disallowed_methods)] // reason: the emulator's own test credential, handed out on purpose
    pub fn client_secret(&self) -> &str {
        self.config.client_secret.expose_secret()
    }

    /// A secret it reports as expired (AADSTS7000222), for tests.
    #[allow(clippy::disallowed_methods)] // reason: the emulator's own test credential, handed out on purpose
    pub fn expired_secret(&self) -> &str {
        self.config
            .expired_secrets
            .first()
            .map_or("", |s| s.expose_secret())
    }

    /// A refresh token it accepts (each use also issues a new one, as Entra does).
    #[allow(clippy::disallowed_methods)] // reason: the emulator's own test credential, handed out on purpose
    pub fn refresh_token(&self) -> &str {
        self.config.refresh_token.expose_secret()
    }

    /// Approves a GDAP relationship pending approval, as the customer's Global
    /// Administrator does in the Microsoft 365 admin center (`customer`: the customer's
    /// tenant, when the relationship names none); it becomes active. The same as
    /// `POST /_emulator/gdap/{id}/approve[?customer=TENANT]`.
    pub fn approve_relationship(
        &self,
        id: &str,
        customer: Option<&str>,
    ) -> Result<(), EmulatorError> {
        graph::activate(&self.shared, id, customer.map(str::to_owned))
            .map(|_| ())
            .map_err(|e| {
                EmulatorError::Gdap(match e {
                    graph::Unapproved::NotFound => format!("no relationship {id}"),
                    graph::Unapproved::Refused(why) => why.to_owned(),
                })
            })
    }

    /// Adds a fault rule while running.
    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).add(fault);
    }

    /// Counts of what it holds: (customers, orders, subscriptions).
    pub fn counts(&self) -> (usize, usize, usize) {
        lock(&self.shared.db).counts()
    }

    /// Makes the certification of new submissions fail (or pass again).
    pub fn set_fail_certification(&self, fail: bool) {
        self.shared
            .fail_certification
            .store(fail, std::sync::atomic::Ordering::Relaxed);
    }

    /// How many products the submission API holds.
    pub fn product_count(&self) -> usize {
        lock(&self.shared.ingestion).count()
    }

    /// How many token requests it has answered.
    pub fn token_requests(&self) -> usize {
        lock(&self.shared.db).token_requests
    }

    /// How many requests its rate limit has refused with 429 (injected faults aside).
    pub fn throttled_requests(&self) -> usize {
        lock(&self.shared.db).throttled
    }

    /// The CA certificate (PEM) to trust under `--tls`.
    pub fn ca_cert(&self) -> Option<&std::path::Path> {
        self.ca_cert.as_deref()
    }

    /// Writes the REST API's state to the state file now (also done at shutdown).
    pub fn save_state(&self) -> Result<(), EmulatorError> {
        match &self.state_file {
            Some(path) => lock(&self.shared.db).save(path),
            None => Ok(()),
        }
    }

    /// Stops the server, writes the state file if there is one, and waits.
    pub async fn shutdown(mut self) {
        if let Err(e) = self.save_state() {
            tracing::error!(error = %e, "could not save the emulator's state");
        }
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
