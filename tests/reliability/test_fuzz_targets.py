"""Every fuzz target in fuzz/ runs under libFuzzer for a few seconds without a finding (CI's bounded run).

The long runs are ``make fuzz`` (``python fuzz/run_all.py --seconds N``); their figures are in docs/RELIABILITY.md.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.harness import ROOT, cli_env

FAST_TARGETS = ["seed", "text", "jsonl", "json", "csv", "tsv", "html", "files", "query"]


@pytest.mark.parametrize("target", [*FAST_TARGETS, "extractors"])
def test_fuzz_target_runs_clean(tmp_path: Path, target: str) -> None:
    seconds = 20 if target == "extractors" else 4  # the extractors load the language model first
    result = subprocess.run(
        [sys.executable, str(ROOT / "fuzz" / "harness.py"), target, f"-max_total_time={seconds}", "-max_len=4096",
         f"-artifact_prefix={tmp_path}/", "-rss_limit_mb=4096"],
        env=cli_env(), capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    runs = int(re.search(r"Done (\d+) runs", result.stderr).group(1))  # type: ignore[union-attr]
    assert runs > (5 if target == "extractors" else 100)
    assert not list(tmp_path.iterdir()), "libFuzzer wrote a crashing input"
