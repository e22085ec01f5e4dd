//! The partner's audit trail (`/auditrecords`): the changes made in the last 90 days.

use partner_center_models::{AuditFilter, AuditRecord};
use partner_center_transport::Paged;

use crate::{PartnerCenter, seg};

impl PartnerCenter {
    /// The audit trail.
    ///
    /// ```no_run
    /// use partner_center::prelude::*;
    /// use partner_center::{AuditQuery, models::AuditFilter};
    /// # async fn demo(pc: partner_center::PartnerCenter) -> Result<(), partner_center::Error> {
    /// let query = AuditQuery::between("2026-11-01", "2026-11-30")
    ///     .filter(AuditFilter::CustomerId("0c39d6d5-c70d-4c55-bc02-f620844f3fd1".into()));
    /// let mut records = pc.audit_records().list(&query);
    /// while let Some(record) = records.try_next().await? {
    ///     println!("{} {}", record.operation_date, record.operation_type);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn audit_records(&self) -> AuditRecords {
        AuditRecords { pc: self.clone() }
    }
}

/// Which records to read: a date range (`YYYY-MM-DD`, UTC; the service keeps 90 days and
/// reads the last 30 when no start is given) and at most one filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuditQuery {
    /// The first day.
    pub start: Option<String>,
    /// The last day (today when absent).
    pub end: Option<String>,
    /// The filter.
    pub filter: Option<AuditFilter>,
}

impl AuditQuery {
    /// The records of the days from `start` to `end`.
    pub fn between(start: impl Into<String>, end: impl Into<String>) -> Self {
        Self {
            start: Some(start.into()),
            end: Some(end.into()),
            filter: None,
        }
    }

    /// Only the records `filter` keeps.
    #[must_use]
    pub fn filter(mut self, filter: AuditFilter) -> Self {
        self.filter = Some(filter);
        self
    }

    /// The query string, values encoded.
    fn query(&self) -> String {
        let params = [
            ("startDate", self.start.clone()),
            ("endDate", self.end.clone()),
            ("filter", self.filter.as_ref().map(AuditFilter::to_json)),
        ];
        params
            .iter()
            .filter_map(|(name, value)| Some(format!("{name}={}", seg(value.as_deref()?))))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// `/auditrecords`.
#[derive(Debug, Clone)]
pub struct AuditRecords {
    pc: PartnerCenter,
}

impl AuditRecords {
    /// The records `query` selects, oldest first, a page at a time (the next pages follow
    /// the service's links and their `MS-ContinuationToken`).
    pub fn list(&self, query: &AuditQuery) -> Paged<AuditRecord> {
        let q = query.query();
        let path = if q.is_empty() {
            "/auditrecords".to_owned()
        } else {
            format!("/auditrecords?{q}")
        };
        self.pc.rest_api().list(&path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_encode_dates_and_the_filter() {
        let q = AuditQuery::between("2026-11-01", "2026-11-30")
            .filter(AuditFilter::CompanyName("Contoso & co".into()));
        assert_eq!(
            q.query(),
            "startDate=2026-11-01&endDate=2026-11-30&filter=%7B%22Field%22%3A%22CompanyName%22%2C%22Value%22%3A%22Contoso%20%26%20co%22%2C%22Operator%22%3A%22substring%22%7D"
        );
        assert_eq!(AuditQuery::default().query(), "");
    }
}
