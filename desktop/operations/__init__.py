"""Every change the desktop makes is an ``Op`` run by the one ``OperationRunner``.

Undo, redo and the offline queue all stand on that single choke point (Anki's
``aqt/operations``): ``ops`` (the data), ``calls`` (sending one call, replay-safe),
``expenses`` (the ops of the expenses view), ``runner`` (queue, undo, sync state).
"""

from desktop.operations.inverses import inverse
from desktop.operations.ops import Call, Changes, Op

__all__ = ["Call", "Changes", "Op", "inverse"]
