"""Local storage: streamed, hashed, content-addressed, size-limited, nothing left behind."""

import hashlib
import io

import pytest

from tracker.core.storage import EmptyFile, FileTooLarge, LocalStorage


def test_saves_under_the_content_hash(tmp_path):
    storage = LocalStorage(tmp_path)
    data = b"%PDF-1.7 isi berkas" * 10_000
    stored = storage.save(io.BytesIO(data))
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.key == stored.sha256
    assert stored.size == len(data)
    with storage.open(stored.key) as handle:
        assert handle.read() == data
    assert (tmp_path / stored.key[:2] / stored.key[2:4] / stored.key).exists()


def test_same_content_twice_is_stored_once(tmp_path):
    storage = LocalStorage(tmp_path)
    first = storage.save(io.BytesIO(b"sama"))
    second = storage.save(io.BytesIO(b"sama"))
    assert first == second
    assert not any((tmp_path / "incoming").iterdir())


def test_too_large_leaves_nothing(tmp_path):
    storage = LocalStorage(tmp_path)
    with pytest.raises(FileTooLarge):
        storage.save(io.BytesIO(b"x" * 1000), max_bytes=999)
    assert not any((tmp_path / "incoming").iterdir())
    assert [p.name for p in tmp_path.iterdir()] == ["incoming"]


def test_empty_file_is_refused(tmp_path):
    with pytest.raises(EmptyFile):
        LocalStorage(tmp_path).save(io.BytesIO(b""))


@pytest.mark.parametrize("key", ["../../etc/passwd", "abc", "Z" * 64])
def test_keys_cannot_name_other_paths(tmp_path, key):
    with pytest.raises(ValueError):
        LocalStorage(tmp_path).open(key)


def test_delete_and_exists(tmp_path):
    storage = LocalStorage(tmp_path)
    stored = storage.save(io.BytesIO(b"hapus aku"))
    assert storage.exists(stored.key)
    storage.delete(stored.key)
    assert not storage.exists(stored.key)
    storage.delete(stored.key)  # deleting twice is harmless
