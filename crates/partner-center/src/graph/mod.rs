//! Microsoft Graph, one file per area, each adding its accessors to
//! [`PartnerCenter`](crate::PartnerCenter) and exporting its handles at the crate root;
//! every call goes through [`PartnerCenter::graph_api`](crate::PartnerCenter::graph_api).

include!(concat!(env!("OUT_DIR"), "/graph_areas.rs"));
