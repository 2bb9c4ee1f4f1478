"""The Celery application.

Settings come from Django's, under the CELERY_ namespace. With no broker configured
(the quick start), config.settings.base turns on eager mode so that tasks run in-process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("grantsprogramme")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
