//! One module per area file of each API (src/rest/<area>.rs, exported at the crate root;
//! src/ingestion/<area>.rs, exported in `ingestion`; src/graph/<area>.rs, in `graph`).
fn main() {
    partner_center_areas::declare_exported("src/rest");
    partner_center_areas::declare_exported("src/ingestion");
    partner_center_areas::declare_exported("src/graph");
}
