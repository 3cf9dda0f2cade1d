# Two "NixOS systems" built from nothing but the host's /bin/sh and coreutils, for
# the closure tests: realistic names, versions and sizes, references that Nix's
# scanner records, and between old and new a glibc rebuild (same version) that
# ripples through everything, an openssl upgrade that gains a `bin` output, a
# firefox upgrade, a package added, one removed and one resized below the 8 KiB
# that `nix store diff-closures` shows.
#
# Each output holds `deps` (its dependencies' paths, padded to a multiple of 8
# bytes) and `blob`, so that its NAR size is the `size` given plus a constant,
# wherever the store is.
{ new ? false }:
let
  mk = { name, size, deps ? [ ], salt ? "", outputs ? [ "out" ] }:
    builtins.derivation {
      inherit name outputs salt deps size;
      system = builtins.currentSystem;
      builder = "/bin/sh";
      PATH = "/usr/bin:/bin";
      args = [ "-c" ''
        for o in $outputs; do
          dir=$(eval echo \$$o)
          mkdir -p "$dir"
          : > "$dir/deps"
          for d in $deps; do echo "$d" >> "$dir/deps"; done
          while [ $(( $(wc -c < "$dir/deps") % 8 )) != 0 ]; do printf ' ' >> "$dir/deps"; done
          head -c $(( size - $(wc -c < "$dir/deps") )) /dev/zero > "$dir/blob"
        done
      '' ];
    };
  glibc = mk { name = "glibc-2.38-44"; size = 204800; salt = if new then "CVE-2024-2961.patch" else ""; };
  openssl =
    if new then mk { name = "openssl-3.0.13"; size = 65536; deps = [ glibc ]; outputs = [ "out" "bin" ]; }
    else mk { name = "openssl-3.0.12"; size = 61440; deps = [ glibc ]; };
  zlib = mk { name = "zlib-1.3.1"; size = 12288; deps = [ glibc ]; };
  curl = mk { name = "curl-8.6.0"; size = 40960; deps = [ openssl zlib glibc ]; };
  bash = mk { name = "bash-interactive-5.2p26"; size = 98304; deps = [ glibc ]; };
  firmware = mk { name = "linux-firmware-20240115"; size = 409600; };
  firefox = mk {
    name = if new then "firefox-128.0.3" else "firefox-128.0";
    size = if new then 337920 else 327680;
    deps = [ glibc zlib openssl ];
  };
  tzdata = mk { name = "tzdata-2024a"; size = if new then 25600 else 24576; };
  wallpaper = mk { name = "nhs-wallpaper-1.0"; size = 8192; };
  telnet = mk { name = "telnet-2.1"; size = 16384; deps = [ glibc ]; };
  hello = mk { name = "hello-2.12.1"; size = 20480; deps = [ glibc ]; };
  packages = [ curl bash firmware firefox tzdata wallpaper ]
    ++ (if new then [ hello openssl.bin ] else [ telnet ]);
in
mk { name = "nixos-system-clinical-24.05"; size = 4096; deps = packages; }
