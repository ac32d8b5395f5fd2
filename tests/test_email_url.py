"""EMAIL_URL: one variable for the mail backend and its server."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from newsroom.settings.email_url import SMTP_BACKEND, email_settings


def test_an_smtp_url_with_starttls_gives_every_server_setting():
    assert email_settings("smtp+tls://user%40x:p%3Ass@mail.example.com:2525") == {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": "mail.example.com",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "user@x",
        "EMAIL_HOST_PASSWORD": "p:ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


@pytest.mark.parametrize(
    ("url", "port", "ssl"), [("smtp://h", 25, False), ("smtps://h", 465, True)]
)
def test_smtp_ports_default_by_scheme(url, port, ssl):
    settings = email_settings(url)
    assert (settings["EMAIL_PORT"], settings["EMAIL_USE_SSL"]) == (port, ssl)


def test_a_file_url_writes_mails_to_its_folder():
    assert email_settings("file:///srv/newsroom/var/mail") == {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": "/srv/newsroom/var/mail",
    }


def test_anymail_names_the_provider_backend():
    environ = {"ANYMAIL_POSTMARK_SERVER_TOKEN": "t0k", "PATH": "/bin"}
    assert email_settings("anymail+postmark://", environ) == {
        "EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend",
        "ANYMAIL": {"POSTMARK_SERVER_TOKEN": "t0k"},
    }


@pytest.mark.parametrize("url", ["carrier-pigeon://x", "file://", "smtp://h:notaport"])
def test_a_url_we_cannot_read_fails_at_start_up(url):
    with pytest.raises(ImproperlyConfigured):
        email_settings(url)
