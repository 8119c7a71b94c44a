"""Errors meant for users. The CLI prints them as one line and exits with code 2 (1 for an
endpoint that went down mid-run: the command was right, the server was not)."""

from __future__ import annotations


class BenchmarkError(Exception):
    """Base of every error that is the user's to fix; the message says where and what to do."""


class RecordError(BenchmarkError, ValueError):
    """A record or file is malformed."""


class MissingDataError(BenchmarkError, FileNotFoundError):
    """A data file or video is not where it was looked for."""


class UsageError(BenchmarkError):
    """Bad usage: an unknown task, model or option value."""


class EndpointDown(BenchmarkError):
    """An API endpoint stopped answering: the run stops (exit 1), keeping what it has, and
    resumes when run again."""
