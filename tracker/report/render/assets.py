"""Files a report embeds from the workspace (the programme's logo), checked and inlined as data: URLs.

A logo must be a regular file inside the workspace once symbolic links are resolved; anything
else is an error naming the programme file, line and field, never a silent omission.
"""
from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Optional

from tracker.errors import InvalidData, Problem, RenderError, TrackerError, display_path
from tracker.model.records import Programme

IMAGE_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
MAX_LOGO_BYTES = 2 * 1024 * 1024


def logo_data_url(root: Path, logo: Optional[str], programme: Optional[Programme] = None) -> Optional[str]:
    """The logo `logo` (as a programme sets it) as a data: URL, or None when it is not set.

    A bad logo is an `InvalidData` problem located in `programme`'s file when it is given (the
    position comes from the document it was loaded from), else a `RenderError`.
    """
    if not logo:
        return None
    path = root / logo
    resolved = path.resolve()
    try:
        resolved.relative_to(root.resolve())
    except ValueError:
        raise _problem(root, programme, f"{logo} resolves outside the workspace (symbolic link?); refused") from None
    kind = IMAGE_TYPES.get(path.suffix.lower())
    if kind is None:
        raise _problem(root, programme, f"{logo}: expected an image ending in {', '.join(sorted(IMAGE_TYPES))}")
    if not resolved.is_file():
        raise _problem(root, programme, f"{logo}: no such file in the workspace")
    if resolved.stat().st_size > MAX_LOGO_BYTES:
        raise _problem(root, programme, f"{logo}: larger than {MAX_LOGO_BYTES // 1024 // 1024} MiB")
    data = resolved.read_bytes()
    found = image_type(data)
    if found is None:
        raise _problem(root, programme, f"{logo}: not an image (its bytes are no PNG, JPEG, GIF, WebP or SVG)")
    if found != kind:
        raise _problem(root, programme, f"{logo}: the file holds {_NAMES[found]} data but is named {path.suffix}; "
                                        "rename it to match")
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


_NAMES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WebP",
          "image/svg+xml": "SVG"}


def image_type(data: bytes) -> Optional[str]:
    """The media type of an image by its own bytes (the signature each format starts with and the
    first chunk or header after it; for SVG, an XML document whose root is <svg>), or None.

    A file that only claims to be an image would be a hole in the report (a browser shows a
    broken image, WeasyPrint logs and skips it): it is an error where the logo is set."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and len(data) > 33:
        return "image/png"
    if data.startswith(b"\xff\xd8\xff") and len(data) > 4:
        return "image/jpeg"
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) > 13:
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and data[12:15] == b"VP8":
        return "image/webp"
    if _is_svg(data):
        return "image/svg+xml"
    return None


def _is_svg(data: bytes) -> bool:
    """An XML document (UTF-8, no DOCTYPE: no entities to expand) whose root element is <svg>."""
    text = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    if b"<!DOCTYPE" in text.upper() or b"<!ENTITY" in text.upper():
        return False
    try:
        root = ET.fromstring(text)
    except (ET.ParseError, ValueError):
        return False
    return root.tag in ("svg", "{http://www.w3.org/2000/svg}svg")


def _problem(root: Path, programme: Optional[Programme], message: str) -> TrackerError:
    if programme is None or programme.origin is None:
        return RenderError(f"logo: {message}")
    line, column = programme.origin.where(("logo",))
    return InvalidData([Problem(display_path(programme.path, root), line, column, "logo", message)])
