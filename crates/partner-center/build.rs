//! One module per area file (src/rest/<area>.rs for the REST API, src/graph/<area>.rs for
//! Microsoft Graph), its handles exported at the root.
fn main() {
    partner_center_areas::declare_exported("src/rest");
    partner_center_areas::declare_exported("src/graph");
}
