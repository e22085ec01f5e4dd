//! Microsoft Graph resources the SDK reads (`https://graph.microsoft.com/v1.0`), one file
//! per area: the partner billing reports (`billing`). Property names as Graph sends them;
//! `@odata.type` discriminates derived types; unknown fields are kept.

include!(concat!(env!("OUT_DIR"), "/graph_areas.rs"));
