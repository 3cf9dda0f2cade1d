# Two builds of example-valley's `clinical` system, made from nothing but the
# host's /bin/sh and coreutils, for the closure tests: realistic names, versions
# and sizes, references that Nix's scanner records, and between old and new a glibc
# rebuild (same version, one more patch) that ripples through everything, an
# openssl upgrade that gains a `bin` output, a firefox-esr upgrade, a package added
# (pcsc-tools), one removed (dcmtk) and one resized by less than the 8 KiB that
# `nix store diff-closures` shows.
#
# Each output holds `deps` (its dependencies' paths, padded to a multiple of 8
# bytes) and `blob`, so its NAR size is the `size` given plus a constant, wherever
# the store is. `nhosPackages` maps the definition's package attributes to their
# out paths, as the generated flake's `nhos.<profile>.packages` output does.
{ new ? false }:
let
  mk = { name, size, deps ? [ ], patches ? [ ], outputs ? [ "out" ] }:
    builtins.derivation {
      inherit name outputs patches deps size;
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
  glibc = mk {
    name = "glibc-2.38-44";
    size = 204800;
    patches = [ "2.38-master.patch" ] ++ (if new then [ "CVE-2024-2961.patch" ] else [ ]);
  };
  zlib = mk { name = "zlib-1.3.1"; size = 12288; deps = [ glibc ]; };
  openssl =
    if new then mk { name = "openssl-3.0.13"; size = 65536; deps = [ glibc ]; outputs = [ "out" "bin" ]; }
    else mk { name = "openssl-3.0.12"; size = 61440; deps = [ glibc ]; };
  nss = mk { name = "nss-3.90"; size = 36864; deps = [ glibc zlib ]; };
  curl = mk { name = "curl-8.6.0"; size = 40960; deps = [ openssl zlib glibc ]; };
  krb5 = mk { name = "krb5-1.21.2"; size = 28672; deps = [ openssl glibc ]; };
  firefox-esr = mk {
    name = if new then "firefox-esr-128.1.0" else "firefox-esr-128.0";
    size = if new then 337920 else 327680;
    deps = [ glibc zlib nss ];
  };
  openconnect = mk { name = "openconnect-9.12"; size = 24576; deps = [ openssl curl krb5 glibc ]; };
  opensc = mk { name = "opensc-0.25.0"; size = 20480; deps = [ openssl glibc ]; };
  weasis = mk { name = "weasis-4.3.0"; size = 131072; deps = [ zlib ]; };
  dcmtk = mk { name = "dcmtk-3.6.8"; size = 16384; deps = [ glibc zlib ]; };
  pcsc-tools = mk { name = "pcsc-tools-1.7.1"; size = 20480; deps = [ glibc ]; };
  # What NixOS itself brings, not the definition.
  bash = mk { name = "bash-interactive-5.2p26"; size = 98304; deps = [ glibc ]; };
  firmware = mk { name = "linux-firmware-20240115"; size = 409600; };
  tzdata = mk { name = "tzdata-2024a"; size = if new then 25600 else 24576; };
  nhosPackages =
    { inherit firefox-esr openconnect opensc weasis krb5; }
    // (if new then { inherit pcsc-tools; } else { inherit dcmtk; });
  system = mk {
    name = "nixos-system-clinical-24.05";
    size = 4096;
    deps = builtins.attrValues nhosPackages ++ [ bash firmware tzdata ]
      ++ (if new then [ openssl.bin ] else [ ]);
  };
in
system // { nhosPackages = builtins.mapAttrs (_: p: p.outPath) nhosPackages; }
