"""The PyInstaller one-folder build (packaging/party-ledger.spec), built here on Linux and run as the
Windows build would be: the command line on a demo ledger through ``doc minutes``, the GUI offscreen
up to its first paint, from a folder that is not the repository. Then the NSIS installer script is
compiled around that build where ``makensis`` is installed (Debian's ``nsis``; ``.ci/run`` installs it).

The build takes about 35 s here. What this cannot show: that the Windows build and the installer
work on Windows (see packaging/README.md).
"""

import shutil
import subprocess
import sys

import pytest
from fixtures.installed import ROOT, clean_env, demo_and_minutes, run

pytest.importorskip("PyInstaller")

pytestmark = pytest.mark.slow

EXE = ".exe" if sys.platform == "win32" else ""


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    """dist/party-ledger of the spec, built once for this module's tests."""
    work = tmp_path_factory.mktemp("pyinstaller")
    run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", "--distpath", work / "dist",
         "--workpath", work / "build", ROOT / "packaging" / "party-ledger.spec"], work, clean_env(work / "home"),
        timeout=900)
    return work / "dist" / "party-ledger"


def test_the_bundle_holds_the_programs_files(bundle):
    data = bundle / "_internal" / "ledger_app"
    assert {p.name for p in (ROOT / "templates").glob("*.docx")} <= {p.name for p in (data / "templates").iterdir()}
    assert {p.name for p in (ROOT / "ledger_app" / "migrations").glob("*.sql")} <= {
        p.name for p in (data / "migrations").iterdir()}
    assert (data / "resources" / "fonts" / "wqy-microhei.ttc").is_file()
    assert (data / "resources" / "fonts" / "LICENSE-wqy-microhei.txt").is_file()
    assert (data / "resources" / "style.qss").is_file()
    assert list(bundle.rglob("qtbase_zh_CN.qm")), "Qt's Chinese translation is not in the bundle"


def test_the_built_program_prints_minutes_and_opens_its_window(bundle, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = clean_env(tmp_path / "home")
    made = demo_and_minutes([bundle / f"party-ledger{EXE}"], elsewhere, env)
    shown = run([bundle / f"党务台账{EXE}", "gui", "--db", made["ledger"]], elsewhere,
                {**env, "PARTY_LEDGER_STARTUP_PROBE": "1"}, timeout=120)
    assert shown.stdout.strip().splitlines()[-1] == "shown"


@pytest.mark.skipif(shutil.which("makensis") is None, reason="NSIS (makensis) is not installed")
def test_the_installer_script_compiles_around_the_build(bundle, tmp_path):
    setup = tmp_path / "party-ledger-setup.exe"
    # Uncompressed: LZMA over the 270 MB bundle takes minutes here, and the compressor is not what is checked.
    done = subprocess.run(["makensis", "-V2", "-WX", "-DUNCOMPRESSED", f"-DDIST={bundle}", f"-DOUTFILE={setup}",
                           str(ROOT / "packaging" / "installer.nsi")], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(setup, "rb") as handle:
        assert handle.read(2) == b"MZ"  # a Windows executable
