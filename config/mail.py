"""Sending the portal's e-mails: French plain text from a template, the same as HTML, handed to
the worker once the transaction commits (nothing is announced that did not happen), and sent
from there with retries: a business action never fails, nor waits, because the mail server
does.

The message travels as JSON (`payload`): the task's arguments are stored in the database by
the tasks backend (django-tasks-db) until the worker (`manage.py worker`) runs it."""

import base64
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
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


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL + path


def render(template, recipient, subject, *, attachments=(), **context):
    """The message for `recipient`: `template` names a plain-text template
    (`app/emails/name.txt`), rendered with `context`, and its HTML copy; `attachments`:
    [(file name, content as bytes or str, MIME type)]."""
    text = render_to_string(template, context)
    html = render_to_string("emails/base.html", {"text": text, "subject": subject})
    message = EmailMultiAlternatives(subject, text, to=[recipient])
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message


def send(template, recipient, subject, *, attachments=(), **context):
    """`template` names a plain-text template (`app/emails/name.txt`); nothing without a
    recipient. The message leaves from the worker once the transaction commits."""
    if not recipient:
        return
    message = render(template, recipient, subject, attachments=attachments, **context)
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
    message = EmailMultiAlternatives(
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
