# Who can get in, and how hard it is to guess: lockout after failed logins (R10)
# and password quality (R11), in the PAM stacks nixpkgs builds from rules
# (nixos/modules/security/pam.nix). GDM's password login runs the `login` stack
# (gdm.nix: `auth substack login`), so `login` covers the console and GDM; `sshd`
# covers SSH. gdm-password itself is written as text by gdm.nix, where rules would
# have no effect.
{ config, lib, pkgs, ... }:
let
  cfg = config.nhos.accounts;
  faillock = import ./pam/faillock.nix {
    modulePath = "${config.security.pam.package}/lib/security/pam_faillock.so";
  };
  pwquality = import ./pam/pwquality.nix {
    modulePath = "${pkgs.libpwquality.lib}/lib/security/pam_pwquality.so";
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
      description = "Minimum length of new passwords (pam_pwquality minlen).";
    };
  };

  config = lib.mkMerge [
    (lib.mkIf (cfg.failedLoginLimit != null) {
      environment.etc."security/faillock.conf".text = ''
        deny = ${toString cfg.failedLoginLimit}
        unlock_time = ${toString cfg.unlockTime}
        fail_interval = ${toString cfg.unlockTime}
        audit
      '';
      security.pam.services.login = faillock;
      security.pam.services.sshd = lib.mkIf config.services.openssh.enable faillock;
    })
    (lib.mkIf (cfg.passwordMinLength != null) {
      environment.etc."security/pwquality.conf".text = ''
        minlen = ${toString cfg.passwordMinLength}
        enforce_for_root
      '';
      security.pam.services.passwd = pwquality;
      security.pam.services.login = pwquality;
      security.pam.services.sshd = lib.mkIf config.services.openssh.enable pwquality;
    })
  ];
}
