"""The matcher and search caches are pickles: they are read only from a folder that is the
user's own with mode 0700, and only files of the user's that no one else can write; with no
such folder nothing is cached and everything is rebuilt in memory."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest

from intents import text


class Trap:
    """Unpickling this writes a file: the code another local user would like to run."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("YIBAO_CACHE_DIR", str(folder))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    text._cache_dir.cache_clear()
    yield folder
    text._cache_dir.cache_clear()


def test_the_cache_folder_is_created_0700_and_files_0600(cache):
    text.write_cached("x.pickle", {"a": 1})
    assert text.cache_dir() == cache
    assert cache.stat().st_mode & 0o777 == 0o700
    assert (cache / "x.pickle").stat().st_mode & 0o777 == 0o600
    assert text.read_cached("x.pickle") == {"a": 1}


def test_a_folder_of_ours_that_others_may_enter_is_narrowed(cache):
    cache.mkdir(mode=0o777)
    os.chmod(cache, 0o777)
    assert text.cache_dir() == cache and cache.stat().st_mode & 0o777 == 0o700


def test_a_folder_owned_by_someone_else_is_never_used(cache, tmp_path, monkeypatch):
    cache.mkdir(mode=0o700)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(cache).st_uid + 1)
    assert text.cache_dir() is None
    assert text.read_cached("x.pickle") is None


def test_a_symlinked_folder_is_never_used(cache, tmp_path):
    (tmp_path / "elsewhere").mkdir(mode=0o700)
    cache.symlink_to(tmp_path / "elsewhere")
    assert text.cache_dir() == tmp_path / "home" / ".cache" / "yibao"  # the next candidate


def test_a_planted_pickle_that_others_could_write_is_not_loaded(cache, tmp_path):
    cache.mkdir(mode=0o700)
    marker = tmp_path / "ran"
    planted = cache / "matcher.pickle"
    planted.write_bytes(pickle.dumps(Trap(str(marker))))
    os.chmod(planted, 0o666)
    assert text.read_cached("matcher.pickle") is None and not marker.exists()
    (cache / "link.pickle").symlink_to(planted)
    assert text.read_cached("link.pickle") is None and not marker.exists()


def test_without_a_private_folder_nothing_is_cached_and_answers_still_come(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_CACHE_HOME", "YIBAO_CACHE_DIR")}
    env.update(HOME=str(blocker), YIBAO_CACHE_DIR=str(blocker / "cache"), TMPDIR=str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    p = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "断保一年要等多久"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert p.returncode == 0 and '"intent": "waiting_' in p.stdout, p.stderr
    assert not any((tmp_path / "tmp").rglob("*.pickle")), "no pickle in a shared temporary folder"
