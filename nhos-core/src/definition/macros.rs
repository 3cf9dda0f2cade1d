//! The macros that declare setting keys once (`settings!`) and their string enums
//! (`setting_enum!`): typed groups, flattening to dotted keys, the `SETTINGS` table.

macro_rules! setting_enum {
    ($(#[doc = $edoc:literal])* $name:ident { $( $(#[doc = $vdoc:literal])* $variant:ident = $s:literal ),* $(,)? }) => {
        $(#[doc = $edoc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
        pub enum $name { $( $(#[doc = $vdoc])* #[serde(rename = $s)] $variant ),* }
        impl $name {
            pub const ALL: &'static [&'static str] = &[$($s),*];
        }
        impl IntoSetting for $name {
            const KIND: SettingKind = SettingKind::Str;
            fn into_setting(self) -> SettingValue {
                SettingValue::Str(match self { $( $name::$variant => $s ),* }.to_owned())
            }
        }
    };
}

macro_rules! settings {
    ($(
        $(#[doc = $gdoc:literal])*
        $group:ident $gkey:literal $gty:ident {
            $( $(#[doc = $doc:literal])+ $field:ident $key:literal : $ty:ty ),* $(,)?
        }
    )*) => {
        $(
            $(#[doc = $gdoc])*
            #[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
            #[serde(deny_unknown_fields)]
            pub struct $gty {
                $( $(#[doc = $doc])+ #[serde(rename = $key, default)] pub $field: Option<At<$ty>>, )*
            }

            impl $gty {
                pub(crate) fn flatten_into(&self, out: &mut Vec<RawSetting>) {
                    $( if let Some(v) = &self.$field {
                        out.push(RawSetting {
                            key: std::borrow::Cow::Borrowed(concat!($gkey, ".", $key)),
                            value: v.value.clone().into_setting(),
                            span: v.span.clone(),
                        });
                    } )*
                }
            }
        )*

        /// A profile's settings, grouped by concern. Every leaf is optional: an unset
        /// key is inherited from the parents.
        #[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct Settings {
            $( $(#[doc = $gdoc])* #[serde(rename = $gkey, default)] pub $group: Option<$gty>, )*
            /// Local break-glass administrators, by user name (see [`Administrator`]).
            #[serde(default)]
            pub administrators: BTreeMap<String, Administrator>,
        }

        impl Settings {
            /// The settings as dotted keys, in declaration order; administrators as
            /// `administrators.<name>.<key>`.
            pub fn flatten(&self) -> Vec<RawSetting> {
                let mut out = Vec::new();
                $( if let Some(g) = &self.$group { g.flatten_into(&mut out); } )*
                for (name, a) in &self.administrators {
                    a.flatten_into(name, &mut out);
                }
                out
            }
        }

        /// Every setting key the definition format knows; `<name>` stands for an
        /// administrator's user name.
        pub const SETTINGS: &[SettingSpec] = &[
            $( $( SettingSpec {
                key: concat!($gkey, ".", $key),
                kind: <$ty as IntoSetting>::KIND,
                doc: concat!($($doc),+),
            }, )* )*
            SettingSpec {
                key: "administrators.<name>.ssh-keys",
                kind: SettingKind::List,
                doc: "SSH public keys that may log in as this administrator.",
            },
            SettingSpec {
                key: "administrators.<name>.hashed-password-file",
                kind: SettingKind::Str,
                doc: "Absolute path, on the device, of a file holding the administrator's password hash (never the hash itself).",
            },
            SettingSpec {
                key: "administrators.<name>.enable",
                kind: SettingKind::Bool,
                doc: "Whether the administrator exists on devices of this profile (false drops an inherited one).",
            },
        ];
    };
}
