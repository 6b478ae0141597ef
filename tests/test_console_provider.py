"""The demo's console provider shows each message on the terminal, recipient masked (issue 19.6)."""
import logging

import pytest

from core.notify.providers import ConsoleProvider, Outgoing, mask_recipient


@pytest.mark.parametrize("to, shown", [
    ("+6281234567789", "+62812****789"),
    ("andi@example.test", "a***@example.test"),
    ("a@example.test", "a***@example.test"),
    ("12345", "1****"),
    ("", ""),
])
def test_recipients_are_masked(to, shown):
    assert mask_recipient(to) == shown


def _message(channel, to, subject=""):
    return Outgoing(id=7, tenant_id=3, channel=channel, to=to, subject=subject,
                    body="Pengaduan MKS-2026-000001 diterima. http://127.0.0.1:5050/t/makassar/complaints/track/X")


@pytest.mark.parametrize("channel, to, masked, label", [
    ("sms", "+6281234567789", "+62812****789", "SMS"),
    ("email", "andi@example.test", "a***@example.test", "E-mail"),
])
def test_the_demo_prints_each_message_masked(capsys, caplog, channel, to, masked, label):
    caplog.set_level(logging.INFO, logger="pamong.notify")
    subject = "Pengaduan diterima" if channel == "email" else ""
    ConsoleProvider({"PAMONG_DEMO": True}).send(_message(channel, to, subject))
    err = capsys.readouterr().err
    assert f"--- {label} #7 to {masked} (tenant 3) ---" in err
    assert "track/X" in err and (f"Subject: {subject}" in err if subject else "Subject:" not in err)
    assert to not in err
    assert all(to not in r.getMessage() and "track/X" not in r.getMessage() for r in caplog.records)


def test_outside_the_demo_nothing_is_printed(capsys):
    ConsoleProvider({"PAMONG_DEMO": False}).send(_message("sms", "+6281234567789"))
    assert capsys.readouterr().err == ""
    ConsoleProvider({"PAMONG_DEMO": False, "PAMONG_CONSOLE_ECHO": True}).send(_message("sms", "+6281234567789"))
    assert "+62812****789" in capsys.readouterr().err


def test_a_body_naming_its_own_recipient_is_masked_too(capsys):
    """An invitation says whom it is for: the terminal shows that address masked as in the header."""
    message = Outgoing(id=8, tenant_id=3, channel="email", to="rina.baru@example.test", subject="Undangan",
                       body="Akun untuk rina.baru@example.test: atur kata sandi di http://127.0.0.1:5050/x")
    ConsoleProvider({"PAMONG_DEMO": True}).send(message)
    err = capsys.readouterr().err
    assert "rina.baru@example.test" not in err and "Akun untuk r***@example.test:" in err
