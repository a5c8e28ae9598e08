"""The Celery application. Tasks live in each app's tasks.py; schedules live here."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# One beat process runs these; times are Europe/Berlin (CELERY_TIMEZONE).
app.conf.beat_schedule = {
    "notifications.replay_outbox": {
        "task": "notifications.replay_outbox",
        "schedule": 60.0,
    },
    "notifications.send_daily_digests": {
        "task": "notifications.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "notifications.send_weekly_digests": {
        "task": "notifications.send_weekly_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
    "notifications.roll_up_deliveries": {
        "task": "notifications.roll_up_deliveries",
        "schedule": crontab(hour=2, minute=47),
    },
    "portal.clear_expired_sessions": {
        "task": "portal.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=17),
    },
    "groups.resume_information_mailings": {
        "task": "groups.resume_information_mailings",
        "schedule": 5 * 60.0,
    },
    "groups.forget_unconfirmed_subscribers": {
        "task": "groups.forget_unconfirmed_subscribers",
        "schedule": crontab(hour=3, minute=41),
    },
    # Retention (privacy/retention.py); the privacy page lists the same schedules.
    "privacy.delete_expired_exports": {
        "task": "privacy.delete_expired_exports",
        "schedule": crontab(minute=23),
    },
    "privacy.forget_old_sessions": {
        "task": "privacy.forget_old_sessions",
        "schedule": crontab(hour=3, minute=19),
    },
    "privacy.forget_delivered_mail": {
        "task": "privacy.forget_delivered_mail",
        "schedule": crontab(hour=3, minute=29),
    },
    "meetings.remind_action_items": {
        "task": "meetings.remind_action_items",
        "schedule": crontab(hour=6, minute=30),
    },
}


def named_task(name: str):
    """A task by its name, for the code the task itself calls: that code hands work to the task
    without importing its module, so the imports point one way (the task module → the code). The
    apps import their task modules when they are ready (AppConfig.ready), so the name is known."""
    return app.tasks[name]
