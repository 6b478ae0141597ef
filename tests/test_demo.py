"""`pamong demo --no-serve` on a fresh SQLite instance: tenants, accounts, a sealed audit chain."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _pamong(*args, instance):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAMONG_")}
    env["PAMONG_INSTANCE"] = str(instance)
    return subprocess.run([sys.executable, "-c", "import cli; cli.main()", *args], cwd=ROOT,
                          capture_output=True, text=True, env=env, timeout=300)


def test_demo_sets_up_every_example_tenant(tmp_path):
    result = _pamong("demo", "--no-serve", instance=tmp_path)
    assert result.returncode == 0, result.stderr
    for slug in ("makassar", "bandung", "banten", "tangerang"):
        assert f"http://127.0.0.1:5000/t/{slug}/" in result.stdout
        assert f"http://{slug}.localhost:5000/" in result.stdout
        assert f"admin@{slug}.test" in result.stdout
    assert (tmp_path / "pamong.db").exists()
    import sqlite3

    with sqlite3.connect(tmp_path / "pamong.db") as db:  # letters and pages name people, not addresses
        names = dict(db.execute("SELECT email, name FROM users"))
    from core.commands.server import demo_name

    assert names["admin@makassar.test"] == demo_name("admin", "makassar")
    assert names["operator@pamong.test"] == "Operator Pamong"
    for login in ("staf", "officer"):  # the core's accounts: people of their own in each city too
        assert len({names[f"{login}@{slug}.test"] for slug in ("makassar", "bandung", "tangerang", "banten")}) == 4
    assert all(names.values()), names
    with sqlite3.connect(tmp_path / "pamong.db") as db:  # the signer's NIP, rank and gelar on the first run
        signer = db.execute("SELECT nip, rank, title_front, name, title_back FROM users "
                            "WHERE email = 'kadis.dlh@makassar.test'").fetchone()
    assert signer == ("197503122000031002", "Pembina Tk. I (IV/b)", "Ir.", "Hasanuddin Rauf", "M.T.")
    # each city's e-office officials are people of its own (trial t14e: one Kepala DLH in every city)
    heads = {names[f"kadis.dlh@{slug}.test"] for slug in ("makassar", "bandung", "tangerang")}
    assert len(heads) == 3, heads
    # the e-office demo's officials are people of their own, listed with their positions
    assert "walikota@makassar.test" in result.stdout and "Wali Kota Makassar" in result.stdout
    assert "sekda@makassar.test" in result.stdout and "Plt. Kepala Dinas Pekerjaan Umum" in result.stdout
    officer = [line for line in result.stdout.splitlines() if "officer@makassar.test" in line]
    assert len(officer) == 1 and officer[0].rstrip().endswith("Sekretaris Dinas Lingkungan Hidup")  # its position
    with sqlite3.connect(tmp_path / "pamong.db") as db:  # e-office: letters between Makassar and Bandung, Tangerang's
        letters = db.execute("SELECT t.slug, l.origin_tenant, l.drafter FROM eoffice_letters l "
                             "JOIN tenants t ON t.id = l.tenant_id").fetchall()
    assert {(slug, origin) for slug, origin, _d in letters if origin} == {("bandung", "makassar"), ("makassar", "bandung")}
    assert {slug for slug, _o, _d in letters} == {"makassar", "bandung", "tangerang"}  # Banten: its cities' figures
    assert not [d for _s, _o, d in letters if d.startswith("system")]  # people draft every letter
    verify = _pamong("audit", "verify", instance=tmp_path)
    assert verify.returncode == 0 and "0 not yet sealed" in verify.stdout
    assert "BROKEN" not in verify.stdout
    again = _pamong("demo", "--no-serve", instance=tmp_path)  # running it twice is harmless
    assert again.returncode == 0, again.stderr


def test_serve_answers_http(tmp_path):
    """`pamong serve` really serves (inside Flask's CLI, app.run() would silently decline)."""
    import socket
    import time
    import urllib.request

    assert _pamong("init", instance=tmp_path).returncode == 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAMONG_")}
    env["PAMONG_INSTANCE"] = str(tmp_path)
    server = subprocess.Popen([sys.executable, "-c", "import cli; cli.main()", "serve", "--port", str(port)],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline and status is None:
            try:
                status = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).status
            except OSError:
                time.sleep(0.3)
        assert status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
