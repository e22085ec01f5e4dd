//! One module per REST area file (src/rest/<area>.rs), its handles exported at the root.
fn main() {
    partner_center_areas::declare_exported("src/rest");
}
