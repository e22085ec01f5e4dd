//! In-memory state.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Instant;

use partner_center_models::{Customer, CustomerCompanyProfile, Order, Subscription};
use serde::{Deserialize, Serialize};

use crate::EmulatorError;

/// What `--state FILE` holds: the REST API's customers, orders and subscriptions.
#[derive(Serialize, Deserialize)]
struct Snapshot {
    version: u32,
    customers: Vec<Customer>,
    orders: HashMap<String, Vec<Order>>,
    subscriptions: HashMap<String, Vec<(Subscription, u64)>>,
    seeded: usize,
}

pub(crate) struct SubscriptionRecord {
    pub(crate) subscription: Subscription,
    pub(crate) version: u64,
}

#[derive(Default)]
pub(crate) struct Db {
    next_seq: u64,
    pub(crate) customers: BTreeMap<u64, Customer>,
    pub(crate) customer_seq: HashMap<String, u64>,
    /// Customers created by bulk seeding, which do not count against sandbox limits.
    pub(crate) seeded: usize,
    pub(crate) orders: HashMap<String, Vec<Order>>,
    pub(crate) subscriptions: HashMap<String, Vec<SubscriptionRecord>>,
    /// MS-RequestId → the first successful answer, bounded in count and age.
    pub(crate) idempotency: ReplayCache,
    pub(crate) rate: HashMap<String, VecDeque<Instant>>,
    pub(crate) token_requests: usize,
    /// Issued refresh tokens → still valid.
    pub(crate) refresh_tokens: HashMap<String, bool>,
    pub(crate) initial_refresh_unused: bool,
    initialised: bool,
}

impl Db {
    fn init(&mut self) {
        if !self.initialised {
            self.initialised = true;
            self.initial_refresh_unused = true;
        }
    }

    pub(crate) fn insert_customer(&mut self, customer: Customer) {
        self.init();
        self.next_seq += 1;
        self.customer_seq.insert(customer.id.clone(), self.next_seq);
        self.customers.insert(self.next_seq, customer);
    }

    pub(crate) fn customer(&self, id: &str) -> Option<&Customer> {
        self.customer_seq
            .get(id)
            .and_then(|seq| self.customers.get(seq))
    }

    pub(crate) fn remove_customer(&mut self, id: &str) -> bool {
        let Some(seq) = self.customer_seq.remove(id) else {
            return false;
        };
        self.customers.remove(&seq);
        self.orders.remove(id);
        self.subscriptions.remove(id);
        true
    }

    pub(crate) fn seed_customers(&mut self, n: usize) {
        self.init();
        for i in 0..n {
            let id = uuid::Uuid::new_v4().to_string();
            let mut c = Customer::default();
            c.id.clone_from(&id);
            let mut profile = CustomerCompanyProfile::default();
            profile.tenant_id = Some(id);
            profile.domain = Some(format!("seeded{i}.onmicrosoft.com"));
            profile.company_name = Some(format!("Seeded Customer {i}"));
            c.company_profile = Some(profile);
            self.insert_customer(c);
        }
        self.seeded += n;
    }

    pub(crate) fn save(&self, path: &std::path::Path) -> Result<(), EmulatorError> {
        let snapshot = Snapshot {
            version: 1,
            customers: self.customers.values().cloned().collect(),
            orders: self.orders.clone(),
            subscriptions: self
                .subscriptions
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        v.iter()
                            .map(|r| (r.subscription.clone(), r.version))
                            .collect(),
                    )
                })
                .collect(),
            seeded: self.seeded,
        };
        let text =
            serde_json::to_string(&snapshot).map_err(|e| EmulatorError::State(e.to_string()))?;
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, text)
            .and_then(|()| std::fs::rename(&tmp, path))
            .map_err(|e| EmulatorError::State(format!("cannot write {}: {e}", path.display())))
    }

    pub(crate) fn load(path: &std::path::Path) -> Result<Self, EmulatorError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| EmulatorError::State(format!("cannot read {}: {e}", path.display())))?;
        let snapshot: Snapshot = serde_json::from_str(&text).map_err(|e| {
            EmulatorError::State(format!("{} is not a state file written by the emulator ({e}); move it away or choose another path", path.display()))
        })?;
        let mut db = Db::default();
        for c in snapshot.customers {
            db.insert_customer(c);
        }
        db.orders = snapshot.orders;
        db.subscriptions = snapshot
            .subscriptions
            .into_iter()
            .map(|(k, v)| {
                (
                    k,
                    v.into_iter()
                        .map(|(subscription, version)| SubscriptionRecord {
                            subscription,
                            version,
                        })
                        .collect(),
                )
            })
            .collect();
        db.seeded = snapshot.seeded;
        Ok(db)
    }

    pub(crate) fn counts(&self) -> (usize, usize, usize) {
        (
            self.customers.len(),
            self.orders.values().map(Vec::len).sum(),
            self.subscriptions.values().map(Vec::len).sum(),
        )
    }
}

/// The answers kept for replay by MS-RequestId: at most [`ReplayCache::MAX_ENTRIES`], each
/// for at most [`ReplayCache::MAX_AGE`] (the emulator's defaults: the docs describe the
/// replay of a repeated request id but state no window). The oldest go first.
#[derive(Default)]
pub(crate) struct ReplayCache {
    entries: HashMap<String, (Instant, u16, serde_json::Value)>,
    order: VecDeque<(Instant, String)>,
}

impl ReplayCache {
    pub(crate) const MAX_ENTRIES: usize = 10_000;
    pub(crate) const MAX_AGE: std::time::Duration = std::time::Duration::from_secs(15 * 60);

    pub(crate) fn get(&mut self, key: &str) -> Option<(u16, serde_json::Value)> {
        self.evict(Instant::now());
        self.entries.get(key).map(|(_, s, b)| (*s, b.clone()))
    }

    pub(crate) fn insert(&mut self, key: String, status: u16, body: serde_json::Value) {
        let now = Instant::now();
        self.evict(now);
        while self.entries.len() >= Self::MAX_ENTRIES {
            let Some((_, oldest)) = self.order.pop_front() else {
                break;
            };
            self.entries.remove(&oldest);
        }
        if self
            .entries
            .insert(key.clone(), (now, status, body))
            .is_none()
        {
            self.order.push_back((now, key));
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    fn evict(&mut self, now: Instant) {
        while let Some((at, _)) = self.order.front() {
            if now.duration_since(*at) < Self::MAX_AGE {
                break;
            }
            if let Some((_, key)) = self.order.pop_front() {
                self.entries.remove(&key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ReplayCache;

    #[test]
    fn replay_memory_is_bounded_oldest_first() {
        let mut cache = ReplayCache::default();
        let n = ReplayCache::MAX_ENTRIES + 5;
        for i in 0..n {
            cache.insert(i.to_string(), 201, serde_json::json!(i));
        }
        assert_eq!(cache.len(), ReplayCache::MAX_ENTRIES);
        assert!(cache.get("0").is_none(), "the oldest went first");
        assert_eq!(
            cache.get(&(n - 1).to_string()),
            Some((201, serde_json::json!(n - 1)))
        );
    }
}
