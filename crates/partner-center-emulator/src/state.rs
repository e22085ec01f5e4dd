//! In-memory state.

use std::any::Any;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Instant;

use partner_center_models::{
    Customer, CustomerCompanyProfile, Order, Subscription, SubscriptionStatus,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::EmulatorError;

/// What `--state FILE` holds: the REST API's customers, orders and subscriptions.
#[derive(Serialize, Deserialize)]
struct Snapshot {
    version: u32,
    customers: Vec<Customer>,
    orders: HashMap<String, Vec<Order>>,
    subscriptions: HashMap<String, Vec<(Subscription, u64)>>,
    seeded: usize,
    /// Each area's own state, by area name.
    #[serde(default)]
    areas: BTreeMap<String, Value>,
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
    /// How many requests the rate limit refused (429).
    pub(crate) throttled: usize,
    /// The refresh tokens issued, still valid.
    pub(crate) refresh_tokens: IssuedTokens,
    /// Sign-ins in progress (authorization codes, device codes).
    pub(crate) consent: crate::consent::ConsentState,
    /// The state each API area owns (docs/adding-an-api-module.md).
    pub(crate) areas: Areas,
}

/// State an API area owns (agreements, carts, …): a type of its own, in its own file,
/// kept here under the area's name behind the one `db` lock (so no lock order to get
/// wrong), saved with `--state`, and told when a customer is deleted. An area reaches it
/// with `lock(&state.db).areas.get::<CartsState>()`; adding an area edits no shared file.
pub(crate) trait AreaState: Default + Serialize + DeserializeOwned + Send + 'static {
    /// Its key in `--state` files; unique among the areas.
    const NAME: &'static str;

    /// Forgets what belongs to a deleted customer.
    fn remove_customer(&mut self, customer: &str);
}

/// A stored area state, whatever its type.
trait Slot: Send {
    fn save(&self) -> Option<Value>;
    fn remove_customer(&mut self, customer: &str);
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: AreaState> Slot for T {
    fn save(&self) -> Option<Value> {
        serde_json::to_value(self).ok()
    }

    fn remove_customer(&mut self, customer: &str) {
        AreaState::remove_customer(self, customer);
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// Every area's state, made on first use (from the state file when it holds some).
#[derive(Default)]
pub(crate) struct Areas {
    slots: HashMap<&'static str, Box<dyn Slot>>,
    /// Read from a state file, not yet claimed by its area.
    loaded: BTreeMap<String, Value>,
}

impl Areas {
    /// The state of area `T`.
    pub(crate) fn get<T: AreaState>(&mut self) -> &mut T {
        let loaded = &mut self.loaded;
        let slot = self.slots.entry(T::NAME).or_insert_with(|| {
            let state: T = match loaded.remove(T::NAME) {
                None => T::default(),
                Some(raw) => serde_json::from_value(raw.clone()).unwrap_or_else(|_| {
                    // A state file from another version: start empty, but keep what was
                    // there (saved back under another name) rather than overwrite it.
                    loaded.insert(format!("{}.unreadable", T::NAME), raw);
                    T::default()
                }),
            };
            Box::new(state)
        });
        match slot.as_any_mut().downcast_mut::<T>() {
            Some(state) => state,
            None => unreachable!("two area states are named {}", T::NAME),
        }
    }

    fn remove_customer(&mut self, customer: &str) {
        for slot in self.slots.values_mut() {
            slot.remove_customer(customer);
        }
    }

    fn save(&self) -> BTreeMap<String, Value> {
        let mut all = self.loaded.clone();
        for (name, slot) in &self.slots {
            if let Some(value) = slot.save() {
                all.insert((*name).to_owned(), value);
            }
        }
        all
    }
}

impl Db {
    pub(crate) fn insert_customer(&mut self, customer: Customer) {
        self.next_seq += 1;
        self.customer_seq.insert(customer.id.clone(), self.next_seq);
        self.customers.insert(self.next_seq, customer);
    }

    pub(crate) fn customer(&self, id: &str) -> Option<&Customer> {
        self.customer_seq
            .get(id)
            .and_then(|seq| self.customers.get(seq))
    }

    /// A customer's subscription `id` (matched case-insensitively, as the service does).
    pub(crate) fn subscription(&self, customer: &str, id: &str) -> Option<&SubscriptionRecord> {
        self.subscriptions
            .get(customer)?
            .iter()
            .find(|r| r.subscription.id.eq_ignore_ascii_case(id))
    }

    /// The same, to change it.
    pub(crate) fn subscription_mut(
        &mut self,
        customer: &str,
        id: &str,
    ) -> Option<&mut SubscriptionRecord> {
        self.subscriptions
            .get_mut(customer)?
            .iter_mut()
            .find(|r| r.subscription.id.eq_ignore_ascii_case(id))
    }

    /// How many of a customer's subscriptions are not cancelled (what sandbox limits count).
    pub(crate) fn active_subscriptions(&self, customer: &str) -> usize {
        self.subscriptions.get(customer).map_or(0, |all| {
            all.iter()
                .filter(|r| r.subscription.status != Some(SubscriptionStatus::Deleted))
                .count()
        })
    }

    pub(crate) fn remove_customer(&mut self, id: &str) -> bool {
        let Some(seq) = self.customer_seq.remove(id) else {
            return false;
        };
        self.customers.remove(&seq);
        self.orders.remove(id);
        self.subscriptions.remove(id);
        self.areas.remove_customer(id);
        true
    }

    pub(crate) fn seed_customers(&mut self, n: usize) {
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
            areas: self.areas.save(),
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
        db.areas.loaded = snapshot.areas;
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

/// The refresh tokens issued. Entra does not revoke a refresh token when it is redeemed
/// ("The Microsoft identity platform doesn't revoke old refresh tokens when used to fetch
/// new access tokens", learn.microsoft.com/entra/identity-platform/refresh-tokens): each
/// stays valid until it expires, here when [`IssuedTokens::MAX`] newer ones have been
/// issued, so the emulator's memory stays bounded.
#[derive(Default)]
pub(crate) struct IssuedTokens {
    valid: HashMap<String, crate::consent::Signer>,
    order: VecDeque<String>,
}

impl IssuedTokens {
    pub(crate) const MAX: usize = 10_000;

    /// Who signed in to get `token`, if it is one of ours.
    pub(crate) fn signer(&self, token: &str) -> Option<&crate::consent::Signer> {
        self.valid.get(token)
    }

    pub(crate) fn issue(&mut self, token: String, signer: crate::consent::Signer) {
        while self.order.len() >= Self::MAX {
            if let Some(oldest) = self.order.pop_front() {
                self.valid.remove(&oldest);
            }
        }
        self.valid.insert(token.clone(), signer);
        self.order.push_back(token);
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
    use serde::{Deserialize, Serialize};

    #[derive(Default, Serialize, Deserialize)]
    struct Carts(Vec<(String, u32)>);

    impl super::AreaState for Carts {
        const NAME: &'static str = "carts";
        fn remove_customer(&mut self, customer: &str) {
            self.0.retain(|(c, _)| c != customer);
        }
    }

    #[test]
    fn an_area_state_is_kept_saved_loaded_and_cleared_with_its_customer() {
        let mut db = super::Db::default();
        let mut c = partner_center_models::Customer::default();
        c.id = "c1".to_owned();
        db.insert_customer(c);
        db.areas.get::<Carts>().0.push(("c1".to_owned(), 3));
        db.areas.get::<Carts>().0.push(("c2".to_owned(), 5));
        assert_eq!(db.areas.get::<Carts>().0.len(), 2);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        db.save(&path).unwrap();
        let mut loaded = super::Db::load(&path).unwrap();
        assert_eq!(loaded.areas.get::<Carts>().0.len(), 2, "saved and loaded");
        assert!(loaded.remove_customer("c1"));
        assert_eq!(loaded.areas.get::<Carts>().0, [("c2".to_owned(), 5)]);
    }

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
