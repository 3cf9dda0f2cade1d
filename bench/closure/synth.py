#!/usr/bin/env python3
"""Writes a synthetic Nix store of two system closures for the closure-diff
benchmark: ROOT/nix/var/nix/db/db.sqlite with Nix's schema (version 10, as in
NixOS/nix src/libstore/schema.sql) and the two toplevels as directories under
ROOT/nix/store, so that nhos, `nix store diff-closures` and dix read the same
store when ROOT/nix is bind-mounted on /nix.

The old system has N paths: a random DAG (each path refers to up to 8 earlier
ones, and every path is referred to), packages with realistic name-version
shapes, a few names at two versions, NAR sizes from 1 KiB to 8 MiB. The new system
upgrades 3 % of the packages, rebuilds 2 % at the same version, adds and removes
1 %, and rebuilds everything that depends on a changed path (the ripple of a
nixpkgs update). Deterministic for a given N and seed.

usage: synth.py ROOT N [SEED]   (prints the old and new toplevel paths)
"""

import os
import random
import sqlite3
import sys

NIX32 = "0123456789abcdfghijklmnpqrsvwxyz"
SCHEMA = """
create table if not exists ValidPaths (
    id               integer primary key autoincrement not null,
    path             text unique not null,
    hash             text not null,
    registrationTime integer not null,
    deriver          text,
    narSize          integer,
    ultimate         integer,
    sigs             text,
    ca               text
);
create table if not exists Refs (
    referrer  integer not null,
    reference integer not null,
    primary key (referrer, reference),
    foreign key (referrer) references ValidPaths(id) on delete cascade,
    foreign key (reference) references ValidPaths(id) on delete restrict
);
create index if not exists IndexReferrer on Refs(referrer);
create index if not exists IndexReference on Refs(reference);
create table if not exists DerivationOutputs (
    drv  integer not null,
    id   text not null,
    path text not null,
    primary key (drv, id),
    foreign key (drv) references ValidPaths(id) on delete cascade
);
create index if not exists IndexDerivationOutputs on DerivationOutputs(path);
"""

WORDS = ["lib", "py", "perl", "gnome", "x", "qt", "font", "gst", "rust", "go", "node", "tex"]


def letters(i: int) -> str:
    """A name part without digits (a digit after a dash would start the version)."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(ord("a") + r) + s
    return s


def main() -> None:
    root, n = sys.argv[1], int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    store = "/nix/store"

    def digest() -> str:
        return "".join(rng.choice(NIX32) for _ in range(32))

    def sha() -> str:
        return "sha256:" + "".join(rng.choice("0123456789abcdef") for _ in range(64))

    # Packages of the old system: (name, version, size, refs).
    names = []
    for i in range(n - 1):
        if i % 40 == 39 and names:
            base = names[rng.randrange(len(names))][0]  # a second version of a name
        else:
            base = f"{rng.choice(WORDS)}-{letters(i)}"
        names.append((base, f"{rng.randrange(1, 30)}.{rng.randrange(0, 20)}.{rng.randrange(0, 9)}"))
    sizes = [int(1024 * 2 ** rng.uniform(0, 13)) for _ in names]
    refs = [sorted(set(rng.randrange(i) for _ in range(rng.randrange(0, 9)))) if i else [] for i in range(len(names))]
    # Every path is referred to by a later one (or by the toplevel).
    referred = [False] * len(names)
    for r in refs:
        for j in r:
            referred[j] = True
    top_refs = [i for i in range(len(names)) if not referred[i]]

    rows: dict[str, tuple[str, int]] = {}
    edges: list[tuple[str, str]] = []

    def path(i: int, d: str, ver: str) -> str:
        return f"{store}/{d}-{names[i][0]}-{ver}"

    old = [path(i, digest(), names[i][1]) for i in range(len(names))]
    for i, p in enumerate(old):
        rows[p] = (sha(), sizes[i])
        edges.extend((p, old[j]) for j in refs[i])
    old_top = f"{store}/{digest()}-nixos-system-bench-24.05"
    rows[old_top] = (sha(), 4096)
    edges.extend((old_top, old[j]) for j in top_refs)

    # The new system.
    changed = [False] * len(names)
    version = [v for _, v in names]
    size = list(sizes)
    for i in range(len(names)):
        x = rng.random()
        if x < 0.03:
            a, b, c = version[i].split(".")
            version[i] = f"{a}.{int(b) + 1}.0"
            size[i] = int(size[i] * rng.uniform(0.9, 1.2))
            changed[i] = True
        elif x < 0.05:
            changed[i] = True
    removed = {i for i in range(len(names)) if rng.random() < 0.01}
    for i in range(len(names)):  # the ripple: refs are earlier, so one pass
        if any(changed[j] or j in removed for j in refs[i]):
            changed[i] = True
    new = []
    for i in range(len(names)):
        new.append(path(i, digest(), version[i]) if changed[i] else old[i])
    for i, p in enumerate(new):
        if changed[i]:
            rows[p] = (sha(), size[i])
            edges.extend((p, new[j]) for j in refs[i] if j not in removed)
    added = []
    for k in range(max(1, n // 100)):
        p = f"{store}/{digest()}-added-{letters(k)}-1.0.{k % 9}"
        rows[p] = (sha(), int(1024 * 2 ** rng.uniform(0, 13)))
        edges.extend((p, new[j]) for j in rng.sample(range(len(names)), 2) if j not in removed)
        added.append(p)
    new_top = f"{store}/{digest()}-nixos-system-bench-24.05"
    rows[new_top] = (sha(), 4096)
    keep = [new[j] for j in top_refs if j not in removed] + added
    # Paths only removed packages referred to are dropped with them; the toplevel
    # keeps the rest reachable.
    orphans = {new[j] for j in range(len(names)) if j not in removed}
    for (a, b) in edges:
        orphans.discard(b)
    keep += sorted(orphans - set(keep) - {new[j] for j in removed})
    edges.extend((new_top, p) for p in keep)

    db_dir = os.path.join(root, "nix/var/nix/db")
    os.makedirs(db_dir, exist_ok=True)
    db_path = os.path.join(db_dir, "db.sqlite")
    if os.path.exists(db_path):
        os.remove(db_path)
    with open(os.path.join(db_dir, "schema"), "w") as f:
        f.write("10")
    con = sqlite3.connect(db_path)
    con.executescript(SCHEMA)
    ids = {}
    for p, (h, s) in sorted(rows.items()):
        cur = con.execute(
            "insert into ValidPaths (path, hash, registrationTime, narSize, ultimate) values (?, ?, 1, ?, 1)",
            (p, h, s),
        )
        ids[p] = cur.lastrowid
    con.executemany(
        "insert or ignore into Refs (referrer, reference) values (?, ?)",
        ((ids[a], ids[b]) for a, b in edges),
    )
    con.commit()
    con.close()
    for top in (old_top, new_top):
        os.makedirs(os.path.join(root, top.lstrip("/")), exist_ok=True)
    print(old_top)
    print(new_top)


if __name__ == "__main__":
    main()
