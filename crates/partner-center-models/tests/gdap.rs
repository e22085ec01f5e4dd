//! The GDAP models against the Microsoft Graph docs' own samples.
//!
//! Each sample is a JSON body of a page of microsoftgraph/microsoft-graph-docs-contrib
//! (learn.microsoft.com/graph/api/<page>), the HTTP lines left out; the comment above it
//! says what, if anything, was changed.
#![allow(clippy::unwrap_used, clippy::expect_used)] // reason: tests

use partner_center_models::ODataCollection;
use partner_center_models::gdap::{
    DelegatedAdminAccessAssignment, DelegatedAdminAccessAssignmentStatus,
    DelegatedAdminAccessContainerType, DelegatedAdminAccessDetails, DelegatedAdminRelationship,
    DelegatedAdminRelationshipOperation, DelegatedAdminRelationshipOperationType,
    DelegatedAdminRelationshipRequest, DelegatedAdminRelationshipRequestAction,
    DelegatedAdminRelationshipRequestStatus, DelegatedAdminRelationshipStatus,
    LongRunningOperationStatus,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `api-reference/v1.0/api/tenantrelationship-list-delegatedadminrelationships.md`, Response. Verbatim (a reseller relationship among them, its dates `null`).
const LIST: &str = r##"{
  "@odata.context": "https://graph.microsoft.com/v1.0/tenantRelationships/$metadata#delegatedAdminRelationships",
  "value": [
    {
      "@odata.type": "#microsoft.graph.delegatedAdminRelationship",
      "@odata.etag": "W/\"JyIwMzAwZTM0ZS0wMDAwLTAyMDAtMDAwMC02MTRjZjI1YzAwMDAiJw==\"",
      "id": "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836",
      "displayName": "Contoso admin relationship",
      "duration": "P730D",
      "customer": {
        "tenantId": "52eaad04-13a2-4a2f-9ce8-93a294fadf36",
        "displayName": "Contoso Inc"
      },
      "accessDetails": {
        "unifiedRoles": [
          {
            "roleDefinitionId": "dd4db9a0-cc4a-4213-9f9f-70242232d97e"
          }
        ]
      },
      "status": "active",
      "autoExtendDuration": "P180D",
      "createdDateTime": "2022-02-10T11:24:42.3148266Z",
      "lastModifiedDateTime": "2022-02-10T11:26:44.9941884Z",
      "activatedDateTime": "2022-02-10T11:26:44.9941884Z",
      "endDateTime": "2024-02-10T11:24:42.3148266Z"
    },
    {
      "@odata.type": "#microsoft.graph.delegatedAdminRelationship",
      "@odata.etag": "W/\"JyIwMzAwZTM0ZS0wKklILTAyMDAtMDAwMC02MTRjZjI1YzAwMDAiJw==\"",
      "id": "1041ef52-a99b-4245-a3be-cbd3fa7c5ed1-8777b240-c6f0-4469-9e98-a3205431b836",
      "displayName": "Contoso subsidiary relationship",
      "duration": "P30D",
      "customer": {
        "tenantId": "4b827261-d21f-4aa9-b7db-7fa1f56fb163",
        "displayName": "Contoso subsidiary Inc"
      },
      "accessDetails": {
        "unifiedRoles": [
          {
            "roleDefinitionId": "29232cdf-9323-42fd-ade2-1d097af3e4de"
          },
          {
            "roleDefinitionId": "3a2c62db-5318-420d-8d74-23affee5d9d5"
          }
        ]
      },
      "status": "terminated",
      "autoExtendDuration": "PT0S",
      "createdDateTime": "2021-09-29T16:52:39.6133896Z",
      "lastModifiedDateTime": "2021-10-29T16:57:20.2101088Z",
      "activatedDateTime": "2021-09-29T16:55:20.2101088Z",
      "endDateTime": "2021-10-29T16:57:20.2101088Z"
    },
    {
      "@odata.type": "#microsoft.graph.resellerDelegatedAdminRelationship",
      "@odata.etag": "W/\"JyIwMzAwZTM0ZS0wMDAwLTAyMDAtMDAwMC02MTRjZjI1YzAwMDAiJw==\"",
      "id": "4b227261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836",
      "displayName": "Fabrikam admin relationship",
      "duration": "P180D",
      "customer": {
        "tenantId": "52eaad04-13a2-4a2f-9ce8-93a294fadf36",
        "displayName": "Fabrikam Inc."
      },
      "accessDetails": {
        "unifiedRoles": [
          {
            "roleDefinitionId": "7be44c8a-adaf-4e2a-84d6-ab2649e08a13"
          },
          {
            "roleDefinitionId": "e8611ab8-c189-46e8-94e1-60213ab1f814"
          },
          {
            "roleDefinitionId": "fe930be7-5e62-47db-91af-98c3a49a38b1"
          },
          {
            "roleDefinitionId": "729827e3-9c14-49f7-bb1b-9608f156bbb8"
          },
          {
            "roleDefinitionId": "4d6ac14f-3453-41d0-bef9-a3e0c569773a"
          },
          {
            "roleDefinitionId": "f023fd81-a637-4b56-95fd-791ac0226033"
          },
          {
            "roleDefinitionId": "9360feb5-f418-4baa-8175-e2a00bac4301"
          },
          {
            "roleDefinitionId": "88d8e3e3-8f55-4a1e-953a-9b9898b8876b"
          },
          {
            "roleDefinitionId": "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
          }
        ]
      },
      "status": "approvalPending",
      "autoExtendDuration": "PT0S",
      "createdDateTime": "2022-02-10T11:24:42.3148266Z",
      "lastModifiedDateTime": "2022-02-10T11:26:44.9941884Z",
      "activatedDateTime": null,
      "endDateTime": null,
      "isPartnerConsentPending": true,
      "indirectProviderTenantId": "60ea59db-a506-485e-94c5-d115f369e239"
    }
  ]
}"##;

/// `api-reference/v1.0/api/tenantrelationship-post-delegatedadminrelationships.md`, Request. Verbatim.
const CREATE_REQUEST: &str = r##"{
  "displayName": "Contoso admin relationship",
  "duration": "P730D",
  "customer": {
    "tenantId": "4b827261-d21f-4aa9-b7db-7fa1f56fb163",
    "displayName": "Contoso subsidiary Inc"
  },
  "accessDetails": {
    "unifiedRoles": [
      {
        "roleDefinitionId": "29232cdf-9323-42fd-ade2-1d097af3e4de"
      },
      {
        "roleDefinitionId": "3a2c62db-5318-420d-8d74-23affee5d9d5"
      }
    ]
  },
  "autoExtendDuration": "P180D"
}"##;

/// `api-reference/v1.0/api/tenantrelationship-post-delegatedadminrelationships.md`, Response (201). Verbatim (`activatedDateTime` is `""`).
const CREATE_RESPONSE: &str = r##"{
  "@odata.type": "#microsoft.graph.delegatedAdminRelationship",
  "@odata.context": "https://graph.microsoft.com/v1.0/tenantRelationships/$metadata#delegatedAdminRelationships",
  "@odata.etag": "W/\"JyIxODAwZTY4My0wMDAwLTAyMDAtMDAwMC02MTU0OWFmMDAwMDAiJw==\"",
  "id": "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836",
  "displayName": "Contoso admin relationship",
  "duration": "P730D",
  "customer": {
    "tenantId": "4b827261-d21f-4aa9-b7db-7fa1f56fb163",
    "displayName": "Contoso subsidiary Inc"
  },
  "accessDetails": {
    "unifiedRoles": [
      {
        "roleDefinitionId": "29232cdf-9323-42fd-ade2-1d097af3e4de"
      },
      {
        "roleDefinitionId": "3a2c62db-5318-420d-8d74-23affee5d9d5"
      }
    ]
  },
  "status": "created",
  "autoExtendDuration": "P180D",
  "createdDateTime": "2022-02-10T11:24:42.3148266Z",
  "lastModifiedDateTime": "2022-02-10T11:24:42.3148266Z",
  "activatedDateTime": "",
  "endDateTime": "2024-02-10T11:24:42.3148266Z"
}"##;

/// `api-reference/v1.0/api/delegatedadminrelationship-get.md`, Response. Verbatim.
const GET: &str = r##"{
  "@odata.type": "#microsoft.graph.delegatedAdminRelationship",
  "@odata.context": "https://graph.microsoft.com/v1.0/tenantRelationships/$metadata#delegatedAdminRelationships/$entity",
  "@odata.etag": "W/\"JyIxODAwZTY4My0wMDAwLTAyMDAtMDAwMC02MTU0OWFmMDAwMDAiJw==\"",
  "id": "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836",
  "displayName": "Contoso admin relationship",
  "duration": "P730D",
  "customer": {
    "tenantId": "4fdbff88-9d6b-42e0-9713-45c922ba8001",
    "displayName": "Contoso Inc"
  },
  "accessDetails": {
    "unifiedRoles": [
      {
        "roleDefinitionId": "729827e3-9c14-49f7-bb1b-9608f156bbb8"
      },
      {
        "roleDefinitionId": "fe930be7-5e62-47db-91af-98c3a49a38b1"
      },
      {
        "roleDefinitionId": "e6d1a23a-da11-4be4-9570-befc86d067a7"
      }
    ]
  },
  "status": "active",
  "autoExtendDuration": "PT0S",
  "createdDateTime": "2022-02-10T11:24:42.3148266Z",
  "lastModifiedDateTime": "2022-02-10T11:26:44.9941884Z",
  "activatedDateTime": "2022-02-10T11:26:44.9941884Z",
  "endDateTime": "2024-02-10T11:24:42.3148266Z"
}"##;

/// `api-reference/v1.0/api/delegatedadminrelationship-update.md`, Request. Verbatim (the current page, with `autoExtendDuration`).
const UPDATE_REQUEST: &str = r##"{
  "displayName": "Updated Contoso admin relationship",
  "duration": "P31D",
  "customer": {
    "tenantId": "52eaad04-13a2-4a2f-9ce8-93a294fadf36"
  },
  "accessDetails": {
    "unifiedRoles": [
      {
        "roleDefinitionId": "44367163-eba1-44c3-98af-f5787879f96a"
      },
      {
        "roleDefinitionId": "29232cdf-9323-42fd-ade2-1d097af3e4de"
      },
      {
        "roleDefinitionId": "69091246-20e8-4a56-aa4d-066075b2a7a8"
      },
      {
        "roleDefinitionId": "3a2c62db-5318-420d-8d74-23affee5d9d5"
      }
    ]
  },
  "autoExtendDuration": "P180D"
}"##;

/// `api-reference/v1.0/api/delegatedadminrelationship-update.md`, Response (200). Verbatim.
const UPDATE_RESPONSE: &str = r##"{
  "@odata.type": "#microsoft.graph.delegatedAdminRelationship",
  "@odata.context": "https://graph.microsoft.com/v1.0/tenantRelationships/$metadata#delegatedAdminRelationships/$entity",
  "@odata.etag": "W/\"JyIwMzAwZTM0ZS0wMDAwLTAyMDAtMDAwMC02MTRjZjI1YzAwMDAiJw==\"",
  "id": "5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836",
  "displayName": "Updated Contoso admin relationship",
  "duration": "P31D",
  "status": "created",
  "createdDateTime": "2022-02-10T11:24:42.3148266Z",
  "lastModifiedDateTime": "2022-02-10T11:26:44.9941884Z",
  "customer": {
    "tenantId": "52eaad04-13a2-4a2f-9ce8-93a294fadf36"
  },
  "accessDetails": {
    "unifiedRoles": [
      {
        "roleDefinitionId": "44367163-eba1-44c3-98af-f5787879f96a"
      },
      {
        "roleDefinitionId": "29232cdf-9323-42fd-ade2-1d097af3e4de"
      },
      {
        "roleDefinitionId": "69091246-20e8-4a56-aa4d-066075b2a7a8"
      },
      {
        "roleDefinitionId": "3a2c62db-5318-420d-8d74-23affee5d9d5"
      }
    ]
  },
  "autoExtendDuration": "P180D"
}"##;

/// `api-reference/v1.0/api/delegatedadminrelationship-post-requests.md`, Request. Verbatim.
const LOCK_REQUEST: &str = r##"{
  "action": "lockForApproval"
}"##;

/// `api-reference/v1.0/api/delegatedadminrelationship-post-requests.md`, Response (201). Verbatim.
const LOCK_RESPONSE: &str = r##"{
  "@odata.type": "#microsoft.graph.delegatedAdminRelationshipRequest",
  "@odata.context": "https://graph.microsoft.com/v1.0/tenantRelationships/$metadata#requests",
  "id": "5a6666c9-7282-0a41-67aa-25a5a3fbf339",
  "action": "lockForApproval",
  "status": "created",
  "createdDateTime": "2022-02-10T10:55:47.1180588Z",
  "lastModifiedDateTime": "2022-02-10T10:55:47.1180588Z"
}"##;

/// `api-reference/v1.0/api/delegatedadminrelationship-list-requests.md`, Response. Verbatim (its `running` is not a documented request status: kept as an unknown value).
const REQUESTS: &str = r##"{
  "@odata.context": "https://graph.microsoft.com/v1.0/tenantRelationships/$metadata#requests",
  "value": [
    {
      "@odata.type": "#microsoft.graph.delegatedAdminRelationshipRequest",
      "@odata.etag": "W/\"JyIxODAwZTY4My0wMDAwLTAyMDAtMDAwMC02MTU0OWFmMDAwMDAiJw==\"",
      "id": "ae5a6b9e-6355-43dd-b708-48486b69c3ff",
      "action": "lockForApproval",
      "status": "succeeded",
      "createdDateTime": "2022-02-01T06:14:55.5398865Z",
      "lastModifiedDateTime": "2022-02-01T06:14:55.5398865Z"
    },
    {
      "@odata.type": "#microsoft.graph.delegatedAdminRelationshipRequest",
      "@odata.etag": "W/\"JyIxODAwZTY4My0wMDAwLTAyMDAtMDAwMC02MTU0OWFmMDAwMDAiJw==\"",
      "id": "8a1b6676-5c12-47ba-8d3a-1d38387b0909",
      "action": "terminate",
      "status": "running",
      "createdDateTime": "2022-03-02T06:11:55.5398865Z",
      "lastModifiedDateTime": "2022-03-02T06:11:55.5398865Z"
    }
  ]
}"##;

/// `api-reference/v1.0/api/delegatedadminrelationshiprequest-get.md`, Response. Verbatim.
const REQUEST: &str = r##"{
  "@odata.type": "#microsoft.graph.delegatedAdminRelationshipRequest",
  "@odata.context": "https://graph.microsoft.com/v1.0/tenantRelationships/$metadata#requests/$entity",
  "@odata.etag": "W/\"JyIxODAwZTY4My0wMDAwLTAyMDAtMDAwMC02MTU0OWFmMDAwMDAiJw==\"",
  "id": "cf4a23c7-070c-4d1c-8be8-1e86085ac9d1",
  "action": "lockForApproval",
  "status": "created",
  "createdDateTime": "2022-02-10T10:55:47.1180588Z",
  "lastModifiedDateTime": "2022-02-10T11:26:44.9941884Z"
}"##;

/// `api-reference/v1.0/api/delegatedadminrelationship-list-accessassignments.md`, Response. Verbatim.
const ASSIGNMENTS: &str = r##"{
  "@odata.context": "https://graph.microsoft.com/v1.0/tenantRelationships/$metadata#accessAssignments",
  "value": [
    {
      "@odata.type": "#microsoft.graph.delegatedAdminAccessAssignment",
      "@odata.etag": "W/\"JyIwMDAwMDI5OC0wMDAwLTAyMDAtMDAwMC02MjJiZTA0YjAwMDAiJw==\"",
      "id": "84c586df-0943-416e-b95f-7289cb8d3bd5",
      "status": "active",
      "createdDateTime": "2022-03-07T22:55:18.6780449Z",
      "lastModifiedDateTime": "2022-03-11T23:50:35.8970153Z",
      "accessContainer": {
          "accessContainerId": "227a2f44-2682-4831-a021-f8d69a34bcba",
          "accessContainerType": "securityGroup"
      },
      "accessDetails": {
          "unifiedRoles": [
              {
                   "roleDefinitionId": "88d8e3e3-8f55-4a1e-953a-9b9898b8876b"
              },
              {
                  "roleDefinitionId": "44367163-eba1-44c3-98af-f5787879f96a"
              },
              {
                  "roleDefinitionId": "29232cdf-9323-42fd-ade2-1d097af3e4de"
              },
              {
                  "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10"
              }
          ]
      }
    },
    {
      "@odata.type": "#microsoft.graph.delegatedAdminAccessAssignment",
      "@odata.etag": "W/\"JyIwMDAwMjAwOC0wMDAwLTAyMDAtMDAwMC02MjJhYWQzYjAwMDAiJw==\"",
      "id": "8d56bce3-440f-4b4f-b5c2-cc0bcbd0199c",
      "status": "active",
      "createdDateTime": "2022-03-10T23:50:35.8970153Z",
      "lastModifiedDateTime": "2022-03-11T02:00:27.7912161Z",
      "accessContainer": {
          "accessContainerId": "869713c9-0b28-4d08-8949-ae07ae1bf528",
          "accessContainerType": "securityGroup"
      },
      "accessDetails": {
          "unifiedRoles": [
              {
                  "roleDefinitionId": "29232cdf-9323-42fd-ade2-1d097af3e4de"
              },
              {
                  "roleDefinitionId": "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
              },
              {
                  "roleDefinitionId": "729827e3-9c14-49f7-bb1b-9608f156bbb8"
              },
              {
                  "roleDefinitionId": "3a2c62db-5318-420d-8d74-23affee5d9d5"
              }
          ]
      }
    }
  ]
}"##;

/// `api-reference/v1.0/api/delegatedadminrelationship-post-accessassignments.md`, Request. Verbatim.
const ASSIGN_REQUEST: &str = r##"{
  "accessContainer": {
    "accessContainerId": "869713c9-0b28-4d08-8949-ae07ae1bf528",
    "accessContainerType": "securityGroup"
  },
  "accessDetails": {
    "unifiedRoles": [
      {
        "roleDefinitionId": "29232cdf-9323-42fd-ade2-1d097af3e4de"
      },
      {
        "roleDefinitionId": "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
      },
      {
        "roleDefinitionId": "729827e3-9c14-49f7-bb1b-9608f156bbb8"
      },
      {
        "roleDefinitionId": "3a2c62db-5318-420d-8d74-23affee5d9d5"
      }
    ]
  }
}"##;

/// `api-reference/v1.0/api/delegatedadminrelationship-post-accessassignments.md`, Response (201). Verbatim (with its blank line).
const ASSIGN_RESPONSE: &str = r##"{

  "@odata.type": "#microsoft.graph.delegatedAdminAccessAssignment",
  "@odata.context": "https://graph.microsoft.com/v1.0/tenantRelationships/$metadata#accessAssignments",
  "@odata.etag": "W/\"JyIxODAwZTY4My0wMDAwLTAyMDAtMDAwMC02MTU0OWFmMDAwMDAiJw==\"",
  "id": "a9d6cf90-083a-47dc-ace2-1da98be3f344",
  "status": "pending",
  "createdDateTime": "2022-02-13T10:33:52.3182097Z",
  "lastModifiedDateTime": "2022-02-13T10:33:52.3182097Z",
  "accessContainer": {
    "accessContainerId": "869713c9-0b28-4d08-8949-ae07ae1bf528",
    "accessContainerType": "securityGroup"
  },
  "accessDetails": {
    "unifiedRoles": [
      {
        "roleDefinitionId": "29232cdf-9323-42fd-ade2-1d097af3e4de"
      },
      {
        "roleDefinitionId": "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
      },
      {
        "roleDefinitionId": "729827e3-9c14-49f7-bb1b-9608f156bbb8"
      },
      {
        "roleDefinitionId": "3a2c62db-5318-420d-8d74-23affee5d9d5"
      }
    ]
  }
}"##;

/// `api-reference/v1.0/api/delegatedadminaccessassignment-get.md`, Response. Verbatim (its id `da9d6cf90-…` has nine characters in the first group, as the page has it).
const ASSIGNMENT: &str = r##"{
  "@odata.type": "#microsoft.graph.delegatedAdminAccessAssignment",
  "@odata.etag": "W/\"JYsD02WrMDI5OC0wMDAwLTAyMDAtMDAwMC02MjJiZTA0YjAwMDAiJw==\"",
  "@odata.context": "https://graph.microsoft.com/v1.0/tenantRelationships/$metadata#accessAssignments/$entity",
  "id": "da9d6cf90-083a-47dc-ace2-1da98be3f344",
  "status": "active",
  "createdDateTime": "2022-03-09T13:20:35.2772433Z",
  "lastModifiedDateTime": "2022-03-11T23:50:35.8970153Z",
  "accessContainer": {
    "accessContainerId": "227a2f44-2682-4831-a021-f8d69a34bcba",
    "accessContainerType": "securityGroup"
  },
  "accessDetails": {
    "unifiedRoles": [
      {
        "roleDefinitionId": "88d8e3e3-8f55-4a1e-953a-9b9898b8876b"
      },
      {
        "roleDefinitionId": "44367163-eba1-44c3-98af-f5787879f96a"
      },
      {
        "roleDefinitionId": "29232cdf-9323-42fd-ade2-1d097af3e4de"
      },
      {
        "roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10"
      }
    ]
  }
}"##;

/// `api-reference/v1.0/api/delegatedadminaccessassignment-update.md`, Request. Verbatim.
const ASSIGNMENT_UPDATE: &str = r##"{
  "accessDetails": {
    "unifiedRoles": [
      {
        "roleDefinitionId": "88d8e3e3-8f55-4a1e-953a-9b9898b8876b"
      },
      {
        "roleDefinitionId": "44367163-eba1-44c3-98af-f5787879f96a"
      },
      {
        "roleDefinitionId": "729827e3-9c14-49f7-bb1b-9608f156bbb8"
      }
    ]
  }
}"##;

/// `api-reference/v1.0/api/delegatedadminrelationship-list-operations.md`, Response. Verbatim.
const OPERATIONS: &str = r##"{
  "@odata.context": "https://graph.microsoft.com/v1.0/tenantRelationships/$metadata#operations",
  "value": [
    {
      "@odata.type": "#microsoft.graph.delegatedAdminRelationshipOperation",
      "@odata.etag": "W/\"JyIwMzAwZTM0ZS0wMDAwLTAyMDAtMDAwMC02MTRjZjI1YzAwMDAiJw==\"",
      "id": "e7de9158-df46-478e-820c-d6eff099d27b",
      "operationType": "delegatedAdminAccessAssignmentUpdate",
      "data": "{\"id\":\"a97a9b4c-f43e-4c47-bbd6-50d8d3c88d94\",\"accessContainer\":{\"accessContainerId\":\"11cc3849-c298-455f-9a11-b7be350ef352\",\"accessContainerType\":\"securityGroup\"},\"accessDetails\":{\"unifiedRoles\":[{\"roleDefinitionId\":\"f2ef992c-3afb-46b9-b7cf-a126ee74c451\"},{\"roleDefinitionId\":\"62e90394-69f5-4237-9190-012177145e10\"}]},\"status\":\"active\"}",
      "status": "succeeded",
      "createdDateTime": "2022-02-09T22:17:43.9821847Z",
      "lastModifiedDateTime": "2022-02-09T22:17:43.9821847Z"
    },
    {
      "@odata.type": "#microsoft.graph.delegatedAdminRelationshipOperation",
      "@odata.etag": "W/\"JyIwMzAwZTM0ZS0wMKMh5TAyMDAtMDAwMC02MTRjZjI1YzAwMDAiJw==\"",
      "id": "f7a7dad4-8cc4-40d7-be44-dd3501b1f4e0",
      "operationType": "delegatedAdminAccessAssignmentUpdate",
      "data": "{\"id\":\"a97a9b4c-f43e-4c47-bbd6-50d8d3c88d94\",\"accessContainer\":{\"accessContainerId\":\"8d56bce3-440f-4b4f-b5c2-cc0bcbd0199c\",\"accessContainerType\":\"securityGroup\"},\"accessDetails\":{\"unifiedRoles\":[{\"roleDefinitionId\":\"29232cdf-9323-42fd-ade2-1d097af3e4de\"},{\"roleDefinitionId\":\"88d8e3e3-8f55-4a1e-953a-9b9898b8876b\"}]},\"status\":\"active\"}",
      "status": "succeeded",
      "createdDateTime": "2022-02-11T20:32:05.4659288Z",
      "lastModifiedDateTime": "2022-02-11T20:34:42.9202474Z"
    }
  ]
}"##;

/// `api-reference/v1.0/api/delegatedadminrelationshipoperation-get.md`, Response. Verbatim.
const OPERATION: &str = r##"{
  "@odata.type": "#microsoft.graph.delegatedAdminRelationshipOperation",
  "@odata.context": "https://graph.microsoft.com/v1.0/tenantRelationships/$metadata#operations/$entity",
  "@odata.etag": "W/\"JyIwMzAwZTM0ZS0wMDAwLTAyMDAtMDAwMC02MTRjZjI1YzAwMDAiJw==\"",
  "id": "57e4479a-aafb-4d00-ab0f-8ce6027466cf",
  "operationType": "delegatedAdminAccessAssignmentUpdate",
  "data": "{\"id\":\"a97a9b4c-f43e-4c47-bbd6-50d8d3c88d94\",\"accessContainer\":{\"accessContainerId\":\"869713c9-0b28-4d08-8949-ae07ae1bf528\",\"accessContainerType\":\"securityGroup\"},\"accessDetails\":{\"unifiedRoles\":[{\"roleDefinitionId\":\"e3973bdf-4987-49ae-837a-ba8e231c7286\"}]},\"status\":\"active\"}",
  "status": "succeeded",
  "createdDateTime": "2022-02-11T19:27:31.4047395Z",
  "lastModifiedDateTime": "2022-02-11T19:27:31.4047395Z"
}"##;

fn round_trip<T: DeserializeOwned + Serialize>(sample: &str) -> T {
    let sent: Value = serde_json::from_str(sample).unwrap();
    let parsed: T = serde_json::from_value(sent.clone()).unwrap();
    assert_eq!(serde_json::to_value(&parsed).unwrap(), sent);
    parsed
}

#[test]
fn relationships_round_trip() {
    let page: ODataCollection<DelegatedAdminRelationship> = round_trip(LIST);
    assert_eq!(page.value.len(), 3);
    let first = &page.value[0];
    assert_eq!(first.status, Some(DelegatedAdminRelationshipStatus::Active));
    assert_eq!(first.duration.as_deref(), Some("P730D"));
    assert_eq!(
        first.customer.as_ref().unwrap().display_name.as_deref(),
        Some("Contoso Inc")
    );
    assert_eq!(
        first.access_details.as_ref().unwrap().role_ids(),
        ["dd4db9a0-cc4a-4213-9f9f-70242232d97e"]
    );
    assert_eq!(first.activated(), Some("2022-02-10T11:26:44.9941884Z"));
    assert!(first.etag.as_deref().unwrap().starts_with("W/"));
    let reseller = &page.value[2];
    assert_eq!(
        reseller.status,
        Some(DelegatedAdminRelationshipStatus::ApprovalPending)
    );
    assert_eq!(
        reseller.activated_date_time,
        Some(None),
        "null, kept as null"
    );
    assert_eq!(reseller.extra["isPartnerConsentPending"], true);

    let request: DelegatedAdminRelationship = round_trip(CREATE_REQUEST);
    let created: DelegatedAdminRelationship = round_trip(CREATE_RESPONSE);
    assert_eq!(
        created.status,
        Some(DelegatedAdminRelationshipStatus::Created)
    );
    assert_eq!(created.activated(), None, "an empty activatedDateTime");
    assert_eq!(created.access_details, request.access_details);
    assert_eq!(
        created.approval_link(),
        "https://admin.microsoft.com/AdminPortal/Home#/partners/invitation/granularAdminRelationships/5d027261-d21f-4aa9-b7db-7fa1f56fb163-8777b240-c6f0-4469-9e98-a3205431b836"
    );
    let got: DelegatedAdminRelationship = round_trip(GET);
    assert_eq!(got.access_details.unwrap().unified_roles.len(), 3);
    let update: DelegatedAdminRelationship = round_trip(UPDATE_REQUEST);
    assert_eq!(update.auto_extend_duration.as_deref(), Some("P180D"));
    let updated: DelegatedAdminRelationship = round_trip(UPDATE_RESPONSE);
    assert_eq!(
        updated.display_name.as_deref(),
        Some("Updated Contoso admin relationship")
    );
}

#[test]
fn what_the_sdk_sends_to_create_is_the_docs_request() {
    let sent: Value = serde_json::from_str(CREATE_REQUEST).unwrap();
    let mut ours = DelegatedAdminRelationship::new(
        "Contoso admin relationship",
        "P730D",
        &[
            "29232cdf-9323-42fd-ade2-1d097af3e4de",
            "3a2c62db-5318-420d-8d74-23affee5d9d5",
        ],
    )
    .for_customer("4b827261-d21f-4aa9-b7db-7fa1f56fb163");
    ours.customer.as_mut().unwrap().display_name = Some("Contoso subsidiary Inc".to_owned());
    ours.auto_extend_duration = Some("P180D".to_owned());
    assert_eq!(serde_json::to_value(&ours).unwrap(), sent);
}

#[test]
fn requests_round_trip() {
    let lock: DelegatedAdminRelationshipRequest = round_trip(LOCK_REQUEST);
    assert_eq!(
        lock.action,
        DelegatedAdminRelationshipRequestAction::LockForApproval
    );
    assert_eq!(
        serde_json::to_value(DelegatedAdminRelationshipRequest::new(
            DelegatedAdminRelationshipRequestAction::LockForApproval
        ))
        .unwrap(),
        serde_json::from_str::<Value>(LOCK_REQUEST).unwrap()
    );
    let made: DelegatedAdminRelationshipRequest = round_trip(LOCK_RESPONSE);
    assert_eq!(
        made.status,
        Some(DelegatedAdminRelationshipRequestStatus::Created)
    );
    let page: ODataCollection<DelegatedAdminRelationshipRequest> = round_trip(REQUESTS);
    assert_eq!(
        page.value[1].action,
        DelegatedAdminRelationshipRequestAction::Terminate
    );
    assert_eq!(
        page.value[1].status,
        Some(DelegatedAdminRelationshipRequestStatus::Unknown(
            "running".to_owned()
        ))
    );
    let one: DelegatedAdminRelationshipRequest = round_trip(REQUEST);
    assert_eq!(one.id, "cf4a23c7-070c-4d1c-8be8-1e86085ac9d1");
}

#[test]
fn access_assignments_round_trip() {
    let page: ODataCollection<DelegatedAdminAccessAssignment> = round_trip(ASSIGNMENTS);
    assert_eq!(
        page.value[0].status,
        Some(DelegatedAdminAccessAssignmentStatus::Active)
    );
    assert_eq!(
        page.value[0].access_container.access_container_type,
        DelegatedAdminAccessContainerType::SecurityGroup
    );
    let request: DelegatedAdminAccessAssignment = round_trip(ASSIGN_REQUEST);
    let ours = DelegatedAdminAccessAssignment::new(
        "869713c9-0b28-4d08-8949-ae07ae1bf528",
        &request.access_details.role_ids(),
    );
    assert_eq!(
        serde_json::to_value(&ours).unwrap(),
        serde_json::from_str::<Value>(ASSIGN_REQUEST).unwrap(),
        "what the SDK sends is the docs' request"
    );
    let created: DelegatedAdminAccessAssignment = round_trip(ASSIGN_RESPONSE);
    assert_eq!(
        created.status,
        Some(DelegatedAdminAccessAssignmentStatus::Pending)
    );
    let got: DelegatedAdminAccessAssignment = round_trip(ASSIGNMENT);
    assert_eq!(got.id, "da9d6cf90-083a-47dc-ace2-1da98be3f344");
    let update: DelegatedAdminAccessDetails = serde_json::from_value(
        serde_json::from_str::<Value>(ASSIGNMENT_UPDATE).unwrap()["accessDetails"].clone(),
    )
    .unwrap();
    assert_eq!(update.unified_roles.len(), 3);
}

#[test]
fn operations_round_trip() {
    let page: ODataCollection<DelegatedAdminRelationshipOperation> = round_trip(OPERATIONS);
    assert_eq!(page.value.len(), 2);
    let one: DelegatedAdminRelationshipOperation = round_trip(OPERATION);
    assert_eq!(
        one.operation_type,
        DelegatedAdminRelationshipOperationType::DelegatedAdminAccessAssignmentUpdate
    );
    assert_eq!(one.status, LongRunningOperationStatus::Succeeded);
    // Its data is the access assignment, as a JSON string.
    let data: DelegatedAdminAccessAssignment =
        serde_json::from_str(one.data.as_deref().unwrap()).unwrap();
    assert_eq!(
        data.access_details.role_ids(),
        ["e3973bdf-4987-49ae-837a-ba8e231c7286"]
    );
}
