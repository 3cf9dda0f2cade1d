# The PAM stacks nixpkgs renders for one service, with nhos's lockout rules
# (modules/nhos/pam/faillock.nix, the real file) placed among them. Read by
# nhos-core/tests/pam_order.rs, which runs the stacks as Linux-PAM would.
#
# The rule lists model nixos/modules/security/pam.nix (security.pam.services.<name>
# .rules): each list is numbered 10000 + 100 * position (autoOrderRules), disabled
# rules keep their slot, the optional "early" auth block (gnome-keyring, kwallet,
# pam_mount, faildelay, …) shifts every later rule by 1300, rules are rendered
# enabled-only and sorted by order, and two rules may not share an order (an
# assertion of pam.nix). Controls and arguments are nixpkgs' own.
#
# `extra`: rules nixpkgs may add in later releases (howdy in 26.05, say), as
# { type, at, name, control }: inserted at list position `at`, shifting the rest.
{ flags ? { }, extra ? [ ], faillock ? ../../modules/nhos/pam/faillock.nix }:
let
  f = {
    early = false; # gnome-keyring and friends (GNOME turns it on for login)
    unixAuth = true;
    sss = false; # services.sssd.enable
    krb5 = false; # security.pam.krb5.enable
    p11 = false; # smart cards
    fprintd = false;
    u2f = false;
    requireWheel = false;
    logFailures = false;
  } // flags;

  # Only what faillock.nix calls, from builtins (no nixpkgs here).
  lib = {
    filterAttrs = pred: set:
      builtins.listToAttrs (builtins.concatMap
        (name: if pred name set.${name} then [{ inherit name; value = set.${name}; }] else [ ])
        (builtins.attrNames set));
    hasPrefix = pre: s: builtins.substring 0 (builtins.stringLength pre) s == pre;
    foldl' = builtins.foldl';
    min = a: b: if a < b then a else b;
    attrValues = set: map (n: set.${n}) (builtins.attrNames set);
  };

  rule = name: enable: control: module: { inherit name enable control module; };

  early = map (n: rule n false "optional" "pam_${n}.so") [
    "systemd_home-early"
  ] ++ [ (rule "unix-early" f.early "optional" "pam_unix.so") ]
  ++ map (n: rule n (f.early && n == "gnome_keyring") "optional" "pam_${n}.so") [
    "ecryptfs" "fscrypt" "zfs_key" "mount" "kwallet" "gnome_keyring" "intune" "gnupg" "faildelay"
  ] ++ [
    (rule "google_authenticator" false "required" "pam_google_authenticator.so")
    (rule "duo" false "required" "pam_duo.so")
  ];

  lists = {
    auth = [
      (rule "oslogin_login" false "[success=done perm_denied=die default=ignore]" "pam_oslogin_login.so")
      (rule "rootok" false "sufficient" "pam_rootok.so")
      (rule "wheel" f.requireWheel "required" "pam_wheel.so")
      (rule "faillock" f.logFailures "required" "pam_faillock.so")
      (rule "mysql" false "sufficient" "pam_mysql.so")
      (rule "ssh_agent_auth" false "sufficient" "pam_ssh_agent_auth.so")
      (rule "rssh" false "sufficient" "pam_rssh.so")
      (rule "p11" f.p11 "sufficient" "pam_p11.so")
      (rule "u2f" f.u2f "sufficient" "pam_u2f.so")
      (rule "ussh" false "sufficient" "pam_ussh.so")
      (rule "oath" false "requisite" "pam_oath.so")
      (rule "yubico" false "sufficient" "pam_yubico.so")
      (rule "p9" false "sufficient" "pam_p9.so")
      (rule "fprintd" f.fprintd "sufficient" "pam_fprintd.so")
    ] ++ (if f.early then early else [ ]) ++ [
      (rule "systemd_home" false "sufficient" "pam_systemd_home.so")
      (rule "unix" f.unixAuth "sufficient" "pam_unix.so")
      (rule "otpw" false "sufficient" "pam_otpw.so")
      (rule "ldap" false "sufficient" "pam_ldap.so")
      (rule "kanidm" false "sufficient" "pam_kanidm.so")
      (rule "sss" f.sss "sufficient" "pam_sss.so")
      (rule "krb5" f.krb5 "[default=ignore success=1 service_err=reset]" "pam_krb5.so")
      (rule "ccreds-validate" f.krb5 "[default=die success=done]" "pam_ccreds_validate.so")
      (rule "ccreds-store" f.krb5 "sufficient" "pam_ccreds_store.so")
      (rule "deny" true "required" "pam_deny.so")
    ];
    account = [
      (rule "ldap" false "sufficient" "pam_ldap.so")
      (rule "mysql" false "sufficient" "pam_mysql.so")
      (rule "kanidm" false "sufficient" "pam_kanidm.so")
      (rule "sss" f.sss "sufficient" "pam_sss.so")
      (rule "krb5" f.krb5 "sufficient" "pam_krb5.so")
      (rule "oslogin_login" false "[success=ok ignore=ignore default=die]" "pam_oslogin_login.so")
      (rule "oslogin_admin" false "[success=ok default=ignore]" "pam_oslogin_admin.so")
      (rule "systemd_home" false "sufficient" "pam_systemd_home.so")
      (rule "unix" true "required" "pam_unix.so")
    ];
  };

  insertAt = list: at: x:
    let n = builtins.length list; i = if at > n then n else at;
    in builtins.genList (k: builtins.elemAt list k) i ++ [ x ]
      ++ builtins.genList (k: builtins.elemAt list (i + k)) (n - i);

  withExtra = type: builtins.foldl'
    (acc: e: if e.type == type then insertAt acc e.at (rule e.name true e.control "pam_${e.name}.so") else acc)
    lists.${type}
    extra;

  numbered = type: builtins.listToAttrs (builtins.genList
    (i: let r = builtins.elemAt (withExtra type) i; in {
      inherit (r) name;
      value = r // { order = 10000 + (i + 1) * 100; };
    })
    (builtins.length (withExtra type)));

  nhos = (import faillock { modulePath = "pam_faillock.so"; }) {
    inherit config lib;
  };
  # The service's rules: nixpkgs' and nhos's, merged as the module system would.
  config.rules = builtins.mapAttrs
    (type: theirs: theirs // builtins.mapAttrs
      (_: r: r // { enable = true; module = r.modulePath; })
      (nhos.rules.${type} or { }))
    { auth = numbered "auth"; account = numbered "account"; };

  render = type:
    let
      enabled = builtins.filter (r: r.enable) (lib.attrValues config.rules.${type});
      sorted = builtins.sort (a: b: a.order < b.order) enabled;
      orders = map (r: r.order) sorted;
      unique = builtins.length orders == builtins.length (builtins.attrNames
        (builtins.listToAttrs (map (o: { name = toString o; value = null; }) orders)));
    in
    if !unique then throw "security.pam.services rules.${type}: two rules have the same order"
    else map (r: {
      inherit (r) order control module;
      args = builtins.attrNames (lib.filterAttrs (_: v: v == true) (r.settings or { }));
    }) sorted;
in
{ auth = render "auth"; account = render "account"; }
