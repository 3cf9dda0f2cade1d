//! Setting values: the typed leaves of a profile's `[settings]` table, flattened to
//! dotted keys (`screen.idle-delay`) so that inheritance, provenance, diff and
//! explain all work on one shape.

use serde::Serialize;
use std::collections::BTreeMap;

/// A setting's value after loading.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum SettingValue {
    Bool(bool),
    Int(i64),
    Str(String),
    List(Vec<String>),
    Map(BTreeMap<String, String>),
}

impl SettingValue {
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            SettingValue::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_int(&self) -> Option<i64> {
        match self {
            SettingValue::Int(i) => Some(*i),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            SettingValue::Str(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_list(&self) -> Option<&[String]> {
        match self {
            SettingValue::List(l) => Some(l),
            _ => None,
        }
    }
    pub fn as_map(&self) -> Option<&BTreeMap<String, String>> {
        match self {
            SettingValue::Map(m) => Some(m),
            _ => None,
        }
    }
}

impl std::fmt::Display for SettingValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SettingValue::Bool(b) => write!(f, "{b}"),
            SettingValue::Int(i) => write!(f, "{i}"),
            SettingValue::Str(s) => write!(f, "{s:?}"),
            SettingValue::List(l) => write!(f, "{l:?}"),
            SettingValue::Map(m) => {
                f.write_str("{")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k:?} = {v:?}")?;
                }
                f.write_str("}")
            }
        }
    }
}

/// The kind of value a setting key takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SettingKind {
    Bool,
    Int,
    Str,
    List,
    Map,
}

/// Converts a typed field of the definition into a [`SettingValue`].
pub trait IntoSetting {
    const KIND: SettingKind;
    fn into_setting(self) -> SettingValue;
}

impl IntoSetting for bool {
    const KIND: SettingKind = SettingKind::Bool;
    fn into_setting(self) -> SettingValue {
        SettingValue::Bool(self)
    }
}
impl IntoSetting for u32 {
    const KIND: SettingKind = SettingKind::Int;
    fn into_setting(self) -> SettingValue {
        SettingValue::Int(i64::from(self))
    }
}
impl IntoSetting for u16 {
    const KIND: SettingKind = SettingKind::Int;
    fn into_setting(self) -> SettingValue {
        SettingValue::Int(i64::from(self))
    }
}
impl IntoSetting for String {
    const KIND: SettingKind = SettingKind::Str;
    fn into_setting(self) -> SettingValue {
        SettingValue::Str(self)
    }
}
impl IntoSetting for Vec<String> {
    const KIND: SettingKind = SettingKind::List;
    fn into_setting(self) -> SettingValue {
        SettingValue::List(self)
    }
}
impl IntoSetting for Vec<u16> {
    const KIND: SettingKind = SettingKind::List;
    fn into_setting(self) -> SettingValue {
        let mut v: Vec<u16> = self;
        v.sort_unstable();
        v.dedup();
        SettingValue::List(v.into_iter().map(|p| p.to_string()).collect())
    }
}
impl IntoSetting for BTreeMap<String, String> {
    const KIND: SettingKind = SettingKind::Map;
    fn into_setting(self) -> SettingValue {
        SettingValue::Map(self)
    }
}

/// One known setting key, for documentation, `explain` and the schema reference.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SettingSpec {
    pub key: &'static str,
    pub kind: SettingKind,
    pub doc: &'static str,
}
