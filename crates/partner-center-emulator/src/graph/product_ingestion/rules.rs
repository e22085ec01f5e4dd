//! What a `configure` job checks and writes.
//!
//! The checks follow the resource schemas of product-ingestion-api.md's table (e.g.
//! `product/2022-03-01-preview2`): a product's `identity.externalId`
//! (`^[a-z0-9][a-z0-9-_]{2,49}$`), `type` and `alias` (120 characters at most), unique
//! among the partner's products; a plan's `product`, `identity.externalId`
//! (`^[a-z0-9-_]{1,50}$`) and `alias`; a listing's `kind` and `languageId`; a plan's
//! listing, prices and technical configuration their `plan`; every reference resolvable
//! (a durable id, `{"externalId"}` or a `{"resourceName"}` of an earlier resource of the
//! request). A submission publishes the draft to `preview` (the product needs a plan and
//! a listing with a title: `businessValidationError`, the emulator's certification), or
//! the preview to `live`, naming the preview submission's id (the docs' publishing
//! rules). Errors name the resource by its `resourceName`, else its id or external id,
//! as the 2023 page says; the field is in each detail's message. Resources are written
//! in place of the ones they name: by id, else by what makes them unique in their product
//! (type, plan, language, external id), so applying a file twice changes nothing more.

use std::collections::HashMap;

use serde_json::{Value, json};

use super::{Offer, Snapshot, kind_of};
use crate::entra::now_timestamp;

const PRODUCT_TYPES: &[&str] = &[
    "azureApplication",
    "azureContainer",
    "azureVirtualMachine",
    "consultingService",
    "containerApp",
    "coreVirtualMachine",
    "cosellOnly",
    "dynamics365BusinessCentral",
    "dynamics365ForCustomerEngagement",
    "dynamics365ForOperations",
    "iotEdgeModule",
    "managedService",
    "powerBiApp",
    "powerBiVisual",
    "softwareAsAService",
];

/// How an error names a resource: its `resourceName`, else its id, else its external id.
fn named(r: &Value) -> Value {
    if let Some(n) = r["resourceName"].as_str() {
        json!({"resourceName": n})
    } else if let Some(id) = r["id"].as_str() {
        Value::from(id)
    } else if let Some(e) = r["identity"]["externalId"].as_str() {
        json!({"externalId": e})
    } else {
        Value::Null
    }
}

/// One failed resource: `badRequest` about it, the details naming the fields.
fn invalid(r: &Value, kind: &str, details: Vec<(&str, String)>) -> Value {
    let details: Vec<Value> = details
        .into_iter()
        .map(|(code, message)| json!({"code": code, "message": message}))
        .collect();
    let mut error = json!({"code": "badRequest", "message": format!("The {kind} resource is invalid."), "details": details});
    let about = named(r);
    if !about.is_null() {
        error["resourceId"] = about;
    }
    error
}

fn pattern_ok(text: &str, min: usize, max: usize, first_alnum: bool) -> bool {
    let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
    (min..=max).contains(&text.len())
        && text.chars().all(ok_char)
        && (!first_alnum
            || text
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric()))
}

/// The fields a resource of `kind` lacks or gets wrong.
fn check(kind: &str, r: &Value) -> Problems {
    let required: &[(&str, &str)] = match kind {
        "product" => &[("alias", "the offer's name"), ("type", "the offer type")],
        "plan" => &[("product", "the product"), ("alias", "the plan's name")],
        "listing" => &[("product", "the product"), ("kind", "the listing kind")],
        "plan-listing" => &[
            ("product", "the product"),
            ("plan", "the plan"),
            ("kind", "the listing kind"),
        ],
        "submission" => &[("product", "the product")],
        "price-and-availability-plan" | "virtual-machine-plan-technical-configuration" => {
            &[("product", "the product"), ("plan", "the plan")]
        }
        _ => &[("product", "the product")],
    };
    let mut problems: Problems = required
        .iter()
        .filter(|(f, _)| r[*f].as_str().is_none_or(|s| s.trim().is_empty()) && !r[*f].is_object())
        .map(|(f, what)| ("schemaValidationError", format!("{f}: {what} is required.")))
        .collect();
    let fail = |problems: &mut Problems, message: String| {
        problems.push(("schemaValidationError", message));
    };
    if matches!(kind, "listing" | "plan-listing") && language(r).is_none() {
        fail(
            &mut problems,
            "languageId: the language (en-us) is required.".to_owned(),
        );
    }
    if kind == "submission"
        && !matches!(r["target"]["targetType"].as_str(), Some("preview" | "live"))
    {
        fail(
            &mut problems,
            "target.targetType: preview or live is required.".to_owned(),
        );
    }
    match (kind, external(r)) {
        ("product", Some(e)) if !pattern_ok(e, 3, 50, true) => fail(
            &mut problems,
            format!(
                "identity.externalId: {e} must be 3 to 50 lowercase letters, digits, - or _, starting with a letter or digit."
            ),
        ),
        ("plan", Some(e)) if !pattern_ok(e, 1, 50, false) => fail(
            &mut problems,
            format!("identity.externalId: {e} must be 1 to 50 lowercase letters, digits, - or _."),
        ),
        ("product" | "plan", None) => fail(
            &mut problems,
            "identity.externalId: the offer or plan id is required.".to_owned(),
        ),
        _ => {}
    }
    if kind == "product" {
        if let Some(t) = r["type"].as_str().filter(|t| !PRODUCT_TYPES.contains(t)) {
            fail(
                &mut problems,
                format!(
                    "type: {t} is not a product type (softwareAsAService, azureVirtualMachine, azureContainer, …)."
                ),
            );
        }
        if r["alias"].as_str().is_some_and(|a| a.chars().count() > 120) {
            fail(&mut problems, "alias: 120 characters at most.".to_owned());
        }
    }
    problems
}

/// Writes a job's resources, in order: the resources as written, or every error.
pub(super) fn run(
    offers: &mut Vec<Offer>,
    next: &mut u64,
    resources: &[Value],
) -> Result<Vec<Value>, Vec<Value>> {
    let mut names: HashMap<String, String> = HashMap::new();
    let (mut errors, mut written) = (Vec::new(), Vec::new());
    for r in resources {
        if let Some(n) = r["resourceName"]
            .as_str()
            .filter(|n| names.contains_key(*n))
        {
            let why = format!("resourceName: {n} names an earlier resource of this request too.");
            errors.push(invalid(r, kind_of(r), vec![("schemaValidationError", why)]));
            continue;
        }
        let kind = kind_of(r).to_owned();
        if kind.is_empty() {
            let why = "$schema: a resource schema URL (…/schema/<type>/<version>) is required.";
            errors.push(invalid(
                r,
                "unknown",
                vec![("schemaValidationError", why.to_owned())],
            ));
            continue;
        }
        let problems = check(&kind, r);
        if !problems.is_empty() {
            errors.push(invalid(r, &kind, problems));
            continue;
        }
        match write(offers, next, &names, &kind, r) {
            Ok(stored) => {
                if let (Some(n), Some(id)) = (r["resourceName"].as_str(), stored["id"].as_str()) {
                    names.insert(n.to_owned(), id.to_owned());
                }
                written.push(stored);
            }
            Err(details) => errors.push(invalid(r, &kind, details)),
        }
    }
    if errors.is_empty() {
        Ok(written)
    } else {
        Err(errors)
    }
}

type Problems = Vec<(&'static str, String)>;

pub(super) fn external(r: &Value) -> Option<&str> {
    r["identity"]["externalId"]
        .as_str()
        .or(r["identity"]["externalID"].as_str())
}

fn language(r: &Value) -> Option<&str> {
    r["languageId"].as_str().or(r["languageID"].as_str())
}

/// The durable id a reference names: a durable id of the partner's, `{"externalId"}` (a
/// product, or a plan of `product`), or a `{"resourceName"}` of an earlier resource.
fn resolve(
    offers: &[Offer],
    names: &HashMap<String, String>,
    reference: &Value,
    field: &str,
    product: Option<&Offer>,
) -> Result<String, Problems> {
    let missing = |what: String| Err(vec![("resourceNotFound", format!("{field}: {what}"))]);
    let plans = || {
        product
            .into_iter()
            .flat_map(|o| o.draft.iter())
            .filter(|r| kind_of(r) == "plan")
    };
    if let Some(id) = reference.as_str() {
        let known = match field {
            "product" => offers.iter().any(|o| o.id() == id),
            _ => plans().any(|p| p["id"] == id),
        };
        return if known {
            Ok(id.to_owned())
        } else {
            missing(format!("{id} does not exist."))
        };
    }
    if let Some(name) = reference["resourceName"].as_str() {
        return match names.get(name) {
            Some(id) => Ok(id.clone()),
            None => missing(format!(
                "no earlier resource of this request is named {name}."
            )),
        };
    }
    if let Some(e) = reference["externalId"]
        .as_str()
        .or(reference["externalID"].as_str())
    {
        let found = match field {
            "product" => offers
                .iter()
                .find(|o| o.product().and_then(external) == Some(e))
                .map(Offer::id),
            _ => plans()
                .find(|p| external(p) == Some(e))
                .and_then(|p| p["id"].as_str().map(str::to_owned)),
        };
        return found.map_or_else(
            || missing(format!("no {field} has the external id {e}.")),
            Ok,
        );
    }
    Err(vec![(
        "schemaValidationError",
        format!("{field}: a durable id, {{\"externalId\"}} or {{\"resourceName\"}} is required."),
    )])
}

/// Writes one resource: created with a durable id, or in place of the one it names (by
/// id, else by what makes it unique in its product: type, plan, language, external id).
fn write(
    offers: &mut Vec<Offer>,
    next: &mut u64,
    names: &HashMap<String, String>,
    kind: &str,
    r: &Value,
) -> Result<Value, Problems> {
    let mut stored = r.clone();
    if let Some(map) = stored.as_object_mut() {
        map.remove("resourceName");
        map.remove("validations");
    }
    if kind == "product" {
        return write_product(offers, stored);
    }
    let product_id = resolve(offers, names, &r["product"], "product", None)?;
    let index = offers
        .iter()
        .position(|o| o.id() == product_id)
        .ok_or_else(|| {
            vec![(
                "resourceNotFound",
                format!("product: {product_id} does not exist."),
            )]
        })?;
    stored["product"] = Value::from(product_id.clone());
    if r.get("plan").is_some() {
        stored["plan"] = Value::from(resolve(
            offers,
            names,
            &r["plan"],
            "plan",
            Some(&offers[index]),
        )?);
    }
    if kind == "submission" {
        return publish(&mut offers[index], next, stored);
    }
    let offer = &mut offers[index];
    let guid = offer.guid.clone();
    let same = |v: &Value| {
        kind_of(v) == kind
            && v["plan"] == stored["plan"]
            && language(v) == language(&stored)
            && (kind != "plan" || external(v) == external(&stored))
    };
    let at = match r["id"].as_str() {
        Some(id) => Some(
            offer
                .draft
                .iter()
                .position(|v| v["id"] == id && kind_of(v) == kind)
                .ok_or_else(|| {
                    vec![(
                        "resourceNotFound",
                        format!("id: {id} is not a {kind} of {product_id}."),
                    )]
                })?,
        ),
        None => offer.draft.iter().position(same),
    };
    match at {
        Some(i) => {
            stored["id"] = offer.draft[i]["id"].clone();
            offer.draft[i] = stored.clone();
        }
        None => {
            let plan_guid = stored["plan"]
                .as_str()
                .and_then(|p| p.rsplit('/').next())
                .unwrap_or("")
                .to_owned();
            let lang = language(&stored).unwrap_or("en-us").to_owned();
            let id = match kind {
                "plan" => format!("plan/{guid}/{}", uuid::Uuid::new_v4()),
                "listing" => format!("listing/{guid}/public/main/default/{lang}"),
                "plan-listing" => format!("plan-listing/{guid}/public/main/{plan_guid}/{lang}"),
                "property" => format!("property/{guid}/public/main"),
                _ if plan_guid.is_empty() => format!("{kind}/{guid}"),
                _ => format!("{kind}/{guid}/{plan_guid}"),
            };
            stored["id"] = Value::from(id);
            offer.draft.push(stored.clone());
        }
    }
    Ok(stored)
}

fn write_product(offers: &mut Vec<Offer>, mut stored: Value) -> Result<Value, Problems> {
    let wanted = external(&stored).unwrap_or_default().to_owned();
    let id = stored["id"].as_str().map(str::to_owned);
    let taken = offers
        .iter()
        .any(|o| Some(o.id()) != id && o.product().and_then(external) == Some(wanted.as_str()));
    if taken {
        return Err(vec![(
            "businessValidationError",
            format!(
                "identity.externalId: a product with the external id {wanted} exists; give its id to change it."
            ),
        )]);
    }
    match id {
        Some(id) => {
            let offer = offers
                .iter_mut()
                .find(|o| o.id() == id)
                .ok_or_else(|| vec![("resourceNotFound", format!("id: {id} does not exist."))])?;
            if let Some(p) = offer.draft.iter_mut().find(|r| kind_of(r) == "product") {
                *p = stored.clone();
            }
        }
        None => {
            let guid = uuid::Uuid::new_v4().to_string();
            stored["id"] = Value::from(format!("product/{guid}"));
            offers.push(Offer {
                guid,
                draft: vec![stored.clone()],
                preview: None,
                live: None,
            });
        }
    }
    Ok(stored)
}

/// A submission: the draft to preview, or the preview to live.
fn publish(offer: &mut Offer, next: &mut u64, mut stored: Value) -> Result<Value, Problems> {
    let created = now_timestamp();
    let target = stored["target"]["targetType"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    if target == "preview" {
        let has_plan = offer.draft.iter().any(|r| kind_of(r) == "plan");
        let has_listing = offer.draft.iter().any(|r| {
            kind_of(r) == "listing" && r["title"].as_str().is_some_and(|t| !t.trim().is_empty())
        });
        if !has_plan || !has_listing {
            return Err(vec![(
                "businessValidationError",
                "The product needs at least one plan and a listing with a title to be published."
                    .to_owned(),
            )]);
        }
        *next += 1;
        let id = format!(
            "submission/{}/{}",
            offer.guid,
            1_152_921_515_689_847_000_u64.saturating_add(*next)
        );
        offer.preview = Some(Snapshot {
            submission: id.clone(),
            created: created.clone(),
            resources: offer.draft.clone(),
        });
        stored["id"] = Value::from(id);
    } else {
        let preview = offer.preview.clone();
        let named = stored["id"].as_str();
        match preview {
            Some(p) if named == Some(p.submission.as_str()) => offer.live = Some(p),
            Some(p) => {
                return Err(vec![(
                    "businessValidationError",
                    format!(
                        "id: publishing live names the preview submission, {}.",
                        p.submission
                    ),
                )]);
            }
            None => {
                return Err(vec![(
                    "businessValidationError",
                    "The product has no preview: publish it to preview first.".to_owned(),
                )]);
            }
        }
    }
    stored["status"] = Value::from("completed");
    stored["result"] = Value::from("succeeded");
    stored["created"] = Value::from(created);
    Ok(stored)
}
