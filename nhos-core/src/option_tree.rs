//! The option tree a profile lowers to: NixOS option assignments, dconf keys and
//! imports, as values of a small Nix IR. Plain data at the bottom of the stack, so
//! that an [`crate::model::Estate`] can keep its profiles' trees; what builds them
//! (`generate::lower`), prints them (`generate::nix`) and checks them
//! (`generate::contract`, `generate::invariants`, the rules' enforcement) sits
//! above.

use std::collections::BTreeMap;

/// A Nix value as the generator builds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Nix {
    Bool(bool),
    Int(i64),
    Str(String),
    /// A path relative to the file it is printed in (`./x` or `../x`); only ever built
    /// from content hashes and fixed names.
    Path(String),
    /// `pkgs.<attr path>`; the attribute path is validated at load and quoted here.
    Pkg(String),
    List(Vec<Nix>),
    Attrs(Vec<Entry>),
    /// `<function> <argument>`, for a fixed set of library functions.
    Call(Func, Box<Nix>),
    /// A list item with a comment after it on its line.
    Commented(Box<Nix>, String),
}

/// Library functions the generator may call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    MkForce,
    MkDefault,
    MkUint32,
}

/// An attribute with an optional comment above it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub value: Nix,
    pub comment: Option<String>,
}

/// One option assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Opt {
    pub path: Vec<String>,
    pub value: Nix,
    pub comment: Option<String>,
}

/// A dconf key in one dconf profile (`user` or `gdm`).
#[derive(Debug, Clone, PartialEq)]
pub struct DconfKey {
    pub value: Nix,
    pub locked: bool,
    pub comment: String,
}

/// The option tree of one profile.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lowered {
    pub profile: String,
    pub options: Vec<Opt>,
    /// dconf profile → directory → key.
    pub dconf: BTreeMap<String, BTreeMap<String, BTreeMap<String, DconfKey>>>,
    /// NixOS modules of nixpkgs the host imports, relative to `nixos/modules`.
    pub imports: Vec<String>,
}
