"""The raw data: byte-identical to the seed, documented, never written to."""

from __future__ import annotations

import hashlib
import re

import pytest

from zhnews.io import ProtectedPathError, write_text_atomic
from zhnews.paths import RAW, ROOT, SEED

SEED_SHA256 = "c1d44d3397fe2fee062bfefa53453781f95e1ea952baa9ccc052d11cc4e41371"


def test_raw_article_checksum_matches_source_md():
    digest = hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert digest == SEED_SHA256
    assert SEED_SHA256 in (RAW / "SOURCE.md").read_text(encoding="utf-8")


def test_raw_article_is_the_handed_over_seed():
    handed_over = ROOT.parent / "shared" / "seed" / SEED.name
    if not handed_over.exists():
        pytest.skip("shared/seed/ is not beside this clone")
    assert SEED.read_bytes() == handed_over.read_bytes()


def test_source_md_states_sizes_that_hold():
    text = SEED.read_text(encoding="utf-8")
    source = (RAW / "SOURCE.md").read_text(encoding="utf-8")
    assert f"{len(SEED.read_bytes()):,} bytes" in source
    assert f"{len(text):,} characters" in source
    assert f"{len(re.findall(r'[一-鿿]', text)):,} Han characters" in source


def test_library_refuses_to_write_under_raw():
    with pytest.raises(ProtectedPathError, match="data/raw"):
        write_text_atomic(RAW / "new.txt", "x")
    assert not (RAW / "new.txt").exists()
