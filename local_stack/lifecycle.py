"""The start/stop shape shared by everything run on this machine (local stack, local cluster)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self


class StartStop(ABC):
    """`with Thing(...) as thing:` gives a started thing and stops it on the way out.

    start() stops whatever it already started when it fails half-way, so no process outlives a
    failed start, whether or not a `with` block is used.
    """

    def start(self) -> None:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    @abstractmethod
    def _start(self) -> None: ...

    @abstractmethod
    def stop(self) -> None: ...

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
