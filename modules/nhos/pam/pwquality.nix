# pam_pwquality before pam_unix in the password stack of one PAM service, so that a
# new password must meet /etc/security/pwquality.conf; pam_unix then stores the
# password it was handed (use_authtok) as a yescrypt hash. nixpkgs has no pwquality
# rule of its own (nixos/modules/security/pam.nix).
{ modulePath }:
{ config, lib, ... }:
{
  rules.password.nhos-pwquality = {
    order = config.rules.password.unix.order - 5;
    control = "requisite";
    inherit modulePath;
    settings.retry = 3;
  };
  rules.password.unix.settings.use_authtok = lib.mkIf config.rules.password.unix.enable true;
}
