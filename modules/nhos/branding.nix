# Branding as typed values: OS identity (os-release), boot splash, GDM banner,
# wallpaper and accent colour. The trust supplies every asset; nhos ships none.
{ config, lib, ... }:
let
  cfg = config.nhos.branding;
  inherit (lib) mkIf mkOption types;
  optStr = description: mkOption {
    type = types.nullOr types.str;
    default = null;
    inherit description;
  };
  optPath = description: mkOption {
    type = types.nullOr types.path;
    default = null;
    inherit description;
  };
in
{
  options.nhos.branding = {
    osName = optStr "Operating system name (os-release NAME).";
    osId = optStr "Operating system ID (os-release ID).";
    vendorName = optStr "Vendor name (os-release VENDOR_NAME).";
    variantName = optStr "Variant name (os-release VARIANT).";
    variantId = optStr "Variant ID (os-release VARIANT_ID).";
    accentColour = optStr "Accent colour, #RRGGBB.";
    backgroundColour = optStr "Desktop background colour, #RRGGBB.";
    loginBanner = optStr "Text shown on the login screen and the console.";
    wallpaper = optPath "Desktop wallpaper.";
    logo = optPath "Organisation logotype for the login screen.";
    bootSplash = optPath "Boot splash logo (PNG).";
  };

  config = lib.mkMerge [
    (mkIf (cfg.osName != null) { system.nixos.distroName = cfg.osName; })
    (mkIf (cfg.osId != null) { system.nixos.distroId = cfg.osId; })
    (mkIf (cfg.vendorName != null) { system.nixos.vendorName = cfg.vendorName; })
    (mkIf (cfg.variantName != null) { system.nixos.variantName = cfg.variantName; })
    (mkIf (cfg.variantId != null) { system.nixos.variant_id = cfg.variantId; })
    (mkIf (cfg.bootSplash != null) {
      boot.plymouth.enable = true;
      boot.plymouth.logo = cfg.bootSplash;
    })
    (mkIf (cfg.loginBanner != null) {
      services.displayManager.gdm.banner = cfg.loginBanner;
      # The console shows it above the login prompt. getty.nix writes /etc/issue
      # itself (from greetingLine and helpLine), and agetty reads `\` as an escape.
      services.getty.greetingLine = lib.replaceStrings [ "\\" ] [ "\\\\" ] cfg.loginBanner;
    })
    (mkIf (cfg.wallpaper == null && cfg.backgroundColour != null) {
      nhos.dconf.user.settings."org/gnome/desktop/background" = {
        picture-options = "none";
        primary-color = cfg.backgroundColour;
        color-shading-type = "solid";
      };
    })
    (mkIf (cfg.wallpaper != null) {
      nhos.dconf.user.settings."org/gnome/desktop/background" = {
        picture-uri = "file://${cfg.wallpaper}";
        picture-uri-dark = "file://${cfg.wallpaper}";
        picture-options = "zoom";
      } // lib.optionalAttrs (cfg.backgroundColour != null) {
        primary-color = cfg.backgroundColour;
        color-shading-type = "solid";
      };
    })
    (mkIf (cfg.logo != null) {
      nhos.dconf.gdm.settings."org/gnome/login-screen".logo = "${cfg.logo}";
    })
  ];
}
