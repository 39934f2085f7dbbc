"""Every error sporbar raises on purpose, each with a stable code.

Interfaces convert these in one place: the CLI prints ``message`` on one line,
the HTTP API returns it as a JSON error body.
"""

from __future__ import annotations


class SporbarError(Exception):
    """Base class: an error with a code and a message fit for a user."""

    code = "S000"
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InvalidDate(SporbarError):
    code = "S001"

    def __init__(self, raw: object, why: str | None = None) -> None:
        detail = f": {why}" if why else ""
        super().__init__(
            f"not a date: {str(raw)[:60]!r} (expected YYYY, YYYY-MM, YYYY-MM-DD, an ISO datetime or DD.MM.YYYY){detail}"
        )


class UnknownFormat(SporbarError):
    code = "S002"


class InputNotFound(SporbarError):
    code = "S003"
    status = 404


class ArticleNotFound(SporbarError):
    code = "S004"
    status = 404

    def __init__(self, article_id: str) -> None:
        super().__init__(f"no article with id {article_id!r}")
        self.article_id = article_id


class InvalidQuery(SporbarError):
    code = "S005"


class StoreLocked(SporbarError):
    code = "S006"
    status = 409


class SchemaTooNew(SporbarError):
    code = "S007"


class UnknownExportKind(SporbarError):
    code = "S008"


class StoreError(SporbarError):
    code = "S009"
    status = 500


class EntityNotFound(SporbarError):
    code = "S010"
    status = 404


class StoryNotFound(SporbarError):
    code = "S011"
    status = 404


class Unauthorized(SporbarError):
    code = "S012"
    status = 401
