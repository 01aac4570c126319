"""Where a rule comes from and how sure we are of it (evidence tags of docs/reference domain rules §0).

``S`` confirmed in a retrieved public text, ``M`` from memory of the official text (verify before production),
``U`` uncertain or a placeholder.  Every rule item carries its tag so the UI can label values from memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from industria.engines.common.parsing import SOURCE_TAGS, Node


@dataclass(frozen=True)
class Source:
    """Evidence for one rule item: tag S/M/U, the document number, reference URLs and a note."""

    tag: str
    document_no: str | None = None
    urls: tuple[str, ...] = ()
    note: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"tag": self.tag, "document_no": self.document_no, "urls": list(self.urls), "note": self.note}


def parse_source(node: Node | None, default: Source) -> Source:
    """``{tag: S|M|U, document_no?, url?|urls?, note?}``, or just the tag as a string; absent = ``default``."""
    if node is None:
        return default
    if isinstance(node.value, str):
        return Source(tag=_tag(node), document_no=default.document_no)
    node.mapping(allowed=("tag", "document_no", "url", "urls", "note"), required=("tag",))
    urls: tuple[str, ...] = ()
    if (url := node.get("url")) is not None:
        urls = (url.as_str(),)
    if (many := node.get("urls")) is not None:
        urls = urls + many.as_str_list()
    document_no = node.get("document_no")
    note = node.get("note")
    return Source(
        tag=_tag(node.req("tag")),
        document_no=document_no.as_str() if document_no is not None else default.document_no,
        urls=urls,
        note=note.as_str() if note is not None else None,
    )


def _tag(node: Node) -> str:
    tag = node.as_str()
    if tag not in SOURCE_TAGS:
        raise node.fail(f"expected an evidence tag {' | '.join(SOURCE_TAGS)}, got {tag!r}")
    return tag
