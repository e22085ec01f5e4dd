//! Agreements: the templates (`/agreements`), and a customer's confirmations
//! (`/customers/{id}/agreements`), among them the Microsoft Customer Agreement that
//! new-commerce purchases require.

use partner_center_models::{Agreement, AgreementMetadata, AgreementType, Contact};
use partner_center_transport::{Error, Paged};

use crate::{CustomerHandle, PartnerCenter, seg};

impl PartnerCenter {
    /// The agreement templates of a type (`AgreementType::MicrosoftCustomerAgreement`), or
    /// of every type with `None` (the service's `*`).
    pub fn agreement_templates(&self, kind: Option<&AgreementType>) -> Paged<AgreementMetadata> {
        self.rest_api()
            .list(&format!("/agreements?agreementType={}", type_query(kind)))
    }
}

impl CustomerHandle {
    /// Its agreements.
    pub fn agreements(&self) -> Agreements {
        Agreements {
            pc: self.pc.clone(),
            base: self.path("/agreements"),
        }
    }
}

/// The `agreementType` query: a type, or `*` for all (without one the service answers
/// for the Microsoft Cloud Agreement only, so it is always sent).
fn type_query(kind: Option<&AgreementType>) -> String {
    kind.map_or_else(|| "*".to_owned(), |k| seg(k.as_str()))
}

/// `/customers/{id}/agreements`.
#[derive(Debug, Clone)]
pub struct Agreements {
    pc: PartnerCenter,
    base: String,
}

impl Agreements {
    /// The agreements the customer has accepted, of a type or (`None`) of every type.
    pub fn list(&self, kind: Option<&AgreementType>) -> Paged<Agreement> {
        let path = format!("{}?agreementType={}", self.base, type_query(kind));
        self.pc.rest_api().list(&path)
    }

    /// Records an acceptance (App+User credentials only). The service refuses a second
    /// one with the same contact (600061 `PartnerConfirmedAgreementAlreadyExists`).
    pub async fn confirm(&self, agreement: &Agreement) -> Result<Agreement, Error> {
        self.pc.rest_api().post(&self.base, agreement).await
    }

    /// Records that `contact` accepted the Microsoft Customer Agreement on `date_agreed`
    /// (UTC, `2024-05-01T00:00:00Z`), with the template the service lists for it.
    pub async fn accept_customer_agreement(
        &self,
        contact: Contact,
        date_agreed: &str,
    ) -> Result<Agreement, Error> {
        let mut agreement = Agreement::microsoft_customer_agreement(contact, date_agreed);
        let mca = Some(&AgreementType::MicrosoftCustomerAgreement);
        if let Some(template) =
            futures_util::TryStreamExt::try_next(&mut self.pc.agreement_templates(mca)).await?
        {
            agreement.template_id = template.template_id;
        }
        self.confirm(&agreement).await
    }
}
