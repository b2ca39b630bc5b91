"""`prescriptions_tick` as a Django task, for a task worker (Django's own `django.tasks`)."""

from django.tasks import task

from prescription import services


@task
def prescriptions_tick():
    return services.tick()
