"""A pure part of the link stage worked out in a forked process (`kg.link.aside`)."""

from __future__ import annotations

import os

import pytest

import kg.link
from kg.extract.vocabulary import default_vocabulary
from kg.link import resolve
from kg.link.aside import Aside
from kg.records import Mention
from tests.link.papers_at_hand import evidence, extraction, paper


def test_the_child_sends_back_what_the_work_returns():
    here = os.getpid()
    aside = Aside(lambda: (os.getpid(), [3, -1, 2]), fork=True)
    worked_in, levels = aside.result()
    assert levels == [3, -1, 2]
    assert worked_in != here


def test_without_a_fork_the_work_is_done_here_when_asked():
    calls = []
    aside = Aside(lambda: calls.append(os.getpid()) or len(calls), fork=False)
    assert calls == []
    assert aside.result() == 1
    assert calls == [os.getpid()]


def test_a_failing_child_sends_nothing_and_the_error_is_raised_here():
    def work():
        raise ValueError("bad input")

    aside = Aside(work, fork=True)
    with pytest.raises(ValueError, match="bad input"):
        aside.result()


def test_a_child_whose_result_is_not_asked_for_is_ended():
    aside = Aside(lambda: sum(range(10**9)), fork=True)
    pid = aside._child[0]  # type: ignore[index]
    aside.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no such child any more
    aside.close()  # twice: nothing left to end


def test_the_link_stage_gives_the_same_result_with_a_forked_process(monkeypatch):
    monkeypatch.setattr(kg.link, "ASIDE_FROM", 0)  # fork even for a handful of mentions
    extractions = [
        extraction(
            "p:a",
            (
                "introduces",
                Mention("GridNet", "Model"),
                evidence("GridNet: Dense Prediction on Grids", "introduces:title-name"),
            ),
        ),
        extraction(
            "p:b",
            (
                "introduces",
                Mention("ConVIRT", "Model"),
                evidence("We propose ConVIRT, an alternative.", "introduces:verb:propose"),
            ),
        ),
        extraction("p:c", ("buildsOn", Mention("GridNet", "Model"), evidence())),
    ]
    papers = [paper(p, "An abstract.", 2020) for p in ("p:a", "p:b", "p:c")]
    alone = resolve(extractions, default_vocabulary(), papers, jobs=1)
    forked = resolve(extractions, default_vocabulary(), papers, jobs=2)
    assert forked == alone
    assert {e.node_id for e in forked.entity_edges if e.relation == "introduces"} == {
        "model/gridnet",
        "model/convirt",
    }
