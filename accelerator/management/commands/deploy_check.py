"""`manage.py deploy_check`: Django's deployment checks, plus the parts a check cannot see.

Operator output, in English on purpose (not translated): it runs on a server, before anyone
signs in. Each problem is printed on its own line with what to fix; the command exits non-zero
when there is any, so a deploy script can stop on it.

Checks, in order:
- Django's `check --deploy` (warnings count; silenced checks do not);
- the broker: a Redis PING on REDIS_URL;
- the mail server: an SMTP connection with the EMAIL_URL settings, STARTTLS/SSL as configured,
  and a login when a user is set;
- the media folder (MEDIA_ROOT, the uploaded files): exists, is writable, is not readable by
  other users of the machine."""

import os
import smtplib
import ssl
import stat
import tempfile
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core import checks
from django.core.management.base import BaseCommand, CommandError

TIMEOUT = 5  # seconds per network check: a deploy should not hang on a dead server


def _without_password(url):
    parts = urlsplit(url)
    if parts.password:
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        netloc = f"{parts.username}:***@{host}" if parts.username else f"***@{host}"
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


def django_problems():
    messages = checks.run_checks(include_deployment_checks=True)
    return [
        f"Django check {m.id}: {m.msg}" + (f" ({m.hint})" if m.hint else "")
        for m in messages
        if m.level >= checks.WARNING and not m.is_silenced()
    ]


def broker_problems():
    url = settings.REDIS_URL
    if not url:
        if settings.DEBUG:
            return []
        return ["Broker: REDIS_URL is not set, so tasks run inside web requests and beat has no queue. "
                "Set REDIS_URL, e.g. redis://127.0.0.1:6379/0."]
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT)
        client.ping()
    except Exception as exc:  # every failure is reported the same way: what, where, why
        return [f"Broker: cannot reach Redis at {_without_password(url)} ({exc.__class__.__name__}: {exc}). "
                "Is Redis running, and is REDIS_URL right?"]
    return []


def mail_problems():
    backend = settings.EMAIL_BACKEND
    if not backend.endswith("smtp.EmailBackend"):
        if settings.DEBUG:
            return []
        return [f"Mail: EMAIL_BACKEND is {backend}, which does not send mail. "
                "Set EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.org:587."]
    host, port = settings.EMAIL_HOST, settings.EMAIL_PORT
    where = f"{host}:{port}"
    user, password = settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD
    try:
        if settings.EMAIL_USE_SSL:
            connection = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=ssl.create_default_context())
        else:
            connection = smtplib.SMTP(host, port, timeout=TIMEOUT)
        try:
            if settings.EMAIL_USE_TLS:
                connection.starttls(context=ssl.create_default_context())
            if user:
                connection.login(user, password)
        finally:
            try:
                connection.quit()
            except smtplib.SMTPException:
                connection.close()
    except smtplib.SMTPAuthenticationError as exc:
        reply = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return [f"Mail: the server at {where} refused the login for user {user!r} ({exc.smtp_code} {reply}). "
                "Check the user and password in EMAIL_URL."]
    except smtplib.SMTPNotSupportedError as exc:
        return [f"Mail: the server at {where} does not offer what EMAIL_URL asks for ({exc}). "
                "Check smtp+tls:// or smtps:// in EMAIL_URL."]
    except (OSError, smtplib.SMTPException, ssl.SSLError) as exc:
        return [f"Mail: cannot talk to the mail server at {where} ({exc.__class__.__name__}: {exc}). "
                "Is it running, and are the host and port in EMAIL_URL right?"]
    return []


def media_problems():
    root = settings.MEDIA_ROOT
    if not os.path.isdir(root):
        return [f"Media: MEDIA_ROOT {root} does not exist or is not a folder. Create it, owned by the app's user "
                "with mode 700."]
    problems = []
    try:
        with tempfile.NamedTemporaryFile(dir=root, prefix=".deploy-check-"):
            pass
    except OSError as exc:
        problems.append(f"Media: cannot write to MEDIA_ROOT {root} ({exc.strerror or exc}). Uploads would fail; "
                        "give the app's user write access.")
    mode = stat.S_IMODE(os.stat(root).st_mode)
    if mode & (stat.S_IROTH | stat.S_IWOTH | stat.S_IXOTH):
        problems.append(f"Media: MEDIA_ROOT {root} is open to other users of the machine (mode {mode:o}); uploaded "
                        f"evidence files are private. Run: chmod o-rwx {root}")
    return problems


CHECKS = [("Django deploy checks", django_problems), ("broker", broker_problems), ("mail server", mail_problems),
          ("media folder", media_problems)]


class Command(BaseCommand):
    help = "Django's deploy checks, plus the broker, the mail server and the media folder. Exits 1 on any problem."

    def handle(self, *args, **options):
        problems = []
        for name, check in CHECKS:
            found = check()
            problems += found
            if found:
                for problem in found:
                    self.stderr.write(f"PROBLEM  {problem}")
            else:
                self.stdout.write(f"ok       {name}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found; fix them before serving traffic.")
        self.stdout.write("All deploy checks passed.")
