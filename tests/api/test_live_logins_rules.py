"""What a ``login_ended`` notice does to a process's cache, for every payload.

The database side (the triggers announce every end of a login, a process falls
back when its LISTEN connection is lost) is tested with real servers in
test_live_logins.py; this is the rule for the payloads themselves: a notice never
leaves behind the login or the user it names, and one it cannot read empties the
whole cache rather than being ignored.
"""

from __future__ import annotations

import inspect
import uuid

import asyncpg
from hypothesis import given
from hypothesis import strategies as st

from api.auth.live_logins import LiveLogins

entries = st.dictionaries(st.uuids(), st.tuples(st.integers(1, 5), st.floats(0, 1e9)), max_size=20)
payloads = st.one_of(
    st.uuids().map(str),
    st.integers(1, 5).map(lambda user: f"user:{user}"),
    st.just("*"),
    st.text(max_size=40),
)


def _cache(contents: dict[uuid.UUID, tuple[int, float]]) -> LiveLogins:
    cache = LiveLogins()
    cache._entries = dict(contents)
    return cache


def _parsed(parse, text: str):
    try:
        return parse(text)
    except ValueError:
        return None


@given(entries, payloads, st.data())
def test_a_notice_never_leaves_what_it_names(contents, payload, data):
    if contents and data.draw(st.booleans()):  # often name a login that is cached
        payload = str(data.draw(st.sampled_from(sorted(contents))))
    cache = _cache(contents)
    before = cache._generation
    cache._on_notice(None, 0, "login_ended", payload)  # the same as _apply_notice
    after = cache._entries
    assert cache._generation > before  # an answer in flight is never stored now
    if payload.startswith("user:"):
        user = _parsed(int, payload[5:])
        assert after == (
            {k: v for k, v in contents.items() if v[0] != user} if user is not None else {}
        )
    elif (login := _parsed(uuid.UUID, payload)) is not None:
        assert after == {k: v for k, v in contents.items() if k != login}
    else:
        assert after == {}


@given(entries, st.integers(1, 5))
def test_forgetting_a_user_forgets_every_login_of_theirs_and_no_other(contents, user):
    cache = _cache(contents)
    cache.forget_user(user)
    assert cache._entries == {k: v for k, v in contents.items() if v[0] != user}


def test_asyncpg_still_has_the_hook_that_applies_notices_as_they_are_parsed():
    # Without it notices still arrive (the public listener), one loop turn later.
    hook = getattr(asyncpg.Connection, "_process_notification", None)
    assert callable(hook)
    assert list(inspect.signature(hook).parameters) == ["self", "pid", "channel", "payload"]
