"""The one error the local cluster raises for anything a person can fix."""

from __future__ import annotations


class ClusterError(Exception):
    """A one-line message saying what went wrong and what to do; the CLI prints only this."""
