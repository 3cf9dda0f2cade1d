"""`nhos evidence`: a pack of the example (the HTML report, validation JSON and
SARIF, manifest, graph, plan) with a SHA-256 index, signed with an Ed25519 key made in the test;
`nhos evidence verify` and OpenSSH's own `ssh-keygen -Y verify` both accept it, and
a one-byte change to any file, an index edited after signing, a signature in
another namespace or a key that is not allowed all fail."""

import pathlib
import shutil
import subprocess

import pytest

from conftest import EXAMPLE, cli

TODAY = "2026-11-23"


def keypair(d: pathlib.Path, name: str) -> tuple[pathlib.Path, str]:
    key = d / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True)
    return key, (d / f"{name}.pub").read_text().strip()


@pytest.fixture()
def signed(tmp_path: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path, pathlib.Path]:
    if shutil.which("ssh-keygen") is None:
        pytest.fail("ssh-keygen is missing: apt-get install openssh-client")
    key, pub = keypair(tmp_path, "ciso")
    allowed = tmp_path / "allowed_signers"
    allowed.write_text(f'ciso@example.nhs.uk namespaces="nhos-evidence" {pub}\n')
    pack = tmp_path / "pack"
    r = cli("evidence", str(EXAMPLE), "-o", str(pack), "--sign", str(key), "--today", TODAY)
    assert r.returncode == 0, r.stderr
    return pack, allowed, key


def verify(pack: pathlib.Path, allowed: pathlib.Path) -> subprocess.CompletedProcess:
    return cli("evidence", "verify", str(pack), "--allowed-signers", str(allowed))


def test_a_signed_pack_verifies_with_nhos_and_with_ssh_keygen(signed, tmp_path) -> None:
    pack, allowed, key = signed
    names = sorted(p.name for p in pack.iterdir())
    assert names == ["SHA256SUMS", "SHA256SUMS.sig", "estate-graph.svg", "nhos-manifest.json",
                     "report.html", "validation.json", "validation.sarif"]
    r = verify(pack, allowed)
    assert r.returncode == 0, r.stderr
    assert "signed by ciso@example.nhs.uk" in r.stdout
    # OpenSSH agrees: the signature is in its format and namespace.
    with (pack / "SHA256SUMS").open("rb") as index:
        ssh = subprocess.run(
            ["ssh-keygen", "-Y", "verify", "-f", str(allowed), "-I", "ciso@example.nhs.uk",
             "-n", "nhos-evidence", "-s", str(pack / "SHA256SUMS.sig")],
            stdin=index, capture_output=True, text=True,
        )
    assert ssh.returncode == 0, ssh.stderr + ssh.stdout
    # And sha256sum agrees with the index.
    sums = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=pack, capture_output=True, text=True)
    assert sums.returncode == 0, sums.stdout
    # The same estate and day give the same pack, byte for byte (the signature too:
    # Ed25519 is deterministic).
    again = tmp_path / "again"
    r = cli("evidence", str(EXAMPLE), "-o", str(again), "--sign", str(key), "--today", TODAY)
    assert r.returncode == 0, r.stderr
    for p in pack.iterdir():
        assert (again / p.name).read_bytes() == p.read_bytes(), p.name


def test_any_one_byte_change_fails_verification(signed) -> None:
    pack, allowed, _ = signed
    for name in ("validation.json", "report.html", "nhos-manifest.json", "SHA256SUMS"):
        f = pack / name
        original = f.read_bytes()
        changed = bytearray(original)
        changed[len(changed) // 2] ^= 0x01
        f.write_bytes(bytes(changed))
        r = verify(pack, allowed)
        assert r.returncode == 1, f"{name}: {r.stdout}"
        f.write_bytes(original)
    assert verify(pack, allowed).returncode == 0
    extra = pack / "notes.txt"
    extra.write_text("added later\n")
    r = verify(pack, allowed)
    assert r.returncode == 1 and "not in its index" in r.stderr, r.stderr
    extra.unlink()


def test_a_key_not_allowed_or_another_namespace_fails(signed, tmp_path) -> None:
    pack, allowed, key = signed
    _, other = keypair(tmp_path, "intruder")
    only_other = tmp_path / "other_signers"
    only_other.write_text(f"intruder@example.org {other}\n")
    r = verify(pack, only_other)
    assert r.returncode == 1 and "not among the allowed signers" in r.stderr, r.stderr
    # A signature of the same index for another purpose (namespace) does not count.
    with (pack / "SHA256SUMS").open("rb") as index:
        sig = subprocess.run(["ssh-keygen", "-Y", "sign", "-q", "-f", str(key), "-n", "git"],
                             stdin=index, capture_output=True, check=True).stdout
    (pack / "SHA256SUMS.sig").write_bytes(sig)
    r = verify(pack, allowed)
    assert r.returncode == 1 and "namespace" in r.stderr, r.stderr


def test_a_pack_is_never_written_over_files_nhos_did_not_write(tmp_path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "keep.txt").write_text("mine\n")
    r = cli("evidence", str(EXAMPLE), "-o", str(target), "--today", TODAY)
    assert r.returncode == 2 and "not an evidence pack" in r.stderr, r.stderr
    assert (target / "keep.txt").read_text() == "mine\n"
    # An earlier pack is replaced in place.
    pack = tmp_path / "pack"
    assert cli("evidence", str(EXAMPLE), "-o", str(pack), "--today", TODAY).returncode == 0
    assert cli("evidence", str(EXAMPLE), "-o", str(pack), "--today", TODAY).returncode == 0


def test_a_pack_with_the_plan_from_an_older_copy(tmp_path) -> None:
    old = tmp_path / "old"
    shutil.copytree(EXAMPLE, old)
    r = cli("edit", str(old), "remove-package", "admin", "remmina", "--allow-errors")
    assert r.returncode == 0, r.stderr
    pack = tmp_path / "pack"
    r = cli("evidence", str(EXAMPLE), "-o", str(pack), "--old", str(old), "--today", TODAY)
    assert r.returncode == 0, r.stderr
    assert "remmina" in (pack / "plan.md").read_text()
    assert "remmina" in (pack / "report.html").read_text().split('id="plan"')[1]
    assert "plan.json" in (pack / "SHA256SUMS").read_text()


def test_allowed_signers_options_are_read_as_ssh_keygen_reads_them(signed, tmp_path) -> None:
    pack, _, _ = signed
    pub = (tmp_path / "ciso.pub").read_text().strip()
    cases = {
        "cert-authority": False,
        'valid-before="20000101"': False,
        'valid-after="20990101"': False,
        'NAMESPACES="git"': False,
        'namespaces="*,!nhos-evidence"': False,
        'namespaces="nhos-*"': True,
        'valid-after="20000101",namespaces="nhos-evidence"': True,
    }
    for options, accepted in cases.items():
        allowed = tmp_path / "signers"
        allowed.write_text(f"ciso@example.nhs.uk {options} {pub}\n")
        ours = verify(pack, allowed).returncode == 0
        with (pack / "SHA256SUMS").open("rb") as index:
            theirs = subprocess.run(
                ["ssh-keygen", "-Y", "verify", "-f", str(allowed), "-I", "ciso@example.nhs.uk",
                 "-n", "nhos-evidence", "-s", str(pack / "SHA256SUMS.sig")],
                stdin=index, capture_output=True,
            ).returncode == 0
        assert ours == accepted == theirs, (options, ours, theirs)
    allowed.write_text(f"ciso@example.nhs.uk no-such-option {pub}\n")
    r = verify(pack, allowed)
    assert r.returncode == 1 and "unknown option" in r.stderr, r.stderr


def test_a_directory_with_its_own_sha256sums_is_not_taken_for_a_pack(tmp_path) -> None:
    d = tmp_path / "downloads"
    d.mkdir()
    (d / "ubuntu.iso").write_bytes(b"not ours")
    subprocess.run("sha256sum ubuntu.iso > SHA256SUMS", shell=True, cwd=d, check=True)
    r = cli("evidence", str(EXAMPLE), "-o", str(d), "--today", TODAY)
    assert r.returncode == 2 and "not an evidence pack" in r.stderr, r.stderr
    assert (d / "ubuntu.iso").read_bytes() == b"not ours"
    # An index that lists a file twice does not verify, whatever its hashes.
    pack = tmp_path / "pack"
    assert cli("evidence", str(EXAMPLE), "-o", str(pack), "--today", TODAY).returncode == 0
    index = (pack / "SHA256SUMS").read_text()
    (pack / "SHA256SUMS").write_text(index + index.splitlines()[0] + "\n")
    r = cli("evidence", "verify", str(pack), "--allowed-signers", str(d / "SHA256SUMS"))
    assert r.returncode == 1 and "listed twice" in r.stderr, r.stderr
