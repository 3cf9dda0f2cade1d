//! R10: Lockout after failed logins.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R10",
    title: "Lockout after failed logins",
    severity: Severity::Error,
    judged: Judged::Definition,
    rationale: "Brute-force guessing of local passwords must be stopped.",
    remediation: "Set `login.max-failed-attempts` to at most the limit.",
    references: refs(
        "EUD: authentication",
        "User access control (throttling)",
        "5.3.3.1",
        "4.5",
    ),
    parameters: &[Parameter {
        key: "policy.max-failed-logins",
        default: 10,
        larger_is_looser: true,
    }],
    enforced_by: &["nhos.accounts.failedLoginLimit", "security.pam.krb5.enable"],
    enforcement: "pam_faillock in the PAM stacks of console and GDM logins (login) and SSH (sshd), placed around nixpkgs' own rules so that failed local and directory (sssd) logins are counted and successful ones reset the count (modules/nhos/accounts.nix); pam_krb5, which would end the stack before the count, is off where sssd does Kerberos.",
    applies: [Y, Y, Y, Y, N, Y],
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.loosened_parameters(cx);
    let (limit, _) = cx.param("policy.max-failed-logins", 10);
    j.want_range(cx, "login.max-failed-attempts", 1, limit, "");
}

fn enforce(cx: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    let mut c = Check::default();
    c.require(
        cx.int("login.max-failed-attempts").map(Nix::Int).as_ref() == t.get("nhos.accounts.failedLoginLimit"),
        "nhos.accounts.failedLoginLimit",
        "the faillock limit is not the definition's",
    );
    if t.is_true("services.sssd.enable") {
        c.require(
            t.is("security.pam.krb5.enable", &Nix::Bool(false)),
            "security.pam.krb5.enable",
            "pam_krb5 is on next to sssd: failed Kerberos logins would end the stack before faillock counts them",
        );
    }
    c.done()
}
