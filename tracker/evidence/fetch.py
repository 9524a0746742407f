"""Fetching a URL from a data file safely: the one way `tracker` reaches the network.

A source URL is untrusted input, so every fetch:

- speaks only `http` and `https`, refuses URLs carrying credentials, and keeps no cookies (none
  are ever sent);
- resolves the host itself, checks each address, and connects to that very address (never
  letting a library resolve the name again), so a name that resolves to a loopback, private,
  link-local, multicast or otherwise non-global address is refused; the same for every
  redirect, at most `max_redirects` of them;
- stops at `max_bytes` of body (`too large`; a declared Content-Length over it stops before
  reading), and asks for no compression, so the size read is the size kept;
- ends by a deadline: one `timeout` for the whole fetch, redirects included, enforced on the
  name lookup (run in a thread that is waited for no longer), on every socket operation, and
  by a watchdog that shuts the socket down when the deadline passes, so a server that accepts
  and never answers, or answers a byte at a time, cannot hold the run.

It is built on `http.client` with a connection class of its own (`_Pinned`) that connects to
the checked address and, for https, wraps the socket in TLS with the host name for SNI and
certificate checking: `urllib` and requests resolve names themselves, so the address they
connect to cannot be checked. Every request and response is kept as sent and received
(`Exchange`), which is what a WARC capture records.
"""
from __future__ import annotations

import contextlib
import http.client
import ipaddress
import logging
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from typing import Callable, ContextManager, Iterator, Optional, Union
from urllib.parse import quote, urljoin, urlsplit

from tracker import __version__
from tracker.errors import FetchFailed

log = logging.getLogger(__name__)

USER_AGENT = f"tracker/{__version__} (source checks and web-archive captures)"
MAX_BYTES = 25 * 1024 * 1024
MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 20.0
REDIRECTS = frozenset({301, 302, 303, 307, 308})
ERROR, TIMEOUT = "error", "timeout"
_DIGITS = re.compile(r"[0-9]+")  # ASCII digits only: "²".isdigit() is true, and int("²") fails

Address = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]
#: Says why an address may not be connected to, or None when it may.
AddressRule = Callable[[Address], Optional[str]]


def public_only(address: Address) -> Optional[str]:
    """The default rule: only global unicast addresses (IPv4 inside IPv6 judged as IPv4)."""
    inner = _embedded_ipv4(address)
    if inner is not None:
        return public_only(inner)
    for kind, flag in (("loopback", address.is_loopback), ("link-local", address.is_link_local),
                       ("multicast", address.is_multicast), ("unspecified", address.is_unspecified),
                       ("reserved", address.is_reserved), ("private", address.is_private)):
        if flag:
            return f"{kind} address {address} refused (--allow-private allows it)"
    if not address.is_global:
        return f"non-global address {address} refused (--allow-private allows it)"
    return None


def any_address(address: Address) -> Optional[str]:
    """The rule of --allow-private: every address may be connected to."""
    return None


def _embedded_ipv4(address: Address) -> Optional[ipaddress.IPv4Address]:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address.sixtofour is not None:
            return address.sixtofour
        if address.teredo is not None:
            return address.teredo[1]
    return None


@dataclass(frozen=True)
class Limits:
    """How far a fetch may go."""

    timeout: float = DEFAULT_TIMEOUT  # seconds for the whole fetch, redirects included
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    allow_private: bool = False

    @property
    def rule(self) -> AddressRule:
        return any_address if self.allow_private else public_only


@dataclass(frozen=True)
class Exchange:
    """One HTTP request as sent and its response as received (the body after transfer decoding)."""

    url: str
    address: str  # the IP address connected to
    request: bytes  # request line and headers, as sent
    protocol: str  # "HTTP/1.1"
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> Optional[str]:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


@dataclass(frozen=True)
class Fetched:
    """What one fetch got: its exchanges (redirects first), and why it failed if it did.

    `failed` is None when the last exchange is a final answer, of any status (a 404 is an
    answer); otherwise it says why the fetch stopped (`error` or `timeout`, with the reason),
    after the exchanges that did complete (the redirects before a refused address).
    """

    url: str
    exchanges: tuple[Exchange, ...]
    failed: Optional[FetchFailed] = None

    @property
    def final(self) -> Optional[Exchange]:
        return self.exchanges[-1] if self.exchanges and self.failed is None else None

    @property
    def final_url(self) -> str:
        return self.exchanges[-1].url if self.exchanges else self.url


#: Holds a slot for the address about to be connected to while an exchange runs (the limit of
#: connections per host); yields how long it waited, which the deadline does not count.
Slots = Callable[[str], ContextManager[float]]


@contextlib.contextmanager
def _no_limit(address: str) -> Iterator[float]:
    yield 0.0


def fetch(url: str, limits: Limits = Limits(), *, rule: Optional[AddressRule] = None,
          slots: Optional[Slots] = None) -> Fetched:
    """GET `url`, following redirects, within `limits`; never raises for what the network does.

    A redirect past `limits.max_redirects` or back to a URL already met, a refused URL or
    address, a body over the cap, a failure of DNS, TCP or TLS, or the deadline passing ends
    the fetch with `failed` set. `rule` replaces the address rule of `limits` (tests allow one
    loopback address and not another). `slots` limits the exchanges under way with one address
    (each exchange, redirects included, holds the slot of the address it connects to).

    Whatever a server answers, nothing is raised: an answer this code did not foresee (a
    malformed header, a redirect to a URL that cannot be parsed...) is an `error` of this fetch,
    with the reason, and never stops the fetches of other sources.
    """
    check = rule or limits.rule
    clock = _Clock(time.monotonic() + limits.timeout)
    exchanges: list[Exchange] = []
    seen = {url}
    current = url
    while True:
        try:
            exchange = _one(current, limits, check, clock, slots or _no_limit)
        except FetchFailed as failed:
            return Fetched(url, tuple(exchanges), FetchFailed(failed.result, failed.reason))
        except Exception as error:  # noqa: BLE001 - an answer not foreseen is this source's error
            log.debug("fetching %s: %s", current, error, exc_info=True)
            return Fetched(url, tuple(exchanges), FetchFailed(ERROR, f"unexpected answer ({_describe(error)})"))
        exchanges.append(exchange)
        location = exchange.header("Location")
        if exchange.status not in REDIRECTS or location is None:
            return Fetched(url, tuple(exchanges))
        try:
            target = urljoin(current, location.strip())
        except ValueError as bad:
            return Fetched(url, tuple(exchanges), FetchFailed(ERROR, f"redirect to a malformed URL ({bad})"))
        if target in seen:
            return Fetched(url, tuple(exchanges), FetchFailed(ERROR, f"redirect loop at {target}"))
        if len(exchanges) > limits.max_redirects:
            return Fetched(url, tuple(exchanges), FetchFailed(ERROR, f"more than {limits.max_redirects} redirects"))
        seen.add(target)
        current = target


@dataclass
class _Clock:
    """The deadline of one fetch; time spent waiting for a host's slot is added to it."""

    deadline: float


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path) of an URL that may be fetched; `FetchFailed` saying why not."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as bad:
        raise FetchFailed(ERROR, f"not a valid URL ({bad})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchFailed(ERROR, f"only http and https URLs are fetched, not {scheme or 'no scheme'}")
    if parts.username is not None or parts.password is not None:
        raise FetchFailed(ERROR, "credentials in URL refused")
    host = parts.hostname
    if not host:
        raise FetchFailed(ERROR, "no host in URL")
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise FetchFailed(ERROR, f"host name {parts.hostname!r} cannot be encoded") from None
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return scheme, host, port or (443 if scheme == "https" else 80), path


def _one(url: str, limits: Limits, rule: AddressRule, clock: _Clock, slots: Slots) -> Exchange:
    scheme, host, port, path = check_url(url)
    addresses = _resolve(host, port, clock.deadline)
    refusals = []
    allowed = []
    for address in addresses:
        reason = rule(address)
        if reason is None:
            allowed.append(address)
        else:
            refusals.append(reason)
    if not allowed:
        raise FetchFailed(ERROR, refusals[0] if refusals else f"no address for {host}")
    last: Optional[FetchFailed] = None
    for address in allowed:
        try:
            with slots(str(address)) as waited:
                clock.deadline += waited
                return _exchange(url, scheme, host, port, path, address, limits, rule, clock.deadline)
        except FetchFailed as failed:
            if not failed.connecting:
                raise
            last = failed
    assert last is not None
    raise FetchFailed(last.result, last.reason)


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchFailed(TIMEOUT, "no answer in time")
    return left


def _resolve(host: str, port: int, deadline: float) -> list[Address]:
    """The host's addresses, in the resolver's order; the lookup is given until the deadline."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    found: dict[str, object] = {}

    def lookup() -> None:
        try:
            found["infos"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as error:
            found["error"] = error

    worker = threading.Thread(target=lookup, name=f"dns {host}", daemon=True)
    worker.start()
    worker.join(_remaining(deadline))
    if worker.is_alive():
        raise FetchFailed(TIMEOUT, f"DNS lookup of {host} took too long")
    if "error" in found:
        error = found["error"]
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise FetchFailed(ERROR, f"DNS: {host}: {reason}")
    addresses: list[Address] = []
    for family, _, _, _, sockaddr in found["infos"]:  # type: ignore[attr-defined]
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


class _LineLog:
    """A response's socket file that keeps every line read from it (while the head is read)."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.lines: list[bytes] = []

    def readline(self, *args: int) -> bytes:
        line: bytes = self.inner.readline(*args)  # type: ignore[attr-defined]
        self.lines.append(line)
        return line

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


class _Response(http.client.HTTPResponse):
    """A response that keeps its header lines as received (`received_headers`).

    http.client reads headers with the email parser, which takes a bare CR for the end of a
    line and drops every header after it; a server's headers are evidence, and the WARC
    record must hold them all. So they are parsed again here from the lines read, a bare CR
    read as a space (as RFC 9112 allows) and folded lines joined.
    """

    def __init__(self, sock: socket.socket, *args: object, **kwargs: object) -> None:
        super().__init__(sock, *args, **kwargs)  # type: ignore[arg-type]
        self.head = _LineLog(self.fp)
        self.fp = self.head  # type: ignore[assignment]

    def begin(self) -> None:
        try:
            super().begin()
        finally:
            if self.fp is self.head:  # type: ignore[comparison-overlap]
                self.fp = self.head.inner  # type: ignore[assignment]

    def received_headers(self) -> tuple[tuple[str, str], ...]:
        lines = [line.decode("iso-8859-1").rstrip("\r\n") for line in self.head.lines]
        while lines and not lines[-1]:
            lines.pop()
        start = max((i for i, line in enumerate(lines) if not line), default=-1) + 1  # after any 1xx answer
        out: list[list[str]] = []
        for line in lines[start + 1:]:  # past the status line
            line = line.replace("\r", " ")
            if line[:1] in (" ", "\t"):
                if out:
                    out[-1][1] = (out[-1][1] + " " + line.strip(" \t")).strip()
                continue
            name, colon, value = line.partition(":")
            if colon and name.strip():
                out.append([name.strip(), value.strip(" \t")])
        return tuple((name, value) for name, value in out)


class _Pinned(http.client.HTTPConnection):
    """An HTTP(S) connection to one checked address, whatever the host name resolves to now.

    The Host header, SNI and the certificate check use the host name; the TCP connection goes
    to `address`, and the address actually connected to is checked once more. Everything sent
    is kept (`sent`) for the capture's request record.
    """

    def __init__(self, host: str, port: int, address: Address, timeout: float, tls: bool, rule: AddressRule) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address
        self.response_class = _Response
        self.tls = tls
        self.rule = rule
        self.sent = bytearray()

    def connect(self) -> None:
        sock = socket.create_connection((str(self.address), self.port), self.timeout)
        try:
            peer = ipaddress.ip_address(str(sock.getpeername()[0]).split("%", 1)[0])
            reason = self.rule(peer)
            if reason is not None:
                raise FetchFailed(ERROR, reason)
            if self.tls:
                context = ssl.create_default_context()
                sock = context.wrap_socket(sock, server_hostname=self.host, do_handshake_on_connect=False)
                self.sock = sock  # before the handshake: the watchdog can cut a slow one short
                sock.do_handshake()
        except BaseException:
            sock.close()
            self.sock = None
            raise
        self.sock = sock

    def send(self, data: object) -> None:
        if isinstance(data, (bytes, bytearray, memoryview)):
            self.sent += bytes(data)
        super().send(data)  # type: ignore[arg-type]


def _exchange(url: str, scheme: str, host: str, port: int, path: str, address: Address, limits: Limits,
              rule: AddressRule, deadline: float) -> Exchange:
    connection = _Pinned(host, port, address, _remaining(deadline), scheme == "https", rule)
    fired = threading.Event()

    def expire() -> None:  # the watchdog: a server answering a byte at a time is cut off too
        fired.set()
        sock = connection.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), expire)
    watchdog.daemon = True
    watchdog.start()
    connected = False
    try:
        try:
            connection.connect()
            connected = True
            default_port = 443 if scheme == "https" else 80
            connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
            connection.putheader("Host", host if port == default_port else f"{_bracketed(host)}:{port}")
            connection.putheader("User-Agent", USER_AGENT)
            connection.putheader("Accept", "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8")
            connection.putheader("Accept-Encoding", "identity")
            connection.putheader("Connection", "close")
            connection.endheaders()
            _settimeout(connection, deadline)
            response = connection.getresponse()
            declared = _content_length(response.getheader("Content-Length"))
            if declared is not None and declared > limits.max_bytes:
                raise FetchFailed(ERROR, "too large")
            body = bytearray()
            while True:
                _settimeout(connection, deadline)
                chunk = response.read1(65536)
                if not chunk:
                    break
                body += chunk
                if len(body) > limits.max_bytes:
                    raise FetchFailed(ERROR, "too large")
            if fired.is_set():
                raise FetchFailed(TIMEOUT, "no answer in time")
            if response.length:  # the connection closed before the Content-Length announced came
                raise FetchFailed(ERROR, "body cut short")
            return Exchange(
                url=url, address=str(address), request=bytes(connection.sent),
                protocol="HTTP/1.0" if response.version == 10 else "HTTP/1.1",
                status=response.status, reason=response.reason or "",
                headers=response.received_headers() if isinstance(response, _Response) else tuple(response.getheaders()),
                body=bytes(body))
        except FetchFailed:
            raise
        except (TimeoutError, socket.timeout):
            raise FetchFailed(TIMEOUT, "no answer in time") from None
        except ssl.SSLCertVerificationError as error:
            raise FetchFailed(ERROR, f"TLS: {error.verify_message or error.reason or error}") from None
        except ssl.SSLError as error:
            if fired.is_set():
                raise FetchFailed(TIMEOUT, "no answer in time") from None
            raise FetchFailed(ERROR, f"TLS: {error.reason or error}") from None
        except (http.client.HTTPException, OSError) as error:
            if fired.is_set():
                raise FetchFailed(TIMEOUT, "no answer in time") from None
            reason = _describe(error)
            if not connected:
                raise FetchFailed(ERROR, reason, connecting=True) from None
            raise FetchFailed(ERROR, reason) from None
    finally:
        watchdog.cancel()
        connection.close()


def _content_length(header: Optional[str]) -> Optional[int]:
    """The length a Content-Length header declares (None without one); `FetchFailed` when it is
    not a number of ASCII digits (repeated, the copies must agree), which leaves the body's end unknown."""
    if header is None:
        return None
    values = {value.strip() for value in header.split(",")}
    if len(values) != 1 or not _DIGITS.fullmatch(next(iter(values))):
        raise FetchFailed(ERROR, f"malformed Content-Length {header[:40]!r}")
    return int(next(iter(values)))


def _settimeout(connection: _Pinned, deadline: float) -> None:
    left = _remaining(deadline)
    if connection.sock is not None:
        connection.sock.settimeout(left)


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _describe(error: BaseException) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionResetError):
        return "connection reset"
    if isinstance(error, http.client.RemoteDisconnected):
        return "server closed the connection without answering"
    if isinstance(error, http.client.IncompleteRead):
        return "body cut short"
    if isinstance(error, http.client.HTTPException):
        return f"bad HTTP answer ({type(error).__name__})"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower() if error.strerror[:1].isupper() and error.strerror[1:2].islower() else error.strerror
    return str(error) or type(error).__name__
