//! R11: Password length.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R11",
    title: "Password length",
    severity: Severity::Error,
    judged: Judged::Definition,
    rationale: "Short passwords are guessed.",
    remediation: "Set `password.min-length` to at least the limit (12, or 8 with MFA).",
    references: refs(
        "EUD: authentication",
        "User access control (passwords)",
        "5.3.3.2",
        "4.5",
    ),
    parameters: &[Parameter {
        key: "policy.min-password-length",
        default: 12,
        larger_is_looser: false,
    }],
    enforced_by: &["nhos.accounts.passwordMinLength"],
    enforcement: "pam_pwquality checks new passwords (minlen) in the password stacks of passwd, login and sshd, from /etc/security/pwquality.conf; pam_unix stores them as yescrypt hashes (modules/nhos/accounts.nix).",
    applies: [Y, Y, Y, Y, N, Y],
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.loosened_parameters(cx);
    let (limit, _) = cx.param("policy.min-password-length", 12);
    let key = "password.min-length";
    match cx.int(key) {
        Some(v) if v >= limit => {}
        Some(v) => j.fail(
            key,
            Some(v.to_string()),
            format!("`{key}` is {v}; it must be at least {limit}"),
            cx.origin(key),
        ),
        None => j.fail(
            key,
            None,
            format!("`{key}` is not set; it must be at least {limit}"),
            cx.origin(key),
        ),
    }
}

fn enforce(cx: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    Check::default()
        .require(
            cx.int("password.min-length").map(Nix::Int).as_ref()
                == Tree(l).get("nhos.accounts.passwordMinLength"),
            "nhos.accounts.passwordMinLength",
            "the minimum password length is not the definition's",
        )
        .done()
}
