//! The simple edits by name and number, with their arguments in one shape
//! (`a`, `b`, and `c` for a setting's value): how the CLI's subcommands, Python's
//! methods and C's `NHOS_EDIT_OP_*` constants name them, parsed here once.

use super::Edit;
use crate::error::{Error, ErrorKind, Result};

/// An edit that takes two or three strings. The order is the C constants'
/// (`NHOS_EDIT_OP_ADD_PACKAGE` is 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditOp {
    AddPackage,
    RemovePackage,
    AddCapability,
    RemoveCapability,
    SetSetting,
    UnsetSetting,
    SetBranding,
    RenameProfile,
}

impl EditOp {
    /// Every operation, in number order.
    pub const ALL: [EditOp; 8] = [
        EditOp::AddPackage,
        EditOp::RemovePackage,
        EditOp::AddCapability,
        EditOp::RemoveCapability,
        EditOp::SetSetting,
        EditOp::UnsetSetting,
        EditOp::SetBranding,
        EditOp::RenameProfile,
    ];

    /// The operation numbered `n` (C's constants), or a usage error saying so.
    pub fn from_number(n: i64) -> Result<EditOp> {
        usize::try_from(n)
            .ok()
            .and_then(|i| Self::ALL.get(i).copied())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Usage,
                    format!("{n} is not an edit operation (use an NHOS_EDIT_OP_* constant)"),
                )
            })
    }

    /// The CLI's name for it (`add-package`).
    pub fn name(self) -> &'static str {
        match self {
            EditOp::AddPackage => "add-package",
            EditOp::RemovePackage => "remove-package",
            EditOp::AddCapability => "add-capability",
            EditOp::RemoveCapability => "remove-capability",
            EditOp::SetSetting => "set",
            EditOp::UnsetSetting => "unset",
            EditOp::SetBranding => "set-branding",
            EditOp::RenameProfile => "rename-profile",
        }
    }

    /// The edit of its arguments: `a` is the profile (the branding field for
    /// `SetBranding`, the old name for `RenameProfile`), `b` the package,
    /// capability, setting key, branding value or new name, and `c` a setting's
    /// value (TOML), needed by `SetSetting` only.
    pub fn edit(self, a: &str, b: &str, c: Option<&str>) -> Result<Edit> {
        let (a, b) = (a.to_owned(), b.to_owned());
        Ok(match self {
            EditOp::AddPackage => Edit::AddPackage {
                profile: a,
                package: b,
            },
            EditOp::RemovePackage => Edit::RemovePackage {
                profile: a,
                package: b,
            },
            EditOp::AddCapability => Edit::AddCapability {
                profile: a,
                capability: b,
            },
            EditOp::RemoveCapability => Edit::RemoveCapability {
                profile: a,
                capability: b,
            },
            EditOp::SetSetting => Edit::SetSetting {
                profile: a,
                key: b,
                value: c
                    .ok_or_else(|| {
                        Error::new(ErrorKind::Usage, "`set` needs a value (the third argument)")
                    })?
                    .to_owned(),
            },
            EditOp::UnsetSetting => Edit::UnsetSetting { profile: a, key: b },
            EditOp::SetBranding => Edit::SetBranding { field: a, value: b },
            EditOp::RenameProfile => Edit::RenameProfile { from: a, to: b },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_names_and_arguments() {
        for (i, op) in EditOp::ALL.iter().enumerate() {
            assert_eq!(EditOp::from_number(i as i64).expect("in range"), *op);
        }
        for bad in [-1, 8, i64::MAX] {
            let e = EditOp::from_number(bad).expect_err("out of range");
            assert_eq!(e.kind(), ErrorKind::Usage);
        }
        assert_eq!(
            EditOp::SetSetting
                .edit("clinical", "screen.idle-delay", Some("300"))
                .expect("set"),
            Edit::SetSetting {
                profile: "clinical".into(),
                key: "screen.idle-delay".into(),
                value: "300".into()
            }
        );
        assert!(
            EditOp::SetSetting
                .edit("clinical", "screen.idle-delay", None)
                .is_err()
        );
        assert_eq!(
            EditOp::RenameProfile.edit("a", "b", None).expect("rename"),
            Edit::RenameProfile {
                from: "a".into(),
                to: "b".into()
            }
        );
        let names: std::collections::BTreeSet<&str> =
            EditOp::ALL.iter().map(|o| o.name()).collect();
        assert_eq!(names.len(), 8);
    }
}
