//! The user models against the Partner Center docs' own samples.
//!
//! Each sample is a JSON body of a page (learn.microsoft.com/partner-center/developer/<page>;
//! read from the English copy kvamseek/partner-center@85eb3c40, folder `developer/`), the
//! HTTP header lines left out; the comment above it says what, if anything, was fixed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)] // reason: tests read the sample's password to check it arrived

use partner_center_models::{CustomerUser, ResourceCollection, UserDomainType, UserState};
use secrecy::ExposeSecret;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `create-user-accounts-for-a-customer.md`, Request example. Fixed: the keys `password`
/// and `forceChangePassword` were unquoted (not JSON).
const CREATE_REQUEST: &str = r##"{
      "usageLocation": "country/region code",
      "userPrincipalName": "userid@domain.onmicrosoft.com",
      "firstName": "First",
      "lastName": "Last",
      "displayName": "User name",
      "immutableId": "Some unique ID",
      "passwordProfile":{
                 "password": "abCD123*",
                 "forceChangePassword": true
      },
      "attributes": {
        "objectType": "CustomerUser"
      }
}"##;

/// `create-user-accounts-for-a-customer.md`, Response example. Verbatim.
const CREATE_RESPONSE: &str = r##"{
  "usageLocation": "country/region code",
  "id": "4b10bf41-ab11-40e3-8c53-cd67849b50de",
  "userPrincipalName": "userid@domain.onmicrosoft.com",
  "firstName": "First",
  "lastName": "Last",
  "displayName": "User name",
  "immutableId": "Some unique ID",
  "passwordProfile": {
    "forceChangePassword": true,
    "password": "abCD123*"
  },
  "lastDirectorySyncTime": null,
  "userDomainType": "none",
  "state": "active",
  "softDeletionTime": null,
  "attributes": {
    "objectType": "CustomerUser"
  }
}"##;

/// `get-a-list-of-all-user-accounts-for-a-customer.md`, Response example. Verbatim.
const LIST: &str = r##" {
    "totalCount": 2,
    "items": [{
            "usageLocation": "US",
            "id": "a9ef48bb-8758-4590-a312-d4a47bfaded4",
            "userPrincipalName": "Daniel@dtdemocspcustomer005.onmicrosoft.com",
            "firstName": "Daniel",
            "lastName": "Tsai",
            "displayName": "Daniel Tsai",
            "userDomainType": "none",
            "state": "active",
            "links": {
                "self": {
                    "uri": "/customers/4d3cf487-70f4-4e1e-9ff1-b2bfce8d9f04/users/a9ef48bb-8758-4590-a312-d4a47bfaded4",
                    "method": "GET",
                    "headers": []
                }
            },
            "attributes": {
                "objectType": "CustomerUser"
            }
        }, {
            "id": "6e668259-1f09-479d-bcb8-d9b03e826b8d",
            "userPrincipalName": "admin@dtdemocspcustomer005.onmicrosoft.com",
            "firstName": "Daniel",
            "lastName": "Tsai",
            "displayName": "DT Demo CSP Customer 005",
            "userDomainType": "none",
            "state": "active",
            "links": {
                "self": {
                    "uri": "/customers/4d3cf487-70f4-4e1e-9ff1-b2bfce8d9f04/users/6e668259-1f09-479d-bcb8-d9b03e826b8d",
                    "method": "GET",
                    "headers": []
                }
            },
            "attributes": {
                "objectType": "CustomerUser"
            }
        }
    ],
    "links": {
        "self": {
            "uri": "/customers/4d3cf487-70f4-4e1e-9ff1-b2bfce8d9f04/users",
            "method": "GET",
            "headers": []
        }
    },
    "attributes": {
        "objectType": "Collection"
    }
}"##;

/// `update-user-accounts-for-a-customer.md`, Request example. Verbatim.
const UPDATE_REQUEST: &str = r##"{
      "usageLocation": "new country/region code",

      "attributes": {
        "objectType": "CustomerUser"
      }
}"##;

/// `update-user-accounts-for-a-customer.md`, Response example. Verbatim.
const UPDATE_RESPONSE: &str = r##"{
  "usageLocation": "new country/region code",
  "id": "4b10bf41-ab11-40e3-8c53-cd67849b50de",
  "userPrincipalName": "emailidchange@abcdefgh1234.ccsctp.net",
  "firstName": "FirstNameChange",
  "lastName": "LastNameChange",
  "displayName": "DisplayNameChange",
  "userDomainType": "none",
  "state": "active",
  "links": {
    "self": {
      "uri": "/customers/eebd1b55-5360-4438-a11d-5c06918c3014/users/4b10bf41-ab11-40e3-8c53-cd67849b50de",
      "method": "GET",
      "headers": [

      ]
    }
  },
  "attributes": {
    "objectType": "CustomerUser"
  }
}"##;

/// `reset-user-password-for-a-customer.md`, Request example. Fixed: the keys `password`
/// and `forceChangePassword` were unquoted (not JSON).
const RESET_REQUEST: &str = r##"{
     "passwordProfile":{
        "password": "Renew456*",
        "forceChangePassword": true
      },

      "attributes": {
        "objectType": "CustomerUser"
      }
}"##;

/// `reset-user-password-for-a-customer.md`, Response example. Verbatim.
const RESET_RESPONSE: &str = r##"{
  "usageLocation": "AX",
  "id": "95794928-9abe-4548-8b43-50ffc20b9404",
  "userPrincipalName": "aaaa4@abcdefgh1234.ccsctp.net",
  "firstName": "aaaa4",
  "lastName": "aaaa4",
  "displayName": "aaaa4",
  "passwordProfile": {
    "forceChangePassword": false,
    "password": "Renew456*"
  },
  "lastDirectorySyncTime": null,
  "userDomainType": "none",
  "state": "active",
  "softDeletionTime": null,
  "links": {
    "self": {
      "uri": "/customers/eebd1b55-5360-4438-a11d-5c06918c3014/users/95794928-9abe-4548-8b43-50ffc20b9404",
      "method": "GET",
      "headers": [

      ]
    }
  },
  "attributes": {
    "objectType": "CustomerUser"
  }
}"##;

/// `view-a-deleted-user.md`, Response example. Verbatim (its self link spells the filter
/// field `UserStatus`, the request `UserState`: kept as sent).
const DELETED: &str = r##"{
    "totalCount": 1,
    "items": [{
            "usageLocation": "US",
            "id": "a45f1416-3300-4f65-9e8d-f123b397a4ea",
            "userPrincipalName": "e83763f7f2204ac384cfcd49f79f2749@dtdemocspcustomer005.onmicrosoft.com",
            "firstName": "Ferdinand",
            "lastName": "Filibuster",
            "displayName": "Ferdinand",
            "userDomainType": "none",
            "state": "inactive",
            "softDeletionTime": "2017-01-20T00:33:34Z",
            "links": {
                "self": {
                    "uri": "/customers/4d3cf487-70f4-4e1e-9ff1-b2bfce8d9f04/users/a45f1416-3300-4f65-9e8d-f123b397a4ea",
                    "method": "GET",
                    "headers": []
                }
            },
            "attributes": {
                "objectType": "CustomerUser"
            }
        }
    ],
    "links": {
        "self": {
            "uri": "/customers/4d3cf487-70f4-4e1e-9ff1-b2bfce8d9f04/users?size=500&filter=%7B%22Field%22%3A%22UserStatus%22%2C%22Value%22%3A%22Inactive%22%2C%22Operator%22%3A%22equals%22%7D",
            "method": "GET",
            "headers": []
        }
    },
    "attributes": {
        "objectType": "Collection"
    }
}"##;

/// Parses a sample, and checks that writing it back gives what was sent, `null`s aside:
/// an absent optional field and a `null` one are the same to the service.
fn round_trip<T: DeserializeOwned + Serialize>(sample: &str) -> T {
    let sent: Value = serde_json::from_str(sample).unwrap();
    let parsed: T = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(serde_json::to_value(&parsed).unwrap(), without_nulls(sent));
    parsed
}

fn without_nulls(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

#[test]
fn creating_a_user_sends_the_password_and_the_answer_carries_it_once() {
    let request: CustomerUser = round_trip(CREATE_REQUEST);
    let profile = request.password_profile.as_ref().unwrap();
    assert_eq!(
        profile.password.as_ref().unwrap().expose_secret(),
        "abCD123*"
    );
    assert!(
        !format!("{request:?}").contains("abCD123*"),
        "Debug is redacted"
    );
    // `User` is the same type, at the root too.
    let created: partner_center_models::User = round_trip(CREATE_RESPONSE);
    assert_eq!(created.id, "4b10bf41-ab11-40e3-8c53-cd67849b50de");
    assert_eq!(created.state, Some(UserState::Active));
    assert_eq!(created.user_domain_type, Some(UserDomainType::None));
    assert!(created.last_directory_sync_time.is_none());
}

#[test]
fn a_customers_users_and_one_of_them() {
    let list: ResourceCollection<CustomerUser> = round_trip(LIST);
    assert_eq!(list.total_count, 2);
    assert_eq!(list.items[1].usage_location, None, "the second has none");
    // get-a-user-account-by-id.md's answer is the list's first item, verbatim.
    let item = serde_json::to_value(&list.items[0]).unwrap();
    let one: CustomerUser = round_trip(&item.to_string());
    assert_eq!(
        one.user_principal_name.as_deref(),
        Some("Daniel@dtdemocspcustomer005.onmicrosoft.com")
    );
}

#[test]
fn an_update_sends_only_what_changes() {
    let request: CustomerUser = round_trip(UPDATE_REQUEST);
    assert!(request.id.is_empty() && request.first_name.is_none());
    let updated: CustomerUser = round_trip(UPDATE_RESPONSE);
    assert_eq!(updated.display_name.as_deref(), Some("DisplayNameChange"));
}

#[test]
fn a_password_reset() {
    let request: CustomerUser = round_trip(RESET_REQUEST);
    assert_eq!(
        request.password_profile.unwrap().force_change_password,
        Some(true)
    );
    let answer: CustomerUser = round_trip(RESET_RESPONSE);
    let profile = answer.password_profile.unwrap();
    assert_eq!(profile.password.unwrap().expose_secret(), "Renew456*");
    assert_eq!(
        profile.force_change_password,
        Some(false),
        "as the docs show"
    );
}

#[test]
fn deleted_users_are_inactive_with_their_deletion_time() {
    let list: ResourceCollection<CustomerUser> = round_trip(DELETED);
    let user = &list.items[0];
    assert_eq!(user.state, Some(UserState::Inactive));
    assert_eq!(
        user.soft_deletion_time.as_deref(),
        Some("2017-01-20T00:33:34Z")
    );
}

#[test]
fn unknown_states_and_fields_are_kept() {
    let text = r#"{"id":"u","state":"suspended","futureField":{"a":1}}"#;
    let user: CustomerUser = round_trip(text);
    assert_eq!(
        user.state.as_ref().map(UserState::as_str),
        Some("suspended")
    );
    assert!(user.extra.contains_key("futureField"));
}
