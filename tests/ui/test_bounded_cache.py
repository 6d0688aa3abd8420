"""The byte-bounded cache: the oldest go first, the newest always stays."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ui.bounded_cache import BytesLRU


def test_oldest_go_first_and_a_read_counts_as_use():
    cache: BytesLRU[bytes] = BytesLRU(10, len)
    cache.put("a", b"1234")
    cache.put("b", b"1234")
    assert cache.get("a") == b"1234"  # "a" is now the most recent
    cache.put("c", b"1234")  # 12 bytes > 10: the oldest ("b") goes
    assert cache.get("b") is None and cache.get("a") and cache.get("c")
    assert cache.nbytes == 8


def test_the_newest_stays_even_over_the_bound():
    cache: BytesLRU[bytes] = BytesLRU(10, len)
    cache.put("small", b"12")
    cache.put("huge", b"x" * 50)
    assert len(cache) == 1 and cache.get("huge") is not None


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 30)), max_size=40))
def test_never_over_the_bound_unless_one_value_is(puts):
    cache: BytesLRU[bytes] = BytesLRU(40, len)
    for key, size in puts:
        cache.put(key, b"x" * size)
        assert cache.nbytes <= 40 or len(cache) == 1
