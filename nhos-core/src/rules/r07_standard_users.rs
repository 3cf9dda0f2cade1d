//! R7: Day-to-day users are not administrators.

use super::prelude::*;

pub(super) const UNIT: Unit = Unit::profile(&meta::R7, judge, Some(enforce));

fn judge(cx: &ProfileCx<'_>, j: &mut Judgement<'_>) {
    j.want_bool(cx, "users.standard-users-admin", false);
}

fn enforce(cx: &ProfileCx<'_>, l: &Lowered) -> Enforcement {
    let admins: Vec<&str> = crate::generate::lower::accounts::administrators(cx.p)
        .iter()
        .map(|a| a.name)
        .collect();
    let mut c = Check::default();
    let mut wheel = 0;
    for o in &l.options {
        let p: Vec<&str> = o.path.iter().map(String::as_str).collect();
        if let ["users", "users", name, "extraGroups"] = p.as_slice()
            && matches!(&o.value, Nix::List(g) if g.contains(&Nix::str("wheel"))) {
                wheel += 1;
                c.require(
                    admins.contains(name),
                    &format!("users.users.{name}.extraGroups"),
                    format!("`{name}` is in wheel but is not a declared administrator"),
                );
            }
    }
    c.require(
        wheel == admins.len(),
        "users.users.<name>.extraGroups",
        "a declared administrator is not in wheel",
    );
    c.done()
}
