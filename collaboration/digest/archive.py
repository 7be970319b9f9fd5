"""The archive of sent issues: each period's digest kept per language as it
was first sent (its subject, sections and the collaborations it named), for
council members and coordinators to read again on the web, each with the
sections and collaborations they may read (build.for_reader)."""

from django.conf import settings

from ..models import DigestIssue
from .build import Rendered, for_reader


def keep(rendered: Rendered) -> None:
    """Keep the issue as it goes out, unless its period and language are
    kept already (the first one sent is the one kept). One query."""
    DigestIssue.objects.bulk_create(
        [
            DigestIssue(
                period=rendered.content.period,
                language=rendered.language,
                subject=rendered.subject,
                base_url=rendered.base_url,
                # A list: jsonb keeps no order of keys.
                sections=[[key, text, html] for key, (text, html) in rendered.sections.items()],
                named=rendered.named,
            )
        ],
        ignore_conflicts=True,
    )


def listing() -> list[tuple]:
    """Each period kept, newest first, with its issues (one per language). One query."""
    periods: dict = {}
    for issue in DigestIssue.objects.defer("sections", "named").order_by("-period", "language"):
        periods.setdefault(issue.period, []).append(issue)
    return list(periods.items())


def latest(language: str) -> DigestIssue | None:
    """The latest period's issue, in ``language`` if it was sent in it. One query."""
    issues = list(
        DigestIssue.objects.filter(
            period=DigestIssue.objects.order_by("-period").values("period")[:1]
        )
    )
    preferred = [issue for issue in issues if issue.language == language]
    return (
        preferred or sorted(issues, key=lambda i: i.language != settings.LANGUAGE_CODE) or [None]
    )[0]


def sections_for(user, issue: DigestIssue) -> list:
    """The issue's sections as ``user`` may read them: [(key, text, html)]."""
    sections = {key: (text, html) for key, text, html in issue.sections}
    return for_reader(user, sections, issue.named, issue.base_url, issue.language)
