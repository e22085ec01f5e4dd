//! The billing data the invoices area serves (rest/invoices.rs): last month's invoice and
//! its line items, generated from a fixed seed when read; the unbilled period's, from the
//! customers' purchases; and the statement PDF. The Graph billing exports
//! (graph/billing.rs) write the same records.

use partner_center_models::{Customer, Subscription, SubscriptionStatus};
use serde_json::{Value, json};

use crate::rest::{country, is_new_commerce, monthly_price, term_months};
use crate::state::Db;

/// Last month: its invoice id, first and last day.
pub(crate) struct Period {
    pub(crate) invoice: String,
    pub(crate) first: String,
    pub(crate) last: String,
}

pub(crate) fn last_month() -> Period {
    let today = crate::entra::today();
    let year: u32 = today[..4].parse().unwrap_or(2000);
    let month: u32 = today[5..7].parse().unwrap_or(1);
    let (year, month) = if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    };
    let days = crate::entra::days_in_month(year, month);
    Period {
        invoice: format!("G{year:04}{month:02}0001"),
        first: format!("{year:04}-{month:02}-01"),
        last: format!("{year:04}-{month:02}-{days:02}"),
    }
}

/// The seeded catalog of last month's purchases: product, SKU, availability, name, price
/// in cents per licence.
const SEEDED: [(&str, &str, &str, &str, u64); 4] = [
    (
        "CFQ7TTC0LH18",
        "0001",
        "CFQ7TTC0K971",
        "Microsoft 365 Business Basic",
        600,
    ),
    (
        "CFQ7TTC0LDPB",
        "0001",
        "CFQ7TTC0LDM5",
        "Microsoft 365 Business Standard",
        1250,
    ),
    (
        "CFQ7TTC0LCHC",
        "0002",
        "CFQ7TTC0LCHD",
        "Microsoft 365 Business Premium",
        2200,
    ),
    (
        "CFQ7TTC0LF8Q",
        "0001",
        "CFQ7TTC0LF8R",
        "Office 365 E3",
        2300,
    ),
];

/// A deterministic id for seeded entity `n` of a kind (`tag`: 1 customer, 2 subscription, …).
fn seeded_id(tag: u64, n: u64) -> String {
    format!("{tag:08x}-5eed-4000-8000-{n:012x}")
}

/// The quantity and subtotal (cents) of seeded line item `i`.
fn seeded_amounts(i: u64) -> (u64, u64) {
    let quantity = 1 + (i * 7) % 20;
    let (.., price) = SEEDED[(i % 4) as usize];
    (quantity, quantity * price)
}

pub(crate) fn cents(c: i64) -> String {
    let sign = if c < 0 { "-" } else { "" };
    format!(
        "{sign}{}.{:02}",
        c.unsigned_abs() / 100,
        c.unsigned_abs() % 100
    )
}

/// Line item `i` of last month's invoice, as the service writes one
/// (get-invoiceline-items.md example 4: numbers as strings), appended to `out` as JSON
/// text (every value here is plain ASCII: nothing to escape).
pub(crate) fn seeded_item(partner: &str, period: &Period, i: u64, out: &mut String) {
    use std::fmt::Write as _;
    let (product, sku, availability, name, price) = SEEDED[(i % 4) as usize];
    let (quantity, subtotal) = seeded_amounts(i);
    let customer = i % 97;
    let order = format!("{:012x}", 0x5eed_0000_0000 + i);
    let (first, last, invoice) = (&period.first, &period.last, &period.invoice);
    let (price, subtotal) = (cents(price as i64), cents(subtotal as i64));
    let charge = if i % 5 == 0 { "new" } else { "cycleCharge" };
    let _ = write!(
        out,
        concat!(
            r#"{{"partnerId":"{partner}","customerId":"{customer_id}","customerName":"Seeded Customer {customer}","#,
            r#""customerDomainName":"seeded{customer}.onmicrosoft.com","customerCountry":"US","invoiceNumber":"{invoice}","#,
            r#""mpnId":"1234567","resellerMpnId":"0","orderId":"{order}","orderDate":"{first}T00:00:00Z","#,
            r#""productId":"{product}","skuId":"{sku}","availabilityId":"{availability}","productName":"{name}","#,
            r#""skuName":"{name}","productQualifiers":[],"chargeType":"{charge}","unitPrice":"{price}","#,
            r#""effectiveUnitPrice":"{price}","unitType":"Licenses","quantity":"{quantity}","subtotal":"{subtotal}","#,
            r#""taxTotal":"0","totalForCustomer":"{subtotal}","currency":"USD","publisherName":"Microsoft Corporation","#,
            r#""publisherId":"","subscriptionDescription":"{name}","subscriptionId":"{subscription}","#,
            r#""subscriptionStartDate":"{first}T00:00:00Z","subscriptionEndDate":"{last}T00:00:00Z","#,
            r#""chargeStartDate":"{first}T00:00:00Z","chargeEndDate":"{last}T00:00:00Z","#,
            r#""termAndBillingCycle":"One-Month commitment for monthly/recurring billing","alternateId":"{order}","#,
            r#""referenceId":"{reference}","priceAdjustmentDescription":"","discountDetails":"","pricingCurrency":"USD","#,
            r#""pcToBCExchangeRate":"1","pcToBCExchangeRateDate":"{first}T00:00:00","billableQuantity":"{quantity}","#,
            r#""meterDescription":"","billingFrequency":"Monthly","reservationOrderId":"","#,
            r#""invoiceLineItemType":"billing_line_items","billingProvider":"one_time","promotionId":"","#,
            r#""attributes":{{"objectType":"OneTimeInvoiceLineItem"}}}}"#
        ),
        partner = partner,
        customer = customer,
        customer_id = seeded_id(1, customer),
        invoice = invoice,
        order = order,
        first = first,
        last = last,
        product = product,
        sku = sku,
        availability = availability,
        name = name,
        charge = charge,
        price = price,
        quantity = quantity,
        subtotal = subtotal,
        subscription = seeded_id(2, i),
        reference = seeded_id(3, i),
    );
}

/// Last month's total, in cents.
pub(crate) fn seeded_total(count: u64) -> u64 {
    // The amounts repeat every 20 items (the quantity's cycle, a multiple of the four
    // prices'): whole cycles, then the rest, so a billion items cost nothing to total.
    let cycle: u64 = (0..20).map(|i| seeded_amounts(i).1).sum();
    let rest: u64 = (0..count % 20).map(|i| seeded_amounts(i).1).sum();
    (count / 20).saturating_mul(cycle).saturating_add(rest)
}

/// The current period's unbilled line items: a charge per new-commerce purchase the
/// customers hold, a credit per cancellation (get-invoice-unbilled-recon-lineitems.md).
pub(crate) fn unbilled_items(db: &Db, partner: &str) -> Vec<Value> {
    let mut items = Vec::new();
    for customer in db.customers.values() {
        let subs = db.subscriptions.get(&customer.id).into_iter().flatten();
        for s in subs.map(|r| &r.subscription).filter(|s| is_new_commerce(s)) {
            let item = s.offer_id.as_deref().unwrap_or_default();
            let charge = purchase_item(partner, customer, s, item, "new", 1);
            items.push(charge);
            if s.status == Some(SubscriptionStatus::Deleted) {
                items.push(purchase_item(
                    partner,
                    customer,
                    s,
                    item,
                    "cancelImmediate",
                    -1,
                ));
            }
        }
    }
    items
}

fn purchase_item(
    partner: &str,
    customer: &Customer,
    s: &Subscription,
    item: &str,
    charge: &str,
    sign: i64,
) -> Value {
    let mut ids = item.split(':');
    let (product, sku, availability) = (ids.next(), ids.next(), ids.next());
    let term = s.term_duration.as_deref().unwrap_or("P1M");
    let annual = s
        .billing_cycle
        .as_ref()
        .is_some_and(|c| c.as_str() == "annual");
    let months = if annual {
        i64::from(term_months(term).min(12))
    } else {
        1
    };
    // The catalog's list price, per licence and month, in cents.
    let price = (monthly_price(item) * 100.0).round() as i64 * months;
    let quantity = i64::from(s.quantity);
    let subtotal = sign * price * quantity;
    let start = s.creation_date.clone().unwrap_or_default();
    json!({
        "partnerId": partner,
        "customerId": customer.id,
        "customerName": customer.company_name().unwrap_or_default(),
        "customerDomainName": customer.domain().unwrap_or_default(),
        "customerCountry": country(customer),
        "invoiceNumber": "",
        "mpnId": "1234567",
        "resellerMpnId": "0",
        "orderId": s.order_id,
        "orderDate": start,
        "productId": product,
        "skuId": sku,
        "availabilityId": availability,
        "productName": s.offer_name,
        "skuName": s.offer_name,
        "productQualifiers": [],
        "chargeType": charge,
        "unitPrice": cents(price),
        "effectiveUnitPrice": cents(price),
        "unitType": "Licenses",
        "quantity": (sign * quantity).to_string(),
        "subtotal": cents(subtotal),
        "taxTotal": "0",
        "totalForCustomer": cents(subtotal),
        "currency": "USD",
        "publisherName": "Microsoft Corporation",
        "publisherId": "",
        "subscriptionDescription": s.friendly_name,
        "subscriptionId": s.id,
        "subscriptionStartDate": s.effective_start_date,
        "subscriptionEndDate": s.commitment_end_date,
        "chargeStartDate": start,
        "chargeEndDate": s.commitment_end_date,
        "termAndBillingCycle": format!("{term} commitment, billed {}", if annual { "annually" } else { "monthly" }),
        "alternateId": s.order_id,
        "referenceId": s.entitlement_id,
        "priceAdjustmentDescription": "",
        "discountDetails": "",
        "pricingCurrency": "USD",
        "pcToBCExchangeRate": "1",
        "pcToBCExchangeRateDate": format!("{}T00:00:00", crate::entra::today()),
        "billableQuantity": (sign * quantity).to_string(),
        "meterDescription": "",
        "billingFrequency": if annual { "Annual" } else { "Monthly" },
        "reservationOrderId": "",
        "invoiceLineItemType": "billing_line_items",
        "billingProvider": "one_time",
        "promotionId": "",
        "attributes": {"objectType": "OneTimeInvoiceLineItem"}
    })
}

/// A one-page PDF 1.4 document with `lines` of text, its cross-reference offsets exact.
pub(crate) fn pdf(lines: &[&str]) -> Vec<u8> {
    let text: String = lines
        .iter()
        .enumerate()
        .map(|(n, l)| {
            let escaped = l
                .replace('\\', "\\\\")
                .replace('(', "\\(")
                .replace(')', "\\)");
            format!("BT /F1 12 Tf 72 {} Td ({escaped}) Tj ET\n", 720 - 20 * n)
        })
        .collect();
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{text}endstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (n, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", n + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}
