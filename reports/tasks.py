"""Celery tasks of the reports: thin, named, idempotent."""

from celery import shared_task


@shared_task(name="reports.render_activity_report")
def render_activity_report(*, space_id: int, year: int) -> int:
    """Renders the year's activity report of a space in every language asked for since the last one.

    Nothing to do (0) when every stored report is newer than the last request, or another
    process is rendering it.
    """
    from reports import pdf  # weasyprint only in the processes that render

    return pdf.render_requested(space_id=space_id, year=year)
