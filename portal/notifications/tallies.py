"""Counts of mails that outlive the rows they count, for the dashboard and the activity report.

The outbox deletes sent mails after outbox.KEEP_SENT and the retention deletes the deliveries of
notifications after privacy.retention.KEEP_DELIVERY_JOURNAL, yet a coordinator asks how many went
out over years, and counting 500,000 deliveries per page view is no answer either. So:

- `delete_counted(mails)` adds the mails it deletes to `MailTally` (per template, subject, day and
  status) in the same transaction: a mail is either a row or a count, never both, never neither;
- `roll_up_deliveries()` (beat, and before the retention deletes anything) counts the deliveries
  per space and day into `DeliveryDay` once their day lies SETTLE_AFTER back, recounting the
  last REFRESH of counted days so that a late change still arrives. A delivery counts on the day
  it was handed out (its own `created_at`), not on its event's: one handed out weeks after its
  event (a replay, a late digest) lands on a day still open and is never missed. Whatever lies after the
  mark (`deliveries_counted_before`) is counted from the rows: a reader adds both and is right
  whether the rollup ran an hour or a month ago.

Days are those of Europe/Berlin (the portal's time zone), so a month's figure holds at its edges.
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import CharField, Count, F, Q, QuerySet, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, TruncDate, TruncMonth
from django.utils import timezone

from portal.notifications.models import Delivery, DeliveryDay, Mail, MailTally, RollupMark

# Immediate mails are retried for hours, digests wait up to a week: after two weeks a day is final.
SETTLE_AFTER = datetime.timedelta(days=14)
# Counted days are counted again for a month: a digest that failed for days still arrives.
REFRESH = datetime.timedelta(days=30)
DELIVERIES = "deliveries"
# The statuses a mail ends in; the others are deleted uncounted (a dead address's pending mail).
FINAL = [Mail.Status.SENT, Mail.Status.SKIPPED, Mail.Status.FAILED]

# template -> the key in Mail.params that names what its mails are counted by (outbox.register_builder).
_COUNT_BY: dict[str, str] = {}


def count_by(template: str, param: str) -> None:
    _COUNT_BY[template] = param


def _zone():
    return timezone.get_default_timezone()


def midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()), _zone())


# --- Mails to one address -------------------------------------------------------------


def delete_counted(mails: QuerySet[Mail]) -> int:
    """Deletes the mails, adding those that ended (sent, skipped, failed) to the tallies first."""
    with transaction.atomic():
        ids = list(mails.select_for_update(skip_locked=True).values_list("pk", flat=True))
        if not ids:
            return 0
        ended = Mail.objects.filter(pk__in=ids, status__in=FINAL).annotate(
            day=TruncDate(Coalesce("sent_at", "created_at"), tzinfo=_zone())
        )
        counts: dict[tuple, int] = defaultdict(int)
        for param in [None, *sorted(set(_COUNT_BY.values()))]:
            if param is None:
                rows = ended.exclude(template__in=list(_COUNT_BY)).values("template", "day", "status")
            else:
                templates = [template for template, by in _COUNT_BY.items() if by == param]
                rows = (
                    ended.filter(template__in=templates)
                    .annotate(counted_by=KeyTextTransform(param, "params"))
                    .values("template", "day", "status", "counted_by")
                )
            for row in rows.annotate(n=Count("pk")).order_by():
                subject = str(row.get("counted_by") or "")
                subject_id = int(subject) if subject.isdigit() else 0
                counts[row["template"], subject_id, row["day"], row["status"]] += row["n"]
        for (template, subject_id, day, status), n in counts.items():
            tally, _created = MailTally.objects.get_or_create(
                template=template, subject_id=subject_id, day=day, status=status
            )
            MailTally.objects.filter(pk=tally.pk).update(count=F("count") + n)
        deleted, _by_model = Mail.objects.filter(pk__in=ids).delete()
    return deleted


def mails_by_month(
    *, template: str, subjects: QuerySet, first: datetime.date, last: datetime.date
) -> dict[datetime.date, dict[str, int]]:
    """The mails of the template about these subjects that were sent or finally failed, per month
    (first day) from `first` to `last`, both days included, by status: the tallies and the rows
    still in the outbox. A mail's day is the one it was sent on, else the one it was written on
    (as `delete_counted` tallies it).

    `subjects` is a queryset (e.g. a space's information pages), asked as a subquery: a list of
    thousands of ids would be thousands of bound parameters, each a JSON value for the outbox's
    rows, which cost more than the counting."""
    param = _COUNT_BY[template]
    counted = [Mail.Status.SENT, Mail.Status.FAILED]
    by_month: dict[datetime.date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(counted, 0))
    tallied = (
        MailTally.objects.filter(
            template=template,
            status__in=counted,
            subject_id__in=subjects.values("pk"),
            day__gte=first,
            day__lte=last,
        )
        .annotate(month=TruncMonth("day"))
        .values("month", "status")
        .annotate(n=Sum("count"))
    )
    for row in tallied:
        by_month[_as_date(row["month"])][row["status"]] += row["n"]
    # Compared as text: the key's text is the same whether the id was stored as a number or a string.
    keys = subjects.annotate(key=Cast("pk", output_field=CharField())).values("key")
    rows = (
        Mail.objects.filter(status__in=counted, template=template)
        .annotate(counted_by=KeyTextTransform(param, "params"))
        .filter(counted_by__in=keys)
        .annotate(at=Coalesce("sent_at", "created_at"))
        .filter(at__gte=midnight(first), at__lt=midnight(last + datetime.timedelta(days=1)))
        .annotate(month=TruncMonth("at", tzinfo=_zone()))
        .values("month", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        by_month[_as_date(row["month"])][row["status"]] += row["n"]
    return dict(by_month)


def sent_mails_by_subject(*, template: str, subject_ids: list[int]) -> dict[int, int]:
    """The mails of the template sent about each of these subjects, ever."""
    param = _COUNT_BY[template]
    by_subject: dict[int, int] = defaultdict(int)
    tallied = (
        MailTally.objects.filter(template=template, status=Mail.Status.SENT, subject_id__in=subject_ids)
        .values("subject_id")
        .annotate(n=Sum("count"))
    )
    for row in tallied:
        by_subject[row["subject_id"]] += row["n"]
    rows = (
        Mail.objects.filter(
            template=template, status=Mail.Status.SENT, **{f"params__{param}__in": subject_ids}
        )
        .annotate(counted_by=KeyTextTransform(param, "params"))
        .values("counted_by")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        by_subject[int(row["counted_by"])] += row["n"]
    return dict(by_subject)


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


# --- Deliveries of notifications -----------------------------------------------------------


def _counts(prefix: str = "") -> dict:
    status = Delivery.Status
    return {
        "total": Count(f"{prefix}pk"),
        "sent": Count(f"{prefix}pk", filter=Q(**{f"{prefix}status": status.SENT})),
        "failed": Count(f"{prefix}pk", filter=Q(**{f"{prefix}status": status.FAILED})),
        "skipped": Count(f"{prefix}pk", filter=Q(**{f"{prefix}status": status.SKIPPED})),
    }


def roll_up_deliveries(*, now: datetime.datetime | None = None) -> int:
    """Counts the settled days' deliveries into DeliveryDay; returns how many day rows it wrote."""
    until = timezone.localdate(now or timezone.now()) - SETTLE_AFTER
    with transaction.atomic():
        RollupMark.objects.get_or_create(name=DELIVERIES)
        mark = RollupMark.objects.select_for_update().get(name=DELIVERIES)
        start = None if mark.complete_before is None else min(mark.complete_before, until) - REFRESH
        deliveries = Delivery.objects.filter(event__space__isnull=False, created_at__lt=midnight(until))
        days = DeliveryDay.objects.filter(day__lt=until)
        if start is not None:
            deliveries = deliveries.filter(created_at__gte=midnight(start))
            days = days.filter(day__gte=start)
        rows = (
            deliveries.annotate(day=TruncDate("created_at", tzinfo=_zone()))
            .values("event__space_id", "day")
            .annotate(**_counts())
            .order_by()
        )
        counted = [
            DeliveryDay(
                space_id=row["event__space_id"],
                day=row["day"],
                **{name: row[name] for name in ("total", "sent", "failed", "skipped")},
            )
            for row in rows
        ]
        days.delete()
        DeliveryDay.objects.bulk_create(counted, batch_size=1000)
        mark.complete_before = max(mark.complete_before or until, until)
        mark.save(update_fields=["complete_before"])
    return len(counted)


def deliveries_counted_before() -> datetime.date | None:
    """The first day whose deliveries are not (all) in DeliveryDay, or None when nothing is."""
    mark = RollupMark.objects.filter(name=DELIVERIES).values_list("complete_before", flat=True).first()
    return mark


def deliveries_by_month(
    *, space_id: int, first: datetime.date, last: datetime.date
) -> dict[datetime.date, dict]:
    """Per month (first day) from `first` to `last` (both included): the mails about the space's
    events handed out that month, how many of them were sent, failed and skipped. Three queries at
    any range."""
    counted_before = deliveries_counted_before()
    by_month: dict[datetime.date, dict] = defaultdict(lambda: dict.fromkeys(_counts(), 0))
    live_from = first
    if counted_before is not None and counted_before > first:
        rolled = (
            DeliveryDay.objects.filter(
                space_id=space_id, day__gte=first, day__lte=last, day__lt=counted_before
            )
            .annotate(month=TruncMonth("day"))
            .values("month")
            .annotate(**{name: Sum(name) for name in _counts()})
        )
        for row in rolled:
            for name in _counts():
                by_month[_as_date(row["month"])][name] += row[name]
        live_from = counted_before
    if live_from <= last:
        rows = (
            Delivery.objects.filter(
                event__space_id=space_id,
                created_at__gte=midnight(live_from),
                created_at__lt=midnight(last + datetime.timedelta(days=1)),
            )
            .annotate(month=TruncMonth("created_at", tzinfo=_zone()))
            .values("month")
            .annotate(**_counts())
            .order_by()
        )
        for row in rows:
            for name in _counts():
                by_month[_as_date(row["month"])][name] += row[name]
    return dict(by_month)
