"""Turn the EMAIL_URL of the environment into Django 6.1's MAILERS setting.

Supported forms:
    smtp://user:password@host:25            plain SMTP
    smtp+tls://user:password@host:587       STARTTLS (submission)
    smtp+ssl://user:password@host:465       implicit TLS
    file:///absolute/path                   one file per message (development)
    console://                              print to stdout (development)
    locmem://                               in memory (tests)
"""

from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_SMTP_SCHEMES = {"smtp": {}, "smtp+tls": {"use_tls": True}, "smtp+ssl": {"use_ssl": True}}
_LOCAL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}


def mailer_from_url(url: str, *, timeout: int = 10) -> dict:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in _SMTP_SCHEMES:
        options = {
            "host": parts.hostname or "localhost",
            "port": parts.port or 25,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "timeout": timeout,
            **_SMTP_SCHEMES[scheme],
        }
        return {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}
    if scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured("EMAIL_URL file:// needs an absolute folder path.")
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": unquote(parts.path)},
        }
    if scheme in _LOCAL_BACKENDS:
        return {"BACKEND": _LOCAL_BACKENDS[scheme]}
    raise ImproperlyConfigured(f"EMAIL_URL has an unsupported scheme: {scheme!r}")
