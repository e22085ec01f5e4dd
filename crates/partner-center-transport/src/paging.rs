//! Pagination as a lazy `Stream` in constant memory.

use std::collections::{HashSet, VecDeque};
use std::hash::{Hash, Hasher};
use std::pin::Pin;

use futures_util::Stream;
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

#[derive(Clone, PartialEq, Hash)]
struct NextRequest {
    uri: String,
    headers: Vec<(String, String)>,
}

impl NextRequest {
    /// A fingerprint of the request, to spot a link that comes back.
    fn fingerprint(&self) -> u64 {
        let mut h = std::hash::DefaultHasher::new();
        self.uri.hash(&mut h);
        self.headers.hash(&mut h);
        h.finish()
    }
}

/// After this many empty pages in a row that still carry a next link, the walk stops
/// with [`Error::Decode`]: a service that keeps sending nothing is not making progress.
pub const MAX_CONSECUTIVE_EMPTY_PAGES: u32 = 10;

struct State<T> {
    next: Option<NextRequest>,
    buffer: VecDeque<T>,
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
    let correlation = options
        .correlation_id
        .clone()
        .unwrap_or_else(crate::request::request_uuid);
    let state = State {
        next: Some(NextRequest {
            uri: first,
            headers: options.headers.clone(),
        }),
        buffer: VecDeque::new(),
        seen: HashSet::new(),
        empty_pages: 0,
    };
    let stream = futures_util::stream::try_unfold(state, move |mut state| {
        let transport = transport.clone();
        let profile = profile.clone();
        let correlation = correlation.clone();
        async move {
            loop {
                if let Some(item) = state.buffer.pop_front() {
                    return Ok(Some((item, state)));
                }
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
                        let next = page.next_link().map(|l| NextRequest {
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
                            Some(link) => Some(NextRequest {
                                uri: current
                                    .join(&link)
                                    .map_err(|e| {
                                        Error::Config(format!("bad nextLink {link}: {e}"))
                                    })?
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
                state.buffer.extend(items);
                state.next = next;
            }
        }
    });
    Box::pin(stream)
}
