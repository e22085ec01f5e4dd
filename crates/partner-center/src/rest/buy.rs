//! The one-call new-commerce purchase partners script all day: resolve the availability
//! in the customer's market, build a cart, check it out, return the subscriptions.

use partner_center_models::{BillingCycle, Cart, CartLineItem, Subscription};
use partner_center_transport::Error;

use crate::prelude::*;
use crate::{CustomerHandle, PartnerCenter};

/// What to buy: a product's SKU, a quantity, a term and a billing cycle (default one month,
/// billed monthly).
///
/// ```no_run
/// use partner_center::Purchase;
/// use partner_center::models::BillingCycle;
/// # async fn demo(pc: partner_center::PartnerCenter) -> Result<(), partner_center::Error> {
/// let basic = Purchase::new("CFQ7TTC0LH18", "0001", 5).term("P1Y").billing(BillingCycle::Annual);
/// let subscriptions = pc.customer("<customer id>").buy(&basic).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct Purchase {
    product: String,
    sku: String,
    quantity: u32,
    term: String,
    billing: BillingCycle,
    country: Option<String>,
}

impl Purchase {
    /// `quantity` licences of `product`'s `sku`, for a month, billed monthly.
    pub fn new(product: &str, sku: &str, quantity: u32) -> Self {
        Self {
            product: product.to_owned(),
            sku: sku.to_owned(),
            quantity,
            term: "P1M".to_owned(),
            billing: BillingCycle::Monthly,
            country: None,
        }
    }

    /// The term: `P1M`, `P1Y` or `P3Y`.
    pub fn term(mut self, term: &str) -> Self {
        self.term = term.to_owned();
        self
    }

    /// The billing cycle.
    pub fn billing(mut self, billing: BillingCycle) -> Self {
        self.billing = billing;
        self
    }

    /// The market (default: the country of the customer's billing address).
    pub fn country(mut self, country: &str) -> Self {
        self.country = Some(country.to_owned());
        self
    }
}

/// A refusal of the purchase itself (not of a request): the service's code and why.
fn refused(code: &str, description: String) -> Error {
    Error::Api {
        status: 400,
        code: Some(code.to_owned()),
        description,
        fault: None,
        request_id: String::new(),
        correlation_id: String::new(),
    }
}

impl CustomerHandle {
    /// Creates the cart for `purchase` and stops: what `--dry-run` shows. A line the
    /// service cannot sell is an [`Error::Api`] with its cart error code (10001, 10009, …).
    pub async fn prepare(&self, purchase: &Purchase) -> Result<Cart, Error> {
        let country = match &purchase.country {
            Some(c) => c.clone(),
            None => country_of(&self.pc, &self.id).await?,
        };
        let offers: Vec<_> = self
            .pc
            .catalog(&country)
            .availabilities(&purchase.product, &purchase.sku)
            .try_collect()
            .await?;
        let item = offers
            .iter()
            .find(|a| a.term(&purchase.term, &purchase.billing).is_some())
            .and_then(|a| a.catalog_item_id.clone())
            .ok_or_else(|| {
                refused(
                    "10010",
                    format!(
                        "{}:{} is not sold in {country} for {} billed {}: `catalog availabilities list` shows its terms",
                        purchase.product, purchase.sku, purchase.term, purchase.billing
                    ),
                )
            })?;
        let line = CartLineItem::new(
            &item,
            purchase.quantity,
            &purchase.term,
            purchase.billing.clone(),
        );
        let cart = self.carts().create(&Cart::new(vec![line])).await?;
        if let Some((line, error)) = cart.errors().next() {
            return Err(refused(
                &error.code().unwrap_or_default(),
                format!(
                    "{}: {} (cart {})",
                    line.catalog_item_id,
                    error
                        .error_description
                        .as_deref()
                        .unwrap_or("the line cannot be bought"),
                    cart.id.as_deref().unwrap_or("?")
                ),
            ));
        }
        Ok(cart)
    }

    /// Buys `purchase`: prepares the cart, checks it out, and returns the subscriptions
    /// created. A line or an order group the service refuses is an [`Error::Api`] with its
    /// code. Once the cart exists, every error names it and says how to finish the same
    /// purchase (`carts checkout` of that cart buys nothing twice); running `buy` again
    /// would build a new cart and buy again.
    pub async fn buy(&self, purchase: &Purchase) -> Result<Vec<Subscription>, Error> {
        let cart = self.prepare(purchase).await?;
        let cart_id = cart.id.clone().unwrap_or_default();
        self.finish(&cart_id)
            .await
            .map_err(|e| about_cart(e, &self.id, &cart_id))
    }

    /// Checks the cart out, then reads the subscriptions. Their ids come with the checkout
    /// only once provisioned (checkout-a-cart.md): until they do, the orders are read again,
    /// paced, for up to two minutes.
    async fn finish(&self, cart_id: &str) -> Result<Vec<Subscription>, Error> {
        let mut result = self.carts().checkout(cart_id).await?;
        if let Some(e) = result.errors().first() {
            return Err(refused(
                &e.code.map_or_else(String::new, |c| c.to_string()),
                e.description.clone().unwrap_or_default(),
            ));
        }
        let pending = |orders: &[partner_center_models::Order]| {
            orders
                .iter()
                .any(|o| o.line_items.iter().any(|l| l.subscription_id.is_none()))
        };
        let mut pacer = crate::ingestion::WaitOptions::default()
            .intervals(
                std::time::Duration::from_secs(1),
                std::time::Duration::from_secs(10),
            )
            .timeout(std::time::Duration::from_secs(120))
            .pacer();
        while pending(&result.orders) {
            if !pacer.next().await {
                return Err(refused(
                    "800007",
                    "the orders were placed, but their subscriptions are not provisioned yet: `orders status --wait`, then `subscriptions list`".to_owned(),
                ));
            }
            let orders = self.orders();
            for order in &mut result.orders {
                *order = orders.get(&order.id).await?;
            }
        }
        let subscriptions = self.subscriptions();
        let mut bought = Vec::new();
        for id in result
            .orders
            .iter()
            .flat_map(|o| &o.line_items)
            .filter_map(|l| l.subscription_id.as_deref())
        {
            bought.push(subscriptions.get(id).await?);
        }
        Ok(bought)
    }
}

/// `e`, naming the cart it happened to and how to finish that purchase without buying twice.
fn about_cart(e: Error, customer: &str, cart: &str) -> Error {
    let note = format!(
        " (cart {cart}: `partner-center carts checkout --customer {customer} {cart}` finishes this purchase and buys nothing twice; `buy` again would buy again)"
    );
    match e {
        Error::Api {
            status,
            code,
            description,
            fault,
            request_id,
            correlation_id,
        } => Error::Api {
            status,
            code,
            description: description + &note,
            fault,
            request_id,
            correlation_id,
        },
        Error::Transient {
            status,
            message,
            network,
            attempts,
            request_id,
            correlation_id,
        } => Error::Transient {
            status,
            message: message + &note,
            network,
            attempts,
            request_id,
            correlation_id,
        },
        other => other,
    }
}

/// The country of a customer's billing address (US when it has none).
async fn country_of(pc: &PartnerCenter, customer: &str) -> Result<String, Error> {
    let customer = pc.customers().get(customer).await?;
    Ok(customer
        .billing_profile
        .and_then(|b| b.default_address)
        .and_then(|a| a.country)
        .unwrap_or_else(|| "US".to_owned()))
}
