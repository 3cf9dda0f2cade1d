# Lockout after failed logins (R10): /etc/security/faillock.conf plus pam_faillock in
# the PAM stacks of the console, GDM and SSH logins. Uses the per-service `rules`
# option of nixos/modules/security/pam.nix (present in current nixpkgs, marked
# experimental there): preauth before pam_unix, authfail after it, and the account
# check. Password quality (R11) is written to pwquality.conf for tools that read it;
# nixpkgs has no pam_pwquality rule, so it is not enforced in PAM here.
{ config, lib, pkgs, ... }:
let
  cfg = config.nhos.accounts;
  faillock = "${pkgs.pam}/lib/security/pam_faillock.so";
  withFaillock =
    { config, ... }:
    {
      rules.auth.nhos-faillock-preauth = {
        order = config.rules.auth.unix.order - 10;
        control = "required";
        modulePath = faillock;
        settings = {
          preauth = true;
          silent = true;
        };
      };
      rules.auth.nhos-faillock-authfail = {
        order = config.rules.auth.unix.order + 10;
        control = "[default=die]";
        modulePath = faillock;
        settings.authfail = true;
      };
      rules.account.nhos-faillock = {
        order = config.rules.account.unix.order - 10;
        control = "required";
        modulePath = faillock;
      };
    };
in
{
  options.nhos.accounts = {
    failedLoginLimit = lib.mkOption {
      type = lib.types.nullOr lib.types.ints.positive;
      default = null;
      description = "Lock an account after this many failed logins (pam_faillock deny).";
    };
    unlockTime = lib.mkOption {
      type = lib.types.ints.unsigned;
      default = 900;
      description = "Seconds an account stays locked (pam_faillock unlock_time).";
    };
    passwordMinLength = lib.mkOption {
      type = lib.types.nullOr lib.types.ints.positive;
      default = null;
      description = "Minimum password length written to pwquality.conf.";
    };
  };

  config = lib.mkMerge [
    (lib.mkIf (cfg.failedLoginLimit != null) {
      environment.etc."security/faillock.conf".text = ''
        deny = ${toString cfg.failedLoginLimit}
        unlock_time = ${toString cfg.unlockTime}
      '';
      security.pam.services.login = withFaillock;
      security.pam.services.gdm-password = lib.mkIf config.services.displayManager.gdm.enable withFaillock;
      security.pam.services.sshd = lib.mkIf config.services.openssh.enable withFaillock;
    })
    (lib.mkIf (cfg.passwordMinLength != null) {
      environment.etc."security/pwquality.conf".text = ''
        minlen = ${toString cfg.passwordMinLength}
      '';
    })
  ];
}
