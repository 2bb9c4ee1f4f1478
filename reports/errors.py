"""The steps the reports app refuses, one ``DomainError`` subclass per case."""

from core.errors import DomainError


class ReportError(DomainError):
    """The report cannot be changed this way. Nothing was changed."""


class StaleReport(ReportError):
    """Someone saved the report after the person opened it: their save is refused."""


class ReportIncomplete(ReportError):
    """Required sections are empty; ``errors`` maps each section to what is missing."""

    @property
    def problems(self) -> dict[str, str]:
        return self.errors
