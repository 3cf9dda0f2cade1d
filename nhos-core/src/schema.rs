//! JSON Schemas of the definition files, generated from the Rust types in
//! [`crate::definition`]. The committed copies under `schema/` are drift-tested.

use crate::definition::{BrandingFile, EstateFile, PolicyFile, ProfileFile};
use schemars::generate::SchemaSettings;
use serde_json::Value;

/// The kinds of file in an estate directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileKind {
    Estate,
    Branding,
    Policy,
    Profile,
}

impl FileKind {
    pub const ALL: [FileKind; 4] = [
        FileKind::Estate,
        FileKind::Branding,
        FileKind::Policy,
        FileKind::Profile,
    ];

    /// The schema's file name under `schema/`.
    pub fn schema_file(self) -> &'static str {
        match self {
            FileKind::Estate => "estate.schema.json",
            FileKind::Branding => "branding.schema.json",
            FileKind::Policy => "policy.schema.json",
            FileKind::Profile => "profile.schema.json",
        }
    }
}

/// The JSON Schema (draft 2020-12) of one kind of definition file.
pub fn schema_for(kind: FileKind) -> Value {
    let generator = SchemaSettings::draft2020_12()
        .for_deserialize()
        .into_generator();
    let mut schema = match kind {
        FileKind::Estate => generator.into_root_schema_for::<EstateFile>(),
        FileKind::Branding => generator.into_root_schema_for::<BrandingFile>(),
        FileKind::Policy => generator.into_root_schema_for::<PolicyFile>(),
        FileKind::Profile => generator.into_root_schema_for::<ProfileFile>(),
    };
    schema.insert(
        "$id".into(),
        Value::String(format!(
            "https://nhos.invalid/schema/{}",
            kind.schema_file()
        )),
    );
    schema.to_value()
}

/// The schema rendered as committed: pretty JSON with a trailing newline.
pub fn schema_text(kind: FileKind) -> String {
    let mut s = crate::escape::json_pretty(&schema_for(kind));
    s.push('\n');
    s
}
