"""Kernels started at the same moment in parallel processes can pick the same port
(papermill issue #511): a kernel that failed to start is started again; nothing else is."""

from __future__ import annotations

import pytest

from juro_privacy.run.execute import retry_kernel_start


def _flaky(failures: list[Exception]):
    calls: list[int] = []

    def run() -> None:
        calls.append(1)
        if failures:
            raise failures.pop(0)

    return run, calls


def test_a_kernel_that_died_at_start_is_started_again():
    run, calls = _flaky([RuntimeError("Kernel died before replying to kernel_info")])
    pauses: list[int] = []
    retry_kernel_start(run, pause=pauses.append)
    assert len(calls) == 2
    assert pauses == [1]


def test_it_gives_up_after_the_last_attempt():
    error = "Kernel didn't respond in 60 seconds"
    run, calls = _flaky([RuntimeError(error) for _ in range(5)])
    with pytest.raises(RuntimeError, match="didn't respond"):
        retry_kernel_start(run, attempts=3, pause=lambda _n: None)
    assert len(calls) == 3


@pytest.mark.parametrize(
    "error",
    [
        RuntimeError("Kernel died while waiting for execute reply."),  # cells had run
        ValueError("Kernel died before replying to kernel_info"),  # not jupyter_client's
        KeyError("parameters"),
    ],
)
def test_any_other_failure_is_raised_at_once(error):
    run, calls = _flaky([error])
    with pytest.raises(type(error)):
        retry_kernel_start(run, pause=lambda _n: None)
    assert len(calls) == 1
