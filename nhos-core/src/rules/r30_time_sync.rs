//! R30: Clock synchronised.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R30",
    title: "Clock synchronised",
    severity: Severity::Warning,
    judged: Judged::Definition,
    rationale: "Logs, certificates and Kerberos tickets need a correct clock.",
    remediation: "Set `time.sync = true` (and `time.servers` to the trust's NTP servers).",
    references: refs("EUD: logging", "Secure configuration", "2.1.1", "9.6"),
    parameters: &[],
    enforced_by: &["services.timesyncd.enable"],
    enforcement: "systemd-timesyncd keeps the clock in step (with the trust's servers when given).",
    applies: ALL,
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "time.sync", true);
}

fn enforce(cx: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let t = Tree(l);
    let mut c = Check::default();
    c.require(
        t.is_true("services.timesyncd.enable"),
        "services.timesyncd.enable",
        "the clock is not synchronised",
    );
    if let Some(servers) = cx.p.setting("time.servers").and_then(|v| v.as_list()) {
        c.require(
            t.get("services.timesyncd.servers")
                == Some(&Nix::List(servers.iter().map(Nix::str).collect())),
            "services.timesyncd.servers",
            "the clock does not use the definition's servers",
        );
    }
    c.done()
}
