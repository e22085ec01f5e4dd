//! Which API a request goes to: its base URL, token resource, header policy and page shape.

use url::Url;

use crate::{Error, PageShape};

/// The headers an API expects on every request and sends back, as data: the pipeline
/// reads these fields and never compares header names.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HeaderPolicy {
    /// The header that carries the request id (the same on every attempt).
    pub request_id: &'static str,
    /// The header the service answers with its id for the request.
    pub response_id: &'static str,
    /// The header that carries the correlation id, when the API takes one.
    pub correlation_id: Option<&'static str>,
    /// The contract version sent in `MS-Contract-Version`, when the API takes one.
    pub contract_version: Option<&'static str>,
}

impl HeaderPolicy {
    /// The REST API's: `MS-RequestId` (echoed), `MS-CorrelationId`, `MS-Contract-Version: v1`.
    pub const REST: Self = Self {
        request_id: "MS-RequestId",
        response_id: "MS-RequestId",
        correlation_id: Some("MS-CorrelationId"),
        contract_version: Some("v1"),
    };

    /// The submission API's: `Client-Request-ID` out, `Request-ID` back.
    pub const INGESTION: Self = Self {
        request_id: "Client-Request-ID",
        response_id: "Request-ID",
        correlation_id: None,
        contract_version: None,
    };

    /// Microsoft Graph's: `client-request-id` out (echoed), `request-id` back.
    pub const GRAPH: Self = Self {
        request_id: "client-request-id",
        response_id: "request-id",
        correlation_id: None,
        contract_version: None,
    };
}

/// Which API a request goes to: its base URL, token resource and header conventions.
#[derive(Debug, Clone)]
pub struct ApiProfile {
    base: Url,
    resource: String,
    headers: HeaderPolicy,
    shape: PageShape,
}

impl ApiProfile {
    /// The REST API: `{api}/v1`, [`HeaderPolicy::REST`], collections with `links.next`.
    pub fn rest(api: &Url, resource: &str) -> Result<Self, Error> {
        Self::new(api, "v1", resource, HeaderPolicy::REST, PageShape::Rest)
    }

    /// The submission (ingestion) API: `{api}/v1.0/ingestion`, [`HeaderPolicy::INGESTION`],
    /// collections with `@odata.nextLink`.
    pub fn ingestion(api: &Url, resource: &str) -> Result<Self, Error> {
        Self::new(
            api,
            "v1.0/ingestion",
            resource,
            HeaderPolicy::INGESTION,
            PageShape::OData,
        )
    }

    /// Microsoft Graph: `{api}/v1.0`, [`HeaderPolicy::GRAPH`], collections with
    /// `@odata.nextLink`.
    pub fn graph(api: &Url, resource: &str) -> Result<Self, Error> {
        Self::new(api, "v1.0", resource, HeaderPolicy::GRAPH, PageShape::OData)
    }

    /// The Product Ingestion API: `{graph}/rp/product-ingestion`, a Graph token,
    /// [`HeaderPolicy::GRAPH`], collections with `@nextLink`.
    pub fn product_ingestion(graph: &Url, resource: &str) -> Result<Self, Error> {
        Self::new(
            graph,
            "rp/product-ingestion",
            resource,
            HeaderPolicy::GRAPH,
            PageShape::OData,
        )
    }

    /// Any API: `{api}/{version}` with its token resource, header policy and page shape.
    pub fn new(
        api: &Url,
        version: &str,
        resource: &str,
        headers: HeaderPolicy,
        shape: PageShape,
    ) -> Result<Self, Error> {
        partner_center_auth::check_url_allowed(api).map_err(Error::Auth)?;
        let mut base = api.clone();
        let path = format!("{}/{version}", base.path().trim_end_matches('/'));
        base.set_path(&path);
        base.set_query(None);
        Ok(Self {
            base,
            resource: resource.to_owned(),
            headers,
            shape,
        })
    }

    /// The versioned base URL, e.g. `https://api.partnercenter.microsoft.com/v1`.
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// The token resource.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The header policy.
    pub fn headers(&self) -> &HeaderPolicy {
        &self.headers
    }

    /// How the API shapes its collections.
    pub fn shape(&self) -> PageShape {
        self.shape
    }

    /// Resolves a path or link against the base. Links are usually relative to the
    /// version root (`/customers?…`); some already carry it (`/v1/customers?…`); some
    /// are absolute.
    pub fn resolve(&self, uri: &str) -> Result<Url, Error> {
        if uri.starts_with("http://") || uri.starts_with("https://") {
            let url = Url::parse(uri).map_err(|e| {
                Error::Config(format!(
                    "bad link {}: {e}",
                    partner_center_auth::redact_url_text(uri)
                ))
            })?;
            if url.origin() != self.base.origin()
                || !url.username().is_empty()
                || url.password().is_some()
            {
                return Err(Error::Config(format!(
                    "refusing to follow a link to another host, or one with credentials in it: {}",
                    partner_center_auth::redact_url_text(uri)
                )));
            }
            return Ok(url);
        }
        let base_path = self.base.path().trim_end_matches('/');
        let rel = if uri.starts_with('/') {
            uri.to_owned()
        } else {
            format!("/{uri}")
        };
        let full = if rel.starts_with(&format!("{base_path}/")) || rel == base_path {
            rel
        } else {
            format!("{base_path}{rel}")
        };
        let mut url = self.base.clone();
        let (path, query) = full
            .split_once('?')
            .map_or((full.as_str(), None), |(p, q)| (p, Some(q)));
        check_segments(path)?;
        url.set_path(path);
        url.set_query(query);
        Ok(url)
    }
}

/// Dot segments (`.`, `..`, and their percent-encoded forms) and empty segments are
/// refused: an id of `..` must not turn `GET /v1/customers/..` into `GET /v1/`.
fn check_segments(path: &str) -> Result<(), Error> {
    for seg in path.trim_start_matches('/').split('/') {
        let decoded = seg.to_ascii_lowercase().replace("%2e", ".");
        if decoded == "." || decoded == ".." {
            return Err(Error::Config(format!(
                "`{seg}` cannot be an id or a path segment (it would change the path {path}); check the ids given"
            )));
        }
        if seg.is_empty() {
            return Err(Error::Config(format!(
                "an id is empty (the path would be {path}); give a non-empty id"
            )));
        }
    }
    Ok(())
}
