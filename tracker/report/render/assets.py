"""Files a report embeds from the workspace (the programme's logo), checked and inlined as data: URLs.

A logo must be a regular file inside the workspace once symbolic links are resolved; anything
else is an error naming the programme file, line and field, never a silent omission.
"""
from __future__ import annotations

import base64
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
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _problem(root: Path, programme: Optional[Programme], message: str) -> TrackerError:
    if programme is None or programme.origin is None:
        return RenderError(f"logo: {message}")
    line, column = programme.origin.where(("logo",))
    return InvalidData([Problem(display_path(programme.path, root), line, column, "logo", message)])
