//! Enforcement: whether the generated option tree of a profile makes a rule true on
//! the device. Rules check what the definition asks for, on the tree the lowering
//! produced, through [`Tree`] and [`Check`].

use crate::generate::lower::Lowered;
use crate::generate::nix::{Func, Nix};

/// What the generated configuration does about a rule the definition passes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enforcement {
    /// The options that enforce the rule are set as the rule needs.
    Enforced,
    /// The generated system cannot make the rule true for this profile: why. The
    /// report says "declared, not enforced", never "pass".
    NotEnforced(String),
    /// The options that should enforce the rule are missing or wrong: (subject,
    /// message) each. An nhos bug or a hand edit of the generated files.
    Broken(Vec<(String, String)>),
    /// The rule asks nothing of this profile's configuration.
    NotApplicable,
}

/// A read-only view of a lowered option tree.
#[derive(Clone, Copy)]
pub(crate) struct Tree<'a>(pub &'a Lowered);

fn unwrap(v: &Nix) -> &Nix {
    match v {
        Nix::Call(Func::MkForce | Func::MkDefault, inner) => unwrap(inner),
        Nix::Commented(inner, _) => unwrap(inner),
        other => other,
    }
}

impl<'a> Tree<'a> {
    /// The value at a dotted option path (`mkForce`/`mkDefault` looked through).
    pub fn get(&self, path: &str) -> Option<&'a Nix> {
        self.0
            .options
            .iter()
            .find(|o| o.path.iter().map(String::as_str).eq(path.split('.')))
            .map(|o| unwrap(&o.value))
    }

    pub fn is(&self, path: &str, want: &Nix) -> bool {
        self.get(path).is_some_and(|v| v == want)
    }

    pub fn is_true(&self, path: &str) -> bool {
        self.is(path, &Nix::Bool(true))
    }

    /// Whether a list option holds a string.
    pub fn has_item(&self, path: &str, item: &str) -> bool {
        match self.get(path) {
            Some(Nix::List(items)) => items.iter().any(|i| unwrap(i) == &Nix::str(item)),
            _ => false,
        }
    }

    /// A value inside an attribute-set option: `attr("a.b", "c.d")`.
    pub fn attr(&self, path: &str, inner: &str) -> Option<&'a Nix> {
        inner
            .split('.')
            .try_fold(self.get(path)?, |v, k| match unwrap(v) {
                Nix::Attrs(es) => es.iter().find(|e| e.key == k).map(|e| unwrap(&e.value)),
                _ => None,
            })
    }

    /// One entry of an attribute-set option by its whole name (which may contain
    /// dots, as sysctl names do).
    pub fn key(&self, path: &str, key: &str) -> Option<&'a Nix> {
        match self.get(path)? {
            Nix::Attrs(es) => es.iter().find(|e| e.key == key).map(|e| unwrap(&e.value)),
            _ => None,
        }
    }

    /// The enforcement of a rule that one boolean option makes true: enforced when
    /// the option is `true`, else broken with `message`.
    pub fn require_true(&self, path: &str, message: &str) -> Enforcement {
        Check::default()
            .require(self.is_true(path), path, message)
            .done()
    }

    /// A dconf key's value, if it is set and locked.
    pub fn dconf_locked(&self, profile: &str, dir: &str, key: &str) -> Option<&'a Nix> {
        self.0
            .dconf_key(profile, dir, key)
            .filter(|k| k.locked)
            .map(|k| unwrap(&k.value))
    }
}

/// Collects what is wrong with an enforcement.
#[derive(Default)]
pub(crate) struct Check {
    broken: Vec<(String, String)>,
}

impl Check {
    /// Records `message` about `subject` unless `ok`.
    pub fn require(&mut self, ok: bool, subject: &str, message: impl Into<String>) -> &mut Self {
        if !ok {
            self.broken.push((subject.to_owned(), message.into()));
        }
        self
    }

    /// Records `message` about the option `path` unless it is `true` in `t`.
    pub fn require_true(&mut self, t: Tree<'_>, path: &str, message: &str) -> &mut Self {
        self.require(t.is_true(path), path, message)
    }

    pub fn done(&mut self) -> Enforcement {
        if self.broken.is_empty() {
            Enforcement::Enforced
        } else {
            Enforcement::Broken(std::mem::take(&mut self.broken))
        }
    }
}
