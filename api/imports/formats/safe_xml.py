"""The one way a statement's XML is parsed: no DTD, no entities, no network.

defusedxml wraps the standard library's expat parser and raises as soon as the
document declares a DTD, an entity or an external reference — which is exactly
what XXE (reading local files, reaching the network) and "billion laughs"
(exponential entity expansion) need. Bank XML (camt.053) never declares any of
them, so refusing them outright loses nothing. lxml would do the same with
``resolve_entities=False, no_network=True`` but is a compiled dependency the
project does not otherwise need.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from api.imports.formats.base import UnreadableFile, UnsafeFile

_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_UNSAFE = (
    "The file declares a DTD, entities or external references, which statements never "
    "need; it was not read."
)


def refuse_dtd(data: bytes) -> None:
    """For XML read by another tokeniser (OFX 2.x through ofxtools): the same refusal.

    ofxtools expands no entities, so nothing could leak; refusing here keeps one rule
    for every XML statement, whichever reader takes it.
    """
    if _DTD.search(data[: 64 * 1024]):
        raise UnsafeFile(_UNSAFE)


def parse(data: bytes) -> Element:
    """The document's root, namespaces stripped from every tag; or a refusal.

    Neither message quotes the document: the error names only the line.
    """
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise UnsafeFile(_UNSAFE) from None
    except ParseError as exc:
        line = exc.position[0] if exc.position else 0
        raise UnreadableFile(f"The file is not well-formed XML (line {line}).") from None
    # Every version of a schema has its own namespace (camt.053.001.02 … .08);
    # local names let one reader serve them all.
    for element in root.iter():
        if "}" in element.tag:
            element.tag = element.tag.rpartition("}")[2]
    return root


def text(element: Element | None, path: str) -> str | None:
    """The stripped text at ``path`` under ``element``, or None when absent or empty."""
    if element is None:
        return None
    found = element.find(path)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None
