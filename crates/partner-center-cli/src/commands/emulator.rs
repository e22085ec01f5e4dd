//! `emulator serve`.

use clap::Subcommand;
use partner_center_emulator::{AccountKind, Emulator, Fault};
use serde_json::json;

use crate::output::outln;
use crate::output::{Format, Shape};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// The offline emulator of Entra ID and Partner Center.
    #[command(subcommand)]
    Emulator(EmulatorCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        match self {
            Command::Emulator(command) => run(ctx, command).await,
        }
    }
}

#[derive(Subcommand, Debug)]
pub(crate) enum EmulatorCommand {
    /// Serve until interrupted (SIGINT or SIGTERM).
    Serve {
        /// Interface to bind.
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// Port (0 picks a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Play a primary account instead of the integration sandbox.
        #[arg(long)]
        primary: bool,
        /// Serve https with a generated CA and certificate (the CA file is printed).
        #[arg(long)]
        tls: bool,
        /// Keep the REST API's state in this file across restarts (saved on shutdown).
        #[arg(long)]
        state: Option<std::path::PathBuf>,
        /// How long each phase of a submission's lifecycle takes, in milliseconds.
        #[arg(long, default_value_t = 1000)]
        submission_step_ms: u64,
        /// Fail the certification of every submission.
        #[arg(long)]
        fail_certification: bool,
        /// Seed this many customers in bulk (for paging tests and benchmarks).
        #[arg(long, default_value_t = 0, hide = true)]
        seed_customers: usize,
        /// Turn off the 500 requests/minute rate limit (for load tests and benchmarks).
        #[arg(long, hide = true)]
        no_rate_limit: bool,
        /// The default page size of customer listings.
        #[arg(long, default_value_t = 40, hide = true)]
        page_size: usize,
        /// How many line items last month's invoice has (generated on read: millions
        /// cost no memory).
        #[arg(long, default_value_t = 4)]
        billing_line_items: u64,
        /// Inject faults, e.g. `429,rate=0.2` or `503,next=3,route=/v1/customers`.
        #[arg(long = "fault")]
        faults: Vec<String>,
        /// Approve every sign-in (`auth login`, browser or device code) at once as this
        /// user, with no browser, and every GDAP relationship locked for approval (as the
        /// customer's admin would): for tests and scripts.
        #[arg(long, value_name = "USER")]
        approve_as: Option<String>,
        /// Users sign in without MFA, so App+User calls are refused (401, 900421) as
        /// Partner Center refuses them.
        #[arg(long)]
        approve_without_mfa: bool,
    },
}

pub(crate) async fn run(ctx: &Context, command: EmulatorCommand) -> Result<(), Failure> {
    let EmulatorCommand::Serve {
        host,
        port,
        primary,
        tls,
        state,
        submission_step_ms,
        fail_certification,
        seed_customers,
        no_rate_limit,
        page_size,
        billing_line_items,
        faults,
        approve_as,
        approve_without_mfa,
    } = command;
    let mut builder = Emulator::builder()
        .host(host)
        .port(port)
        .submission_step(std::time::Duration::from_millis(submission_step_ms))
        .fail_certification(fail_certification)
        .tls(tls)
        .seed_customers(seed_customers)
        .page_size(page_size)
        .billing_line_items(billing_line_items);
    if no_rate_limit {
        builder = builder.rate_limit_per_minute(None);
    }
    if let Some(user) = approve_as {
        builder = builder.approve_as(user);
    }
    if approve_without_mfa {
        builder = builder.approve_without_mfa();
    }
    if let Some(path) = state {
        builder = builder.state_file(path);
    }
    if primary {
        builder = builder.account(AccountKind::Primary);
    }
    for spec in faults {
        let fault: Fault = spec
            .parse()
            .map_err(|e: String| Failure::usage(format!("--fault {spec}: {e}")))?;
        builder = builder.fault(fault);
    }
    let emu = builder.start().await.map_err(|e| Failure {
        code: 1,
        message: e.to_string(),
        hint: None,
        ids: Vec::new(),
    })?;
    let info = json!({
        "authority_host": emu.authority_host(),
        "api_url": emu.api_url(),
        "ingestion_url": emu.ingestion_url(),
        "graph_url": emu.graph_url(),
        "tenant_id": emu.tenant_id(),
        "client_id": emu.client_id(),
        "client_secret": emu.client_secret(),
        "refresh_token": emu.refresh_token(),
        "ca_cert": emu.ca_cert().map(|p| p.display().to_string()),
    });
    match ctx.format.shape() {
        // One line: scripts read the URLs from the first line.
        Shape::Data if ctx.format == Format::Json && !crate::output::querying() => {
            outln!("{info}");
        }
        Shape::Data => crate::output::emit(ctx.format, &info),
        Shape::Table => {
            outln!(
                "Partner Center emulator ({}) listening",
                if primary {
                    "primary account"
                } else {
                    "integration sandbox"
                }
            );
            for key in [
                "authority_host",
                "api_url",
                "ingestion_url",
                "graph_url",
                "tenant_id",
                "client_id",
                "client_secret",
                "refresh_token",
                "ca_cert",
            ] {
                outln!("  {key:<15} {}", info[key].as_str().unwrap_or("-"));
            }
            outln!("Use it with:");
            outln!(
                "  export AZURE_AUTHORITY_HOST={} PARTNER_CENTER_API_URL={} PARTNER_CENTER_INGESTION_URL={} PARTNER_CENTER_GRAPH_URL={} AZURE_TENANT_ID={} AZURE_CLIENT_ID={} AZURE_CLIENT_SECRET={}",
                emu.authority_host(),
                emu.api_url(),
                emu.ingestion_url(),
                emu.graph_url(),
                emu.tenant_id(),
                emu.client_id(),
                emu.client_secret()
            );
            if let Some(ca) = emu.ca_cert() {
                outln!("  export SSL_CERT_FILE={}", ca.display());
            }
            outln!("Stop with Ctrl-C.");
        }
    }
    wait_for_signal().await;
    eprintln!("shutting down");
    emu.shutdown().await;
    Ok(())
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
