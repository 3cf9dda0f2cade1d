//! # nhos-core
//!
//! An NHS organisation's Linux desktop estate as a typed, validated graph, and the
//! verbs over it. Pure: no global state, I/O only at the explicit entry points
//! ([`load`], and the writers of later verbs).
//!
//! ```no_run
//! let estate = nhos_core::load("examples/example-valley")?;
//! let clinical = &estate.profiles["clinical"];
//! let idle = &clinical.settings["screen.idle-delay"];
//! println!("idle lock {} set at {}", idle.value, idle.origin.location);
//! # Ok::<(), nhos_core::Error>(())
//! ```
#![forbid(unsafe_code)]

mod assets;
mod at;
pub mod calendar;
mod catalogue;
pub mod closure;
pub mod date;
pub mod definition;
pub mod device;
mod diagnostic;
pub mod edit;
mod effect;
mod error;
pub mod escape;
pub mod evidence;
pub mod explain;
pub mod generate;
pub mod graph;
pub mod html;
mod load;
mod model;
pub mod option_tree;
mod parse;
pub mod plan;
pub mod pool;
mod report;
mod resolve;
pub use resolve::MAX_INHERITANCE_DEPTH;
pub mod rules;
pub mod schema;
mod setting;
mod setting_checks;
mod source;
mod structure;
#[doc(hidden)]
pub mod synthetic;
mod tree;
pub mod validate;
mod write;

pub use at::At;
pub use catalogue::{Capability, Catalogue, PackageStatus};
pub use definition::Date;
pub use diagnostic::{Code, Diagnostic, Severity, nearest};
pub use edit::{Edit, EditOptions, EditResult};
pub use error::{Error, ErrorKind, Result};
pub use explain::{Explanation, explain};
pub use generate::{GenerateOptions, Generated};
pub use load::{
    LoadOptions, MAX_PROFILES, load, load_tree, load_tree_with, load_with, package_status,
};
pub use model::{
    Asset, AssetFormat, Branding, CapabilityUse, EffectiveSetting, Estate, Organisation, Origin,
    Pin, Policy, Profile, Valued, Via, Waiver,
};
pub use plan::{Plan, PlanOptions, plan};
pub use report::{Finding, Report, Status, Summary};
pub use setting::{SettingKind, SettingSpec, SettingValue};
pub use source::{Location, SourceFile};
pub use tree::{AssetProblem, DirTree, EstateTree, MAX_DEFINITION_BYTES, MemTree, git_tree};
pub use validate::{ValidateOptions, validate};
pub use write::{write_atomic, write_atomic_with};

/// Generates the flake directory for an estate, in memory: validates it first (on
/// `opts.today`) and refuses while error-level findings remain, unless
/// `opts.allow_findings` (the manifest then records them). The verb composes the
/// two layers: `validate` judges, [`generate::generate_from`] emits.
pub fn generate(estate: &Estate, opts: &GenerateOptions) -> Result<Generated> {
    let report = validate(estate, &ValidateOptions { today: opts.today });
    generate::generate_from(estate, report, opts)
}

/// The version of nhos, as written into generated manifests.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
