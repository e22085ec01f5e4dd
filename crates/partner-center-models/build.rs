//! One module per area file of each API (src/rest/<area>.rs, exported at the crate root;
//! src/ingestion/<area>.rs, exported in `ingestion`; src/graph/<area>.rs, in `graph`;
//! src/product_ingestion/<part>.rs, in
//! `product_ingestion`).
fn main() {
    partner_center_areas::declare_exported("src/rest");
    partner_center_areas::declare_exported("src/ingestion");
    partner_center_areas::declare_exported("src/graph");
    partner_center_areas::declare_exported("src/product_ingestion");
}
