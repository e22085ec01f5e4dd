//! The directory role models against the Partner Center docs' own samples.
//!
//! Each sample is a JSON body of a page (learn.microsoft.com/partner-center/developer/<page>;
//! read from the English copy kvamseek/partner-center@85eb3c40, folder `developer/`), the
//! HTTP header lines left out; the comment above it says what, if anything, was changed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

use partner_center_models::{CustomerUser, DirectoryRole, ResourceCollection, UserMember};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `get-user-roles-for-a-customer.md`, Response example (a user's roles). Verbatim.
const USER_ROLES: &str = r##"{
      "totalCount": 2,
      "items": [
        {
          "name": "Helpdesk Administrator",
          "id": "729827e3-9c14-49f7-bb1b-9608f156bbb8",
          "attributes": { "objectType": "DirectoryRole" }
        },
        {
          "name": "User Account Administrator",
          "id": "fe930be7-5e62-47db-91af-98c3a49a38b1",
          "attributes": { "objectType": "DirectoryRole" }
        }
      ],
      "attributes": { "objectType": "Collection" }
}"##;

/// `set-user-roles-for-a-customer.md`, Request example. Verbatim: PascalCase, as the .NET
/// SDK sends it (kept as unknown fields by this camelCase model; the service reads keys
/// in any case).
const ADD_REQUEST: &str = r##"{
    "Id": "a9ef48bb-8758-4590-a312-d4a47bfaded4",
    "DisplayName": "Daniel Tsai",
    "UserPrincipalName": "Daniel@dtdemocspcustomer005.onmicrosoft.com",
    "Attributes": {
        "ObjectType": "UserMember"
    }
}"##;

/// `set-user-roles-for-a-customer.md`, Response example (201). Verbatim.
const ADD_RESPONSE: &str = r##"{
    "displayName": "Daniel Tsai",
    "userPrincipalName": "Daniel@dtdemocspcustomer005.onmicrosoft.com",
    "roleId": "f023fd81-a637-4b56-95fd-791ac0226033",
    "id": "a9ef48bb-8758-4590-a312-d4a47bfaded4",
    "attributes": {
        "objectType": "UserMember"
    }
}"##;

fn round_trip<T: DeserializeOwned + Serialize>(sample: &str) -> T {
    let sent: Value = serde_json::from_str(sample).unwrap();
    let parsed: T = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(serde_json::to_value(&parsed).unwrap(), sent);
    parsed
}

#[test]
fn a_users_roles() {
    let roles: ResourceCollection<DirectoryRole> = round_trip(USER_ROLES);
    assert_eq!(
        roles.items[0].name.as_deref(),
        Some("Helpdesk Administrator")
    );
    assert_eq!(roles.items[1].id, "fe930be7-5e62-47db-91af-98c3a49a38b1");
}

#[test]
fn adding_a_member() {
    let pascal: UserMember = round_trip(ADD_REQUEST);
    assert!(
        pascal.id.is_empty() && pascal.extra.contains_key("Id"),
        "kept as sent"
    );
    let member: UserMember = round_trip(ADD_RESPONSE);
    assert_eq!(
        member.role_id.as_deref(),
        Some("f023fd81-a637-4b56-95fd-791ac0226033")
    );
    // What this SDK sends: the same fields, camelCase.
    let mut user = CustomerUser::default();
    user.id = "a9ef48bb-8758-4590-a312-d4a47bfaded4".to_owned();
    user.display_name = Some("Daniel Tsai".to_owned());
    let ours = serde_json::to_value(UserMember::of(&user)).unwrap();
    assert_eq!(ours["id"], "a9ef48bb-8758-4590-a312-d4a47bfaded4");
    assert_eq!(ours["attributes"]["objectType"], "UserMember");
}
