"""Handler dependencies resolved one after another, not in a task group each.

Litestar resolves the independent dependencies of a handler concurrently: with two
or more (the expense list takes ``user_id``, ``filters`` and ``settings``) it opens
an anyio task group and starts a task per dependency. Ours are all synchronous
and cheap (a value from the token, the query string parsed, the settings), so the
concurrency buys nothing, while the tasks, their cancel scopes and anyio's
``current_task`` lookups (a ``getpid`` system call each on Python 3.11) cost more
than the rest of the handler: py-spy put them at a fifth of the summary's CPU
under wrk, and resolving in sequence took the summary from 2,480 to 3,130 req/s
and the list from 1,450 to 1,700 (Litestar's own tracker records the same cliff
from one dependency to two). A batch still waits for the one before it, so a
dependency that needs another is resolved after it, as before.

Litestar offers no setting for this, so :func:`resolve_in_sequence` replaces the
method of its (private) ``KwargsModel``; ``tests/api/test_dependencies.py`` fails
if a release moves it, or if a handler's dependencies start a task group again.
"""

from __future__ import annotations

from typing import Any

from litestar._kwargs.cleanup import DependencyCleanupGroup
from litestar._kwargs.dependencies import resolve_dependency
from litestar._kwargs.kwargs_model import KwargsModel
from litestar.connection import ASGIConnection


async def _resolve_dependencies(
    self: KwargsModel, connection: ASGIConnection[Any, Any, Any, Any], kwargs: dict[str, Any]
) -> DependencyCleanupGroup:
    cleanup_group = DependencyCleanupGroup()
    for batch in self.dependency_batches:
        for dependency in batch:
            await resolve_dependency(dependency, connection, kwargs, cleanup_group)
    return cleanup_group


def resolve_in_sequence() -> None:
    """Make every Litestar app in this process resolve dependencies in sequence."""
    KwargsModel.resolve_dependencies = _resolve_dependencies  # type: ignore[method-assign]
