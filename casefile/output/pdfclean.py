"""What a PDF must not bring to readers: scripts, actions that run, open or send something, and embedded files.

A PDF viewer runs a document's JavaScript when it opens, when a page turns, when the mouse passes over a
link or a form field changes; actions can start a program, send a form to a server, or open another file;
embedded files travel unseen with the document and can hold anything, the notes that name a source included.
:func:`clean` takes all of them out of a :class:`pypdf.PdfWriter`, wherever they sit, and keeps what readers
see: the pages, their links to web addresses and within the document, the bookmarks. A PDF whose content *is*
its active part (a portfolio, a form its scripts draw) cannot be cleaned without losing it: :class:`Refused`.
"""

from __future__ import annotations

import io
import re
from collections import Counter

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, PdfObject

# Actions that only move within the document, or show and hide parts of it: kept.
_SAFE = {"/GoTo", "/Named", "/SetOCGState", "/Trans"}
_PAGE_TURNS = {"/NextPage", "/PrevPage", "/FirstPage", "/LastPage"}  # the named actions every viewer knows
_ACTIONS = {  # the rest, in words
    "/JavaScript": "JavaScript",
    "/Launch": "launch action",
    "/SubmitForm": "form submission",
    "/ImportData": "data import",
    "/GoToR": "link to another file",
    "/GoToE": "link into an embedded file",
    "/RichMediaExecute": "rich media command",
    "/Rendition": "media rendition",
    "/Movie": "movie",
    "/Sound": "sound",
    "/Thread": "link to an article thread",
    "/ResetForm": "form reset",
    "/Hide": "annotation hiding",
    "/GoTo3DView": "3D view",
    "/Named": "menu command",
}
_WEB = ("http:", "https:", "mailto:")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]{0,30}:")
# Annotations that exist to play, show or hold something else: removed whole.
_ANNOTATIONS = {
    "/FileAttachment": "embedded file (attached to the page)",
    "/RichMedia": "rich media (Flash or video with scripts)",
    "/3D": "3D model (can run scripts)",
    "/Screen": "media player",
    "/Movie": "movie",
    "/Sound": "sound",
}


class Refused(Exception):
    """A PDF whose visible content depends on what would be removed: the message, then how to publish it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def clean(writer: PdfWriter) -> list[str]:
    """Remove every script, every action other than a move within the document or to a web address, and every
    embedded file from ``writer``, and then whatever nothing refers to any more (also what the caller removed
    before); the rest of the document stays as it was. What went, in words, each once (with ``×N`` when there
    were several); nothing of its content is copied into the words (build logs may be public)."""
    root = writer.root_object
    if "/Collection" in root:
        raise Refused(
            "is a PDF portfolio: the documents in it are embedded files, which the site does not publish",
            "publish each document in it as a PDF of its own",
        )
    if root.get("/NeedsRendering"):
        raise Refused(
            "is a dynamic XFA form: its pages are drawn by its scripts, which the site does not publish",
            "print it to a new PDF, and publish that",
        )
    found: Counter[str] = Counter()
    _Walk(root, found).run()
    _drop_unreachable(writer)
    return [f"{what} ×{count}" if count > 1 else what for what, count in found.items()]


class _Walk:
    """Every dictionary reachable from the catalog, once, each cleaned before its contents are visited."""

    def __init__(self, root: DictionaryObject, found: Counter[str]) -> None:
        self.root = root
        self.found = found

    def run(self) -> None:
        seen: set[int] = set()
        todo: list[PdfObject] = [self.root]
        while todo:  # a list, not recursion: a chain of 100,000 bookmarks is as deep
            item = todo.pop().get_object()
            if id(item) in seen:
                continue
            seen.add(id(item))
            if isinstance(item, DictionaryObject):
                self.clean(item)
                todo += item.values()
            elif isinstance(item, ArrayObject):
                todo += item

    def clean(self, holder: DictionaryObject) -> None:
        where = self.where(holder)
        for key, place in (("/OpenAction", "open action"), ("/A", where)):
            if key in holder and (what := _action(holder[key], place)):
                self.found[what] += 1
                del holder[key]
        if "/AA" in holder:  # on opening, closing, printing, a mouse or a key: never what a reader asked for
            triggers = holder["/AA"].get_object()
            for action in triggers.values() if isinstance(triggers, DictionaryObject) else []:
                self.found[_action(action, f"{where} action") or f"automatic action ({where})"] += 1
            del holder["/AA"]
        if "/S" in holder and "/Next" in holder:  # an action, followed by others
            following = holder["/Next"].get_object()
            chained = list(following) if isinstance(following, ArrayObject) else [following]
            removed = [what for action in chained if (what := _action(action, "chained action"))]
            if removed:
                self.found.update(removed)
                kept = [action for action in chained if not _action(action, "chained action")]
                del holder["/Next"]
                if kept:
                    holder[NameObject("/Next")] = ArrayObject(kept)
        if "/JS" in holder:  # a script outside any action above
            self.found["JavaScript"] += 1
            del holder["/JS"]
        names = holder.get("/Names")
        if names is not None and isinstance(names.get_object(), DictionaryObject):
            self.names(names.get_object())
        for key, what in (("/AF", "embedded file (associated file)"), ("/EF", "embedded file")):
            if key in holder:
                files = holder[key].get_object()
                self.found[what] += len(files) if key == "/AF" and isinstance(files, ArrayObject) else 1
                del holder[key]
        if "/XFA" in holder:
            self.found["XFA form (can run scripts)"] += 1
            del holder["/XFA"]
        if "/Annots" in holder:
            self.annotations(holder)

    def where(self, holder: DictionaryObject) -> str:
        """What ``holder`` is, in the words of the report."""
        if holder is self.root:
            return "document"
        kind, subtype = holder.get("/Type"), holder.get("/Subtype")
        if kind == "/Page":
            return "page"
        if subtype == "/Widget" or "/FT" in holder:
            return "form field"
        if subtype == "/Link":
            return "link"
        if subtype is not None and (kind == "/Annot" or "/Rect" in holder):
            return "annotation"
        if "/Title" in holder:
            return "bookmark"
        return "object"

    def names(self, names: DictionaryObject) -> None:
        """The catalog's name trees of scripts run on opening, of embedded files, and of slide shows."""
        for tree, what in (
            ("/JavaScript", "JavaScript (document script)"),
            ("/EmbeddedFiles", "embedded file"),
            ("/AlternatePresentations", "slide show (can run scripts)"),
        ):
            if tree in names:
                self.found[what] += max(1, _leaves(names[tree]))
                del names[tree]

    def annotations(self, holder: DictionaryObject) -> None:
        annotations = holder["/Annots"].get_object()
        if not isinstance(annotations, ArrayObject):
            return
        kept = ArrayObject()
        for annotation in annotations:
            subtype = _name_of(annotation.get_object().get("/Subtype")) if _is_dict(annotation) else None
            if subtype in _ANNOTATIONS:
                self.found[_ANNOTATIONS[subtype]] += 1
            else:
                kept.append(annotation)
        if len(kept) < len(annotations):
            holder[NameObject("/Annots")] = kept


def _action(value: PdfObject, where: str) -> str | None:
    """What the action ``value`` does, in words, when it must go; None when it may stay: a move within the
    document, a link to a web page, or not an action at all (a destination)."""
    action = value.get_object()
    if not isinstance(action, DictionaryObject):
        return None
    kind = _name_of(action.get("/S"))
    if kind == "/URI":
        address = re.sub(r"[\x00-\x20]+", "", _text(action.get("/URI"))).lower()  # as a viewer reads it
        scheme = _SCHEME.match(address)
        if scheme is None or scheme.group() in _WEB:
            return None
        return "javascript: link" if scheme.group() == "javascript:" else f"{scheme.group()} link"
    if "/JS" in action or kind == "/JavaScript":
        return f"JavaScript ({where})"
    if kind in _SAFE and (kind != "/Named" or _name_of(action.get("/N")) in _PAGE_TURNS):
        return None
    return f"{_ACTIONS.get(kind, 'unknown action')} ({where})"  # never the name itself: it may be anything


def _leaves(tree: PdfObject) -> int:
    """How many entries a name tree holds."""
    count, seen, todo = 0, set(), [tree]
    while todo:
        node = todo.pop().get_object()
        if not isinstance(node, DictionaryObject) or id(node) in seen:
            continue
        seen.add(id(node))
        pairs, kids = node.get("/Names"), node.get("/Kids")
        count += len(pairs.get_object()) // 2 if _is_array(pairs) else 0
        todo += kids.get_object() if _is_array(kids) else []
    return count


def _drop_unreachable(writer: PdfWriter) -> None:
    """Leave out what nothing refers to any more (a removed script's stream, an embedded file's bytes): the
    writer is made again from its own output, which copies only what the catalog reaches."""
    made = io.BytesIO()
    writer.write(made)
    writer.clone_reader_document_root(PdfReader(made))


def _is_dict(value: PdfObject) -> bool:
    return isinstance(value.get_object(), DictionaryObject)


def _is_array(value: PdfObject | None) -> bool:
    return value is not None and isinstance(value.get_object(), ArrayObject)


def _name_of(value: PdfObject | None) -> str | None:
    """``value`` when it is a name (``/JavaScript``), else None: a hostile file may put anything anywhere."""
    value = value.get_object() if value is not None else None
    return str(value) if isinstance(value, NameObject) else None


def _text(value: PdfObject | None) -> str:
    value = value.get_object() if value is not None else ""
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)
