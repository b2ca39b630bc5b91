"""Sending the portal's e-mails: French plain text from a template, the same as HTML, handed to
the worker once the transaction commits (nothing is announced that did not happen), and sent
from there with retries: a business action never fails, nor waits, because the mail server
does.

What reaches a header (subject, recipient) is made safe first: a name typed with a line feed,
a tab or a NUL, or 10,000 characters long, must not make the message fail after the data it
announces is saved (a header refuses line feeds). The plain text is rendered without HTML
escaping (« l'emploi », not « l&#x27;emploi »); the HTML version escapes it.

The message travels as JSON (`payload`): the task's arguments are stored in the database by
the tasks backend (django-tasks-db) until the worker (`manage.py worker`) runs it."""

import base64
import email.policy
import logging
import re
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.tasks import task
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import timezone

logger = logging.getLogger(__name__)

# The worker's tasks backend (settings.TASKS) and the queue of the e-mails.
BACKEND = "worker"
QUEUE = "mail"
# Waits before each new attempt, in seconds: 1 min, 5 min, 30 min, 2 h, 6 h — then the message
# is given up (about 8 h 36 min after the first attempt; logged as an error).
RETRY_DELAYS = (60, 300, 1800, 7200, 21600)
# What a mail server that is down, refuses or times out raises (smtplib, socket, ssl).
FAILURES = (smtplib.SMTPException, OSError)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
SPACES = re.compile(r"\s+")
SUBJECT_MAX_LENGTH = 150  # characters; a longer subject is cut, with an ellipsis


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL + path


def header_text(value, max_length=SUBJECT_MAX_LENGTH):
    """One line a header can carry: control characters (line feeds, tabs, NUL…) become
    spaces, spaces are collapsed, and the text is cut to `max_length` characters."""
    line = SPACES.sub(" ", CONTROL_CHARACTERS.sub(" ", str(value))).strip()
    return line if len(line) <= max_length else line[: max_length - 1].rstrip() + "…"


def render_plain_text(template, context):
    """A plain-text template rendered without HTML escaping; NUL characters dropped."""
    text = get_template(template).template.render(Context(context, autoescape=False))
    return text.replace("\x00", "")


class Message(EmailMultiAlternatives):
    """An e-mail whose header lines may reach RFC 5322's 998 characters: a header word longer
    than 78 (the URL of `List-Unsubscribe`) is then folded onto its own line instead of being
    written in RFC 2047 encoded words, which RFC 2369 readers (mail clients' one-click
    unsubscribe) do not decode."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def render(template, recipient, subject, *, attachments=(), headers=None, **context):
    """The message for `recipient`: `template` names a plain-text template
    (`app/emails/name.txt`), rendered with `context`, and its HTML copy; `attachments`:
    [(file name, content as bytes or str, MIME type)]; `headers`: {name: value} added
    (`List-Unsubscribe`…). The subject and the headers are made safe lines."""
    subject = header_text(subject)
    text = render_plain_text(template, context)
    html = render_to_string("emails/base.html", {"text": text, "subject": subject})
    headers = {name: header_text(value, max_length=998) for name, value in (headers or {}).items()}
    message = Message(subject, text, to=[recipient], headers=headers)
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message


def send(template, recipient, subject, *, attachments=(), headers=None, **context):
    """`template` names a plain-text template (`app/emails/name.txt`); nothing without a
    recipient, nor for one that is not one clean address (logged without it). The message
    leaves from the worker once the transaction commits."""
    if not recipient:
        return
    if header_text(recipient, max_length=254) != recipient:
        logger.warning("E-mail « %s » non envoyé : adresse du destinataire invalide.", template)
        return
    message = render(
        template, recipient, subject, attachments=attachments, headers=headers, **context
    )
    data = payload(message)
    transaction.on_commit(lambda: deliver.enqueue(data))


def payload(message):
    """An EmailMultiAlternatives as JSON: {"subject", "body", "from_email", "to", "cc", "bcc",
    "reply_to", "headers", "alternatives": [[content, mimetype], …],
    "attachments": [[file name, content in base64, mimetype], …]}."""
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": message.to,
        "cc": message.cc,
        "bcc": message.bcc,
        "reply_to": message.reply_to,
        "headers": message.extra_headers,
        "alternatives": [[content, mimetype] for content, mimetype in message.alternatives],
        "attachments": [
            [name, base64.b64encode(_bytes(content)).decode(), mimetype]
            for name, content, mimetype in message.attachments
        ],
    }


def _bytes(content):
    return content.encode() if isinstance(content, str) else content


def message_of(data):
    """The message `payload` described."""
    message = Message(
        data["subject"], data["body"], data["from_email"], data["to"], bcc=data["bcc"],
        cc=data["cc"], reply_to=data["reply_to"], headers=data["headers"],
    )  # fmt: skip
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for name, content, mimetype in data.get("attachments", []):
        message.attach(name, base64.b64decode(content), mimetype)
    return message


def send_now(messages):
    """Sends `messages` through one connection to the default mailer; raises one of `FAILURES`
    when the server is unreachable or refuses them."""
    with mailers.default as connection:
        connection.send_messages(messages)


def retry_later(context, attempt):
    """Enqueues the running task again (same arguments, `attempt` + 1) after the next delay of
    `RETRY_DELAYS`; after the last one, the message is given up and logged as an error. The
    in-request backend (tests, `make run`) cannot defer: no new attempt there."""
    task_result = context.task_result
    if not task_result.task.get_backend().supports_defer:
        return
    if attempt > len(RETRY_DELAYS):
        logger.error("Courriel abandonné après %d essais (tâche %s).", attempt, task_result.id)
        return
    later = task_result.task.using(
        run_after=timezone.now() + timedelta(seconds=RETRY_DELAYS[attempt - 1])
    )
    later.enqueue(*task_result.args, **task_result.kwargs | {"attempt": attempt + 1})
    logger.warning(
        "Serveur de courriel indisponible : essai %d le %s.", attempt + 1, later.run_after
    )


def with_retries(context, attempt, send):
    """Calls `send()`; when the mail server fails, the running task is enqueued again (see
    `retry_later`) and the failure raised (it stays recorded on this attempt's result)."""
    try:
        return send()
    except FAILURES:
        retry_later(context, attempt)
        raise


@task(backend=BACKEND, queue_name=QUEUE, takes_context=True)
def deliver(context, data, attempt=1):
    """Sends the message `data` describes (see `payload`), retried while the server fails."""
    with_retries(context, attempt, lambda: send_now([message_of(data)]))
