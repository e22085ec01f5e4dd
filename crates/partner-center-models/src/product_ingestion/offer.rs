//! Offers as code: a product's resource tree written as a configure payload to keep in a
//! file, what a file would change against the product, and the file made ready to send.
//! Pure transformations of the Product Ingestion API's resources (no I/O).
//!
//! In the file, resources carry no durable ids and no read-only fields (`validations`,
//! submissions); the product is named `product` and each plan `plan-<its external id>`
//! (`resourceName`), references use those names, and so the file reads the same for any
//! copy of the product. Resources are in a stable order (the product, its plans by id,
//! then the rest by type and key), their fields too. A file may also refer by durable
//! id, by `{"externalId"}` or by names of its own: it is compared in the same form.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{ConfigureRequest, Resource, ResourceTree, schema_parts};

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

/// The external id of a product or plan (either spelling).
fn external(r: &Value) -> Option<&str> {
    let identity = r.get("identity")?;
    identity
        .get("externalId")
        .or_else(|| identity.get("externalID"))?
        .as_str()
}

/// The name a product or plan has in a file.
fn name_of(kind: &str, r: &Value) -> Option<String> {
    match kind {
        "product" => Some("product".to_owned()),
        "plan" => external(r).map(|e| format!("plan-{e}")),
        _ => None,
    }
}

/// How references are written in the file form: each durable id, own name or external
/// id of a product or plan, and the name it takes.
#[derive(Default)]
struct Names {
    by_id: BTreeMap<String, String>,
    by_own_name: BTreeMap<String, String>,
    products_by_external: BTreeMap<String, String>,
    plans_by_external: BTreeMap<String, String>,
}

impl Names {
    fn learn(&mut self, resources: &[Resource]) {
        for r in resources {
            let json = r.to_json();
            let kind = r.kind();
            let Some(name) = name_of(kind, &json) else {
                continue;
            };
            if let Some(id) = r.id() {
                self.by_id.insert(id.to_owned(), name.clone());
            }
            if let Some(own) = r.resource_name() {
                self.by_own_name.insert(own.to_owned(), name.clone());
            }
            if let Some(e) = external(&json) {
                let by_external = if kind == "product" {
                    &mut self.products_by_external
                } else {
                    &mut self.plans_by_external
                };
                by_external.insert(e.to_owned(), name);
            }
        }
    }

    /// A reference in the file form, when it names a product or plan known here.
    fn reference(&self, field: &str, value: &Value) -> Option<Value> {
        let name = match value {
            Value::String(id) => self.by_id.get(id),
            Value::Object(o) => match (o.get("resourceName"), o.get("externalId")) {
                (Some(Value::String(n)), _) => self.by_own_name.get(n),
                (_, Some(Value::String(e))) if field == "product" => {
                    self.products_by_external.get(e)
                }
                (_, Some(Value::String(e))) => self.plans_by_external.get(e),
                _ => None,
            },
            _ => None,
        }?;
        Some(serde_json::json!({ "resourceName": name }))
    }
}

/// A resource in the file form: no id, no read-only fields, names and references as
/// the file writes them; `None` for a submission.
fn normalise(resource: &Resource, names: &Names) -> Option<Map<String, Value>> {
    if matches!(resource, Resource::Submission(_)) {
        return None;
    }
    let Value::Object(mut map) = resource.to_json() else {
        return None;
    };
    map.remove("id");
    map.remove("validations");
    map.remove("resourceName");
    map.retain(|k, _| !k.starts_with('@'));
    if let Some(name) = name_of(resource.kind(), &Value::Object(map.clone())) {
        map.insert("resourceName".to_owned(), Value::from(name));
    }
    for field in ["product", "plan"] {
        let named = map.get(field).and_then(|v| names.reference(field, v));
        if let Some(reference) = named {
            map.insert(field.to_owned(), reference);
        }
    }
    if let Some(Value::String(text)) = map.get_mut("$schema") {
        *text = text.trim().to_owned();
    }
    if let Some(language) = map.remove("languageID") {
        map.entry("languageId").or_insert(language);
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
    let mut parts = vec![kind.clone()];
    if kind == "plan" {
        parts.extend(external(&Value::Object(map.clone())).map(str::to_owned));
    } else if kind != "product" {
        let plan = map
            .get("plan")
            .and_then(|p| p.get("resourceName").or(Some(p)))
            .and_then(Value::as_str);
        parts.extend(plan.map(|p| p.trim_start_matches("plan-").to_owned()));
        parts.extend(
            map.get("languageId")
                .and_then(Value::as_str)
                .map(str::to_owned),
        );
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

/// The tree's resources as a file: a configure payload that, applied, gives this
/// product (its submissions left out: publishing is `publish`).
pub fn offer_from_tree(tree: &ResourceTree) -> ConfigureRequest {
    let mut names = Names::default();
    names.learn(&tree.resources);
    let mut resources: Vec<(String, Map<String, Value>)> = tree
        .resources
        .iter()
        .filter_map(|r| normalise(r, &names))
        .map(|map| (key(&map), map))
        .collect();
    resources.sort_by(|(a, _), (b, _)| (rank(a), a).cmp(&(rank(b), b)));
    let mut request = ConfigureRequest::new(Vec::new());
    request.resources = resources
        .into_iter()
        .filter_map(|(_, map)| serde_json::from_value(Value::Object(map)).ok())
        .collect();
    request
}

/// What in a file cannot be applied as a file: a submission (publishing is its own
/// step), no product or more than one, two resources with the same key.
pub fn check_offer(file: &ConfigureRequest) -> Result<(), String> {
    if file
        .resources
        .iter()
        .any(|r| matches!(r, Resource::Submission(_)))
    {
        return Err("the file has a submission resource: publish with `marketplace publish` (ProductIngestion::publish), not in the file".to_owned());
    }
    let products = file
        .resources
        .iter()
        .filter(|r| r.kind() == "product")
        .count();
    if products != 1 {
        return Err(format!(
            "the file has {products} product resources: it describes one product"
        ));
    }
    let mut names = Names::default();
    names.learn(&file.resources);
    let mut seen = std::collections::BTreeSet::new();
    for map in file.resources.iter().filter_map(|r| normalise(r, &names)) {
        let key = key(&map);
        if !seen.insert(key.clone()) {
            return Err(format!(
                "two resources of the file are both `{key}`: keep one"
            ));
        }
    }
    Ok(())
}

/// A file's resources, keyed, in the file form (its own names learnt, then the tree's).
fn keyed(current: &ResourceTree, file: &ConfigureRequest) -> BTreeMap<String, Map<String, Value>> {
    let mut names = Names::default();
    names.learn(&file.resources);
    names.learn(&current.resources);
    file.resources
        .iter()
        .filter_map(|r| normalise(r, &names))
        .map(|map| (key(&map), map))
        .collect()
}

/// What applying `wanted` would change in the product `current` is the tree of (its
/// draft); empty when nothing.
pub fn diff_offer(current: &ResourceTree, wanted: &ConfigureRequest) -> Vec<OfferChange> {
    let have = keyed(current, &offer_from_tree(current));
    let want = keyed(current, wanted);
    let mut changes = Vec::new();
    for (key, fields) in &want {
        let Some(current) = have.get(key) else {
            changes.push(OfferChange::Added { key: key.clone() });
            continue;
        };
        let all: std::collections::BTreeSet<&String> =
            fields.keys().chain(current.keys()).collect();
        let differ: Vec<_> = all
            .into_iter()
            .filter(|name| current.get(*name) != fields.get(*name))
            .map(|name| {
                (
                    name.clone(),
                    current.get(name).cloned(),
                    fields.get(name).cloned(),
                )
            })
            .collect();
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

/// The file ready to send for the product `current` is the tree of (an empty tree for a
/// new product): each resource the product has gets its durable id, so configure changes
/// it rather than making another; any other id the file carries is dropped, so nothing
/// but what `diff_offer` shows is changed.
pub fn offer_with_ids(current: &ResourceTree, wanted: &ConfigureRequest) -> ConfigureRequest {
    let mut names = Names::default();
    names.learn(&current.resources);
    let ids: BTreeMap<String, String> = current
        .resources
        .iter()
        .filter_map(|r| Some((key(&normalise(r, &names)?), r.id()?.to_owned())))
        .collect();
    let mut file_names = Names::default();
    file_names.learn(&wanted.resources);
    file_names.learn(&current.resources);
    let mut request = wanted.clone();
    request.resources = wanted
        .resources
        .iter()
        .map(|r| {
            let mut json = r.to_json();
            if let Some(map) = json.as_object_mut() {
                map.remove("id");
                if let Some(id) = normalise(r, &file_names).and_then(|m| ids.get(&key(&m))) {
                    map.insert("id".to_owned(), Value::from(id.clone()));
                }
            }
            serde_json::from_value(json).unwrap_or_else(|_| r.clone())
        })
        .collect();
    request
}
