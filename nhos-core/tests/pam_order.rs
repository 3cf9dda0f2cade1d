//! The PAM order test: nhos's lockout rules (modules/nhos/pam/faillock.nix) placed
//! among the auth and account rules nixpkgs renders (modelled in
//! tests/nix/pam-stack.nix, evaluated by Nix 2.8), then run as Linux-PAM runs a
//! stack (libpam/pam_dispatch.c), for local and directory (sssd) users, right and
//! wrong passwords, and locked accounts.
//!
//! What must hold, for `login` (the console, and GDM's `gdm-password`, which is
//! `auth substack login`) and `sshd` with password logins, with and without the
//! early auth block, smart cards, fingerprints and rules later nixpkgs releases add:
//! - a right password logs in, and the failure is not counted;
//! - a wrong password fails and is counted once;
//! - a locked account fails even with the right password;
//! - the account stack resets the count before any rule can end it.

mod common;

#[path = "common/nix.rs"]
mod nixrun;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ret {
    Success,
    AuthErr,
    UserUnknown,
    AuthinfoUnavail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Ignore,
    Ok,
    Done,
    Bad,
    Die,
    Reset,
    Jump(usize),
}

/// Linux-PAM's control keywords and `[value=action …]` syntax (pam.conf(5)).
fn action(control: &str, ret: Ret) -> Action {
    let key = match ret {
        Ret::Success => "success",
        Ret::AuthErr => "auth_err",
        Ret::UserUnknown => "user_unknown",
        Ret::AuthinfoUnavail => "authinfo_unavail",
    };
    let simple = |success, default| {
        if ret == Ret::Success {
            success
        } else {
            default
        }
    };
    match control {
        "required" => simple(Action::Ok, Action::Bad),
        "requisite" => simple(Action::Ok, Action::Die),
        "sufficient" => simple(Action::Done, Action::Ignore),
        "optional" => simple(Action::Ok, Action::Ignore),
        bracket => {
            let inner = bracket
                .strip_prefix('[')
                .and_then(|s| s.strip_suffix(']'))
                .unwrap_or_else(|| panic!("unknown control {bracket:?}"));
            let mut default = Action::Bad;
            let mut found = None;
            for pair in inner.split_whitespace() {
                let (k, v) = pair.split_once('=').expect("value=action");
                let a = match v {
                    "ignore" => Action::Ignore,
                    "ok" => Action::Ok,
                    "done" => Action::Done,
                    "bad" => Action::Bad,
                    "die" => Action::Die,
                    "reset" => Action::Reset,
                    n => Action::Jump(n.parse().expect("jump count")),
                };
                if k == "default" {
                    default = a;
                } else if k == key {
                    found = Some(a);
                }
            }
            found.unwrap_or(default)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum User {
    Local,
    Directory,
}

/// One login attempt and what the modules see and do.
#[derive(Debug, Clone)]
struct Attempt {
    user: User,
    right_password: bool,
    locked: bool,
    /// The password read by the first module that prompts.
    authtok: bool,
    counted: usize,
    reset: bool,
    trace: Vec<String>,
}

impl Attempt {
    fn new(user: User, right_password: bool, locked: bool) -> Self {
        Attempt {
            user,
            right_password,
            locked,
            authtok: false,
            counted: 0,
            reset: false,
            trace: Vec::new(),
        }
    }

    /// What a module returns, and its side effects (the faillock tally).
    fn run(&mut self, module: &str, args: &[String]) -> Ret {
        let has = |a: &str| args.iter().any(|x| x == a);
        let password = |me: User, s: &mut Self| {
            if s.user != me {
                Ret::UserUnknown
            } else if s.right_password {
                Ret::Success
            } else {
                Ret::AuthErr
            }
        };
        let ret = match module {
            "pam_faillock.so" if has("preauth") => {
                if self.locked {
                    Ret::AuthErr
                } else {
                    Ret::Success
                }
            }
            "pam_faillock.so" if has("authfail") => {
                self.counted += 1;
                Ret::AuthErr
            }
            // The account phase: a successful authentication clears the tally.
            "pam_faillock.so" => {
                self.reset = true;
                Ret::Success
            }
            "pam_unix.so" => {
                self.authtok = true; // prompts, or takes the password read before
                password(User::Local, self)
            }
            // use_first_pass: no password of its own.
            "pam_sss.so" | "pam_krb5.so" if !self.authtok => Ret::AuthErr,
            "pam_sss.so" | "pam_krb5.so" => password(User::Directory, self),
            // Cached credentials match only the right password of a directory user
            // who logged in before.
            "pam_ccreds_validate.so" => password(User::Directory, self),
            "pam_ccreds_store.so" | "pam_gnome_keyring.so" => Ret::Success,
            "pam_deny.so" => Ret::AuthErr,
            // No token, reader, finger or face presented.
            _ => Ret::AuthinfoUnavail,
        };
        self.trace.push(format!("{module} {args:?} → {ret:?}"));
        ret
    }
}

/// Runs one stack as `_pam_dispatch_aux` does; true when it succeeds.
fn dispatch(stack: &[Value], a: &mut Attempt) -> bool {
    #[derive(PartialEq)]
    enum Impression {
        Undef,
        Positive,
        Negative,
    }
    let mut impression = Impression::Undef;
    let mut status = Ret::AuthErr;
    let mut i = 0;
    while i < stack.len() {
        let r = &stack[i];
        let module = r["module"].as_str().expect("module");
        let control = r["control"].as_str().expect("control");
        let args: Vec<String> = r["args"]
            .as_array()
            .expect("args")
            .iter()
            .map(|x| x.as_str().expect("arg").to_owned())
            .collect();
        let ret = a.run(module, &args);
        i += 1;
        match action(control, ret) {
            Action::Ignore => {}
            act @ (Action::Ok | Action::Done) => {
                if impression == Impression::Undef
                    || (impression == Impression::Positive && status == Ret::Success)
                {
                    impression = Impression::Positive;
                    status = ret;
                }
                if act == Action::Done && impression != Impression::Negative {
                    break;
                }
            }
            act @ (Action::Bad | Action::Die) => {
                if impression != Impression::Negative {
                    impression = Impression::Negative;
                    status = if ret == Ret::Success {
                        Ret::AuthErr
                    } else {
                        ret
                    };
                }
                if act == Action::Die {
                    break;
                }
            }
            Action::Reset => {
                impression = Impression::Undef;
                status = Ret::AuthErr;
            }
            Action::Jump(n) => i += n,
        }
    }
    impression == Impression::Positive && status == Ret::Success
}

/// `gdm-password`: `auth substack login`, `account include login`. A substack's
/// done and die end only the substack; its result counts as one required module.
fn gdm_password(login: &Value, a: &mut Attempt) -> (bool, bool) {
    let auth = dispatch(stack(login, "auth"), a);
    let account = auth && dispatch(stack(login, "account"), a);
    (auth, account)
}

fn stack<'v>(rendered: &'v Value, kind: &str) -> &'v [Value] {
    rendered[kind].as_array().expect("a stack")
}

fn render(flags: &str, extra: &str, faillock: Option<&std::path::Path>) -> Result<Value, String> {
    let file = common::repo_root().join("tests/nix/pam-stack.nix");
    let faillock = faillock
        .map(|p| format!(" faillock = {};", p.display()))
        .unwrap_or_default();
    nixrun::eval_json(
        &format!(
            "import {} {{ flags = {{ {flags} }}; extra = [ {extra} ];{faillock} }}",
            file.display()
        ),
        &common::repo_root(),
    )
}

/// Every property, for one rendered service (directory users where sssd runs).
fn violations(rendered: &Value, gdm: bool, directory: bool) -> Vec<String> {
    let mut out = Vec::new();
    let users: &[User] = if directory {
        &[User::Local, User::Directory]
    } else {
        &[User::Local]
    };
    for &user in users {
        for (right, locked) in [(true, false), (false, false), (true, true), (false, true)] {
            let mut a = Attempt::new(user, right, locked);
            let (ok, account) = if gdm {
                gdm_password(rendered, &mut a)
            } else {
                let auth = dispatch(stack(rendered, "auth"), &mut a);
                (auth, auth && dispatch(stack(rendered, "account"), &mut a))
            };
            let want_ok = right && !locked;
            let case = format!("{user:?} user, right password {right}, locked {locked}");
            if ok != want_ok {
                out.push(format!(
                    "{case}: login {ok}, want {want_ok}: {:#?}",
                    a.trace
                ));
            }
            if want_ok && (a.counted != 0 || !account || !a.reset) {
                out.push(format!(
                    "{case}: a good login was counted {} times, account {account}, reset {}: {:#?}",
                    a.counted, a.reset, a.trace
                ));
            }
            if !right && !locked && a.counted != 1 {
                out.push(format!(
                    "{case}: a failed login was counted {} times: {:#?}",
                    a.counted, a.trace
                ));
            }
        }
    }
    out
}

/// The services nhos puts lockout on, with the flags nixpkgs gives them:
/// GNOME turns the early block on for `login` (gnome-keyring); gdm.nix turns
/// fingerprints off in `login`; sshd has no early block.
fn services() -> Vec<(&'static str, String, bool, bool)> {
    let mut out = Vec::new();
    for sss in [false, true] {
        for p11 in [false, true] {
            for (service, early, fprintd, gdm) in [
                ("login", false, true, false),
                ("login", true, false, false),
                ("gdm-password", true, false, true),
                ("sshd", false, false, false),
            ] {
                out.push((
                    service,
                    format!("sss = {sss}; p11 = {p11}; early = {early}; fprintd = {fprintd};"),
                    gdm,
                    sss,
                ));
            }
        }
    }
    out
}

#[test]
fn lockout_counts_failures_and_never_blocks_a_good_login() {
    nixrun::require();
    let mut checked = 0;
    for (service, flags, gdm, sss) in services() {
        let rendered =
            render(&flags, "", None).unwrap_or_else(|e| panic!("{service} {flags}: {e}"));
        let v = violations(&rendered, gdm, sss);
        assert!(v.is_empty(), "{service} with {flags}:\n{}", v.join("\n"));
        // The preauth check is the first auth rule; the account rule the first
        // account rule.
        for kind in ["auth", "account"] {
            let first = &stack(&rendered, kind)[0];
            assert_eq!(
                first["module"], "pam_faillock.so",
                "{service} {kind}: {first}"
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 16);
}

#[test]
fn rules_later_nixpkgs_releases_insert_do_not_move_lockout_out_of_place() {
    nixrun::require();
    // A sufficient rule (howdy, say) or an optional one inserted anywhere in the
    // auth list, and a sufficient rule anywhere in the account list: the orders
    // shift, and the lockout still holds.
    let mut checked = 0;
    for at in (0..=34).step_by(3) {
        for control in ["sufficient", "optional"] {
            let extra = format!(
                r#"{{ type = "auth"; at = {at}; name = "howdy"; control = "{control}"; }}
                   {{ type = "account"; at = {}; name = "newacct"; control = "sufficient"; }}"#,
                at % 10
            );
            for sss in [false, true] {
                let flags = format!("sss = {sss}; early = true;");
                let rendered = render(&flags, &extra, None).expect("renders");
                let v = violations(&rendered, false, sss);
                assert!(
                    v.is_empty(),
                    "howdy at {at} ({control}), {flags}:\n{}",
                    v.join("\n")
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 48);
}

#[test]
fn the_checks_catch_a_misplaced_lockout() {
    nixrun::require();
    // pam_krb5 beside sssd: its cached-credentials rule ends the stack with `die`
    // before authfail counts a wrong directory password. nhos turns pam_krb5 off
    // where sssd authenticates (lower/network.rs); here is why.
    let rendered = render("sss = true; krb5 = true;", "", None).expect("renders");
    let v = violations(&rendered, false, true);
    assert!(
        v.iter().any(|m| m.starts_with(
            "Directory user, right password false, locked false: a failed login was counted 0 times"
        )),
        "{v:#?}"
    );

    // The placement nhos once had (authfail right after pam_unix) locks directory
    // users out: their right password never reaches pam_sss.
    let dir = tempfile::tempdir().expect("tempdir");
    let sabotaged = dir.path().join("faillock.nix");
    let real = std::fs::read_to_string(common::repo_root().join("modules/nhos/pam/faillock.nix"))
        .expect("faillock.nix");
    let broken = real.replace(
        "order = config.rules.auth.deny.order - 5;",
        "order = config.rules.auth.unix.order + 10;",
    );
    assert_ne!(real, broken, "the sabotage applies");
    std::fs::write(&sabotaged, broken).expect("write");
    let rendered = render("sss = true;", "", Some(&sabotaged)).expect("renders");
    let v = violations(&rendered, false, true);
    assert!(
        v.iter().any(
            |m| m.starts_with("Directory user, right password true, locked false: login false")
        ),
        "{v:#?}"
    );

    // Lockout after the account rules: sssd's sufficient success ends the account
    // stack before the tally is reset.
    let broken = real.replace(
        "order = first \"account\" - 5;",
        "order = config.rules.account.unix.order + 5;",
    );
    assert_ne!(real, broken, "the sabotage applies");
    std::fs::write(&sabotaged, broken).expect("write");
    let rendered = render("sss = true;", "", Some(&sabotaged)).expect("renders");
    let v = violations(&rendered, false, true);
    assert!(
        v.iter()
            .any(|m| m.starts_with("Directory user, right password true, locked false: a good login was counted 0 times, account true, reset false")),
        "{v:#?}"
    );
}

#[test]
fn directory_logins_run_without_pam_krb5_in_the_generated_hosts() {
    let e = nhos_core::load(common::example()).expect("example loads");
    let lowered = nhos_core::generate::lower_all(&e);
    let mut with_sssd = 0;
    for (name, l) in &lowered {
        let get = |p: &str| {
            l.options
                .iter()
                .find(|o| o.path.join(".") == p)
                .map(|o| o.value.clone())
        };
        if get("services.sssd.enable") == Some(nhos_core::generate::nix::Nix::Bool(true)) {
            with_sssd += 1;
            assert_eq!(
                get("security.pam.krb5.enable"),
                Some(nhos_core::generate::nix::Nix::Bool(false)),
                "{name}"
            );
        }
    }
    assert!(
        with_sssd >= 3,
        "the example's AD-joined profiles: {with_sssd}"
    );
}
