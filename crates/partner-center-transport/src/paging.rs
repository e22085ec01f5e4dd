//! Pagination as a lazy `Stream` in constant memory.

use std::collections::VecDeque;
use std::pin::Pin;

use futures_util::Stream;
use partner_center_models::rest::ResourceCollection;
use reqwest::Method;
use serde::Deserialize;
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

#[derive(Deserialize)]
struct ODataPage<T> {
    #[serde(default = "Vec::new")]
    value: Vec<T>,
    #[serde(rename = "@odata.nextLink", alias = "nextLink", default)]
    next_link: Option<String>,
}

#[derive(Clone, PartialEq)]
struct NextRequest {
    uri: String,
    headers: Vec<(String, String)>,
}

struct State<T> {
    next: Option<NextRequest>,
    buffer: VecDeque<T>,
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
        .unwrap_or_else(crate::request_uuid);
    let state = State {
        next: Some(NextRequest {
            uri: first,
            headers: options.headers.clone(),
        }),
        buffer: VecDeque::new(),
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
                let options = RequestOptions {
                    correlation_id: Some(correlation.clone()),
                    if_match: None,
                    headers: request.headers.clone(),
                };
                let response = transport
                    .send(&profile, Method::GET, &request.uri, None, &options)
                    .await?;
                let (items, next) = match profile.shape {
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
                        let page: ODataPage<T> = response.json()?;
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
                if next.as_ref() == Some(&request) {
                    return Err(Error::decode(
                        response.status,
                        b"",
                        "the service sent the same next link again",
                        &response.request_id,
                        &response.correlation_id,
                    ));
                }
                if items.is_empty() && next.is_some() {
                    tracing::debug!("empty page with a next link; following it");
                }
                state.buffer.extend(items);
                state.next = next;
            }
        }
    });
    Box::pin(stream)
}
