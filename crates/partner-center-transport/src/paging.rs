//! Pagination as a lazy `Stream` in constant memory.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::pin::Pin;

use futures_util::{Stream, TryStreamExt as _};
use partner_center_models::{ODataCollection, ResourceCollection};
use reqwest::Method;
use serde::de::DeserializeOwned;

use crate::{ApiProfile, Error, RequestOptions, Transport};

/// A stream of items across pages, fetched one page at a time as it is consumed.
pub type Paged<T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>;

/// How an API shapes its collections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PageShape {
    /// `{totalCount, items, links: {next: {uri, headers}}}` (the REST API).
    Rest,
    /// `{value, @odata.nextLink}` (the ingestion API).
    OData,
}

/// Where a listing goes on: the next page's request (its URI, relative to the API's
/// base, and the headers its link names, such as `MS-ContinuationToken`). Saved, it lets
/// a listing resume where it stopped ([`Transport::pages`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Cursor {
    /// The page's URI.
    pub uri: String,
    /// The headers to send with it.
    pub headers: Vec<(String, String)>,
}

impl Cursor {
    /// The first page of `uri`.
    pub fn first(uri: impl Into<String>) -> Self {
        Self {
            uri: uri.into(),
            headers: Vec::new(),
        }
    }

    /// A fingerprint of the request, to spot a link that comes back.
    fn fingerprint(&self) -> u64 {
        let mut h = std::hash::DefaultHasher::new();
        self.uri.hash(&mut h);
        self.headers.hash(&mut h);
        h.finish()
    }
}

/// One page of a listing, and where the listing goes on (`None`: it was the last).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Page<T> {
    /// Its items.
    pub items: Vec<T>,
    /// The next page's request.
    pub next: Option<Cursor>,
}

impl<T> Page<T> {
    /// A page of `items`, going on at `next`.
    pub fn new(items: Vec<T>, next: Option<Cursor>) -> Self {
        Self { items, next }
    }
}

/// A stream of pages, fetched one at a time as it is consumed.
pub type Pages<T> = Pin<Box<dyn Stream<Item = Result<Page<T>, Error>> + Send>>;

/// After this many empty pages in a row that still carry a next link, the walk stops
/// with [`Error::Decode`]: a service that keeps sending nothing is not making progress.
pub const MAX_CONSECUTIVE_EMPTY_PAGES: u32 = 10;

struct State {
    next: Option<Cursor>,
    /// Every request of the walk so far: a link seen before means a loop.
    seen: HashSet<u64>,
    empty_pages: u32,
}

pub(crate) fn paginate<T: DeserializeOwned + Send + 'static>(
    transport: Transport,
    profile: ApiProfile,
    first: String,
    options: &RequestOptions,
) -> Paged<T> {
    let first = Cursor {
        uri: first,
        headers: options.headers.clone(),
    };
    let pages = pages::<T>(transport, profile, first, options);
    Box::pin(
        pages
            .map_ok(|page| futures_util::stream::iter(page.items.into_iter().map(Ok)))
            .try_flatten(),
    )
}

pub(crate) fn pages<T: DeserializeOwned + Send + 'static>(
    transport: Transport,
    profile: ApiProfile,
    first: Cursor,
    options: &RequestOptions,
) -> Pages<T> {
    let correlation = options
        .correlation_id
        .clone()
        .unwrap_or_else(crate::request::request_uuid);
    let state = State {
        next: Some(first),
        seen: HashSet::new(),
        empty_pages: 0,
    };
    let stream = futures_util::stream::try_unfold(state, move |mut state| {
        let transport = transport.clone();
        let profile = profile.clone();
        let correlation = correlation.clone();
        async move {
            let Some(request) = state.next.take() else {
                return Ok(None);
            };
            state.seen.insert(request.fingerprint());
            let options = RequestOptions {
                headers: request.headers.clone(),
                ..RequestOptions::correlated(correlation.clone())
            };
            let response = transport
                .send(&profile, Method::GET, &request.uri, None, &options)
                .await?;
            let (items, next) = match profile.shape() {
                PageShape::Rest => {
                    let page: ResourceCollection<T> = response.json()?;
                    let next = page.next_link().map(|l| Cursor {
                        uri: l.uri.clone(),
                        headers: l
                            .headers
                            .iter()
                            .map(|h| (h.key.clone(), h.value.clone()))
                            .collect(),
                    });
                    (page.items, next)
                }
                PageShape::OData => {
                    let page: ODataCollection<T> = response.json()?;
                    let current = profile.resolve(&request.uri)?;
                    let next = match page.next_link {
                        Some(link) => Some(Cursor {
                            uri: current
                                .join(&link)
                                .map_err(|e| Error::Config(format!("bad nextLink {link}: {e}")))?
                                .to_string(),
                            headers: Vec::new(),
                        }),
                        None => None,
                    };
                    (page.value, next)
                }
            };
            let stop = |reason: String| {
                Err(Error::decode(
                    response.status,
                    b"",
                    &reason,
                    &response.request_id,
                    &response.correlation_id,
                ))
            };
            if let Some(n) = &next {
                if state.seen.contains(&n.fingerprint()) {
                    return stop(format!(
                        "the service sent a next link already followed in this listing (after {} pages); stopping instead of looping",
                        state.seen.len()
                    ));
                }
            }
            if items.is_empty() && next.is_some() {
                state.empty_pages += 1;
                if state.empty_pages >= MAX_CONSECUTIVE_EMPTY_PAGES {
                    return stop(format!(
                        "the service sent {MAX_CONSECUTIVE_EMPTY_PAGES} empty pages in a row, each with a next link; stopping"
                    ));
                }
                tracing::debug!("empty page with a next link; following it");
            } else {
                state.empty_pages = 0;
            }
            state.next.clone_from(&next);
            Ok(Some((Page { items, next }, state)))
        }
    });
    Box::pin(stream)
}
