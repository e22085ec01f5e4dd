//! The emulator as clients written elsewhere meet it: every error in its API's shape (no
//! empty or plain-text bodies), whatever route or method they try.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

mod common;

use common::RawCaller;
use partner_center_emulator::Emulator;
use serde_json::{Value, json};

/// Sends `method path` with `body` and returns the status, the JSON body and the headers;
/// fails the test when the body is empty or not JSON.
async fn answer(
    emu: &Emulator,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, Value, reqwest::header::HeaderMap) {
    let http = reqwest::Client::new();
    let response = http
        .request(method.parse().unwrap(), format!("{}{path}", emu.api_url()))
        .header("content-type", "text/plain")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    assert!(
        kind.contains("json"),
        "{method} {path}: {status} with content-type {kind:?} and body {text:?}"
    );
    let json = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{method} {path}: {status} {text:?}: {e}"));
    (status, json, headers)
}

#[tokio::test]
async fn no_route_answers_an_empty_or_plain_error_body() {
    let emu = Emulator::builder().start().await.unwrap();
    let tenant = emu.tenant_id().to_owned();

    // The REST API: an ApiFault, 1000 for not found.
    let (status, body, _) = answer(&emu, "GET", "/v1/no-such-thing", "").await;
    assert_eq!(status, 404);
    assert_eq!(body["code"], 1000);
    assert!(
        body["description"]
            .as_str()
            .unwrap()
            .contains("/v1/no-such-thing")
    );
    let (status, body, headers) = answer(&emu, "DELETE", "/v1/customers", "").await;
    assert_eq!(status, 405);
    assert!(headers.contains_key("allow"), "the Allow header is kept");
    assert!(
        body["description"].as_str().unwrap().contains("DELETE"),
        "{body}"
    );

    // Entra ID: the OAuth error, 900561 for a wrong method.
    let (status, body, _) = answer(&emu, "GET", &format!("/{tenant}/oauth2/v2.0/token"), "").await;
    assert_eq!(status, 405);
    assert_eq!(body["error"], "invalid_request");
    assert_eq!(body["error_codes"][0], 900561);
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("only accepts POST"),
        "{body}"
    );
    // A token request that is not a form: 415, an OAuth error.
    let (status, body, _) =
        answer(&emu, "POST", &format!("/{tenant}/oauth2/v2.0/token"), "{}").await;
    assert_eq!(status, 415);
    assert_eq!(body["error"], "invalid_request");
    assert_eq!(body["error_codes"][0], 90014);
    // A missing token keeps its WWW-Authenticate challenge.
    let (status, _, headers) = answer(&emu, "GET", "/v1/customers", "").await;
    assert_eq!(status, 401);
    assert!(headers.contains_key("www-authenticate"));
    // The device sign-in page's errors stay a page for the person reading them.
    let page = reqwest::Client::new()
        .post(format!("{}/devicelogin", emu.api_url()))
        .form(&[("user_code", "NOPE")])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 400);
    let kind = page.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(kind.starts_with("text/html"), "{kind}");

    // The submission API: a bare JSON string.
    let (status, body, _) = answer(&emu, "GET", "/v1.0/ingestion/no-such-thing", "").await;
    assert_eq!(status, 404);
    assert!(
        body.as_str().unwrap().contains("does not emulate"),
        "{body}"
    );
    let (status, body, _) = answer(&emu, "PATCH", "/v1.0/ingestion/products", "").await;
    assert_eq!(status, 405);
    assert!(body.is_string(), "{body}");

    // Microsoft Graph: {"error": {"code", "message"}}.
    let (status, body, _) = answer(&emu, "GET", "/v1.0/no-such-thing", "").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "itemNotFound");
    assert!(body["error"]["message"].is_string());
}

const PARTNER_CENTER: &str = "https://api.partnercenter.microsoft.com";

/// The relationship request link (request-reseller-relationship.md): App+User, the
/// partner's id in the link; no longer read as a customer id.
#[tokio::test]
async fn the_relationship_request_link_is_served() {
    let emu = Emulator::builder().start().await.unwrap();
    let path = "/v1/customers/relationshiprequests";
    let user = RawCaller::new(&emu, reqwest::Client::new(), PARTNER_CENTER, true).await;
    let link = user.get(path).await;
    assert_eq!(link["attributes"]["objectType"], "RelationshipRequest");
    let target = link["url"].as_str().unwrap();
    assert!(
        target.starts_with(
            "https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship"
        )
    );
    assert!(target.contains(&format!("partnerId={}", emu.tenant_id())));
    let app = RawCaller::new(&emu, reqwest::Client::new(), PARTNER_CENTER, false).await;
    let refused = app.send("GET", path, None).await;
    assert_eq!(refused.status, 403);
    assert_eq!(refused.body["code"], 900329);
}

/// Device batches as the docs' samples send them (PascalCase): a batch made with a
/// device, more devices added, listed, a policy set, the upload statuses, a device
/// deleted; a hardware hash another customer holds is that device's error 808.
#[tokio::test]
async fn device_batches_take_the_documented_requests() {
    let emu = Emulator::builder().start().await.unwrap();
    let user = RawCaller::new(&emu, reqwest::Client::new(), PARTNER_CENTER, true).await;
    let mut customers = Vec::new();
    for domain in ["devices-a", "devices-b"] {
        let created = user
            .send(
                "POST",
                "/v1/customers",
                Some(common::new_customer(&format!("{domain}.onmicrosoft.com"))),
            )
            .await;
        assert_eq!(created.status, 201, "{}", created.body);
        customers.push(created.body["id"].as_str().unwrap().to_owned());
    }
    let device = |serial: &str, hash: &str| {
        json!({"Id": null, "SerialNumber": serial, "ProductKey": "00329-00000-0003-AA606",
            "HardwareHash": hash, "Policies": null, "CreatedBy": null,
            "UploadedDate": "0001-01-01T00:00:00", "AllowedOperations": null,
            "Attributes": {"ObjectType": "Device"}})
    };
    let (a, b) = (&customers[0], &customers[1]);
    let batches = format!("/v1/customers/{a}/deviceBatches");
    let devices = format!("{batches}/SDKTestDeviceBatch/devices");
    // Create: 202, an empty body, the status's Location.
    let created = user
        .send(
            "POST",
            &batches,
            Some(json!({"BatchId": "SDKTestDeviceBatch",
            "Devices": [device("1R9-ZNP67", "DummyHash123")],
            "Attributes": {"ObjectType": "DeviceBatchCreationRequest"}})),
        )
        .await;
    assert_eq!((created.status, &created.body), (202, &Value::Null));
    let location = created.location.unwrap();
    assert!(
        location.starts_with(&format!("/customers/{a}/batchJobStatus/")),
        "{location}"
    );
    let status = user.get(&format!("/v1{location}")).await;
    assert_eq!(status["status"], "finished", "{status}");
    // The same name again is a conflict.
    let again = user
        .send(
            "POST",
            &batches,
            Some(json!({"BatchId": "SDKTestDeviceBatch", "Devices": [device("X", "Other")]})),
        )
        .await;
    assert_eq!(again.status, 409);

    // Add two (a bare array), then list: three devices, camelCase, with ids.
    let added = user
        .send(
            "POST",
            &devices,
            Some(json!([
                device("2R9-ZNP67", "DummyHash1234"),
                device("2R9-ZNP67", "DummyHash12345")
            ])),
        )
        .await;
    assert_eq!(added.status, 202);
    let listed = user.get(&batches).await;
    assert_eq!(listed["items"][0]["id"], "SDKTestDeviceBatch");
    assert_eq!(listed["items"][0]["devicesCount"], 3);
    let listed = user.get(&devices).await;
    assert_eq!(listed["totalCount"], 3);
    let first = listed["items"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(listed["items"][0]["serialNumber"], "1R9-ZNP67");

    // A policy on the first device.
    let policy = user
        .send("PATCH", &format!("/v1/customers/{a}/DevicePolicyUpdates"), Some(json!({
            "Devices": [{"Id": first, "Policies": [{"Key": "o_o_b_e", "Value": "15a04610-9229-4e80-94e0-0e826a09c9e2"}]}],
            "Attributes": {"ObjectType": "DevicePolicyUpdateRequest"}})))
        .await;
    assert_eq!(policy.status, 202);
    let listed = user.get(&devices).await;
    assert_eq!(listed["items"][0]["policies"][0]["key"], "o_o_b_e");

    // Another customer uploading a registered hash: that device fails with 808.
    let elsewhere = user
        .send(
            "POST",
            &format!("/v1/customers/{b}/deviceBatches"),
            Some(json!({"BatchId": "b", "Devices": [device("1R9-ZNP67", "DummyHash123")]})),
        )
        .await;
    let location = elsewhere.location.unwrap();
    let status = user
        .get(&format!(
            "/v1{}",
            location.replace("batchJobStatus", "batchjobstatus")
        ))
        .await;
    assert_eq!(status["status"], "finished_with_errors");
    assert_eq!(status["devicesStatus"][0]["errorCode"], "808");
    assert_eq!(
        status["devicesStatus"][0]["errorDescription"],
        "ZtdDeviceAssignedToOtherTenant"
    );

    // A device with nothing to identify it is refused, saying what would.
    let refused = user
        .send("POST", &devices, Some(json!([{"SerialNumber": "only"}])))
        .await;
    assert_eq!(refused.status, 400);
    assert!(
        refused.body["description"]
            .as_str()
            .unwrap()
            .contains("hardwareHash"),
        "{}",
        refused.body
    );

    // 150 devices page by 100: the next page by the token sent back as a header; a token
    // this list never gave is refused, a huge one is an empty page.
    let big = format!("{batches}/big/devices");
    let many: Vec<Value> = (0..150)
        .map(|n| device(&format!("S{n}"), &format!("H{n}")))
        .collect();
    let made = user
        .send(
            "POST",
            &batches,
            Some(json!({"BatchId": "big", "Devices": many})),
        )
        .await;
    assert_eq!(made.status, 202);
    let first_page = user.get(&big).await;
    assert_eq!(first_page["items"].as_array().unwrap().len(), 100);
    let token = first_page["continuationToken"].as_str().unwrap().to_owned();
    let second = user
        .send_with("GET", &big, None, &[("MS-ContinuationToken", &token)])
        .await;
    assert_eq!(second.body["items"].as_array().unwrap().len(), 50);
    assert!(second.body.get("continuationToken").is_none());
    let bad = user
        .send_with("GET", &big, None, &[("MS-ContinuationToken", "abc")])
        .await;
    assert_eq!(bad.status, 400);
    let huge = user
        .send_with(
            "GET",
            &big,
            None,
            &[("MS-ContinuationToken", &usize::MAX.to_string())],
        )
        .await;
    assert_eq!(huge.status, 200);
    assert_eq!(huge.body["items"], json!([]));

    // Delete one: 204, then 404.
    let one = format!("{devices}/{first}");
    assert_eq!(user.send("DELETE", &one, None).await.status, 204);
    assert_eq!(user.send("DELETE", &one, None).await.status, 404);
}

/// Every operation of the submission API's OpenAPI description is emulated (the list
/// `EMULATED_OPERATIONS`, each tested elsewhere) or answers 404 or 405 in the API's error
/// shape (a JSON string) saying the emulator does not emulate it.
#[tokio::test]
async fn every_operation_of_the_submission_api_is_emulated_or_says_it_is_not() {
    let emu = Emulator::builder().start().await.unwrap();
    let ingestion = RawCaller::new(
        &emu,
        reqwest::Client::new(),
        "https://api.partner.microsoft.com",
        false,
    )
    .await;
    let base = "/v1.0/ingestion";
    let product = ingestion
        .send(
            "POST",
            &format!("{base}/products"),
            Some(json!({"resourceType": "AzureApplication",
            "name": "Spec", "externalIDs": [{"type": "AzureOfferId", "value": "spec"}]})),
        )
        .await;
    let product = product.body["id"].as_str().unwrap();
    let spec: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../crates/partner-center-models/tests/fixtures/partner-ingestion-openapi.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let emulated = partner_center_emulator::EMULATED_OPERATIONS;
    let mut unemulated = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if !["get", "post", "put", "patch", "delete"].contains(&method.as_str())
                || emulated.contains(&(method.as_str(), path.as_str()))
            {
                continue;
            }
            unemulated += 1;
            let mut concrete = path.replace("{productID}", product);
            while let (Some(open), Some(close)) = (concrete.find('{'), concrete.find('}')) {
                concrete.replace_range(open..=close, "unknown-id");
            }
            let answer = ingestion
                .send(
                    &method.to_uppercase(),
                    &format!("{base}{concrete}"),
                    Some(json!({})),
                )
                .await;
            assert!(
                matches!(answer.status, 404 | 405),
                "{method} {path} is not emulated but answered {}: {}",
                answer.status,
                answer.body
            );
            assert!(
                answer
                    .body
                    .as_str()
                    .is_some_and(|s| s.contains("does not emulate")),
                "{method} {path}: {} {}",
                answer.status,
                answer.body
            );
        }
    }
    assert!(
        unemulated > 0,
        "the spec lists operations the emulator leaves out"
    );
}
