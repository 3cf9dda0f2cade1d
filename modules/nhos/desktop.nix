# Desktop defaults that need Nix logic: the GNOME keyboard layout as GVariant tuples,
# and GNOME Shell extensions switched on (installing one does not enable it).
{ config, lib, ... }:
let
  cfg = config.nhos.desktop;
in
{
  options.nhos.desktop = {
    keyboardLayout = lib.mkOption {
      type = lib.types.nullOr lib.types.str;
      default = null;
      description = "XKB layout for GNOME input sources, e.g. gb.";
    };
    extensions = lib.mkOption {
      type = lib.types.listOf lib.types.package;
      default = [ ];
      description = "GNOME Shell extensions to enable (each package's extensionUuid).";
    };
  };

  config = lib.mkMerge [
    (lib.mkIf (cfg.keyboardLayout != null) {
      nhos.dconf.user.settings."org/gnome/desktop/input-sources".sources = [
        (lib.gvariant.mkTuple [
          "xkb"
          cfg.keyboardLayout
        ])
      ];
    })
    (lib.mkIf (cfg.extensions != [ ]) {
      environment.systemPackages = cfg.extensions;
      nhos.dconf.user.settings."org/gnome/shell" = {
        enabled-extensions = map (e: e.extensionUuid) cfg.extensions;
        disable-user-extensions = false;
      };
      nhos.dconf.user.locks = [ "/org/gnome/shell/enabled-extensions" ];
    })
  ];
}
