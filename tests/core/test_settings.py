"""Settings: the generated secret key is shared by processes started together and readable only by us."""

from __future__ import annotations

import os
import stat
import subprocess
import sys


def test_processes_started_together_agree_on_one_private_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SHOPOPS_SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    env["SHOPOPS_DATA_DIR"] = str(tmp_path)
    code = "import shopops.settings as s; print(s.SECRET_KEY)"
    processes = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
                 for _ in range(6)]
    keys = {p.communicate(timeout=60)[0].strip() for p in processes}
    assert len(keys) == 1 and len(keys.pop()) >= 50
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
