//! R10: Lockout after failed logins.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R10, judge, Some(enforce));

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
