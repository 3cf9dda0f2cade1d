# Desktop defaults that need Nix logic: the GNOME keyboard layout as GVariant tuples.
{ config, lib, ... }:
let
  cfg = config.nhos.desktop;
in
{
  options.nhos.desktop.keyboardLayout = lib.mkOption {
    type = lib.types.nullOr lib.types.str;
    default = null;
    description = "XKB layout for GNOME input sources, e.g. gb.";
  };

  config = lib.mkIf (cfg.keyboardLayout != null) {
    nhos.dconf.user.settings."org/gnome/desktop/input-sources".sources = [
      (lib.gvariant.mkTuple [
        "xkb"
        cfg.keyboardLayout
      ])
    ];
  };
}
