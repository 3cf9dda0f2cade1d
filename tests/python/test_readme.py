"""The README's Python quickstart runs as written."""

import os
import re

from conftest import ROOT


def test_readme_python_quickstart(tmp_path, monkeypatch):
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "the README has a Python quickstart"
    monkeypatch.chdir(ROOT)
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {"__name__": "readme", "TMP": str(tmp_path)})
