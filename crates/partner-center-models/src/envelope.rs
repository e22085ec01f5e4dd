//! The envelopes both APIs wrap resources in: links, attributes, collections (the REST
//! API's `ResourceCollection`, the submission API's `ODataCollection`) and error bodies.
//!
//! The transport reads only these types (a tidy test holds it to that): paging and error
//! handling never depend on an API area's models.

use serde::{Deserialize, Serialize};

use crate::Extra;

/// A link to a related resource or page: `{uri, method, headers: [{key, value}]}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Link {
    /// Usually relative to the API version root (`/customers?...`); sometimes with `/v1`.
    pub uri: String,
    /// The HTTP method, e.g. `GET`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Headers to send with the request (notably `MS-ContinuationToken`); always
    /// written, as the service writes `[]`.
    #[serde(default)]
    pub headers: Vec<KeyValue>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Link {
    /// A GET link to `uri`.
    pub fn new(uri: impl Into<String>) -> Self {
        Self {
            uri: uri.into(),
            method: Some("GET".to_owned()),
            ..Self::default()
        }
    }

    /// Adds a header to send.
    pub fn with_header(mut self, key: &str, value: &str) -> Self {
        self.headers.push(KeyValue {
            key: key.to_owned(),
            value: value.to_owned(),
        });
        self
    }

    /// The value of a header to send, matched case-insensitively.
    pub fn header(&self, key: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|h| h.key.eq_ignore_ascii_case(key))
            .map(|h| h.value.as_str())
    }
}

/// A `{key, value}` pair, as links carry their headers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct KeyValue {
    /// Header name.
    pub key: String,
    /// Header value.
    pub value: String,
}

/// `self`, `next`, `previous` and any other named links.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Links {
    /// This resource or page.
    #[serde(rename = "self", default, skip_serializing_if = "Option::is_none")]
    pub self_: Option<Link>,
    /// The next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Link>,
    /// The previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<Link>,
    /// Other links (offer, product, sku, provisioningStatus, …), kept as sent.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Links {
    /// Links with just `self`.
    pub fn self_link(link: Link) -> Self {
        Self {
            self_: Some(link),
            ..Self::default()
        }
    }
}

/// `{etag, objectType}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResourceAttributes {
    /// The entity tag, for `If-Match` on updates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The resource type, e.g. `Customer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_type: Option<String>,
}

impl ResourceAttributes {
    /// Attributes with just an object type.
    pub fn object(object_type: &str) -> Self {
        Self {
            etag: None,
            object_type: Some(object_type.to_owned()),
        }
    }

    /// Attributes with an object type and an entity tag.
    pub fn with_etag(object_type: &str, etag: impl Into<String>) -> Self {
        Self {
            etag: Some(etag.into()),
            object_type: Some(object_type.to_owned()),
        }
    }
}

/// A page of a collection: `{totalCount, items, links, attributes}` (plus
/// `continuationToken` on seek-based collections). Read in one pass (by hand: serde's
/// `flatten` would first copy the whole page, items and all, into a buffer).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResourceCollection<T> {
    /// The number of items **in this page**.
    #[serde(default)]
    pub total_count: u64,
    /// The items.
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
    /// Paging links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    /// The seek token of seek-based collections.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuation_token: Option<String>,
    /// `{objectType: "Collection"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<ResourceAttributes>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for ResourceCollection<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Visit<T> {
            type Value = ResourceCollection<T>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a collection object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut page = ResourceCollection {
                    total_count: 0,
                    items: Vec::new(),
                    links: None,
                    continuation_token: None,
                    attributes: None,
                    extra: Extra::new(),
                };
                // A known field twice is an error, as the derive made it: a page must
                // not carry two lists of items.
                let mut seen = [false; 5];
                while let Some(key) = map.next_key::<String>()? {
                    let known = [
                        "totalCount",
                        "items",
                        "links",
                        "continuationToken",
                        "attributes",
                    ];
                    if let Some(n) = known.iter().position(|k| *k == key) {
                        if std::mem::replace(&mut seen[n], true) {
                            return Err(serde::de::Error::duplicate_field(known[n]));
                        }
                    }
                    match key.as_str() {
                        "totalCount" => {
                            page.total_count = map.next_value::<Option<u64>>()?.unwrap_or(0);
                        }
                        "items" => {
                            page.items = map.next_value::<Option<Vec<T>>>()?.unwrap_or_default();
                        }
                        "links" => page.links = map.next_value()?,
                        "continuationToken" => page.continuation_token = map.next_value()?,
                        "attributes" => page.attributes = map.next_value()?,
                        _ => {
                            let value = map.next_value()?;
                            page.extra.insert(key, value);
                        }
                    }
                }
                Ok(page)
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}

impl<T> ResourceCollection<T> {
    /// A page of `items`, with a next link when there is more.
    pub fn new(items: Vec<T>, next: Option<Link>) -> Self {
        Self {
            total_count: items.len() as u64,
            items,
            links: next.map(|n| Links {
                next: Some(n),
                ..Links::default()
            }),
            continuation_token: None,
            attributes: Some(ResourceAttributes::object("Collection")),
            extra: Extra::new(),
        }
    }

    /// The link to the next page, if any.
    pub fn next_link(&self) -> Option<&Link> {
        self.links.as_ref().and_then(|l| l.next.as_ref())
    }
}

/// The usual error body: `{code, description, data, source}`, or the richer shape with
/// `errorName`/`isRetryable`, or the throttling body `{statusCode, message}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ApiFault {
    /// The service's error code; a number in most answers, a string in some: kept as
    /// sent, so the body round-trips exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<FaultCode>,
    /// What went wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The richer shape's message, and the throttling body's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Extra data, often strings (`[]` is kept as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Vec<serde_json::Value>>,
    /// The component that failed (`PartnerFD`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The richer shape's symbolic name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_name: Option<String>,
    /// The richer shape's retry verdict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_retryable: Option<bool>,
    /// The throttling body's status code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_code: Option<u16>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ApiFault {
    /// A fault with a numeric code and a description, as the service sends them.
    pub fn new(code: u32, description: impl Into<String>) -> Self {
        Self {
            code: Some(FaultCode::Number(code.into())),
            data: Some(Vec::new()),
            description: Some(description.into()),
            source: Some("PartnerFD".to_owned()),
            ..Self::default()
        }
    }

    /// Whether the body looked like any known error shape.
    pub fn is_recognised(&self) -> bool {
        self.code.is_some()
            || self.description.is_some()
            || self.message.is_some()
            || self.status_code.is_some()
    }

    /// The best human-readable text: description, else message.
    pub fn text(&self) -> Option<&str> {
        self.description.as_deref().or(self.message.as_deref())
    }
}

/// An error code as the service wrote it: a JSON number (`60012`), a string
/// (`"60012"`, `"InvalidInput"`), or any other JSON value, kept whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum FaultCode {
    /// A numeric code, as most answers send it.
    Number(serde_json::Number),
    /// A textual code.
    Text(String),
    /// Any other JSON value (kept so the body round-trips).
    Other(serde_json::Value),
}

impl std::fmt::Display for FaultCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FaultCode::Number(n) => write!(f, "{n}"),
            FaultCode::Text(s) => f.write_str(s),
            FaultCode::Other(v) => write!(f, "{v}"),
        }
    }
}

/// A page: `{"value": [...], "@odata.nextLink": "..."}` (some clients see `nextLink`; the
/// Product Ingestion API sends `@nextLink`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ODataCollection<T> {
    /// The items.
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    /// The next page, relative to the request or absolute (with `$skipToken`).
    #[serde(
        rename = "@odata.nextLink",
        alias = "nextLink",
        alias = "@nextLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_link: Option<String>,
    /// Fields not modelled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl<T> ODataCollection<T> {
    /// A page of `value`.
    pub fn new(value: Vec<T>, next_link: Option<String>) -> Self {
        Self {
            value,
            next_link,
            extra: Extra::new(),
        }
    }
}
