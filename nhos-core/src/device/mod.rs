//! Device checks compiled from the rule pack (`nhos fleet`): for every rule the
//! generated configuration of a profile makes true and a running machine can
//! show, an osquery query that returns a row when the machine complies, read off
//! the profile's lowered option tree (what the host was built to do), with the
//! rule ID in its name so that device results join back to the definition. Emitted
//! as Fleet policies (`fleetctl apply -f`) and as an osquery query pack. Tables and
//! columns are osquery's (`specs/` of osquery/osquery); every query is checked
//! against them with SQLite in the tests.

mod fleet;
mod queries;

pub use fleet::{fleet_yaml, osquery_pack};
pub use queries::{Check, checks};
