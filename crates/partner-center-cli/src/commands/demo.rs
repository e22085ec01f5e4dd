//! `demo`: the narrated walk-through on the embedded emulator.

use clap::Subcommand;
use std::sync::Arc;

use futures_util::TryStreamExt;
use partner_center::auth::{
    ClientSecretCredential, CloudConfig, RefreshTokenCredential, SecretString, TokenCredential,
    TokenRequestOptions,
};
use partner_center::export::{ExportFormat, LineItemExport};
use partner_center::ingestion::WaitOptions;
use partner_center::models::LineItemKind;
use partner_center::models::product_ingestion::{
    ConfigureRequest, ConfigureStatus, OfferChange, TargetType,
};
use partner_center::models::{
    BillingCycle, Contact, CustomerUser, LicenseUpdate, SubscriptionStatus,
};
use partner_center::{AuditQuery, BillingPeriod, Invoices, LineItemType, PartnerCenter, Purchase};
use partner_center_emulator::Emulator;
use serde_json::json;

use crate::output::Format;
use crate::output::outln;
use crate::{Context, Failure};

/// This area's top-level commands.
#[derive(Subcommand, Debug)]
pub(crate) enum Command {
    /// A narrated walk-through on the embedded emulator, with no set-up.
    Demo,
}

impl Command {
    pub(crate) async fn run(self, _ctx: &Context) -> Result<(), Failure> {
        match self {
            Command::Demo => run().await,
        }
    }
}

/// The first part of an id, enough to tell jobs apart.
fn short_id(id: &str) -> &str {
    id.split('-').next().unwrap_or(id)
}

fn step(n: u32, text: &str) {
    outln!("\n== {n}. {text}");
}

fn internal(e: impl std::fmt::Display) -> Failure {
    Failure {
        code: 1,
        message: e.to_string(),
        hint: None,
        ids: Vec::new(),
    }
}

pub(crate) async fn run() -> Result<(), Failure> {
    outln!("Partner Center, offline: this demo starts the emulator (Entra ID + the Partner Center");
    outln!("REST API, playing an integration sandbox) on a free loopback port and talks to it");
    outln!("through the same SDK code that talks to the real services.");
    let emu = Emulator::builder()
        .submission_step(std::time::Duration::from_millis(300))
        .start()
        .await
        .map_err(internal)?;
    outln!(
        "emulator at {} (tenant {}, app {})",
        emu.api_url(),
        emu.tenant_id(),
        emu.client_id()
    );

    step(
        1,
        "Acquire an app-only token (client credentials, v2 endpoint)",
    );
    let cloud = CloudConfig::custom(emu.authority_host(), emu.api_url(), emu.ingestion_url())?
        .with_graph_api(emu.graph_url())?;
    let secret = SecretString::from(emu.client_secret().to_owned());
    let credential = Arc::new(
        ClientSecretCredential::new(emu.tenant_id(), emu.client_id(), secret)?
            .with_authority_host(cloud.authority_host.clone())?,
    );
    let token = credential
        .get_token(
            &cloud.partner_center_resource,
            &TokenRequestOptions::default(),
        )
        .await?;
    super::auth::summary(Format::Table, &token);
    outln!(
        "(the token itself is never printed; `partner-center auth token --raw` prints it on purpose)"
    );

    step(
        2,
        "Inspect it (decoded without verification: header and claims)",
    );
    let jwt = token.inspect_unverified().map_err(internal)?;
    outln!(
        "alg {} kid {}, issuer {}",
        jwt.header["alg"],
        jwt.header["kid"],
        jwt.claims.iss.as_deref().unwrap_or("-")
    );

    let pc = PartnerCenter::builder()
        .credential(credential.clone())
        .cloud(cloud.clone())
        .build()?;

    step(3, "Create a customer (the admin password comes back once)");
    let customer = pc
        .customers()
        .create(&json!({
            "CompanyProfile": {"Domain": "demo-contoso"},
            "BillingProfile": {
                "Culture": "en-US", "Email": "admin@contoso.example", "Language": "en", "CompanyName": "Contoso Demo",
                "DefaultAddress": {"Country": "US", "City": "Redmond", "State": "WA", "AddressLine1": "1 Microsoft Way",
                                   "PostalCode": "98052", "FirstName": "Ada", "LastName": "Lovelace", "PhoneNumber": "4255550100"}
            }
        }))
        .await?;
    crate::commands::print_created_customer(Format::Table, &customer);

    step(4, "Browse the offer catalogue (paged) and order two offers");
    let offers: Vec<_> = pc.offers("US").list().try_collect().await?;
    for o in offers.iter().take(3) {
        outln!("  {}  {}", o.id, o.name.as_deref().unwrap_or("-"));
    }
    let order = pc
        .customer(&customer.id)
        .orders()
        .create(&json!({"lineItems": [
            {"lineItemNumber": 0, "offerId": offers[0].id, "quantity": 5},
            {"lineItemNumber": 1, "offerId": offers[1].id, "quantity": 2}
        ]}))
        .await?;
    outln!(
        "order {} is {}",
        order.id,
        order
            .status
            .as_ref()
            .map_or("-".to_owned(), ToString::to_string)
    );

    step(5, "List the customer's subscriptions, created by the order");
    let subs: Vec<_> = pc
        .customer(&customer.id)
        .subscriptions()
        .list()
        .try_collect()
        .await?;
    for s in &subs {
        outln!(
            "  {}  {:<32} qty {:>2}  {}",
            s.id,
            s.offer_name.as_deref().unwrap_or("-"),
            s.quantity,
            s.status
                .as_ref()
                .map_or("-".to_owned(), ToString::to_string)
        );
    }

    step(
        6,
        "Raise a quantity, then suspend (each PATCH carries the etag in If-Match)",
    );
    let handle = pc.customer(&customer.id).subscriptions();
    let raised = handle.modify(&subs[0].id, |s| s.quantity = 10).await?;
    outln!("  quantity now {}", raised.quantity);
    let suspended = handle
        .set_status(&subs[0].id, SubscriptionStatus::Suspended)
        .await?;
    outln!(
        "  status now {}",
        suspended
            .status
            .as_ref()
            .map_or("-".to_owned(), ToString::to_string)
    );

    step(
        7,
        "Hit an integration-sandbox limit (25 licences per subscription)",
    );
    match handle.modify(&subs[1].id, |s| s.quantity = 26).await {
        Err(e) => {
            outln!("  refused as the sandbox would: {e}");
            if let Some(h) = e.hint() {
                outln!("  hint: {h}");
            }
        }
        Ok(_) => outln!("  unexpectedly accepted"),
    }

    step(
        8,
        "New commerce: the customer accepts the Customer Agreement and buys Microsoft 365 Business Basic through a cart",
    );
    // Confirming the Customer Agreement needs App+User credentials (the secure
    // application model): the emulator's refresh token.
    let user = RefreshTokenCredential::new(
        emu.tenant_id(),
        emu.client_id(),
        Some(SecretString::from(emu.client_secret().to_owned())),
        SecretString::from(emu.refresh_token().to_owned()),
    )?
    .with_authority_host(cloud.authority_host.clone())?;
    let admin = PartnerCenter::builder()
        .credential(user)
        .cloud(cloud)
        .build()?;
    let agreement = admin
        .customer(&customer.id)
        .agreements()
        .accept_customer_agreement(
            Contact::new("Ada", "Lovelace", "admin@contoso.example"),
            "2024-05-01T00:00:00Z",
        )
        .await?;
    outln!(
        "  Customer Agreement confirmed ({}, template {})",
        agreement.date_agreed.as_deref().unwrap_or("-"),
        agreement.template_id
    );
    let basic = Purchase::new("CFQ7TTC0LH18", "0001", 3)
        .term("P1Y")
        .billing(BillingCycle::Annual);
    let cart = pc.customer(&customer.id).prepare(&basic).await?;
    let line = &cart.line_items[0];
    outln!(
        "  cart {}: {} ×{} for {}, {} {}",
        cart.id.as_deref().unwrap_or("-"),
        line.catalog_item_id,
        line.quantity,
        line.term_duration.as_deref().unwrap_or("-"),
        line.pricing
            .as_ref()
            .and_then(|p| p.extended_price)
            .unwrap_or_default(),
        line.currency_code.as_deref().unwrap_or("")
    );
    let result = pc
        .customer(&customer.id)
        .carts()
        .checkout(cart.id.as_deref().unwrap_or_default())
        .await?;
    let bought = result
        .orders
        .iter()
        .flat_map(|o| &o.line_items)
        .filter_map(|l| l.subscription_id.clone())
        .next()
        .unwrap_or_default();
    outln!("  checked out: subscription {bought}");

    step(
        9,
        "Customer administration (App+User): create a user, assign them one of the seats just bought, then cancel the subscription",
    );
    let tenant = admin.customer(&customer.id);
    let domain = customer
        .company_profile
        .as_ref()
        .and_then(|p| p.domain.clone())
        .unwrap_or_default();
    let new_user = CustomerUser::new(
        &format!("ada@{domain}"),
        "Ada",
        "Lovelace",
        "US",
        partner_center::auth::secret::random_password(),
    );
    let ada = tenant.users().create(&new_user).await?;
    outln!(
        "  user {} ({}); the password was shown once, and is not printed here",
        ada.user_principal_name.as_deref().unwrap_or("-"),
        ada.id
    );
    let sku = tenant
        .licenses()
        .subscribed_skus(&[])
        .try_next()
        .await?
        .ok_or_else(|| internal("the purchase gave the customer no licences"))?;
    tenant
        .licenses()
        .update(&ada.id, &LicenseUpdate::new(&[&sku.product_sku.id], &[]))
        .await?;
    let seats = tenant
        .licenses()
        .subscribed_skus(&[])
        .try_next()
        .await?
        .unwrap_or(sku);
    outln!(
        "  licence {} assigned: {} of {} seats used",
        seats.product_sku.name.as_deref().unwrap_or("-"),
        seats.consumed_units,
        seats.total_units
    );
    let cancelled = handle
        .set_status(&bought, SubscriptionStatus::Deleted)
        .await?;
    outln!(
        "  cancelled: status now {}",
        cancelled
            .status
            .as_ref()
            .map_or("-".to_owned(), ToString::to_string)
    );

    step(
        10,
        "Billing: the balance, last month's invoice and its statement, and this period's unbilled line items exported to CSV",
    );
    let invoices = admin.invoices();
    let balance = invoices.summary().await?;
    outln!(
        "  balance: {} {}",
        balance
            .balance_amount
            .as_ref()
            .map_or("-".to_owned(), ToString::to_string),
        balance.currency_code.as_deref().unwrap_or("")
    );
    let last = invoices
        .list()
        .try_next()
        .await?
        .ok_or_else(|| internal("the emulator lists no invoice"))?;
    let mut pdf = Vec::new();
    let statement = invoices.statement(&last.id, &mut pdf).await?;
    outln!(
        "  invoice {} of {}: {} {}; statement {} ({} bytes)",
        last.id,
        last.invoice_date
            .as_deref()
            .and_then(|d| d.get(..10))
            .unwrap_or("-"),
        last.total_charges
            .as_ref()
            .map_or("-".to_owned(), ToString::to_string),
        last.currency_code.as_deref().unwrap_or(""),
        statement.file_name.as_deref().unwrap_or("-"),
        statement.bytes
    );
    let csv = std::env::temp_dir().join(format!("partner-center-demo-{}.csv", std::process::id()));
    let from = Invoices::unbilled_from(LineItemType::Billing, "usd", BillingPeriod::Current);
    let report = LineItemExport::new(from, LineItemKind::OneTime, ExportFormat::Csv, &csv)
        .run(|cursor| invoices.raw_pages(cursor), |_| {})
        .await
        .map_err(|e| internal(e.to_string()))?;
    outln!(
        "  exported {} unbilled line items (the purchase and its cancellation credit) to {}",
        report.rows,
        csv.display()
    );
    let _ = std::fs::remove_file(&csv);

    step(
        11,
        "Marketplace offers as code (the Product Ingestion API): apply a SaaS offer from a payload, export it, change its listing, see the diff",
    );
    let offers = pc.product_ingestion();
    let schema = |kind: &str, version: &str| {
        format!("https://product-ingestion.azureedge.net/schema/{kind}/{version}")
    };
    let file: ConfigureRequest = serde_json::from_value(json!({
        "$schema": schema("configure", "2022-03-01-preview2"),
        "resources": [
            {"$schema": schema("product", "2022-03-01-preview3"), "resourceName": "contoso-dashboards",
             "identity": {"externalId": "contoso-dashboards"}, "type": "softwareAsAService",
             "alias": "Contoso Dashboards"},
            {"$schema": schema("plan", "2022-03-01-preview2"), "resourceName": "team",
             "product": {"resourceName": "contoso-dashboards"}, "identity": {"externalId": "team"},
             "alias": "Team", "azureRegions": ["azureGlobal"]},
            {"$schema": "https://schema.mp.microsoft.com/schema/listing/2022-03-01-preview5",
             "product": {"resourceName": "contoso-dashboards"}, "kind": "azureSaaS",
             "languageId": "en-us", "title": "Contoso Dashboards",
             "description": "Spreadsheets into live dashboards for every team."}
        ]
    }))
    .map_err(internal)?;
    let options = WaitOptions::default().intervals(
        std::time::Duration::from_millis(100),
        std::time::Duration::from_millis(300),
    );
    let progress = |s: &ConfigureStatus| {
        outln!(
            "  job {} → {} {}",
            short_id(&s.job_id),
            s.job_status,
            s.job_result
        );
    };
    let job = offers
        .apply(&file)
        .await?
        .ok_or_else(|| internal("a new product is a change"))?;
    offers.wait(&job.job_id, options, progress).await?;
    let product = offers
        .find_product("contoso-dashboards")
        .await?
        .ok_or_else(|| internal("the product was written"))?;
    outln!("  product {product}");
    let mut exported = serde_json::to_value(offers.export(&product, TargetType::Draft).await?)
        .map_err(internal)?;
    outln!(
        "  exported: {} resources, ids left out, references by external id",
        exported["resources"].as_array().map_or(0, Vec::len)
    );
    if let Some(listing) = exported["resources"]
        .as_array_mut()
        .and_then(|r| r.iter_mut().find(|r| r["title"].is_string()))
    {
        listing["title"] = json!("Contoso Dashboards, now live-updating");
    }
    let edited: ConfigureRequest = serde_json::from_value(exported).map_err(internal)?;
    for change in offers.diff(&edited).await? {
        if let OfferChange::Changed { key, fields } = change {
            for (field, before, after) in fields {
                outln!(
                    "  diff: {key}: {field}: {} → {}",
                    before.unwrap_or_default(),
                    after.unwrap_or_default()
                );
            }
        }
    }
    if let Some(job) = offers.apply(&edited).await? {
        offers.wait(&job.job_id, options, progress).await?;
    }

    step(12, "Publish it to preview, then live, following the jobs");
    let job = offers.publish(&product, TargetType::Preview).await?;
    offers.wait(&job.job_id, options, progress).await?;
    let job = offers.publish(&product, TargetType::Live).await?;
    offers.wait(&job.job_id, options, progress).await?;
    let live = offers.resource_tree(&product, TargetType::Live).await?;
    outln!("  live: {} resources", live.resources.len());

    step(
        13,
        "The audit trail: every change of this run, as Partner Center records it",
    );
    let trail: Vec<_> = admin
        .audit_records()
        .list(&AuditQuery::default())
        .try_collect()
        .await?;
    for record in &trail {
        outln!(
            "  {} {:<32} {}",
            record.operation_date.get(11..19).unwrap_or("-"),
            record.operation_type.to_string(),
            record
                .user_principal_name
                .as_deref()
                .or(record.application_id.as_deref())
                .unwrap_or("-")
        );
    }
    outln!("  {} audit records", trail.len());

    step(
        14,
        "Cached tokens: everything above used one token per API and credential",
    );
    outln!(
        "  token requests made: {} (app-only: one for the REST API, one for Microsoft Graph; App+User: one)",
        emu.token_requests()
    );

    outln!("\nDone. Try it yourself: `partner-center emulator serve`, then point the CLI at it.");
    emu.shutdown().await;
    Ok(())
}
