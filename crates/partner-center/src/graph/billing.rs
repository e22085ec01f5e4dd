//! `/reports/partners/billing`: the asynchronous exports of billed and unbilled
//! reconciliation and usage data (Microsoft Graph), followed to their manifest.

use std::time::Duration;

use partner_center_models::graph::{BillingOperation, ExportRequest, Manifest, OperationState};
use partner_center_transport::{Error, RequestOptions};
use reqwest::Method;

use crate::PartnerCenter;
use crate::ingestion::WaitOptions;

impl PartnerCenter {
    /// The partner billing reports of Microsoft Graph (a token for Graph with
    /// `PartnerBilling.Read.All`, from the same credential).
    ///
    /// ```no_run
    /// use partner_center::ingestion::WaitOptions;
    /// use partner_center::models::graph::{ExportRequest, GraphBillingPeriod};
    /// use partner_center::ReportKind;
    /// # async fn demo(pc: partner_center::PartnerCenter) -> Result<(), partner_center::Error> {
    /// let reports = pc.billing_reports();
    /// let request = ExportRequest::unbilled(GraphBillingPeriod::Current, "USD");
    /// let operation = reports.start(ReportKind::UnbilledReconciliation, &request).await?;
    /// let done = reports.wait(&operation, WaitOptions::default()).await?;
    /// let manifest = reports.manifest(&done).await?;
    /// println!("{} files", manifest.blobs.len());
    /// # Ok(()) }
    /// ```
    pub fn billing_reports(&self) -> BillingReports {
        BillingReports { pc: self.clone() }
    }
}

/// Which data an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReportKind {
    /// An invoice's reconciliation line items (`ExportRequest::billed`).
    BilledReconciliation,
    /// A period's unbilled reconciliation line items (`ExportRequest::unbilled`).
    UnbilledReconciliation,
    /// An invoice's rated daily usage.
    BilledUsage,
    /// A period's unbilled rated daily usage.
    UnbilledUsage,
}

impl ReportKind {
    fn path(self) -> &'static str {
        match self {
            Self::BilledReconciliation => "/reports/partners/billing/reconciliation/billed/export",
            Self::UnbilledReconciliation => {
                "/reports/partners/billing/reconciliation/unbilled/export"
            }
            Self::BilledUsage => "/reports/partners/billing/usage/billed/export",
            Self::UnbilledUsage => "/reports/partners/billing/usage/unbilled/export",
        }
    }
}

/// `/reports/partners/billing`.
#[derive(Debug, Clone)]
pub struct BillingReports {
    pc: PartnerCenter,
}

impl BillingReports {
    /// Starts an export: answers its operation's URL (the `Location` of the `202`).
    pub async fn start(&self, kind: ReportKind, request: &ExportRequest) -> Result<String, Error> {
        let body = serde_json::to_vec(request).map_err(|e| Error::Config(e.to_string()))?;
        let options = RequestOptions::default().header("Content-Type", "application/json");
        let answer = self
            .pc
            .graph_api()
            .send(Method::POST, kind.path(), Some(body.into()), &options)
            .await?;
        answer
            .headers
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .ok_or_else(|| Error::Decode {
                status: answer.status,
                reason: "the export was accepted without a Location header naming its operation"
                    .to_owned(),
                excerpt: String::new(),
                request_id: answer.request_id.clone(),
                correlation_id: answer.correlation_id.clone(),
            })
    }

    /// Where operation `location` is, and how long the service asks to wait before
    /// asking again (`Retry-After`), when it says.
    pub async fn operation(
        &self,
        location: &str,
    ) -> Result<(BillingOperation, Option<Duration>), Error> {
        let answer = self
            .pc
            .graph_api()
            .send(Method::GET, location, None, &RequestOptions::default())
            .await?;
        let retry_after = answer
            .headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        Ok((answer.json()?, retry_after))
    }

    /// Reads operation `location` until it has succeeded or failed: after the
    /// `Retry-After` the service gives (capped by `options`' longest interval), else with
    /// the usual backoff, within `options.timeout`. A failed export is [`Error::Api`] with
    /// the operation's error code; a timeout is [`Error::Transient`].
    pub async fn wait(
        &self,
        location: &str,
        options: WaitOptions,
    ) -> Result<BillingOperation, Error> {
        let mut pacer = options.pacer();
        let mut polls = 0;
        loop {
            polls += 1;
            let (operation, retry_after) = self.operation(location).await?;
            match operation.state() {
                OperationState::Succeeded => return Ok(operation),
                OperationState::Failed => {
                    let error = operation.error.clone().unwrap_or_default();
                    return Err(Error::Api {
                        status: 200,
                        code: error.code.clone(),
                        description: format!(
                            "export {} failed: {}",
                            operation.id,
                            error.message.as_deref().unwrap_or("no reason given")
                        ),
                        fault: None,
                        request_id: String::new(),
                        correlation_id: String::new(),
                    });
                }
                _ => {}
            }
            if !pacer.wait_at_least(retry_after).await {
                return Err(pacer.timed_out(
                    polls,
                    &format!(
                        "export {} is still running; read its operation later",
                        operation.id
                    ),
                ));
            }
        }
    }

    /// The manifest of a succeeded export: its files, and the SAS token that reads them.
    pub async fn manifest(&self, done: &BillingOperation) -> Result<Manifest, Error> {
        let link = done.resource_location.as_deref().ok_or_else(|| {
            Error::Config(format!(
                "operation {} names no manifest: it has not succeeded",
                done.id
            ))
        })?;
        self.pc.graph_api().get(link).await
    }
}
