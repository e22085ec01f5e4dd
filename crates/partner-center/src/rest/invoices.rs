//! `/invoices`: invoices, the balance, statement PDFs, and the line items to reconcile.

use partner_center_models::{Invoice, InvoiceLineItem, InvoiceSummary, LineItemKind};
use partner_center_transport::{Cursor, Error, Paged, Pages};

use crate::{PartnerCenter, seg};

impl PartnerCenter {
    /// The partner's invoices and line items.
    ///
    /// ```no_run
    /// use partner_center::prelude::*;
    /// use partner_center::{Provider, LineItemType};
    /// # async fn demo(pc: partner_center::PartnerCenter) -> Result<(), partner_center::Error> {
    /// let invoices: Vec<_> = pc.invoices().list().try_collect().await?;
    /// let mut items = pc.invoices().line_items(&invoices[0].id, Provider::OneTime, LineItemType::Billing);
    /// while let Some(item) = items.try_next().await? {
    ///     println!("{:?} {:?}", item.subscription_id(), item.pre_tax_total());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn invoices(&self) -> Invoices {
        Invoices { pc: self.clone() }
    }
}

/// Who bills a line item (`provider=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Provider {
    /// New commerce, marketplace, Azure plan (`onetime`).
    OneTime,
    /// Legacy licence-based (`office`).
    Office,
    /// Legacy Azure (`azure`).
    Azure,
    /// Marketplace (`marketplace`).
    Marketplace,
}

impl Provider {
    /// Its query value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OneTime => "onetime",
            Self::Office => "office",
            Self::Azure => "azure",
            Self::Marketplace => "marketplace",
        }
    }
}

/// Billing or usage line items (`invoicelineitemtype=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LineItemType {
    /// `billinglineitems`: charges (reconciliation).
    Billing,
    /// `usagelineitems`: rated daily usage.
    Usage,
}

impl LineItemType {
    /// Its query value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Billing => "billinglineitems",
            Self::Usage => "usagelineitems",
        }
    }
}

/// An unbilled period (`period=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BillingPeriod {
    /// The period in progress.
    Current,
    /// The period before it, not yet invoiced.
    Previous,
}

impl BillingPeriod {
    /// Its query value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Current => "current",
            Self::Previous => "previous",
        }
    }
}

/// The kind of line item a listing of `provider` and `kind` holds
/// (get-invoiceline-items.md): what names an export's columns.
pub fn line_item_kind(provider: Provider, kind: LineItemType) -> LineItemKind {
    match (provider, kind) {
        (Provider::OneTime | Provider::Marketplace, LineItemType::Billing) => LineItemKind::OneTime,
        (Provider::OneTime | Provider::Marketplace, LineItemType::Usage) => {
            LineItemKind::DailyRatedUsage
        }
        (Provider::Office, _) => LineItemKind::LicenseBased,
        (Provider::Azure, LineItemType::Billing) => LineItemKind::UsageBased,
        (Provider::Azure, LineItemType::Usage) => LineItemKind::DailyUsage,
    }
}

/// A statement PDF written to a sink.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Statement {
    /// The file name the service gives it (`Content-Disposition`), when it does.
    pub file_name: Option<String>,
    /// The bytes written.
    pub bytes: u64,
}

/// `/invoices`.
#[derive(Debug, Clone)]
pub struct Invoices {
    pc: PartnerCenter,
}

/// The largest page of line items the service gives (get-invoiceline-items.md).
const LINE_ITEM_PAGE: u32 = 2000;

impl Invoices {
    /// Every invoice.
    pub fn list(&self) -> Paged<Invoice> {
        self.pc.rest_api().list("/invoices?size=200&offset=0")
    }

    /// One invoice (App+User credentials only).
    pub async fn get(&self, id: &str) -> Result<Invoice, Error> {
        self.pc
            .rest_api()
            .get(&format!("/invoices/{}", seg(id)))
            .await
    }

    /// The current balance (`/invoices/summary`).
    pub async fn summary(&self) -> Result<InvoiceSummary, Error> {
        self.pc.rest_api().get("/invoices/summary").await
    }

    /// The balance in each billing currency (App+User credentials only).
    pub fn summaries(&self) -> Paged<InvoiceSummary> {
        self.pc.rest_api().list("/invoices/summaries")
    }

    /// Streams invoice `id`'s statement PDF into `sink`, never holding it whole (App+User
    /// credentials only).
    pub async fn statement<W: tokio::io::AsyncWrite + Unpin + ?Sized>(
        &self,
        id: &str,
        sink: &mut W,
    ) -> Result<Statement, Error> {
        let path = format!("/invoices/{}/documents/statement", seg(id));
        let (answer, bytes) = self.pc.rest_api().download(&path, sink).await?;
        let file_name = answer
            .headers
            .get(reqwest::header::CONTENT_DISPOSITION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.split(';')
                    .find_map(|p| p.trim().strip_prefix("filename="))
            })
            .map(|name| name.trim_matches('"').to_owned());
        Ok(Statement { file_name, bytes })
    }

    /// The first page of invoice `id`'s line items of `provider` and `kind`, for
    /// [`pages`](Self::pages).
    pub fn line_items_from(id: &str, provider: Provider, kind: LineItemType) -> Cursor {
        Cursor::first(format!(
            "/invoices/{}/lineitems?provider={}&invoicelineitemtype={}&size={LINE_ITEM_PAGE}",
            seg(id),
            provider.as_str(),
            kind.as_str()
        ))
    }

    /// The first page of the unbilled line items of `period` in `currency` (e.g. `usd`),
    /// for [`pages`](Self::pages) (new commerce's, `provider=onetime`: the only provider
    /// the unbilled listings take).
    pub fn unbilled_from(kind: LineItemType, currency: &str, period: BillingPeriod) -> Cursor {
        Cursor::first(format!(
            "/invoices/unbilled/lineitems?provider=onetime&invoicelineitemtype={}&currencycode={}&period={}&size={LINE_ITEM_PAGE}",
            kind.as_str(),
            seg(currency),
            period.as_str()
        ))
    }

    /// Every line item of invoice `id` of `provider` and `kind`, page by page as read.
    pub fn line_items(
        &self,
        id: &str,
        provider: Provider,
        kind: LineItemType,
    ) -> Paged<InvoiceLineItem> {
        self.pc
            .rest_api()
            .list(&Self::line_items_from(id, provider, kind).uri)
    }

    /// Every unbilled line item of `period` in `currency`.
    pub fn unbilled(
        &self,
        kind: LineItemType,
        currency: &str,
        period: BillingPeriod,
    ) -> Paged<InvoiceLineItem> {
        self.pc
            .rest_api()
            .list(&Self::unbilled_from(kind, currency, period).uri)
    }

    /// Line items page by page from `from`, each as the text the service sent (what an
    /// export writes: no tree per item, every digit kept).
    pub fn raw_pages(&self, from: Cursor) -> Pages<Box<serde_json::value::RawValue>> {
        self.pc.rest_api().pages(from)
    }

    /// Line items page by page from `from` (`line_items_from`, `unbilled_from`, or the
    /// cursor a page gave): what an export records to resume after an interruption.
    pub fn pages(&self, from: Cursor) -> Pages<InvoiceLineItem> {
        self.pc.rest_api().pages(from)
    }
}
