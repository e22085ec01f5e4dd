//! `auth token` and `auth inspect`.

use clap::{Subcommand, ValueEnum};
use partner_center::auth::jwt::{self, UnverifiedJwt};
use partner_center::auth::limits::read_capped;
use partner_center::auth::{AccessToken, Clock, ExposeSecret, SystemClock, TokenRequestOptions};
use serde_json::json;

use crate::output::outln;
use crate::output::{self, Format};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Tokens: acquire one, or inspect a JWT.
    #[command(subcommand)]
    Auth(AuthCommand),
}

impl Command {
    pub(crate) async fn run(self, ctx: &Context) -> Result<(), Failure> {
        match self {
            Command::Auth(command) => run(ctx, command).await,
        }
    }
}

#[derive(Subcommand, Debug)]
pub(crate) enum AuthCommand {
    /// Acquire a token for an API's resource and print a summary (never the token).
    Token {
        /// Which API's resource.
        #[arg(long, value_enum, default_value_t = Api::PartnerCenter)]
        api: Api,
        /// Print the access token alone on stdout, for piping.
        #[arg(long)]
        raw: bool,
    },
    /// Decode a JWT without verifying it (reads stdin when TOKEN is absent or `-`).
    Inspect {
        /// The token.
        token: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Api {
    /// The REST API.
    PartnerCenter,
    /// The submission (ingestion) API.
    Ingestion,
}

/// The largest JWT read from stdin (a JWT is at most a few hundred KiB).
const MAX_JWT_BYTES: u64 = 1 << 20;

pub(crate) async fn run(ctx: &Context, command: AuthCommand) -> Result<(), Failure> {
    match command {
        AuthCommand::Token { api, raw } => token(ctx, api, raw).await,
        AuthCommand::Inspect { token } => inspect(ctx.format, token),
    }
}

async fn token(ctx: &Context, api: Api, raw: bool) -> Result<(), Failure> {
    let settings = ctx.settings()?;
    let http = partner_center::auth::default_http_client()?;
    let credential = settings.credential(http)?;
    let resource = match api {
        Api::PartnerCenter => &settings.cloud.partner_center_resource,
        Api::Ingestion => &settings.cloud.ingestion_resource,
    };
    let token = credential
        .get_token(resource, &TokenRequestOptions::default())
        .await?;
    if raw {
        print_raw(&token);
        return Ok(());
    }
    summary(ctx.format, &token);
    Ok(())
}

#[allow(clippy::disallowed_methods)] // reason: `auth token --raw` prints the token on purpose, for piping
fn print_raw(token: &AccessToken) {
    outln!("{}", token.secret().expose_secret());
}

pub(crate) fn summary(format: Format, token: &AccessToken) {
    let now = SystemClock.now();
    let claims = token.inspect_unverified().map(|j| j.claims).ok();
    let c = claims.as_ref();
    let expires = output::stamp(token.expires_on());
    let secs_left = token
        .expires_on()
        .duration_since(now)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    match format {
        Format::Json | Format::Jsonl => output::emit(
            format,
            &json!({
                "audience": c.and_then(|c| c.aud.clone()),
                "tenant": c.and_then(|c| c.tid.clone()),
                "app_id": c.and_then(|c| c.app_id().map(str::to_owned)),
                "roles": c.map(|c| c.roles.clone()).unwrap_or_default(),
                "scopes": c.and_then(|c| c.scp.clone()),
                "version": c.and_then(|c| c.ver.clone()),
                "expires_on": expires,
                "expires_in_seconds": secs_left,
            }),
        ),
        Format::Table => {
            let rows = [
                ("audience", c.and_then(|c| c.aud.clone())),
                ("tenant", c.and_then(|c| c.tid.clone())),
                ("app id", c.and_then(|c| c.app_id().map(str::to_owned))),
                (
                    "roles",
                    c.map(|c| c.roles.join(" ")).filter(|r| !r.is_empty()),
                ),
                ("scopes", c.and_then(|c| c.scp.clone())),
                ("expires", Some(output::when(token.expires_on(), now))),
            ];
            for (k, v) in rows {
                outln!("{k:<10} {}", v.unwrap_or_else(|| "-".to_owned()));
            }
        }
    }
}

fn inspect(format: Format, token: Option<String>) -> Result<(), Failure> {
    let text = match token.as_deref() {
        None | Some("-") => {
            let bytes = read_capped(std::io::stdin().lock(), MAX_JWT_BYTES)
                .map_err(|e| Failure::usage(format!("cannot read the token from stdin: {e}")))?;
            String::from_utf8(bytes)
                .map_err(|_| Failure::usage("the token on stdin is not UTF-8 text"))?
        }
        Some(t) => t.to_owned(),
    };
    let jwt = jwt::decode_unverified(&text).map_err(|e| Failure::usage(e.to_string()))?;
    print_jwt(format, &jwt);
    Ok(())
}

pub(crate) fn print_jwt(format: Format, jwt: &UnverifiedJwt) {
    let now = SystemClock.now();
    if format.is_json() {
        output::emit(format, &json!({"header": jwt.header, "claims": jwt.claims}));
        return;
    }
    outln!("(decoded WITHOUT verifying the signature)");
    outln!("header:");
    for (k, v) in &jwt.header {
        outln!("  {k}: {}", plain(v));
    }
    outln!("claims:");
    let claims = serde_json::to_value(&jwt.claims).unwrap_or_default();
    if let Some(map) = claims.as_object() {
        for (k, v) in map {
            let shown = match (k.as_str(), v.as_i64()) {
                ("exp" | "nbf" | "iat", Some(secs)) => jwt::time_from_epoch(secs).map_or_else(
                    || format!("{secs} (out of range)"),
                    |t| output::when(t, now),
                ),
                _ => plain(v),
            };
            outln!("  {k}: {shown}");
        }
    }
    if jwt.claims.is_expired_at(now) {
        outln!("status: EXPIRED");
    } else if jwt.claims.is_not_yet_valid_at(now) {
        outln!("status: NOT YET VALID");
    } else {
        outln!("status: valid (by its times; signature not checked)");
    }
}

fn plain(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
