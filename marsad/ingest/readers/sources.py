"""Where an input's bytes come from: a file, a gzip-compressed file, or a member of a ``.zip``
or ``.tar`` archive (itself possibly gzipped), always as a stream, never extracted to disk.

A source has the name its records carry in ``pages.source_file`` (``dump.zip!dump/p0.txt``
for a member) and the file name that decides its format (``page.txt`` for ``page.txt.gz``).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

SIDECAR_SUFFIX = ".meta.json"
ZIP_SUFFIXES = (".zip",)
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz")
MEMBER_SEPARATOR = "!"


@dataclass(frozen=True)
class Source:
    """One input record source. ``open`` gives a fresh binary stream of its content (gzip
    already undone); ``meta`` is its sidecar metadata, if any (or why it was unusable)."""

    name: str
    filename: str
    open: Callable[[], BinaryIO]
    size: int
    modified: dt.datetime
    meta: dict = field(default_factory=dict)
    meta_note: str | None = None
    path: Path | None = None  # the file itself, when the content is the file's bytes as they are

    @property
    def suffix_name(self) -> str:
        return self.filename.lower()


class BrokenArchive(Exception):
    """An archive that cannot be read (on, past some point); ``members`` were read before."""

    def __init__(self, detail: str, members: int):
        super().__init__(detail)
        self.detail = detail
        self.members = members


def _modified(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)


def _sidecar(page_file: Path) -> tuple[dict, str | None]:
    """A file's ``<name>.meta.json`` (or ``<stem>.meta.json``) as a dict, or why not."""
    for candidate in (
        page_file.with_suffix(SIDECAR_SUFFIX),
        page_file.with_name(page_file.name + SIDECAR_SUFFIX),
    ):
        if candidate.is_file():
            try:
                meta = json.loads(candidate.read_text(encoding="utf-8-sig"))
                if not isinstance(meta, dict):
                    raise ValueError("not a JSON object")
            except (ValueError, UnicodeDecodeError) as error:
                return {}, f"sidecar {candidate.name} ignored: {error}"
            return meta, None
    return {}, None


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(ZIP_SUFFIXES + TAR_SUFFIXES)


def sources_of(path: Path) -> Iterator[Source]:
    """The record sources of one input file: itself, its gzip content, or its archive's
    members (in archive order). Raises ``BrokenArchive`` where an archive breaks off."""
    name = path.name.lower()
    if name.endswith(ZIP_SUFFIXES):
        yield from _zip_members(path)
    elif name.endswith(TAR_SUFFIXES):
        yield from _tar_members(path)
    elif name.endswith(".gz"):
        meta, note = _sidecar(path)
        if not meta and not note:  # page.txt.gz: page.txt.meta.json or page.meta.json
            meta, note = _sidecar(path.with_suffix(""))
        yield Source(
            name=str(path),
            filename=path.name[: -len(".gz")],
            open=lambda: gzip.open(path, "rb"),  # noqa: SIM115 - the reader closes it
            size=path.stat().st_size,
            modified=_modified(path),
            meta=meta,
            meta_note=note,
        )
    else:
        meta, note = _sidecar(path)
        yield Source(
            name=str(path),
            filename=path.name,
            open=lambda: path.open("rb"),
            size=path.stat().st_size,
            modified=_modified(path),
            meta=meta,
            meta_note=note,
            path=path,
        )


def _archive_meta(path: Path) -> tuple[dict, str | None]:
    """``<archive>.meta.json``: one entry per member name, each like a page's sidecar."""
    meta, note = _sidecar(path)
    if note or not meta:
        return {}, note
    if not all(isinstance(entry, dict) for entry in meta.values()):
        return {}, f"sidecar of {path.name} ignored: an entry per member expected"
    return meta, None


def _member_meta(meta: dict, member: str) -> dict:
    return meta.get(member) or meta.get(Path(member).name) or {}


def _zip_members(path: Path) -> Iterator[Source]:
    meta, note = _archive_meta(path)
    try:
        archive = zipfile.ZipFile(path)
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise BrokenArchive(f"not a readable zip archive: {error}", 0) from error
    with archive:
        for info in infos:
            if info.filename.lower().endswith(SIDECAR_SUFFIX):
                continue
            stamp = dt.datetime(*info.date_time, tzinfo=dt.UTC) if info.date_time else None
            yield from _maybe_gzipped(
                Source(
                    name=f"{path}{MEMBER_SEPARATOR}{info.filename}",
                    filename=Path(info.filename).name,
                    open=lambda info=info: archive.open(info),
                    size=info.file_size,
                    modified=stamp or _modified(path),
                    meta=_member_meta(meta, info.filename),
                    meta_note=note,
                ),
            )


def _tar_members(path: Path) -> Iterator[Source]:
    meta, note = _archive_meta(path)
    count = 0
    try:
        gzipped = path.name.lower().endswith((".tar.gz", ".tgz"))
        # A stream: members in order, once. gzip is undone here, not by tarfile, so that a
        # cut archive is an error rather than a silent end (tarfile does not check the end).
        stream = gzip.open(path, "rb") if gzipped else path.open("rb")  # noqa: SIM115
        with stream, tarfile.open(fileobj=stream, mode="r|") as archive:
            for member in archive:
                if not member.isfile() or member.name.lower().endswith(SIDECAR_SUFFIX):
                    continue
                count += 1
                content = archive.extractfile(member)
                if content is None:
                    continue
                # Read where it stands in the stream, before the next member (``open`` once).
                yield from _maybe_gzipped(
                    Source(
                        name=f"{path}{MEMBER_SEPARATOR}{member.name}",
                        filename=Path(member.name).name,
                        open=lambda content=content: content,
                        size=member.size,
                        modified=dt.datetime.fromtimestamp(member.mtime, tz=dt.UTC),
                        meta=_member_meta(meta, member.name),
                        meta_note=note,
                    ),
                )
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise BrokenArchive(f"the tar archive breaks off: {error}", count) from error


def _maybe_gzipped(source: Source) -> Iterator[Source]:
    """A gzipped member (``p0.txt.gz`` inside a zip) is read as its content."""
    if source.suffix_name.endswith(".gz") and not source.suffix_name.endswith(TAR_SUFFIXES):
        inner = source.open
        yield Source(
            name=source.name,
            filename=source.filename[: -len(".gz")],
            open=lambda: gzip.GzipFile(fileobj=inner(), mode="rb"),
            size=source.size,
            modified=source.modified,
            meta=source.meta,
            meta_note=source.meta_note,
        )
    else:
        yield source
