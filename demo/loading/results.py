"""Results of finished grants on the public pages, built through the services, from
``demo/data/results-2023.yaml``: for each initiative, its final report (scheduled from its
edition's reporting plan), written and sent by a member of its organisation with a photo the
people shown agreed to publish, accepted by the secretariat, which then publishes the highlights
and the photo (``reports.services.results_publish``) and translates them, as it does in the back
office.

An initiative whose final report exists already is left as it is: a later run changes nothing.
"""

from __future__ import annotations

from grants.models import Initiative
from programme.models import ReportKind
from reports.models import PublicResult, Report
from reports.services import (
    ReportContent,
    attachment_add,
    report_accept,
    report_save,
    report_submit,
    results_publish,
    schedule_reports,
)

from .base import Loader
from .files import photo, read


def load_results(loader: Loader) -> None:
    data = read("results-2023")
    secretary = loader.users[data["secretariat"]]
    for item in data["results"]:
        initiative = Initiative.objects.get(
            edition=loader.editions["2023"], slug=item["initiative"]
        )
        if Report.objects.filter(initiative=initiative, kind=ReportKind.FINAL).exists():
            loader.count(PublicResult, "unchanged")
            continue
        published = publish(initiative, item, member=loader.users[item["by"]], actor=secretary)
        loader.count(PublicResult, "created", len(published))


def publish(initiative: Initiative, item: dict, *, member, actor) -> list[PublicResult]:
    """The final report of ``initiative`` written by ``member``, accepted and its results
    published by ``actor`` (the secretariat). Returns what was published."""
    report = next(r for r in schedule_reports(initiative=initiative) if r.kind == ReportKind.FINAL)
    written = item["final_report"]
    lines = list(initiative.lines_of_action.order_by("order").values_list("pk", flat=True))
    report = report_save(
        report=report,
        actor=member,
        content=ReportContent(
            narratives={lines[n - 1]: text for n, text in written["narratives"].items()},
            challenges=written["challenges"],
            lessons=written["lessons"],
            highlights=written["highlights"],
        ),
        read_version=report.version,
    )
    picture = attachment_add(
        report=report,
        actor=member,
        upload=photo(item["photo"]["name"]),
        caption=item["photo"]["caption"],
        is_publishable=True,
    )
    report = report_submit(report=report, actor=member)
    report = report_accept(report=report, actor=actor)
    published = results_publish(report=report, actor=actor, highlights=True, photos=[picture.pk])
    translated = item.get("translations", {})
    for result in published:
        field = "text" if result.kind == PublicResult.Kind.HIGHLIGHTS else "caption"
        for name, value in translated.items():
            if name.startswith(f"{field}_"):
                setattr(result, name, value)
        result.save()
    return published
