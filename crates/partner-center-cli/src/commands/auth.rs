//! `auth login`, `auth status`, `auth logout`, `auth token` and `auth inspect`.

use clap::{Subcommand, ValueEnum};
use partner_center::auth::consent::LoopbackReceiver;
use partner_center::auth::jwt::{self, UnverifiedJwt};
use partner_center::auth::limits::read_capped;
use partner_center::auth::store::StoredLogin;
use partner_center::auth::{AccessToken, Clock, ExposeSecret, SystemClock, TokenRequestOptions};
use partner_center::login::Login;
use serde_json::json;

use crate::output::outln;
use crate::output::{self, Format, Shape};
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// Sign in for App+User, tokens, and JWT inspection.
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
    /// Sign in as a user (the secure application model's consent, with MFA) and store the
    /// App+User refresh token for this profile; later commands of the profile use it.
    Login {
        /// Use the device code flow (enter a code on another device): for machines
        /// without a browser.
        #[arg(long)]
        device_code: bool,
        /// Do not open a browser; print the sign-in URL instead.
        #[arg(long)]
        no_browser: bool,
        /// How long to wait for the sign-in, in seconds.
        #[arg(long, default_value_t = 300)]
        timeout: u64,
    },
    /// Show the stored login of this profile: who, where it is kept, when it expires
    /// unused (never the token). Exit code 3 when there is none.
    Status,
    /// Remove the stored login of this profile.
    Logout,
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
        AuthCommand::Login {
            device_code,
            no_browser,
            timeout,
        } => login(ctx, device_code, no_browser, timeout).await,
        AuthCommand::Status => status(ctx),
        AuthCommand::Logout => logout(ctx),
        AuthCommand::Token { api, raw } => token(ctx, api, raw).await,
        AuthCommand::Inspect { token } => inspect(ctx.format, token),
    }
}

async fn login(
    ctx: &Context,
    device_code: bool,
    no_browser: bool,
    timeout: u64,
) -> Result<(), Failure> {
    let login = Login::from_settings(&ctx.settings()?)?;
    let consent = if device_code {
        let code = login.consent().start_device_code().await?;
        eprintln!("{}", code.message);
        login.consent().finish_device_code(&code).await?
    } else {
        let receiver = LoopbackReceiver::bind().await?;
        let request = login
            .consent()
            .authorization_request(receiver.redirect_uri());
        let opened = !no_browser
            && std::io::IsTerminal::is_terminal(&std::io::stderr())
            && open::that_detached(request.url.as_str()).is_ok();
        if opened {
            eprintln!("Opened a browser to sign in. If it did not open, go to:");
        } else {
            eprintln!("To sign in, open this URL in a browser:");
        }
        eprintln!("{}", request.url);
        let redirect = receiver
            .receive(&request, std::time::Duration::from_secs(timeout))
            .await?;
        login.consent().redeem(&request, &redirect).await?
    };
    login.save(&consent)?;
    let stored = login.status()?;
    print_login(ctx.format, &login, stored.as_ref(), "logged in");
    Ok(())
}

fn print_login(format: Format, login: &Login, stored: Option<&StoredLogin>, what: &str) {
    let user = stored.and_then(|s| s.user.clone());
    let saved = stored.map(|s| output::stamp(s.saved_at));
    let expires = stored.map(|s| output::stamp(s.expires_unused_at()));
    match format.shape() {
        Shape::Data => output::emit(
            format,
            &json!({
                "logged_in": stored.is_some(),
                "user": user,
                "store": login.location(),
                "saved_at": saved,
                "expires_unused_at": expires,
            }),
        ),
        Shape::Table => {
            outln!("{what} as {}", user.as_deref().unwrap_or("(unknown user)"));
            outln!("{:<14} {}", "stored in", login.location());
            outln!("{:<14} {}", "saved", saved.unwrap_or_default());
            outln!(
                "{:<14} {} (Partner Center refresh tokens die after 90 days unused; each use renews it)",
                "expires unused",
                expires.unwrap_or_default()
            );
        }
    }
}

fn status(ctx: &Context) -> Result<(), Failure> {
    let login = Login::from_settings(&ctx.settings()?)?;
    match login.status()? {
        Some(stored) => {
            print_login(ctx.format, &login, Some(&stored), "logged in");
            Ok(())
        }
        None => Err(Failure {
            code: 3,
            message: format!("not logged in (looked at {})", login.location()),
            hint: Some(
                "run `partner-center auth login` (or `--device-code` without a browser)".to_owned(),
            ),
            ids: Vec::new(),
        }),
    }
}

fn logout(ctx: &Context) -> Result<(), Failure> {
    let login = Login::from_settings(&ctx.settings()?)?;
    let removed = login.logout()?;
    match ctx.format.shape() {
        Shape::Data => output::emit(
            ctx.format,
            &json!({"logged_out": removed, "store": login.location()}),
        ),
        Shape::Table if removed => outln!("logged out: removed {}", login.location()),
        Shape::Table => outln!("not logged in: nothing at {}", login.location()),
    }
    Ok(())
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
    match format.shape() {
        Shape::Data => output::emit(
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
        Shape::Table => {
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
    if format.is_data() {
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
