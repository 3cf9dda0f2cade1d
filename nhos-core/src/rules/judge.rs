//! Judging a rule on the resolved definition: the context a rule reads, and the
//! judgement it writes findings into.

use crate::definition::{Date, Role};
use crate::diagnostic::Severity;
use crate::model::{Estate, Origin, Profile};
use crate::rules::Rule;
use crate::setting::SettingValue;
use crate::source::Location;

/// The estate, for estate-wide rules.
pub(crate) struct EstateCx<'a> {
    pub e: &'a Estate,
    pub today: Date,
}

/// One concrete profile with a role, for per-profile rules.
pub(crate) struct ProfileCx<'a> {
    pub e: &'a Estate,
    pub p: &'a Profile,
    pub role: Role,
    pub today: Date,
}

impl<'a> ProfileCx<'a> {
    pub fn new(e: &'a Estate, p: &'a Profile, today: Date) -> Option<Self> {
        Some(Self {
            e,
            p,
            role: p.role?,
            today,
        })
    }

    /// Where a setting is written; the profile file's top when it is not set.
    pub fn origin(&self, key: &str) -> Option<Location> {
        self.p
            .settings
            .get(key)
            .map(|s| s.origin.location.clone())
            .or_else(|| Some(self.file_top()))
    }

    /// Where the profile's package `attr` comes from (its definition line).
    pub fn package_origin(&self, attr: &str) -> Option<Location> {
        self.p.packages.get(attr).map(|o| o.location.clone())
    }

    pub fn file_top(&self) -> Location {
        Location {
            line: 1,
            column: 1,
            span: (0, 0),
            ..Location::file(self.p.file.clone())
        }
    }

    /// A rule parameter: the profile's own tightening, else the estate's, else the
    /// baseline default.
    pub fn param(&self, key: &str, default: i64) -> (i64, Option<Origin>) {
        if let Some(s) = self.p.settings.get(key)
            && let SettingValue::Int(i) = s.value
        {
            return (i, Some(s.origin.clone()));
        }
        if let Some(v) = self.e.policy.parameters.get(key)
            && let SettingValue::Int(i) = v.value
        {
            return (i, Some(v.origin.clone()));
        }
        (default, None)
    }

    pub fn bool(&self, key: &str) -> Option<bool> {
        self.p.bool(key)
    }
    pub fn int(&self, key: &str) -> Option<i64> {
        self.p.int(key)
    }
    pub fn str(&self, key: &str) -> Option<&'a str> {
        self.p.str(key)
    }
    pub fn has(&self, capability: &str) -> bool {
        self.p.has_capability(capability)
    }
    /// The profile's disk layout.
    pub fn layout(&self) -> Option<&'a str> {
        self.p.str("disk.layout")
    }
}

/// Where judgements put their findings: validate's collector, which makes each one
/// a finding of the report (a trait here, so that the rules do not depend on
/// validate).
pub(crate) trait Findings {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        rule: &'static Rule,
        severity: Severity,
        profile: Option<&str>,
        subject: &str,
        value: Option<String>,
        message: String,
        location: Option<Location>,
    );
}

/// The findings of one rule for one profile (or the estate).
pub(crate) struct Judgement<'a> {
    pub rule: &'static Rule,
    /// The severity of a violation here: the rule's, or a warning where the rule
    /// is advisory for the role.
    pub severity: Severity,
    pub profile: Option<&'a str>,
    pub(crate) sink: &'a mut dyn Findings,
}

impl Judgement<'_> {
    /// A violation at the judgement's severity. `value` is the offending value, so
    /// that the ratchet sees a violation that gets worse.
    pub fn fail(
        &mut self,
        subject: &str,
        value: Option<String>,
        message: String,
        location: Option<Location>,
    ) {
        let severity = self.severity;
        self.push(severity, subject, value, message, location);
    }

    pub fn push(
        &mut self,
        severity: Severity,
        subject: &str,
        value: Option<String>,
        message: String,
        location: Option<Location>,
    ) {
        self.sink.push(
            self.rule,
            severity,
            self.profile,
            subject,
            value,
            message,
            location,
        );
    }

    /// A boolean setting that must have one value.
    pub fn want_bool(&mut self, cx: &ProfileCx<'_>, key: &str, want: bool) {
        match cx.bool(key) {
            Some(v) if v == want => {}
            Some(v) => self.fail(
                key,
                Some(v.to_string()),
                format!("`{key}` is {v}; it must be {want}"),
                cx.origin(key),
            ),
            None => self.fail(
                key,
                None,
                format!("`{key}` is not set; it must be {want}"),
                cx.origin(key),
            ),
        }
    }

    /// An integer setting with a limit: at most `max` (and at least `min`).
    pub fn want_range(&mut self, cx: &ProfileCx<'_>, key: &str, min: i64, max: i64, unit: &str) {
        match cx.int(key) {
            Some(v) if (min..=max).contains(&v) => {}
            Some(v) => self.fail(
                key,
                Some(v.to_string()),
                format!("`{key}` is {v}{unit}; it must be between {min} and {max}{unit}"),
                cx.origin(key),
            ),
            None => self.fail(
                key,
                None,
                format!("`{key}` is not set; it must be between {min} and {max}{unit}"),
                cx.origin(key),
            ),
        }
    }

    /// Parameters of the rule loosened beyond the baseline.
    pub fn loosened_parameters(&mut self, cx: &ProfileCx<'_>) {
        for param in self.rule.parameters {
            let (v, origin) = cx.param(param.key, param.default);
            let looser = if param.larger_is_looser {
                v > param.default
            } else {
                v < param.default
            };
            if looser {
                self.fail(
                    param.key,
                    Some(v.to_string()),
                    format!(
                        "`{}` = {v} is looser than the baseline {}; loosening needs a waiver",
                        param.key, param.default
                    ),
                    origin.map(|o| o.location.clone()),
                );
            }
        }
    }
}
