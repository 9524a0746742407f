"""Email addresses and display names, checked strictly before anything is sent.

Only plain ASCII addresses (`local@domain.tld`, dot-atom local part, DNS domain) are accepted:
no quoted local parts, comments, routes, domain literals or international addresses. Display
names are one line of text without control characters. Values that pass cannot carry a line
break, a second address or anything else that would add a header or a recipient.
"""
from __future__ import annotations

import re
import unicodedata
from email.headerregistry import Address
from typing import Any

from tracker.model import fields as f

MAX_ADDRESS = 254
MAX_LOCAL = 64
MAX_NAME = 200
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL_RE = re.compile(rf"^{_ATEXT}(?:\.{_ATEXT})*$")
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_DOMAIN_RE = re.compile(rf"^{_LABEL}(?:\.{_LABEL})+$")
_MAILBOX_RE = re.compile(r"^(?P<name>[^<>]*?)\s*<(?P<address>[^<>]*)>$")


def check_address(value: Any) -> str:
    """`value` as a deliverable address (domain lower-cased), or raise `f.Bad` saying why."""
    if not isinstance(value, str):
        raise f.Bad(f"expected an email address but got {f.describe(value)}")
    if _has_control(value):
        raise f.Bad("an email address may not contain line breaks or control characters")
    if not value.isascii():
        raise f.Bad(f"expected a plain ASCII email address but got {f.describe(value)}")
    if "<" in value or ">" in value:
        raise f.Bad(f"expected a bare email address such as reader@example.org (a name goes in `name`) "
                    f"but got {f.describe(value)}")
    local, at, domain = value.rpartition("@")
    if not at or not _LOCAL_RE.fullmatch(local) or not _DOMAIN_RE.fullmatch(domain):
        raise f.Bad(f"expected an email address such as reader@example.org but got {f.describe(value)}")
    if len(local) > MAX_LOCAL or len(value) > MAX_ADDRESS:
        raise f.Bad(f"email address is longer than the limits of SMTP ({MAX_LOCAL} characters before "
                    f"the @, {MAX_ADDRESS} in all)")
    if domain.rsplit(".", 1)[1].isdigit():
        raise f.Bad(f"expected an email address with a domain name but got {f.describe(value)}")
    return f"{local}@{domain.lower()}"


def check_name(value: Any) -> str:
    """A display name: one line of text, no control characters."""
    if not isinstance(value, str):
        raise f.Bad(f"expected a name but got {f.describe(value)}")
    if _has_control(value):
        raise f.Bad("a name may not contain line breaks or control characters")
    name = value.strip()
    if not name:
        raise f.Bad("expected a name but got an empty string")
    if len(name) > MAX_NAME:
        raise f.Bad(f"a name is longer than {MAX_NAME} characters")
    return name


def mailbox(name: str, address: str) -> Address:
    """The header value for a checked name and address; the email package quotes the name."""
    local, _, domain = address.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


def check_mailbox(value: Any) -> Address:
    """`Name <address>` or a bare address."""
    if not isinstance(value, str):
        raise f.Bad(f"expected a sender such as \"Policy Desk <desk@example.org>\" but got {f.describe(value)}")
    if _has_control(value):
        raise f.Bad("a sender may not contain line breaks or control characters")
    text = value.strip()
    match = _MAILBOX_RE.fullmatch(text)
    if not match:
        if "<" in text or ">" in text:
            raise f.Bad(f"expected a sender such as \"Policy Desk <desk@example.org>\" but got {f.describe(value)}")
        return mailbox("", check_address(text))
    name = match["name"].strip()
    if len(name) >= 2 and name[0] == name[-1] == '"':
        name = name[1:-1].replace('\\"', '"').replace("\\\\", "\\").strip()
    if '"' in name:
        raise f.Bad(f"expected a sender such as \"Policy Desk <desk@example.org>\" but got {f.describe(value)}")
    return mailbox(check_name(name) if name else "", check_address(match["address"].strip()))


_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _has_control(text: str) -> bool:
    """Line breaks, control characters, and the bidi controls that can make a name lie."""
    return any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI_CONTROLS for ch in text)


class AddressType(f.Type):
    def check(self, value: Any) -> str:
        return check_address(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "email", "maxLength": MAX_ADDRESS}


class NameType(f.Type):
    def check(self, value: Any) -> str:
        return check_name(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "minLength": 1, "maxLength": MAX_NAME}


class MailboxType(f.Type):
    def check(self, value: Any) -> Address:
        return check_mailbox(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "description": "Name <address> or a bare address"}
