# Kiosk session: cage runs one full-screen browser on one URL, logged in
# automatically as a locked, non-privileged account with no shell.
{ config, lib, pkgs, ... }:
let
  cfg = config.nhos.kiosk;
  inherit (lib) mkOption types;
in
{
  options.nhos.kiosk = {
    enable = lib.mkEnableOption "the nhos kiosk session";
    url = mkOption {
      type = types.str;
      description = "The one URL the kiosk shows.";
    };
    user = mkOption {
      type = types.str;
      default = "kiosk";
      description = "The kiosk account (created locked, without a shell).";
    };
    browser = mkOption {
      type = types.package;
      default = pkgs.firefox-esr;
      description = "Browser package (firefox-esr or chromium).";
    };
    nightlyReboot = lib.mkEnableOption "a nightly reboot to a clean state";
  };

  config = lib.mkIf cfg.enable {
    users.users.${cfg.user} = {
      isNormalUser = true;
      hashedPassword = "!";
      shell = "${pkgs.shadow}/bin/nologin";
    };
    services.cage = {
      enable = true;
      user = cfg.user;
      # cage puts `program` into ExecStart, where systemd would expand `%` and
      # split on quotes: the URL goes through a script, quoted for the shell.
      # lib.getExe gives the wrapper's own binary (firefox-esr installs
      # bin/firefox-esr, not bin/firefox).
      program = pkgs.writeShellScript "nhos-kiosk" (
        if lib.getName cfg.browser == "chromium" then
          "exec ${lib.getExe cfg.browser} --kiosk --no-first-run ${lib.escapeShellArg cfg.url}\n"
        else
          "exec ${lib.getExe cfg.browser} --kiosk ${lib.escapeShellArg cfg.url}\n"
      );
    };
    systemd.timers.nhos-nightly-reboot = lib.mkIf cfg.nightlyReboot {
      wantedBy = [ "timers.target" ];
      timerConfig.OnCalendar = "*-*-* 03:30:00";
    };
    systemd.services.nhos-nightly-reboot = lib.mkIf cfg.nightlyReboot {
      serviceConfig.Type = "oneshot";
      script = "systemctl reboot";
    };
  };
}
