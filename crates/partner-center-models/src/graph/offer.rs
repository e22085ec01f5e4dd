//! Offers as code: a product's resource tree written as a configure payload to keep in a
//! file, what a file would change against the product, and the file made ready to send.
//! Pure transformations of the Product Ingestion API's resources (no I/O).
//!
//! In the file, resources carry no durable ids and no read-only fields (`validations`,
//! a submission's state); the product and its plans are named by their external ids
//! (`resourceName`), and references use those names, so the file reads the same for any
//! copy of the product. Resources are in a stable order (the product, its plans by id,
//! then the rest by type and key) and their fields sorted.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::graph::{ConfigureRequest, Resource, ResourceTree, schema_parts};

/// What one resource of a file changes.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum OfferChange {
    /// A resource the product does not have yet (by its key).
    Added {
        /// Its key (`plan gold`, `listing en-us`).
        key: String,
    },
    /// A resource whose fields differ.
    Changed {
        /// Its key.
        key: String,
        /// The fields that differ: name, current value, the file's.
        fields: Vec<(String, Option<Value>, Option<Value>)>,
    },
    /// A resource of the product the file does not mention (configure never deletes:
    /// it stays as it is).
    NotInFile {
        /// Its key.
        key: String,
    },
}

/// The durable ids of the tree's product and plans, and the names the file gives them
/// (their external ids).
fn names(tree: &ResourceTree) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for r in &tree.resources {
        if let (Resource::Product(_) | Resource::Plan(_), Some(id)) = (r, r.id()) {
            let json = r.to_json();
            if let Some(external) = json["identity"]["externalId"].as_str() {
                names.insert(id.to_owned(), external.to_owned());
            }
        }
    }
    names
}

/// A resource as the file holds it: no id, no read-only fields, references by name.
fn normalise(resource: &Resource, names: &BTreeMap<String, String>) -> Option<Map<String, Value>> {
    if matches!(resource, Resource::Submission(_)) {
        return None;
    }
    let Value::Object(mut map) = resource.to_json() else {
        return None;
    };
    if let Some(name) = resource.id().and_then(|id| names.get(id)) {
        map.insert("resourceName".to_owned(), Value::from(name.clone()));
    }
    map.remove("id");
    map.remove("validations");
    map.retain(|k, _| !k.starts_with('@'));
    for field in ["product", "plan"] {
        let named = map
            .get(field)
            .and_then(Value::as_str)
            .and_then(|id| names.get(id))
            .cloned();
        if let Some(name) = named {
            map.insert(
                field.to_owned(),
                serde_json::json!({ "resourceName": name }),
            );
        }
    }
    if let Some(schema) = map.get_mut("$schema") {
        if let Some(text) = schema.as_str() {
            *schema = Value::from(text.trim());
        }
    }
    Some(map)
}

/// A resource's key in a file: its type, and the plan and language it is for.
fn key(map: &Map<String, Value>) -> String {
    let kind = map
        .get("$schema")
        .and_then(Value::as_str)
        .and_then(schema_parts)
        .map_or("resource", |(kind, _)| kind)
        .to_owned();
    let reference = |field: &str| match map.get(field) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Object(o)) => o.values().next().and_then(Value::as_str).map(str::to_owned),
        _ => None,
    };
    let mut parts = vec![kind.clone()];
    if kind == "plan" {
        let external = map.get("identity").and_then(|i| i.get("externalId"));
        parts.extend(external.and_then(Value::as_str).map(str::to_owned));
    } else if kind != "product" {
        parts.extend(reference("plan"));
        let language = map
            .get("languageId")
            .or_else(|| map.get("languageID"))
            .and_then(Value::as_str);
        parts.extend(language.map(str::to_owned));
    }
    parts.join(" ")
}

/// Where a kind of resource goes in a file.
fn rank(key: &str) -> u8 {
    match key.split(' ').next() {
        Some("product") => 0,
        Some("plan") => 1,
        _ => 2,
    }
}

fn sorted(mut resources: Vec<(String, Map<String, Value>)>) -> Vec<(String, Map<String, Value>)> {
    resources.sort_by(|(a, _), (b, _)| (rank(a), a).cmp(&(rank(b), b)));
    resources
}

fn request_of(resources: Vec<(String, Map<String, Value>)>, schema: &str) -> ConfigureRequest {
    let mut request = ConfigureRequest::new(Vec::new());
    schema.clone_into(&mut request.schema);
    request.resources = resources
        .into_iter()
        .filter_map(|(_, map)| serde_json::from_value(Value::Object(map)).ok())
        .collect();
    request
}

/// The tree's resources as a file: a configure payload that, applied, gives this
/// product (its submissions left out: publishing is `publish`).
pub fn offer_from_tree(tree: &ResourceTree) -> ConfigureRequest {
    let names = names(tree);
    let resources = tree
        .resources
        .iter()
        .filter_map(|r| normalise(r, &names))
        .map(|map| (key(&map), map))
        .collect();
    request_of(
        sorted(resources),
        &crate::graph::schema_url("configure", crate::graph::DEFAULT_SCHEMA_VERSION),
    )
}

/// A file's resources, keyed, in the file's form.
fn keyed(
    request: &ConfigureRequest,
    names: &BTreeMap<String, String>,
) -> BTreeMap<String, Map<String, Value>> {
    request
        .resources
        .iter()
        .filter_map(|r| normalise(r, names))
        .map(|map| (key(&map), map))
        .collect()
}

/// What applying `wanted` would change in the product `current` is the tree of (its
/// draft); empty when nothing.
pub fn diff_offer(current: &ResourceTree, wanted: &ConfigureRequest) -> Vec<OfferChange> {
    let names = names(current);
    let have = keyed(&offer_from_tree(current), &names);
    let want = keyed(wanted, &names);
    let mut changes = Vec::new();
    for (key, fields) in &want {
        let Some(current) = have.get(key) else {
            changes.push(OfferChange::Added { key: key.clone() });
            continue;
        };
        let mut differ = Vec::new();
        let all: std::collections::BTreeSet<&String> =
            fields.keys().chain(current.keys()).collect();
        for name in all {
            let (before, after) = (current.get(name), fields.get(name));
            if before != after {
                differ.push((name.clone(), before.cloned(), after.cloned()));
            }
        }
        if !differ.is_empty() {
            changes.push(OfferChange::Changed {
                key: key.clone(),
                fields: differ,
            });
        }
    }
    for key in have.keys().filter(|k| !want.contains_key(*k)) {
        changes.push(OfferChange::NotInFile { key: key.clone() });
    }
    changes
}

/// The file ready to send for the product `current` is the tree of: each resource the
/// product has gets its durable id (so configure changes it rather than making another),
/// names and references kept.
pub fn offer_with_ids(current: &ResourceTree, wanted: &ConfigureRequest) -> ConfigureRequest {
    let names = names(current);
    let ids: BTreeMap<String, String> = current
        .resources
        .iter()
        .filter_map(|r| {
            let id = r.id()?.to_owned();
            let map = normalise(r, &names)?;
            Some((key(&map), id))
        })
        .collect();
    let mut request = wanted.clone();
    request.resources = wanted
        .resources
        .iter()
        .map(|r| {
            let Some(map) = normalise(r, &names) else {
                return r.clone();
            };
            let Some(id) = ids.get(&key(&map)) else {
                return r.clone();
            };
            let mut json = r.to_json();
            json["id"] = Value::from(id.clone());
            serde_json::from_value(json).unwrap_or_else(|_| r.clone())
        })
        .collect();
    request
}
