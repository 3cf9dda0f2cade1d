//! R37: The Nix daemon trusts only root.

use super::prelude::*;

pub(super) const RULE: Rule = Rule {
    id: "R37",
    title: "The Nix daemon trusts only root",
    severity: Severity::Error,
    judged: Judged::Definition,
    rationale: "A trusted user can make the daemon accept unsigned paths: root without sudo.",
    remediation: "Remove `software.nix-trusted-users`, or set it to [\"root\"].",
    references: refs("EUD N7 (applications)", "User access control", "—", "4.2"),
    parameters: &[],
    enforced_by: &["nix.settings.trusted-users"],
    enforcement: "nix.settings.trusted-users is exactly root.",
    applies: ALL,
};

pub(super) const UNIT: Unit = Unit {
    rule: &RULE,
    judge: Judge::Profile(judge),
    enforce: Some(enforce),
};

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    let key = "software.nix-trusted-users";
    if let Some(users) = cx.p.setting(key).and_then(|v| v.as_list())
        && users.iter().any(|u| u != "root") {
            j.fail(
                key,
                Some(users.join(",")),
                format!("the Nix daemon trusts {}", users.join(", ")),
                cx.origin(key),
            );
        }
}

fn enforce(_: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    Check::default()
        .require(
            Tree(l).get("nix.settings.trusted-users") == Some(&Nix::List(vec![Nix::str("root")])),
            "nix.settings.trusted-users",
            "the Nix daemon trusts users other than root",
        )
        .done()
}
