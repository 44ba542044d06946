"""Each source's locating fields against its ``access:``, at load time: ``pages:`` on a web page, or a ``url:``,
``authors:`` or published file that would name a confidential source, is a located error here rather than a
strange footnote later."""

from __future__ import annotations

from casefile.content.access import ACCESS, ACCESS_KINDS, LOCATING_FIELDS, UNSTATED, WHY_NOT
from casefile.content.model import Source
from casefile.diagnostics import ContentError


def access_of(source: Source) -> str | None:
    """The source's access as written, or ``online`` when it has an address; None when nothing says."""
    return source.access or ("online" if source.url else None)


def access_problems(source: Source) -> list[ContentError]:
    """A locating field that does not fit the source's access, or an online source without its address."""
    where = source.origin.location
    kind = access_of(source)
    problems = []
    if kind is not None and ACCESS[kind].needs_url and not source.url:
        problems.append(
            ContentError(
                where(("access",)),
                f"'{source.id}' is an online source without `url:`",
                "add the address of the original, or say how it is held: "
                "`access: print`, `broadcast`, `on-file` or `confidential`",
            )
        )
    allowed = ACCESS[kind].fields if kind else UNSTATED.fields
    misplaced = [name for name in LOCATING_FIELDS if getattr(source, name) and name not in allowed]
    return problems + [_misplaced(source, name, kind) for name in misplaced] + _published_files(source, kind)


def _published_files(source: Source, kind: str | None) -> list[ContentError]:
    """A confidential source's files would be published beside its page, where they could identify it."""
    if kind != "confidential":
        return []
    return [
        ContentError(
            source.origin.location(("media", index, "file"), at_key=True),
            f"'{source.id}' is confidential: '{item.file}' would be published, and could identify the source",
            "add `publish: false` to keep the file in the repository and out of the site",
        )
        for index, item in enumerate(source.media)
        if item.publish
    ]


def _misplaced(source: Source, name: str, kind: str | None) -> ContentError:
    fits = [access for access in ACCESS_KINDS if name in ACCESS[access].fields]
    written = f"'{source.id}' is {kind}: " if kind else ""
    why = WHY_NOT.get((kind or "", name))
    written_as = " or ".join(f"`access: {access}`" for access in fits)
    hint = f"remove `{name}:`: {why}" if why else f"write {written_as}, or remove `{name}:`"
    return ContentError(
        source.origin.location((name,), at_key=True),
        f"{written}`{name}:` is for {_listing(fits)} sources",
        hint,
    )


def _listing(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
