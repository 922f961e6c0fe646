"""deliver.smtp against a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import datetime
import email
import email.policy
import ipaddress
import logging
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, Session
from aiosmtpd.smtp import SMTP as Server

from sheetbill.deliver.errors import PermanentFailure, TransientFailure, UnknownOutcome
from sheetbill.deliver.message import invoice_message
from sheetbill.deliver.smtp import SmtpTransport
from sheetbill.render.sample import sample_document

x509 = pytest.importorskip("cryptography.x509", reason="cryptography makes the test certificate")
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from cryptography.x509.oid import NameOID  # noqa: E402

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "email"
PDF = b"%PDF-1.7 an invoice\n%%EOF\n"
CLIENT = "m.schoenberg@example.org"
BCC = "archive@lindenhof-physio.example"


class Mailbox:
    """The server's handler: keeps what it receives, refuses what it is told to."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []
        self.rcpt_replies: dict[str, str] = {}
        self.data_reply = "250 2.0.0 OK queued"
        self.drop_after_data = False

    async def handle_RCPT(self, server: Server, session: Session, envelope: Envelope,  # noqa: N802
                          address: str, options: list[str]) -> str:
        reply = self.rcpt_replies.get(address, "250 2.1.5 OK")
        if reply.startswith("250"):
            envelope.rcpt_tos.append(address)
        return reply

    async def handle_DATA(self, server: Server, session: Session,  # noqa: N802
                          envelope: Envelope) -> str:
        if self.drop_after_data:
            server.transport.close()
            return "250 never heard"
        if self.data_reply.startswith("250"):
            self.envelopes.append(envelope)
        return self.data_reply

    def received(self) -> email.message.EmailMessage:
        (envelope,) = self.envelopes
        return email.message_from_bytes(envelope.original_content, policy=email.policy.default)


class _Controller(Controller):
    """aiosmtpd's threaded server on a free port chosen by the OS (port 0)."""

    def _trigger_server(self) -> None:
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def serve(monkeypatch: pytest.MonkeyPatch) -> Iterator:
    # The server thread logs connection chatter; keep it away from whatever
    # handlers other tests left on the root logger.
    monkeypatch.setattr(logging.getLogger("mail.log"), "propagate", False)
    controllers: list[Controller] = []

    def start(mailbox: Mailbox, **options: object) -> int:
        controller = _Controller(mailbox, hostname="127.0.0.1", port=0, **options)
        controller.start()
        controllers.append(controller)
        return controller.port

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: (certificate, key) PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


def client_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[0]))


def check_password(server: Server, session: Session, envelope: Envelope, mechanism: str,
                   auth_data: object) -> AuthResult:
    ok = (auth_data.login, auth_data.password) == (b"billing", b"s3cret")  # type: ignore[attr-defined]
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd replies 535


def message(bcc: str | None = BCC):  # noqa: ANN201 - test helper
    return invoice_message(sample_document(), PDF, "INV-2026-0042.pdf",
                           "Lindenhof <billing@lindenhof-physio.example>",
                           TEMPLATES / "invoice_subject.txt", TEMPLATES / "invoice_body.txt",
                           bcc=bcc, written=datetime.datetime(2026, 11, 21, 9, 30, tzinfo=datetime.timezone.utc),
                           workbook="w1")


def plain(port: int, **options: object) -> SmtpTransport:
    return SmtpTransport("127.0.0.1", port, "none", None, None, timeout=5, **options)


def test_plain_delivery(serve):
    mailbox = Mailbox()
    msg = message()
    assert plain(serve(mailbox), local_hostname="worker.test").send(msg) == msg["Message-ID"]
    (envelope,) = mailbox.envelopes
    assert envelope.mail_from == "billing@lindenhof-physio.example"
    assert sorted(envelope.rcpt_tos) == sorted([CLIENT, BCC])
    received = mailbox.received()
    assert received["To"].addresses[0].addr_spec == CLIENT
    assert received["Subject"] == "Invoice INV-2026-0042 from Lindenhof Physiotherapy"
    assert received["Message-ID"] == msg["Message-ID"]
    assert received["Bcc"] is None  # smtplib keeps Bcc off the wire
    (attachment,) = received.iter_attachments()
    assert attachment.get_filename() == "INV-2026-0042.pdf"
    assert attachment.get_content() == PDF


def test_starttls_and_login(serve, certificate):
    mailbox = Mailbox()
    port = serve(mailbox, tls_context=server_tls(certificate), require_starttls=True,
                 authenticator=check_password, auth_required=True)
    transport = SmtpTransport("127.0.0.1", port, "starttls", "billing", "s3cret", timeout=5,
                              ssl_context=client_tls(certificate))
    transport.send(message())
    assert mailbox.received()["To"].addresses[0].addr_spec == CLIENT
    assert "s3cret" not in repr(transport)


def test_implicit_tls(serve, certificate):
    mailbox = Mailbox()
    port = serve(mailbox, ssl_context=server_tls(certificate))
    SmtpTransport("127.0.0.1", port, "ssl", None, None, timeout=5,
                  ssl_context=client_tls(certificate)).send(message())
    assert len(mailbox.envelopes) == 1


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_over_plain_when_the_server_allows_it(serve):
    mailbox = Mailbox()
    port = serve(mailbox, authenticator=check_password, auth_required=True,
                 auth_require_tls=False)
    SmtpTransport("127.0.0.1", port, "none", "billing", "s3cret", timeout=5).send(message())
    assert len(mailbox.envelopes) == 1


def test_wrong_password_is_permanent(serve, certificate):
    port = serve(Mailbox(), tls_context=server_tls(certificate), authenticator=check_password,
                 auth_required=True)
    transport = SmtpTransport("127.0.0.1", port, "starttls", "billing", "wrong", timeout=5,
                              ssl_context=client_tls(certificate))
    with pytest.raises(PermanentFailure) as error:
        transport.send(message())
    assert error.value.code == 535 and not error.value.transient


def test_untrusted_certificate_is_permanent(serve, certificate):
    port = serve(Mailbox(), tls_context=server_tls(certificate))
    transport = SmtpTransport("127.0.0.1", port, "starttls", None, None, timeout=5)
    with pytest.raises(PermanentFailure, match="certificate .* not trusted"):
        transport.send(message())


def test_server_without_starttls_is_permanent(serve):
    transport = SmtpTransport("127.0.0.1", serve(Mailbox()), "starttls", None, None, timeout=5)
    with pytest.raises(PermanentFailure, match="STARTTLS"):
        transport.send(message())


def test_refused_recipient_is_permanent(serve):
    mailbox = Mailbox()
    mailbox.rcpt_replies[CLIENT] = "550 5.1.1 No such user"
    with pytest.raises(PermanentFailure, match="No such user") as error:
        plain(serve(mailbox)).send(message(bcc=None))
    assert error.value.code == 550 and not error.value.unknown_outcome
    assert mailbox.envelopes == []


def test_greylisted_recipient_is_transient(serve):
    mailbox = Mailbox()
    mailbox.rcpt_replies[CLIENT] = "451 4.7.1 Greylisted, try again later"
    with pytest.raises(TransientFailure) as error:
        plain(serve(mailbox)).send(message())
    assert error.value.code == 451 and error.value.transient


def test_refused_client_with_accepted_bcc_is_still_a_failure(serve):
    mailbox = Mailbox()
    mailbox.rcpt_replies[CLIENT] = "550 5.1.1 No such user"
    with pytest.raises(PermanentFailure, match=CLIENT):
        plain(serve(mailbox)).send(message())


def test_refused_bcc_alone_is_no_failure(serve):
    mailbox = Mailbox()
    mailbox.rcpt_replies[BCC] = "550 5.1.1 No such user"
    plain(serve(mailbox)).send(message())
    assert mailbox.envelopes[0].rcpt_tos == [CLIENT]


def test_message_rejected_after_data_is_a_definite_answer(serve):
    mailbox = Mailbox()
    mailbox.data_reply = "554 5.7.1 Message rejected as spam"
    with pytest.raises(PermanentFailure, match="rejected as spam"):
        plain(serve(mailbox)).send(message())


def test_connection_dropped_after_data_is_an_unknown_outcome(serve):
    mailbox = Mailbox()
    mailbox.drop_after_data = True
    with pytest.raises(UnknownOutcome, match="may or may not have been delivered") as error:
        plain(serve(mailbox)).send(message())
    assert error.value.unknown_outcome and not error.value.transient


def test_connection_refused_is_transient():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(TransientFailure, match="cannot reach"):
        plain(port).send(message())


def test_check_connects_and_logs_in_without_sending(serve, certificate):
    mailbox = Mailbox()
    port = serve(mailbox, tls_context=server_tls(certificate), authenticator=check_password,
                 auth_required=True)
    settings = {"timeout": 5, "ssl_context": client_tls(certificate)}
    SmtpTransport("127.0.0.1", port, "starttls", "billing", "s3cret", **settings).check()
    assert mailbox.envelopes == []
    with pytest.raises(PermanentFailure):
        SmtpTransport("127.0.0.1", port, "starttls", "billing", "wrong", **settings).check()


def test_bad_security_setting():
    with pytest.raises(ValueError, match="starttls, ssl or none"):
        SmtpTransport("127.0.0.1", 25, "tls", None, None)  # type: ignore[arg-type]
