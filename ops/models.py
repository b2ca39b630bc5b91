from django.db import models


class Heartbeat(models.Model):
    """The last sign of life of a long-running process (the worker), read by /healthz."""

    process = models.CharField(max_length=40, primary_key=True)
    beat_at = models.DateTimeField()

    def __str__(self):
        return f"{self.process} : {self.beat_at:%d/%m/%Y %H:%M:%S}"
