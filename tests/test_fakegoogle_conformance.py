"""The fake answers the recorded gspread traffic in Google's shapes.

Each recording in ``../shared/google-api-recordings/gspread-6.2`` is replayed
in order against a freshly reset fake; status codes and the JSON shape of
every answer (keys present, value types) must match what Google sent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.fakegoogle import FakeGoogle
from tests.fakegoogle.replay import replay

pytest_plugins = ["tests.conftest_google"]

RECORDINGS = Path(__file__).resolve().parents[1].parent / "shared" / "google-api-recordings" / "gspread-6.2"
FLOOR = 100


@pytest.mark.skipif(not RECORDINGS.is_dir(), reason="recorded Google traffic (../shared/google-api-recordings) is not available")
def test_recordings_replay_with_googles_shapes(fake_google: FakeGoogle, capsys: pytest.CaptureFixture[str]) -> None:
    cassettes = sorted(RECORDINGS.glob("*.json"))
    session = requests.Session()
    verdicts = [replay(fake_google, path, session) for path in cassettes]
    matching = [v for v in verdicts if v.ok]
    exchanges = [e for v in verdicts for e in v.exchanges]
    with capsys.disabled():
        print(
            f"\nconformance: {len(matching)} of {len(verdicts)} recordings match fully "
            f"({sum(e.ok for e in exchanges)} of {len(exchanges)} exchanges)"
        )
        for verdict in verdicts:
            if not verdict.ok:
                print(f"  {verdict.name}: {verdict.first_problem()}")
    assert len(verdicts) == 100
    assert len(matching) >= FLOOR
