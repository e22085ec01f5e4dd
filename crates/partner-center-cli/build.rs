//! One module per command area file (src/commands/<area>.rs), its commands gathered into
//! the top-level `Command`.
fn main() {
    partner_center_areas::declare("src/commands");
}
