"""Files a report embeds from the workspace (the programme's logo), checked and inlined as data: URLs.

A logo must be a regular file inside the workspace once symbolic links are resolved; anything
else is an error naming the programme file, line and field, never a silent omission.
"""
from __future__ import annotations

import base64
from pathlib import Path
from typing import Optional

from .. import yamlsafe
from ..errors import InvalidData, Problem, display_path
from ..model import Programme

IMAGE_TYPES = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
MAX_LOGO_BYTES = 2 * 1024 * 1024


def logo_data_url(root: Path, programme: Programme) -> Optional[str]:
    """The programme's logo as a data: URL, or None when it sets none."""
    if not programme.logo:
        return None
    path = root / programme.logo
    resolved = path.resolve()
    try:
        resolved.relative_to(root.resolve())
    except ValueError:
        _fail(root, programme, f"{programme.logo} resolves outside the workspace (symbolic link?); refused")
    kind = IMAGE_TYPES.get(path.suffix.lower())
    if kind is None:
        _fail(root, programme, f"{programme.logo}: expected an image ending in "
                               f"{', '.join(sorted(IMAGE_TYPES))}")
    if not resolved.is_file():
        _fail(root, programme, f"{programme.logo}: no such file in the workspace")
    if resolved.stat().st_size > MAX_LOGO_BYTES:
        _fail(root, programme, f"{programme.logo}: larger than {MAX_LOGO_BYTES // 1024 // 1024} MiB")
    data = resolved.read_bytes()
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _fail(root: Path, programme: Programme, message: str) -> None:
    shown = display_path(programme.path, root)
    doc = yamlsafe.load(programme.path, shown)
    line, column = doc.where(("logo",))
    raise InvalidData([Problem(shown, line, column, "logo", message)])
