//! The catalog models against the Partner Center docs' own samples.
//!
//! Each sample is the JSON body of a response example as the page publishes it
//! (learn.microsoft.com/partner-center/developer/<page>; read from the English copy
//! kvamseek/partner-center@85eb3c40, folder `developer/`), the HTTP header lines left out.
//! The docs' samples carry placeholders (`...`, `…`, `{ ... }`) that are not JSON: the
//! comment above a sample says what was removed, and nothing else was changed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

use partner_center_models::{Availability, BillingCycle, Product, ResourceCollection, Sku};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `get-a-product-by-id.md`, "Response example for new commerce license-based product".
/// Verbatim.
const PRODUCT_NCE: &str = r##"{
    "id": "CFQ7TTC0LH18",
    "title": "Microsoft 365 Business Basic",
    "description": "Best for businesses that need professional email, cloud file storage, and online meetings & chat. Desktop versions of Office apps like Excel, Word, and PowerPoint not included. For businesses with up to 300 employees.",
    "productType": {
        "id": "OnlineServicesNCE",
        "displayName": "OnlineServicesNCE"
    },
    "isMicrosoftProduct": true,
    "publisherName": "Microsoft Corporation",
    "links": {
        "skus": {
            "uri": "/products/CFQ7TTC0LH18/skus?country=US",
            "method": "GET",
            "headers": []
        },
        "self": {
        "uri": "/products/CFQ7TTC0LH18?country=US",
            "method": "GET",
            "headers": []
        }
    }
}"##;

/// `get-a-product-by-id.md`, "Response example for Azure VM reservation (Azure plan)".
/// Verbatim.
const PRODUCT_AZURE: &str = r##"{
    "id": "DZH318Z0BQ3Q",
    "title": "Virtual Machines DSv2 Series",
    "description": "Dsv2-series instances are the latest generation of D-series instances that will carry more powerful CPUs which are on average about 35% faster than D-series instances, and carry the same memory and disk configurations as the D-series. Dsv2-series instances are based on the latest generation 2.4 GHz Intel Xeon&reg; E5-2673 v3 (Haswell) processor, and with Intel Turbo Boost Technology 2.0 can go to 3.2 GHz.",
    "productType": {
        "id": "Azure",
        "displayName": "Azure",
        "subType": {
            "id": "VirtualMachines",
            "displayName": "VirtualMachines"
        }
    },
    "isMicrosoftProduct": true,
    "publisherName": "Microsoft",
    "links": {
        "skus": {
            "uri": "/products/DZH318Z0BQ3Q/skus?country=US",
            "method": "GET",
            "headers": []
        },
        "self": {
            "uri": "/products/DZH318Z0BQ3Q?country=US",
            "method": "GET",
            "headers": []
        }
    }
}"##;

/// `get-a-list-of-products.md`, "Response example for new commerce license-based services".
/// Fixed: dropped the `...` placeholder line after the first item and the comma before it.
const PRODUCTS_NCE: &str = r##"{
  "totalCount": 19,
  "items": [{
      "id": "CFQ7TTC0LH18",
      "title": "Microsoft 365 Business Basic",
      "description": "Best for businesses that need professional email, cloud file storage, and online meetings & chat. Desktop versions of Office apps like Excel, Word, and PowerPoint not included. For businesses with up to 300 employees.",
      "productType": {
        "id": "OnlineServicesNCE",
        "displayName": "OnlineServicesNCE"
      },
      "isMicrosoftProduct": true,
      "publisherName": "Microsoft Corporation",
      "links": {
        "skus": {
          "uri": "/products/CFQ7TTC0LH18/skus?country=US",
          "method": "GET",
          "headers": []
        },
        "self": {
          "uri": "/products/CFQ7TTC0LH18?country=US",
          "method": "GET",
          "headers": []
        }
      }
    }
  ],
  "links": {
    "self": {
      "uri": "/products?country=US&targetView=OnlineServices",
      "method": "GET",
      "headers": []
    }
  },
  "attributes": {
    "objectType": "Collection"
  }
}"##;

/// `get-a-sku-by-id.md`, "Response example for new commerce license-based services".
/// Fixed: dropped the `…` placeholder line inside `upgradeTargetOffers`.
const SKU_NCE: &str = r##"{
    "id": "0001",
    "productId": "CFQ7TTC0LH18",
    "title": "Microsoft 365 Business Basic",
    "description": "Best for businesses that need professional email, cloud file storage, and online meetings & chat. Desktop versions of Office apps like Excel, Word, and PowerPoint not included. For businesses with up to 300 employees.",
    "minimumQuantity": 1,
    "maximumQuantity": 300,
    "isTrial": false,
    "supportedBillingCycles": [
        "annual",
        "monthly"
    ],
    "purchasePrerequisites": [
        "MicrosoftCloudAgreement"
    ],
    "inventoryVariables": [],
    "provisioningVariables": [],
    "actions": [
        "Refund"
    ],
    "dynamicAttributes": {
        "isMicrosoftProduct": true,
        "hasConstraints": true,
        "isAddon": false,
        "prerequisiteSkus": [],
        "isSoftwareAssuranceApplicable": false,
        "upgradeTargetOffers": [
            "CFQ7TTC0LDPB:0001",
            "CFQ7TTC0LF8Q:0001"
        ],
        "provisioningId": "3b555118-da6a-4418-894f-7df1e2096870",
        "internal": false
    },
    "links": {
        "availabilities": {
            "uri": "/products/CFQ7TTC0LH18/skus/0001/availabilities?country=US",
            "method": "GET",
            "headers": []
        },
        "self": {
            "uri": "/products/CFQ7TTC0LH18/skus/0001?country=US",
            "method": "GET",
            "headers": []
        }
    }
}"##;

/// `get-a-sku-by-id.md`, "Response example for Azure VM reservations (Azure plan)".
/// Verbatim.
const SKU_AZURE: &str = r##"{
    "id": "00G1",
    "productId": "DZH318Z0BQ3V",
    "title": "Reserved VM Instance, Standard_D32s_v3, US West 2, 3 Years",
    "description": "Reserved Virtual Machines Instance, Standard_D32s_v3, US West 2, 3 Years",
    "minimumQuantity": 1,
    "maximumQuantity": 999999999,
    "isTrial": false,
    "supportedBillingCycles": [
        "one_time"
    ],
    "purchasePrerequisites": [
        "AzureSubscriptionRegistration",
        "InventoryCheck"
    ],
    "inventoryVariables": [
        "CustomerId",
        "AzureSubscriptionId"
    ],
    "provisioningVariables": [
        "Scope",
        "SubscriptionId"
    ],
    "dynamicAttributes": {
        "armSkuName": "Standard_D32s_v3",
        "cores": "32",
        "ram": "128",
        "skuDisplayName": "D32s v3",
        "category": "General purpose",
        "armRegionName": "westus2",
        "duration": "3Years",
        "region": "US West 2",
        "diskType": "Ssd"
    },
    "links": {
        "availabilities": {
            "uri": "/products/DZH318Z0BQ3V/skus/00G1/availabilities?country=us",
            "method": "GET",
            "headers": []
        },
        "self": {
            "uri": "/products/DZH318Z0BQ3V/skus/00G1?country=us",
            "method": "GET",
            "headers": []
        }
    }
}"##;

/// `get-a-list-of-skus-for-a-product.md`, "Response example for Azure VM reservations (Azure plan)".
/// Fixed: dropped the `[...]` placeholder line after the second item.
const SKUS_AZURE: &str = r##"{
    "totalCount": 40,
    "items": [
        {
            "id": "0001",
            "productId": "DZH318Z0BQ5S",
            "title": "Reserved VM Instance, Standard_ND12s, US West 2, 1 Year",
            "description": "Reserved Virtual Machines Instance, Standard_ND12s, US West 2, 1 Year",
            "minimumQuantity": 1,
            "maximumQuantity": 999999999,
            "isTrial": false,
            "supportedBillingCycles": [
                "one_time"
            ],
            "purchasePrerequisites": [
                "AzureSubscriptionRegistration",
                "InventoryCheck"
            ],
            "provisioningVariables": [
                "Scope",
                "SubscriptionId"
            ],
            "dynamicAttributes": {
                "armSkuName": "Standard_ND12s",
                "cores": "12",
                "ram": "224",
                "skuDisplayName": "ND12",
                "category": "GPU",
                "armRegionName": "westus2",
                "duration": "1Year",
                "region": "US West 2",
                "diskType": "Hdd"
            },
            "links": {
                "availabilities": {
                    "uri": "/products/DZH318Z0BQ5S/skus/0001/availabilities?country=US",
                    "method": "GET",
                    "headers": []
                },
                "self": {
                    "uri": "/products/DZH318Z0BQ5S/skus/0001?country=US",
                    "method": "GET",
                    "headers": []
                }
            }
        },
        {
            "id": "0002",
            "productId": "DZH318Z0BQ5S",
            "title": "Reserved VM Instance, Standard_ND6s, US West 2, 1 Year",
            "description": "Reserved Virtual Machines Instance, Standard_ND6s, US West 2, 1 Year",
            "minimumQuantity": 1,
            "maximumQuantity": 999999999,
            "isTrial": false,
            "supportedBillingCycles": [
                "one_time"
            ],
            "purchasePrerequisites": [
                "AzureSubscriptionRegistration",
                "InventoryCheck"
            ],
            "provisioningVariables": [
                "Scope",
                "SubscriptionId"
            ],
            "dynamicAttributes": {
                "armSkuName": "Standard_ND6s",
                "cores": "6",
                "ram": "112",
                "skuDisplayName": "ND6",
                "category": "GPU",
                "armRegionName": "westus2",
                "duration": "1Year",
                "region": "US West 2",
                "diskType": "Hdd"
            },
            "links": {
                "availabilities": {
                    "uri": "/products/DZH318Z0BQ5S/skus/0002/availabilities?country=US",
                    "method": "GET",
                    "headers": []
                },
            "self": {
                    "uri": "/products/DZH318Z0BQ5S/skus/0002?country=US",
                    "method": "GET",
                    "headers": []
                }
            }
        }
    ],
    "links": {
        "self": {
            "uri": "/products/DZH318Z0BQ5S/skus?country=US",
            "method": "GET",
            "headers": []
        }
    },
    "attributes": {
        "objectType": "Collection"
    }
}"##;

/// `get-an-availability-by-id.md`, "Response example for new commerce license-based services".
/// Fixed: dropped the two `…` placeholder lines (one after a tab) and the commas before them, and the `"product": { ... }` and `"sku": { ... }` placeholders.
const AVAILABILITY_NCE: &str = r##"{
    "id": "CFQ7TTC0K971",
    "productId": "CFQ7TTC0LH18",
    "skuId": "0001",
    "catalogItemId": "CFQ7TTC0LH18:0001:CFQ7TTC0K971",
    "defaultCurrency": {
        "code": "USD",
        "symbol": "$"
    },
    "segment": "commercial",
    "country": "US",
    "isPurchasable": true,
    "isRenewable": true, 
    "renewalInstructions": [
        {
            "applicableTermIds": [
                "5aeco6mffyxo"
            ],
            "renewalOptions": [
                {
                    "renewToId": "CFQ7TTC0LH18:0001",
                    "isAutoRenewable": true
                }
            ]
        }
    ],
    "terms": [
        {
            "id": "5aeco6mffyxo",
            "duration": "P1Y",
            "description": "One-Year commitment for monthly/yearly billing",
            "billingCycle": "Annual",
            "cancellationPolicies": [
                {
                    "refundOptions": [
                        {
                            "sequenceId": 0,
                            "type": "Full",
                            "expiresAfter": "P1D"
                        }
                    ]
                }
            ]
        }
    ],
    "links": {
        "self": {
            "uri": "/products/CFQ7TTC0LH18/skus/0001/availabilities/CFQ7TTC0K971?country=US",
            "method": "GET",
            "headers": []
        }
    }
}"##;

/// `get-an-availability-by-id.md`, "Response example for Azure VM reservations (Azure plan)".
/// Fixed: dropped the `"product": { ... }` and `"sku": { ... }` placeholders.
const AVAILABILITY_AZURE: &str = r##"{
    "id": "DZH318XZXPHL",
    "productId": "DZH318Z0BQ3Q",
    "skuId": "0001",
    "catalogItemId": "DZH318Z0BQ3Q:0001:DZH318XZXPHL",
    "defaultCurrency": {
        "code": "USD",
        "symbol": "$"
    },
    "segment": "commercial",
    "country": "US",
    "isPurchasable": true,
    "isRenewable": false,
    "terms": [{
        "duration": "P1Y",
        "description": "1 Year Prepaid"
    }],
    "links": {
        "self": {
            "uri": "/products/DZH318Z0BQ3Q/skus/0001/availabilities/DZH318XZXPHL?country=US",
            "method": "GET",
            "headers": []
        }
    }
}"##;

/// `get-a-list-of-availabilities-for-a-sku.md`, "Response example (2018 version, xdmushui/partner-center-sdk@3685ebd8, develop/)".
/// Verbatim.
const AVAILABILITIES_2018: &str = r##"{
    "totalCount": 1,
    "items": [
        {
            "id": "DZH318Z0HMKQ",
            "productId": "DZH318Z0BQ3Q",
            "skuId": "0001",
            "catalogItemId": "DZH318Z0BQ3Q:0001:DZH318Z0HMKQ",
            "defaultCurrency": {
                "code": "USD",
                "symbol": "$"
            },
            "segment": "commercial",
            "country": "US",
            "links": {
                "self": {
                    "uri": "/products/DZH318Z0BQ3Q/skus/0001/availabilities/DZH318Z0HMKQ?country=US",
                    "method": "GET",
                    "headers": []
                }
            }
        }
    ],
    "links": {
        "self": {
            "uri": "/products/DZH318Z0BQ3Q/skus/0001/availabilities?country=US&targetSegment=commercial",
            "method": "GET",
            "headers": []
        }
    },
    "attributes": {
        "objectType": "Collection"
    }
}"##;

/// Parses a sample, and checks that writing it back gives what was sent.
fn round_trip<T: DeserializeOwned + Serialize>(sample: &str) -> T {
    let sent: Value = serde_json::from_str(sample).unwrap();
    let parsed: T = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(
        serde_json::to_value(&parsed).unwrap(),
        sent,
        "writing the model back changed the payload"
    );
    parsed
}

#[test]
fn a_new_commerce_product() {
    let p: Product = round_trip(PRODUCT_NCE);
    assert_eq!(p.id, "CFQ7TTC0LH18");
    assert_eq!(p.title.as_deref(), Some("Microsoft 365 Business Basic"));
    assert!(p.is_new_commerce());
    assert_eq!(p.is_microsoft_product, Some(true));
    let links = p.links.as_ref().unwrap();
    assert_eq!(
        links.self_.as_ref().unwrap().uri,
        "/products/CFQ7TTC0LH18?country=US"
    );
    assert_eq!(
        links.extra["skus"]["uri"],
        "/products/CFQ7TTC0LH18/skus?country=US"
    );
}

#[test]
fn an_azure_product_with_a_subtype() {
    let p: Product = round_trip(PRODUCT_AZURE);
    assert!(!p.is_new_commerce());
    let t = p.product_type.as_ref().unwrap();
    assert_eq!(t.id.as_deref(), Some("Azure"));
    assert_eq!(
        t.sub_type.as_ref().unwrap().id.as_deref(),
        Some("VirtualMachines")
    );
    assert!(
        p.description.as_deref().unwrap().contains("Xeon&reg;"),
        "the docs' HTML entity is kept as text"
    );
}

#[test]
fn a_page_of_products() {
    let page: ResourceCollection<Product> = round_trip(PRODUCTS_NCE);
    assert_eq!(page.total_count, 19);
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].id, "CFQ7TTC0LH18");
    assert!(
        page.next_link().is_none(),
        "the catalog pages carry no next link"
    );
}

#[test]
fn a_new_commerce_sku_with_its_dynamic_attributes() {
    let sku: Sku = round_trip(SKU_NCE);
    assert_eq!(sku.id, "0001");
    assert_eq!(sku.product_id.as_deref(), Some("CFQ7TTC0LH18"));
    assert_eq!(
        (sku.minimum_quantity, sku.maximum_quantity),
        (Some(1), Some(300))
    );
    assert_eq!(
        sku.supported_billing_cycles,
        Some(vec![BillingCycle::Annual, BillingCycle::Monthly])
    );
    assert_eq!(sku.inventory_variables, Some(vec![]), "[] is kept");
    assert_eq!(sku.actions, Some(vec!["Refund".to_owned()]));
    assert!(!sku.is_add_on());
    assert_eq!(
        sku.upgrade_targets(),
        ["CFQ7TTC0LDPB:0001", "CFQ7TTC0LF8Q:0001"]
    );
    assert_eq!(
        sku.dynamic_attribute("provisioningId").unwrap(),
        "3b555118-da6a-4418-894f-7df1e2096870"
    );
}

#[test]
fn an_azure_reservation_sku_and_a_page_of_them() {
    let sku: Sku = round_trip(SKU_AZURE);
    assert_eq!(
        sku.supported_billing_cycles,
        Some(vec![BillingCycle::OneTime])
    );
    assert_eq!(
        sku.purchase_prerequisites.as_deref().unwrap(),
        ["AzureSubscriptionRegistration", "InventoryCheck"]
    );
    assert_eq!(sku.dynamic_attribute("armRegionName").unwrap(), "westus2");
    let page: ResourceCollection<Sku> = round_trip(SKUS_AZURE);
    assert_eq!(page.total_count, 40);
    let ids: Vec<&str> = page.items.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["0001", "0002"]);
}

#[test]
fn a_new_commerce_availability_with_terms_refunds_and_renewals() {
    let sent: Value = serde_json::from_str(AVAILABILITY_NCE).unwrap();
    let a: Availability = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(
        a.catalog_item_id.as_deref(),
        Some("CFQ7TTC0LH18:0001:CFQ7TTC0K971")
    );
    let currency = a.default_currency.as_ref().unwrap();
    assert_eq!(
        (currency.code.as_deref(), currency.symbol.as_deref()),
        (Some("USD"), Some("$"))
    );
    let term = a
        .term("P1Y", &BillingCycle::Annual)
        .expect("the annual term");
    assert_eq!(term.id.as_deref(), Some("5aeco6mffyxo"));
    let refund = &term.cancellation_policies.as_ref().unwrap()[0]
        .refund_options
        .as_ref()
        .unwrap()[0];
    assert_eq!(
        (
            refund.sequence_id,
            refund.kind.as_deref(),
            refund.expires_after.as_deref()
        ),
        (Some(0), Some("Full"), Some("P1D"))
    );
    let renewal = &a.renewal_instructions.as_ref().unwrap()[0];
    assert_eq!(
        renewal.renewal_options.as_ref().unwrap()[0]
            .renew_to_id
            .as_deref(),
        Some("CFQ7TTC0LH18:0001")
    );
    // The sample writes the term's cycle `Annual`; the model writes the service's
    // canonical spelling, `annual` (as the SKUs' supportedBillingCycles do). Nothing else
    // changes.
    let mut expected = sent;
    expected["terms"][0]["billingCycle"] = "annual".into();
    assert_eq!(serde_json::to_value(&a).unwrap(), expected);
}

#[test]
fn an_azure_availability_and_the_2018_page() {
    let a: Availability = round_trip(AVAILABILITY_AZURE);
    assert_eq!(a.is_renewable, Some(false));
    assert_eq!(a.terms()[0].duration.as_deref(), Some("P1Y"));
    assert_eq!(a.terms()[0].billing_cycle, None);
    let page: ResourceCollection<Availability> = round_trip(AVAILABILITIES_2018);
    assert_eq!(page.items[0].segment.as_deref(), Some("commercial"));
    assert!(
        page.items[0].terms().is_empty(),
        "an old answer without terms"
    );
}

#[test]
fn ids_are_required_and_unknown_fields_and_cycles_are_kept() {
    let unrelated = serde_json::json!({"title": "no id"});
    assert!(serde_json::from_value::<Product>(unrelated.clone()).is_err());
    assert!(serde_json::from_value::<Sku>(unrelated.clone()).is_err());
    assert!(serde_json::from_value::<Availability>(unrelated).is_err());
    let future: Sku = round_trip(
        r#"{"id": "0002", "supportedBillingCycles": ["triennial"], "newField": {"x": 1}}"#,
    );
    assert_eq!(
        future.supported_billing_cycles,
        Some(vec![BillingCycle::Unknown("triennial".to_owned())])
    );
    assert_eq!(future.extra["newField"]["x"], 1);
}
