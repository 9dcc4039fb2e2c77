"""A PDF built in the background, with its progress: the shape shared by every print job.

A model that owns a PDF (a mail batch, a petition delivery) inherits `PdfJob`. Its task
runs inside `failing_on_error(job)`, calls `start`, then `progress` as it goes, then
`finish` (an error marks the job failed, with the message shown on the page); the model's page shows
`pdf_state`, `pdf_done` of `pdf_total` and refreshes itself while the job runs. Each step is
one UPDATE of the job's row, so a page reading it never waits for the task.

A PDF task may run more than once (its worker killed mid-way, `lantern.background`): each
run starts from `start` again and `finish` replaces the file, so two runs leave one PDF. A
task given up after too many lost workers calls `abandon`, which marks the job failed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PdfJob(models.Model):
    class PdfState(models.TextChoices):
        NONE = "none", _("Not built")
        QUEUED = "queued", _("Waiting for the worker")
        BUILDING = "building", _("Building")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    pdf = models.FileField(upload_to="print/%Y/%m/", blank=True)
    pdf_state = models.CharField(max_length=10, choices=PdfState.choices, default=PdfState.NONE)
    pdf_done = models.PositiveIntegerField(default=0)
    pdf_total = models.PositiveIntegerField(default=0)
    pdf_error = models.TextField(blank=True)
    pdf_built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def pdf_in_progress(self) -> bool:
        return self.pdf_state in (self.PdfState.QUEUED, self.PdfState.BUILDING)

    @property
    def pdf_percent(self) -> int:
        if not self.pdf_total:
            return 0
        return min(100, self.pdf_done * 100 // self.pdf_total)


IN_PROGRESS = (PdfJob.PdfState.QUEUED, PdfJob.PdfState.BUILDING)


def queue(job: PdfJob) -> None:
    type(job)._default_manager.filter(pk=job.pk).update(
        pdf_state=PdfJob.PdfState.QUEUED, pdf_done=0, pdf_total=0, pdf_error=""
    )


def start(job: PdfJob, total: int) -> None:
    type(job)._default_manager.filter(pk=job.pk).update(
        pdf_state=PdfJob.PdfState.BUILDING, pdf_done=0, pdf_total=total, pdf_error=""
    )


def progress(job: PdfJob, done: int) -> None:
    type(job)._default_manager.filter(pk=job.pk).update(pdf_done=done)


def finish(job: PdfJob, pdf: bytes, filename: str) -> None:
    """Store the PDF (replacing an earlier one) and mark the job ready."""
    old = job.pdf.name if job.pdf else ""
    target = job.pdf.field.generate_filename(job, filename)
    if target != old and job.pdf.storage.exists(target):
        job.pdf.storage.delete(target)  # left by a run killed before it recorded the file
    job.pdf.save(filename, ContentFile(pdf), save=False)
    type(job)._default_manager.filter(pk=job.pk).update(
        pdf=job.pdf.name,
        pdf_state=PdfJob.PdfState.READY,
        pdf_done=models.F("pdf_total"),
        pdf_built_at=timezone.now(),
    )
    if old and old != job.pdf.name:
        job.pdf.storage.delete(old)


def abandon(model: type[PdfJob], pk: int) -> None:
    """The task building this job was given up (its worker died each time it ran)."""
    message = gettext("The worker stopped while building this PDF; build it again.")
    model._default_manager.filter(pk=pk, pdf_state__in=IN_PROGRESS).update(
        pdf_state=PdfJob.PdfState.FAILED, pdf_error=message
    )


def fail(job: PdfJob, error: str) -> None:
    type(job)._default_manager.filter(pk=job.pk).update(
        pdf_state=PdfJob.PdfState.FAILED, pdf_error=error
    )


@contextmanager
def failing_on_error(job: PdfJob) -> Iterator[None]:
    """Mark the job failed if the block raises (and let the error reach the worker's log)."""
    try:
        yield
    except Exception as exc:
        fail(job, str(exc) or type(exc).__name__)
        raise
