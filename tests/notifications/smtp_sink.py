"""A small real SMTP server for the worker tests, in a thread of the test process.

It speaks enough SMTP for smtplib (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and can be
told to be slow (hold the final "250" after DATA) or to fail (answer 451 to MAIL FROM). Like a
real mail server it takes responsibility for a message only when it has answered "250" to
DATA: a client that goes away before that answer (a worker killed mid-send) leaves nothing.
"""

from __future__ import annotations

import email
import email.policy
import select
import socket
import socketserver
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self):
        return email.message_from_bytes(self.data, policy=email.policy.default)


@dataclass
class SinkState:
    delay: float = 0.0  # seconds to hold the "250" after DATA
    fail: bool = False  # answer 451 to MAIL FROM
    messages: list[Received] = field(default_factory=list)
    dropped: int = 0  # messages whose client left before the 250
    attempts: int = 0  # MAIL FROM commands seen
    holding: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(socketserver.StreamRequestHandler):
    timeout = 60

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        state: SinkState = self.server.state
        self.reply("220 sink ESMTP ready")
        sender, recipients = "", []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 sink")
            elif verb == "MAIL":
                with state.lock:
                    state.attempts += 1
                if state.fail:
                    self.reply("451 4.3.0 Mail server busy, try again later")
                    continue
                sender, recipients = command[10:].strip("<> "), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command[8:].strip("<> "))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = self.read_data()
                if not self.hold(state):
                    with state.lock:
                        state.dropped += 1
                    return
                with state.lock:
                    state.messages.append(Received(sender, recipients, data))
                self.reply("250 OK queued")
            elif verb == "RSET":
                sender, recipients = "", []
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def read_data(self) -> bytes:
        lines = []
        while True:
            line = self.rfile.readline()
            if line in (b".\r\n", b".\n", b""):
                break
            if line.startswith(b".."):
                line = line[1:]  # dot-unstuffing
            lines.append(line)
        return b"".join(lines)

    def hold(self, state: SinkState) -> bool:
        """Wait ``state.delay`` before answering; False if the client left meanwhile."""
        if state.delay <= 0:
            return True
        state.holding.set()
        deadline = time.monotonic() + state.delay
        sock = self.connection
        while (left := deadline - time.monotonic()) > 0:
            readable, _, _ = select.select([sock], [], [], min(left, 0.2))
            if readable:
                try:
                    if not sock.recv(1, socket.MSG_PEEK):
                        return False  # the client closed the connection
                except OSError:
                    return False
        return True


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpSink:
    """``with SmtpSink() as sink:`` listens on 127.0.0.1:<sink.port>."""

    def __init__(self) -> None:
        self.state = SinkState()
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.state = self.state
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> SmtpSink:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def messages(self) -> list[Received]:
        with self.state.lock:
            return list(self.state.messages)

    def wait_for(self, count: int, timeout: float = 30) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.messages) >= count:
                return self.messages
            time.sleep(0.1)
        return self.messages
