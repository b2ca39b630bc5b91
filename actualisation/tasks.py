"""The actualisation's background tasks, run by the worker (`manage.py worker`)."""

from django.tasks import task

from actualisation import services
from config import mail


@task(backend=mail.BACKEND, queue_name=mail.QUEUE, takes_context=True)
def send_digest(context, rappel_id, attempt=1):
    """The monthly digest of a `Rappel`, retried while the mail server fails."""
    mail.with_retries(context, attempt, lambda: services.deliver_digest(rappel_id))
