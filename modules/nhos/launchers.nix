# Desktop launchers: "NHSmail" opens Outlook on the web in the default browser.
{ config, lib, pkgs, ... }:
let
  cfg = config.nhos.launchers;
in
{
  options.nhos.launchers.nhsmail = lib.mkOption {
    type = lib.types.nullOr lib.types.str;
    default = null;
    description = "URL the NHSmail launcher opens.";
  };

  config = lib.mkIf (cfg.nhsmail != null) {
    environment.systemPackages = [
      (pkgs.makeDesktopItem {
        name = "nhsmail";
        desktopName = "NHSmail";
        comment = "NHSmail in the web browser";
        # The URL goes through a script: a desktop entry's Exec= has its own quoting
        # and `%` field codes, which a URL would break.
        exec = "${pkgs.writeShellScript "nhsmail" "exec xdg-open ${lib.escapeShellArg cfg.nhsmail}\n"}";
        icon = "mail-send";
        categories = [ "Network" "Email" ];
      })
    ];
  };
}
