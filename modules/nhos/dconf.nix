# dconf settings with locks: nhos.dconf.<profile>.settings become one database of
# programs.dconf.profiles.<profile>, and every key listed in locks is locked so users
# cannot override it (the screen lock of R5, the media handling of R18).
{ config, lib, ... }:
let
  inherit (lib) mkOption types;
  profileOpts = {
    options = {
      settings = mkOption {
        type = types.attrsOf (types.attrsOf types.anything);
        default = { };
        description = "dconf directory -> key -> value (GVariant helpers from lib.gvariant).";
      };
      locks = mkOption {
        type = types.listOf types.str;
        default = [ ];
        description = "Key paths to lock, e.g. /org/gnome/desktop/session/idle-delay.";
      };
    };
  };
  used = lib.filterAttrs (_: p: p.settings != { } || p.locks != [ ]) config.nhos.dconf;
in
{
  options.nhos.dconf = mkOption {
    type = types.attrsOf (types.submodule profileOpts);
    default = { };
    description = "dconf settings per dconf profile (user, gdm).";
  };

  config = lib.mkIf (used != { }) {
    programs.dconf.enable = true;
    programs.dconf.profiles = lib.mapAttrs (_: p: {
      databases = [
        {
          settings = p.settings;
          locks = p.locks;
        }
      ];
    }) used;
  };
}
