# pam_faillock around nixpkgs' own auth rules, for one PAM service (a function of
# the service's submodule, for security.pam.services.<name>). The rules attach to
# nixpkgs' rule names, never to fixed numbers: nixpkgs numbers its rules
# 10000 + 100 * position, and the position moves when optional rules (gnome-keyring,
# pam_mount, howdy, …) come and go (nixos/modules/security/pam.nix).
#
#   auth     required       pam_faillock.so preauth    before every rule of the stack
#   auth     sufficient     pam_unix.so                nixpkgs' rules, unchanged:
#   auth     sufficient     pam_sss.so use_first_pass  a success ends the stack
#   auth     [default=die]  pam_faillock.so authfail   reached only when all failed:
#   auth     required       pam_deny.so                the failure is counted
#   account  required       pam_faillock.so            before the account rules:
#                                                      a successful login resets it
#
# So a failed local or directory (sssd) login is counted, a successful one is not
# blocked, and a locked account fails at preauth. pam_krb5 must be off where sssd
# does Kerberos: its ccreds rule would end the stack before authfail counts.
{ modulePath }:
{ config, lib, ... }:
let
  theirs = kind: lib.filterAttrs (name: _: !lib.hasPrefix "nhos-" name) config.rules.${kind};
  first = kind: lib.foldl' lib.min 1000000 (map (r: r.order) (lib.attrValues (theirs kind)));
in
{
  rules.auth.nhos-faillock-preauth = {
    order = first "auth" - 5;
    control = "required";
    inherit modulePath;
    settings = {
      preauth = true;
      silent = true;
    };
  };
  rules.auth.nhos-faillock-authfail = {
    order = config.rules.auth.deny.order - 5;
    control = "[default=die]";
    inherit modulePath;
    settings.authfail = true;
  };
  rules.account.nhos-faillock = {
    order = first "account" - 5;
    control = "required";
    inherit modulePath;
  };
}
