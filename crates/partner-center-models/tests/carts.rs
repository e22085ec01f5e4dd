//! The cart models against the Partner Center docs' own samples.
//!
//! Each sample is a JSON body of a page (learn.microsoft.com/partner-center/developer/<page>;
//! read from the English copy kvamseek/partner-center@85eb3c40, folder `developer/`), the
//! HTTP header lines left out; the comment above it says what, if anything, was fixed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

use partner_center_models::{
    BillingCycle, Cart, CartCheckoutResult, CartLineItem, CartLineItemId, CartStatus, Order,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `create-a-cart.md`, "Example for new commerce license-based services", request. Verbatim (the docs write its keys in PascalCase; the service reads either).
const NCE_CREATE_REQUEST: &str = r##"{
	"LineItems": [
		{
			"CatalogItemId":"CFQ7TTC0LFLZ:0002:CFQ7TTC0K4TS",
			"Quantity": 1,
			"TermDuration": "P1M",
            		"BillingCycle": "Monthly"
		}
	]
}
"##;

/// `create-a-cart.md`, "Example for new commerce license-based services", response. Verbatim.
const NCE_CREATE_RESPONSE: &str = r##"{
    "id": "2517c51b-58cd-4abe-87ed-3ab812401ab4",
    "creationTimestamp": "2023-07-11T21:16:11.55149Z",
    "lastModifiedTimestamp": "2023-07-11T21:16:11.5515713Z",
    "expirationTimestamp": "2023-07-18T21:16:17.2480482Z",
    "lastModifiedUser": "9db12087-fbc3-481c-8965-73d44ff88e27",
    "status": "Active",
    "lineItems": [
        {
            "id": 0,
            "catalogItemId": "CFQ7TTC0LF8S:0001:CFQ7TTC0VZW5",
            "quantity": 1,
            "currencyCode": "USD",
            "billingCycle": "monthly",
            "termDuration": "P1Y",
            "provisioningContext": {},
            "orderGroup": "0",
            "pricing": {
                "listPrice": 30.4,
                "discountedPrice": 30.4,
                "proratedPrice": 30.4,
                "price": 30.4,
                "extendedPrice": 364.8
            }
        }
    ],
    "links": {
        "self": {
            "uri": "/customers/ebd8b4c2-4069-46a8-bd70-123d6dec3e39/carts/2517c51b-58cd-4abe-87ed-3ab812401ab4",
            "method": "GET",
            "headers": []
        }
    },
    "attributes": {
        "objectType": "Cart"
    }
}
"##;

/// `create-a-cart.md`, request with attestation and additional resellers. Verbatim.
const ATTESTATION_REQUEST: &str = r##"{
    "PartnerOnRecordAttestationAccepted":true,     "lineItems": [
        {
            "id": 0,
            "catalogItemId": "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P",
            "quantity": 1,
            "billingCycle": "monthly",
            "termDuration": "P1M",
            "renewsTo": null,
            "provisioningContext": {},
            "customTermEndDate": "2022-02-19T00:00:00Z"
        },
        {
            "id": 1,
            "catalogItemId": "CFQ7TTC0LFLS:0002:CFQ7TTC0KDLJ",
            "quantity": 2,
            "billingCycle": "monthly",
            "termDuration": "P1Y",
            "participants": [
                {
                    "key": "transaction_reseller",
                    "value": "5357564"
                },
                 {
                    "key": "additional_transaction_reseller",                     
                    "value": "517285"
                },
                 {
                    "key": "additional_transaction_reseller", 
                    "value": "5357563"
                }
            ]
        }
    ]
}
"##;

/// `create-a-cart.md`, response to the request with attestation. Fixed: `;` after `customTermEndDate` made a `,`.
const ATTESTATION_RESPONSE: &str = r##"{
    "id": "3e22b548-647d-4223-9675-1fcb6cb57665",
    "creationTimestamp": "2021-08-18T17:29:52.3517492Z",
    "lastModifiedTimestamp": "2021-08-18T17:29:52.3517553Z",
    "expirationTimestamp": "2021-08-25T17:30:11.2406416Z",
    "lastModifiedUser": "da62a0dc-35e9-4601-b48e-a047bd3ec7c1",
    "status": "Active",
    "lineItems": [
        {
            "id": 0,
            "catalogItemId": "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P",
            "quantity": 1,
            "currencyCode": "USD",
            "billingCycle": "monthly",
            "termDuration": "P1M",
	    "customTermEndDate": "2022-02-19T00:00:00Z",
            "provisioningContext": {},
            "orderGroup": "0"
        },
        {
            "id": 1,
            "catalogItemId": "CFQ7TTC0LFLS:0002:CFQ7TTC0KDLJ",
            "quantity": 2,
            "currencyCode": "USD",
            "billingCycle": "monthly",
            "termDuration": "P1Y",
            "participants": [
                {
                    "key": "transaction_reseller",
                    "value": "5357564"
                },
                {
                    "key": "additional_transaction_reseller", 
                    "value": "517285"
                },
                {
                    "key": "additional_transaction_reseller", 
                    "value": "5357563"
                }
            ],
            "provisioningContext": {},
            "orderGroup": "0"
        }
    ],
    "links": {
        "self": {
            "uri": "/customers/f81d98dd-c2f4-499e-a194-5619e260344e/carts/3e22b548-647d-4223-9675-1fcb6cb57665",
            "method": "GET",
            "headers": []
        }
    },
    "attributes": {
        "objectType": "Cart"
    }
}
"##;

/// `checkout-a-cart.md`, "Response example for a new commerce license-based subscription" (one order of a checkout). Fixed: the comma missing after `"currencyCode": "USD"`.
const NCE_ORDER: &str = r##"  {
    "id": "a68736758d9c",
    "alternateId": "a68736758d9c",
    "referenceCustomerId": "94cd6638-11b6-4323-8c9f-6ae3088adc59",
    "billingCycle": "monthly",
    "currencyCode": "USD",
    "currencySymbol": "US$",
    "lineItems": [
        {
            "lineItemNumber": 0,
            "offerId": "CFQ7TTC0LF8S:0001:CFQ7TTC0N81H",
            "subscriptionId": "0c353b8e-da9d-4007-d0d4-bca8bd5b5ce1",
            "termDuration": "P1M",
            "transactionType": "New",
            "friendlyName": "Office 365 E5 without Audio Conferencing",
            "quantity": 1,
            "pricing": {
                "listPrice": 36.48,
                "discountedPrice": 36.48,
                "proratedPrice": 36.48,
                "price": 36.48,
                "extendedPrice": 36.48
            },
            "links": {
                "product": {
                    "uri": "/products/CFQ7TTC0LF8S?country=US",
                    "method": "GET",
                    "headers": []
                },
                "sku": {
                    "uri": "/products/CFQ7TTC0LF8S/skus/0001?country=US",
                    "method": "GET",
                    "headers": []
                },
                "availability": {
                    "uri": "/products/CFQ7TTC0LF8S/skus/0001/availabilities/CFQ7TTC0N81H?country=US",
                    "method": "GET",
                    "headers": []
                }
            }
        }
    ],
    "creationDate": "2023-04-18T22:03:45.4505136Z",
    "status": "pending",
    "transactionType": "UserPurchase",
    "links": {
        "self": {
            "uri": "/customers/94cd6638-11b6-4323-8c9f-6ae3088adc59/orders/a68736758d9c",
            "method": "GET",
            "headers": []
        },
        "provisioningStatus": {
            "uri": "/customers/94cd6638-11b6-4323-8c9f-6ae3088adc59/orders/a68736758d9c/provisioningstatus",
            "method": "GET",
            "headers": []
        },
        "patchOperation": {
            "uri": "/customers/94cd6638-11b6-4323-8c9f-6ae3088adc59/orders/a68736758d9c",
            "method": "PATCH",
            "headers": []
        }
    },
    "totalPrice": 36.48,
    "client": {},
    "attributes": {
        "objectType": "Order"
    }
}
"##;

/// `update-a-cart.md`, "API Sample - Check out cart". Fixed: the `[` missing after `"additionalPartnerIdsOnRecord":`.
const CHECKOUT_RESULT: &str = r##"{
    "orders": [
        {
            "id": "f76c6b7f449d",
            "alternateId": "f76c6b7f449d",
            "referenceCustomerId": "f81d98dd-c2f4-499e-a194-5619e260344e",
            "billingCycle": "monthly",
            "currencyCode": "USD",
            "currencySymbol": "$",
            "lineItems": [
                {
                    "lineItemNumber": 0,
                    "offerId": "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P",
                    "subscriptionId": "ebc0beef-7ffb-4044-c074-16f324432139",
                    "termDuration": "P1M",
                    "transactionType": "New",
                    "friendlyName": "AI Builder Capacity add-on",
                    "quantity": 1,
                    "links": {
                        "product": {
                            "uri": "/products/CFQ7TTC0LH0Z?country=US",
                            "method": "GET",
                            "headers": []
                        },
                        "sku": {
                            "uri": "/products/CFQ7TTC0LH0Z/skus/0001?country=US",
                            "method": "GET",
                            "headers": []
                        },
                        "availability": {
                            "uri": "/products/CFQ7TTC0LH0Z/skus/0001/availabilities/CFQ7TTC0K18P?country=US",
                            "method": "GET",
                            "headers": []
                        }
                    }
                },
                {
                    "lineItemNumber": 1,
                    "offerId": "CFQ7TTC0LFLS:0002:CFQ7TTC0KDLJ",
                    "subscriptionId": "261bac40-7d88-4327-dfa3-dacd09222d62",
                    "termDuration": "P1Y",
                    "transactionType": "New",
                    "friendlyName": "Azure Active Directory Premium P1",
                    "quantity": 2,
                    "partnerIdOnRecord": "517285",
                    "additionalPartnerIdsOnRecord": [
                        "5357564",
                        "5357563"
                    ],
                 
   "links": {
                        "product": {
                            "uri": "/products/CFQ7TTC0LFLS?country=US",
                            "method": "GET",
                            "headers": []
                        },
                        "sku": {
                            "uri": "/products/CFQ7TTC0LFLS/skus/0002?country=US",
                            "method": "GET",
                            "headers": []
                        },
                        "availability": {
                            "uri": "/products/CFQ7TTC0LFLS/skus/0002/availabilities/CFQ7TTC0KDLJ?country=US",
                            "method": "GET",
                            "headers": []
                        }
                    }
                }
            ],
            "creationDate": "2021-08-18T07:52:23.1921872Z",
            "status": "pending",
            "transactionType": "UserPurchase",
            "links": {
                "self": {
                    "uri": "/customers/f81d98dd-c2f4-499e-a194-5619e260344e/orders/f76c6b7f449d",
                    "method": "GET",
                    "headers": []
                },
                "provisioningStatus": {
                    "uri": "/customers/f81d98dd-c2f4-499e-a194-5619e260344e/orders/f76c6b7f449d/provisioningstatus",
                    "method": "GET",
                    "headers": []
                },
                "patchOperation": {
                    "uri": "/customers/f81d98dd-c2f4-499e-a194-5619e260344e/orders/f76c6b7f449d",
                    "method": "PATCH",
                    "headers": []
                }
            },
            "client": {},
            "attributes": {
                "objectType": "Order"
            }
        }
    ],
    "attributes": {
        "objectType": "CartCheckoutResult"
    }
}
"##;

/// Parses a sample, and checks that writing it back gives what was sent.
fn round_trip<T: DeserializeOwned + Serialize>(sample: &str) -> T {
    let sent: Value = serde_json::from_str(sample).unwrap();
    let parsed: T = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(serde_json::to_value(&parsed).unwrap(), sent);
    parsed
}

/// `{"LineItems": …}` → `{"lineItems": …}`: the docs' PascalCase request, as the SDK sends it.
fn camel(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let mut chars = k.chars();
                    let key = chars
                        .next()
                        .map(|c| c.to_lowercase().chain(chars).collect())
                        .unwrap_or_default();
                    (key, camel(v))
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(camel).collect()),
        other => other,
    }
}

#[test]
fn the_new_commerce_request_is_what_the_sdk_sends() {
    let cart = Cart::new(vec![CartLineItem::new(
        "CFQ7TTC0LFLZ:0002:CFQ7TTC0K4TS",
        1,
        "P1M",
        BillingCycle::Monthly,
    )]);
    let mut expected = camel(serde_json::from_str(NCE_CREATE_REQUEST).unwrap());
    // The sample writes `Monthly`; the SDK writes the service's own spelling.
    expected["lineItems"][0]["billingCycle"] = "monthly".into();
    assert_eq!(serde_json::to_value(&cart).unwrap(), expected);
}

#[test]
fn a_created_new_commerce_cart() {
    let cart: Cart = round_trip(NCE_CREATE_RESPONSE);
    assert_eq!(cart.status, Some(CartStatus::Active));
    assert_eq!(
        cart.expiration_timestamp.as_deref(),
        Some("2023-07-18T21:16:17.2480482Z")
    );
    let line = &cart.line_items[0];
    assert_eq!(line.id, Some(CartLineItemId::Number(0)));
    assert_eq!(line.catalog_item_id, "CFQ7TTC0LF8S:0001:CFQ7TTC0VZW5");
    assert_eq!(line.billing_cycle, Some(BillingCycle::Monthly));
    assert_eq!(line.order_group.as_deref(), Some("0"));
    assert_eq!(line.pricing.as_ref().unwrap().extended_price, Some(364.8));
    assert_eq!(cart.errors().count(), 0);
}

#[test]
fn resellers_attestation_and_coterminated_terms() {
    let request: Cart = round_trip(ATTESTATION_REQUEST);
    assert_eq!(request.extra["PartnerOnRecordAttestationAccepted"], true);
    let resellers = request.line_items[1].participants.as_ref().unwrap();
    assert_eq!(resellers[0].key, "transaction_reseller");
    assert_eq!(resellers.len(), 3);
    assert_eq!(
        request.line_items[0].renews_to(),
        None,
        "renewsTo: null is kept"
    );
    let response: Cart = round_trip(ATTESTATION_RESPONSE);
    assert_eq!(
        response.line_items[0].custom_term_end_date.as_deref(),
        Some("2022-02-19T00:00:00Z")
    );
}

#[test]
fn a_checkout_and_its_orders() {
    let order: Order = round_trip(NCE_ORDER);
    assert_eq!(
        order.line_items[0].offer_id,
        "CFQ7TTC0LF8S:0001:CFQ7TTC0N81H"
    );
    assert_eq!(
        order.line_items[0].subscription_id.as_deref(),
        Some("0c353b8e-da9d-4007-d0d4-bca8bd5b5ce1")
    );
    let result: CartCheckoutResult = round_trip(CHECKOUT_RESULT);
    assert_eq!(result.orders.len(), 1);
    assert!(result.errors().is_empty());
}

#[test]
fn a_line_needs_its_catalog_item_and_quantity() {
    let missing = serde_json::json!({"lineItems": [{"quantity": 1}]});
    assert!(serde_json::from_value::<Cart>(missing).is_err());
    let text_id: CartLineItem = round_trip(
        r#"{"id": "7", "catalogItemId": "a:b:c", "quantity": 2, "error": {"errorCode": 10009, "errorDescription": "The sandbox limit has been exceeded."}}"#,
    );
    assert_eq!(text_id.id, Some(CartLineItemId::Text("7".to_owned())));
    assert_eq!(text_id.error.unwrap().error_code.unwrap(), 10009);
}
