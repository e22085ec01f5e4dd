//! `partner-center`: Microsoft Partner Center from the shell. The contract (flags,
//! variables, output and exit codes) is in the project's cli-contract; this binary only
//! parses, calls the facade and prints.

#![recursion_limit = "256"] // the deepest async commands, with the `otel` layer, exceed the default 128
#![allow(clippy::print_stderr)] // reason: a command-line program reports errors on stderr; stdout goes through output::write_line

mod commands;
mod output;
mod progress;
#[cfg(feature = "otel")]
mod telemetry;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use partner_center::Error;
use partner_center::config::Settings;

const AFTER_HELP: &str = "\
Exit codes:
  0  success
  1  unexpected internal error (a bug: please report it)
  2  usage error or bad input (flag, file, variable, config, URL, plaintext secret in config)
  3  authentication failed (missing credentials, or the token endpoint refused them)
  4  the API refused the request (4xx), with its error code and description
  5  transient failure that persisted after retries (429, 5xx, timeouts, connection errors)
  6  the service answered with something that could not be decoded (or over a size limit)

Environment (an empty variable counts as unset; a profile chosen with --profile or
PARTNER_CENTER_PROFILE wins over these):
  AZURE_TENANT_ID, AZURE_CLIENT_ID          tenant and application (client) id
  AZURE_CLIENT_SECRET, AZURE_CLIENT_SECRET_FILE
                                            the client secret, or a file holding it
  AZURE_CLIENT_CERTIFICATE_PATH, AZURE_CLIENT_CERTIFICATE_PASSWORD,
  AZURE_CLIENT_SEND_CERTIFICATE_CHAIN       a PEM or PKCS#12 certificate instead
  AZURE_AUTHORITY_HOST                      the Entra ID host (default: the cloud's)
  PARTNER_CENTER_CLOUD                      public (default), china, usgov
  PARTNER_CENTER_API_URL                    REST API base (https://api.partnercenter.microsoft.com)
  PARTNER_CENTER_INGESTION_URL              submission API base (https://api.partner.microsoft.com)
  PARTNER_CENTER_PROFILE, PARTNER_CENTER_CONFIG
                                            the profile, and the config file
  SSL_CERT_FILE                             extra trusted certificates (PEM)
  RUST_LOG                                  log filter (as -v)

The full contract (config file format, output shapes, limits): docs/cli.md";

/// `--version`: the crate's version and the commit it was built from.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("PARTNER_CENTER_COMMIT"),
    ")"
);

/// Microsoft Partner Center from the shell.
#[derive(Parser, Debug)]
#[command(
    name = "partner-center",
    version = VERSION,
    about,
    propagate_version = true,
    after_help = AFTER_HELP
)]
pub(crate) struct Cli {
    /// Output format (default: table on a terminal, json otherwise).
    #[arg(short = 'o', long, global = true, value_enum)]
    output: Option<output::Format>,
    /// A JMESPath expression applied to the result's JSON before it is printed, as
    /// `az --query` (e.g. `[].companyProfile.domain`).
    #[arg(long, global = true, value_name = "JMESPATH")]
    query: Option<String>,
    /// More logging on stderr (repeatable); RUST_LOG is honoured too.
    #[arg(short = 'v', long = "verbose", global = true, action = clap::ArgAction::Count)]
    verbose: u8,
    /// The profile of the config file to use.
    #[arg(long, global = true)]
    profile: Option<String>,
    /// The config file (default: $PARTNER_CENTER_CONFIG, else ~/.config/partner-center/config.toml).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Which credential: `default` (azure-identity's chain), `environment` (a secret,
    /// certificate, refresh token or stored login: the default), `workload-identity`,
    /// `managed-identity` or `azure-cli`. Beats the profile's `credential` and
    /// PARTNER_CENTER_CREDENTIAL.
    #[arg(long, global = true, value_name = "KIND")]
    credential: Option<partner_center::auth::CredentialKind>,
    #[command(subcommand)]
    command: commands::Command,
}

/// What every command needs.
pub(crate) struct Context {
    pub(crate) format: output::Format,
    profile: Option<String>,
    config: Option<PathBuf>,
    credential: Option<partner_center::auth::CredentialKind>,
}

impl Context {
    pub(crate) fn settings(&self) -> Result<Settings, Error> {
        let mut settings =
            Settings::resolve(self.config.as_deref(), self.profile.as_deref(), &|k| {
                std::env::var(k).ok()
            })?;
        if let Some(kind) = self.credential {
            settings.credential = settings.credential.with_kind(kind, "--credential");
        }
        Ok(settings)
    }

    pub(crate) fn client(&self) -> Result<partner_center::PartnerCenter, Error> {
        partner_center::PartnerCenter::from_settings(&self.settings()?)
    }
}

/// A failure with its exit code.
pub(crate) struct Failure {
    pub(crate) code: u8,
    pub(crate) message: String,
    pub(crate) hint: Option<String>,
    pub(crate) ids: Vec<(String, String)>,
}

impl Failure {
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
            hint: None,
            ids: Vec::new(),
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let code = match &e {
            Error::Auth(a) if a.is_usage() => 2,
            Error::Auth(a) if a.is_retryable() => 5,
            Error::Auth(a) if a.is_decode() => 6,
            Error::Auth(_) => 3,
            Error::Api { status: 401, .. } => 3,
            Error::Api { .. } => 4,
            Error::Transient { .. } => 5,
            Error::Decode { .. } => 6,
            _ => 2,
        };
        let mut ids = Vec::new();
        if let Some(r) = e.request_id().filter(|r| !r.is_empty()) {
            ids.push(("request id".to_owned(), r.to_owned()));
        }
        if let Some(c) = e.correlation_id().filter(|c| !c.is_empty()) {
            ids.push(("correlation id".to_owned(), c.to_owned()));
        }
        if let Error::Auth(a) = &e {
            if let Some(d) = a.endpoint_error() {
                if let Some(t) = &d.trace_id {
                    ids.push(("trace id".to_owned(), t.clone()));
                }
                if let Some(c) = &d.correlation_id {
                    ids.push(("correlation id".to_owned(), c.clone()));
                }
            }
        }
        Failure {
            code,
            hint: e.hint(),
            message: e.to_string(),
            ids,
        }
    }
}

impl From<partner_center::AuthError> for Failure {
    fn from(e: partner_center::AuthError) -> Self {
        Failure::from(Error::Auth(e))
    }
}

/// What must live until the end of `main`: the OpenTelemetry exporter (feature `otel`),
/// flushed when dropped.
#[cfg(feature = "otel")]
type TelemetryGuard = Option<telemetry::Otel>;
#[cfg(not(feature = "otel"))]
type TelemetryGuard = NoTelemetry;

/// Without the `otel` feature, nothing to keep.
#[cfg(not(feature = "otel"))]
struct NoTelemetry;

fn init_logging(verbose: u8) -> TelemetryGuard {
    let level = match verbose {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let base = std::env::var("RUST_LOG").unwrap_or_else(|_| level.to_owned());
    // HTTP internals stay quiet at every verbosity: they can see raw headers.
    let filter = tracing_subscriber::EnvFilter::new(format!(
        "{base},hyper=off,hyper_util=off,h2=off,reqwest=warn,rustls=warn"
    ));
    use tracing_subscriber::Layer as _;
    use tracing_subscriber::layer::SubscriberExt as _;
    use tracing_subscriber::util::SubscriberInitExt as _;
    let logs = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_filter(filter);
    // The SDK's retry waits, on the progress line (or a line of their own) on a terminal.
    let notes = progress::RetryNotes.with_filter(
        tracing_subscriber::filter::Targets::new()
            .with_target("partner_center::retry", tracing::Level::INFO),
    );
    let registry = tracing_subscriber::registry().with(logs).with(notes);
    #[cfg(feature = "otel")]
    {
        let (spans, guard) = telemetry::layer().map_or((None, None), |(l, g)| (Some(l), Some(g)));
        let _ = registry.with(spans).try_init();
        guard
    }
    #[cfg(not(feature = "otel"))]
    {
        let _ = registry.try_init();
        NoTelemetry
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let _telemetry = init_logging(cli.verbose);
    if let Some(q) = &cli.query {
        if let Err(f) = output::set_query(q) {
            eprintln!("error: {}", f.message);
            return ExitCode::from(f.code);
        }
    }
    let format = cli.output.unwrap_or(if std::io::stdout().is_terminal() {
        output::Format::Table
    } else {
        output::Format::Json
    });
    let ctx = Context {
        format,
        profile: cli.profile,
        config: cli.config,
        credential: cli.credential,
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let result = runtime.block_on(cli.command.run(&ctx));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            if let Some(h) = &f.hint {
                eprintln!("hint: {h}");
            }
            for (k, v) in &f.ids {
                eprintln!("{k}: {v}");
            }
            ExitCode::from(f.code)
        }
    }
}
