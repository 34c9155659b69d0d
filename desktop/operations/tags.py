"""The tag ops of the tags manager: rename (undone by renaming back), merge, delete.

A merge and a delete cannot be taken back: the API answers them with the surviving
tag (or nothing) and keeps no record of which expenses carried the tag that went
away, so no call could give it back to exactly those expenses. Rebuilding that from
the client would mean reading every tagged expense first and a PATCH per expense
later, racing any edit made in between; the confirmation says "cannot be undone"
instead.
"""

from __future__ import annotations

from urllib.parse import unquote

from desktop.client.tags import tag_path
from desktop.operations.ops import Call, Changes, Op
from wire.tags import Tag, TagRename

TAGS = "/api/v1/tags/"
CHANGES = int(Changes.TAGS | Changes.EXPENSES)  # the rows' chips change too


def _noun(count: int) -> str:
    return "1 expense" if count == 1 else f"{count} expenses"


def rename_tag(tag: Tag, new_name: str) -> Op:
    """Raises ``wire.validation.FieldError`` for a name the API would refuse."""
    body = {"name": TagRename(new_name).name}
    return Op(f"Rename tag {tag.name}", CHANGES, [Call("PATCH", tag_path(tag.name), body)])


def merge_tag(tag: Tag, into: Tag) -> Op:
    """Rename ``tag`` onto ``into``: its expenses carry ``into`` (spelled as it is)."""
    call = Call("PATCH", tag_path(tag.name), {"name": into.name})
    return Op(f"Merge tag {tag.name} into {into.name}", CHANGES, [call], undoable=False)


def delete_tag(tag: Tag) -> Op:
    """Remove ``tag`` from every expense (the expenses stay)."""
    label = f"Remove tag {tag.name} from {_noun(tag.count)}"
    return Op(label, CHANGES, [Call("DELETE", tag_path(tag.name))], undoable=False)


def is_tag_call(call: Call) -> bool:
    return call.path.startswith(TAGS)


def tag_name(call: Call) -> str:
    """The tag a call names in its path, decoded."""
    return unquote(call.path.removeprefix(TAGS))


def undo_rename(call: Call) -> Call | None:
    """A rename's inverse: the new name renamed back to the old spelling."""
    if call.method != "PATCH" or not call.body:
        return None
    return Call("PATCH", tag_path(call.body["name"]), {"name": tag_name(call)})
