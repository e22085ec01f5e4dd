//! The request helper: one API of Partner Center, called by path. Every handler of the
//! facade is a line of this, and it is public so a team can call an endpoint the SDK does
//! not wrap yet without forking.

use bytes::Bytes;
use partner_center_transport::{
    ApiProfile, ApiResponse, Cursor, Error, Paged, Pages, RequestOptions, Transport,
};
use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// One API (the REST API or the submission API), called by path, as octocrab's
/// `crab.get(route, None)`. Paths are relative to the API's versioned base (`/customers`
/// is `https://api.partnercenter.microsoft.com/v1/customers`); put ids in them with
/// [`encode_segment`](crate::encode_segment). Every call gets the whole pipeline: a token,
/// retries with the same request id, one refresh on 401, Retry-After, bounded reads.
///
/// ```no_run
/// use partner_center::models::{Customer, ResourceCollection};
/// use partner_center::{PartnerCenter, encode_segment};
/// use partner_center::prelude::*;
///
/// # async fn demo(pc: PartnerCenter) -> Result<(), partner_center::Error> {
/// // An endpoint the SDK does not wrap yet, decoded into your own type or a Value.
/// let id = "4b10bf41-ab11-40e3-8c53-cd67849b50de";
/// let usage: serde_json::Value = pc
///     .rest_api()
///     .get(&format!("/customers/{}/usagesummary", encode_segment(id)))
///     .await?;
/// // Any collection, as a lazy stream of items.
/// let all: Vec<Customer> = pc.rest_api().list("/customers?size=200").try_collect().await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Api {
    transport: Transport,
    profile: ApiProfile,
}

impl Api {
    pub(crate) fn new(transport: Transport, profile: ApiProfile) -> Self {
        Self { transport, profile }
    }

    /// `GET path`, decoded as JSON.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, Error> {
        self.transport
            .get_json(&self.profile, path, &RequestOptions::default())
            .await
    }

    /// Every item of the collection at `path`, page by page as the stream is read, all
    /// under one correlation id.
    pub fn list<T: DeserializeOwned + Send + 'static>(&self, path: &str) -> Paged<T> {
        self.transport
            .paginate(&self.profile, path, &RequestOptions::default())
    }

    /// The collection at `from` page by page: each page says where the listing goes on
    /// ([`Cursor`]), so a long walk can be recorded and resumed (`Cursor::first(path)`
    /// starts it).
    pub fn pages<T: DeserializeOwned + Send + 'static>(&self, from: Cursor) -> Pages<T> {
        self.transport
            .pages(&self.profile, from, &RequestOptions::default())
    }

    /// `GET path`, its body streamed into `sink` (never held whole); answers the
    /// response (its `body` empty) and the bytes written.
    pub async fn download<W: tokio::io::AsyncWrite + Unpin + ?Sized>(
        &self,
        path: &str,
        sink: &mut W,
    ) -> Result<(ApiResponse, u64), Error> {
        self.transport
            .download(&self.profile, path, &RequestOptions::default(), sink)
            .await
    }

    /// `POST path` with `body` as JSON. Retried safely: the request id is kept across
    /// retries, and the service deduplicates by it.
    pub async fn post<B, T>(&self, path: &str, body: &B) -> Result<T, Error>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        self.send_json(Method::POST, path, None, body).await
    }

    /// `POST path` with no body: an action such as promoting a submission.
    pub async fn post_empty<T: DeserializeOwned>(&self, path: &str) -> Result<T, Error> {
        self.send(Method::POST, path, None, &RequestOptions::default())
            .await?
            .json()
    }

    /// `PUT path` with `body` as JSON and `If-Match: etag` when an etag is given.
    pub async fn put_if_match<B, T>(
        &self,
        path: &str,
        etag: Option<&str>,
        body: &B,
    ) -> Result<T, Error>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        self.send_json(Method::PUT, path, etag, body).await
    }

    /// `PATCH path` with `body` as JSON and `If-Match: etag` when an etag is given: the
    /// service refuses the update (412) if the resource changed since it was read.
    pub async fn patch_if_match<B, T>(
        &self,
        path: &str,
        etag: Option<&str>,
        body: &B,
    ) -> Result<T, Error>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        self.send_json(Method::PATCH, path, etag, body).await
    }

    /// `DELETE path`.
    pub async fn delete(&self, path: &str) -> Result<(), Error> {
        self.send(Method::DELETE, path, None, &RequestOptions::default())
            .await
            .map(|_| ())
    }

    /// Any request, with its options (correlation id, `If-Match`, headers), answered
    /// whole: status, headers, body and ids.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Bytes>,
        options: &RequestOptions,
    ) -> Result<ApiResponse, Error> {
        self.transport
            .send(&self.profile, method, path, body, options)
            .await
    }

    async fn send_json<B, T>(
        &self,
        method: Method,
        path: &str,
        etag: Option<&str>,
        body: &B,
    ) -> Result<T, Error>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let mut options = RequestOptions::default();
        if let Some(etag) = etag {
            options = options.if_match(etag);
        }
        self.transport
            .send_json(&self.profile, method, path, body, &options)
            .await
    }

    /// The API's profile: base URL, token resource, header policy.
    pub fn profile(&self) -> &ApiProfile {
        &self.profile
    }
}
