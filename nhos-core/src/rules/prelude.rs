//! What every rule file uses.

pub(super) use super::enforce::{Check, Enforcement, Tree};
pub(super) use super::judge::{EstateCx, Judgement, ProfileCx};
pub(super) use super::{Unit, meta};
pub(super) use crate::definition::Role;
pub(super) use crate::diagnostic::Severity;
pub(super) use crate::generate::lower::Lowered;
pub(super) use crate::generate::nix::{Func, Nix};
