//! One module per area file of each API (src/rest/<area>.rs, src/ingestion/<area>.rs,
//! src/graph/<area>.rs),
//! its routes merged into the API's router.
fn main() {
    partner_center_areas::declare("src/rest");
    partner_center_areas::declare("src/ingestion");
    partner_center_areas::declare("src/graph");
}
