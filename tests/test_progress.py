"""Quiz progress kept between sessions: atomic writes, damaged files set aside, concurrent kernels, summary."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

import course_utils as cu
from course_utils import progress


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A fresh progress file of this test's own."""
    path = tmp_path / "learner" / "progress.json"
    monkeypatch.setenv(progress.ENV_VAR, str(path))
    return path


def _event(quiz="01 self-check", question=1, correct=True, first_try=True, notebook="01", answer="a"):
    return cu.AnswerEvent(notebook=notebook, quiz=quiz, question=question, question_id=f"{quiz}#{question}",
                          correct=correct, first_try=first_try, answer=answer)


def _answers(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))["answers"]


# ------------------------------------------------------------------------------------------------ location


def test_default_file_is_in_the_home_not_the_repository(monkeypatch):
    monkeypatch.delenv(progress.ENV_VAR, raising=False)
    path = cu.progress_path()
    assert path == Path.home() / ".massage_course" / "progress.json"
    repo = Path(progress.__file__).resolve().parents[1]
    assert repo not in path.resolve().parents or repo == Path.home().resolve()


def test_env_var_inside_the_repository_is_refused(monkeypatch):
    repo = Path(progress.__file__).resolve().parents[1]
    if repo == Path.home().resolve() or not (repo / ".git").exists():
        pytest.skip("the repository is the home folder here (Binder-like) or not a git checkout")
    monkeypatch.setenv(progress.ENV_VAR, str(repo / "notebooks" / "progress.json"))
    with pytest.raises(ValueError, match="MASSAGE_COURSE_PROGRESS must name a file outside the course repository"):
        cu.progress_path()


# ------------------------------------------------------------------------------------------------ recording


def test_a_checked_answer_is_recorded_through_the_quiz(store):
    q = cu.MultipleChoice("Which?", ["a", "b"], answer=1, explanation="Because b.")
    cu.Quiz("02 self-check", [q], notebook="02")
    q.choice.index = 0
    q.button.click()
    rec = _answers(store)["02 self-check#1"]
    assert (rec["first_try"], rec["now"], rec["attempts"], rec["answer"]) == (False, False, 1, "a")
    q.choice.index = 1
    q.button.click()
    rec = _answers(store)["02 self-check#1"]
    assert (rec["first_try"], rec["now"], rec["attempts"], rec["answer"]) == (False, True, 2, "b")


def test_first_try_is_kept_from_an_earlier_session(store):
    cu.record_answer(_event(correct=True, first_try=True))
    # next day, a new kernel: the learner answers the same question again, wrongly, at that session's first try
    cu.record_answer(_event(correct=False, first_try=True))
    rec = _answers(store)["01 self-check#1"]
    assert rec["first_try"] is True and rec["now"] is False and rec["attempts"] == 2


def test_a_question_first_seen_after_an_unrecorded_attempt_is_not_right_first_time(store):
    cu.record_answer(_event(correct=True, first_try=False))
    assert _answers(store)["01 self-check#1"]["first_try"] is False


def test_record_answer_refuses_other_things(store):
    with pytest.raises(TypeError, match="event must be an AnswerEvent"):
        cu.record_answer({"quiz": "01"})


def test_write_is_atomic_no_temporary_file_is_left_and_a_failed_write_keeps_the_old_file(store, monkeypatch):
    cu.record_answer(_event(question=1))
    before = store.read_bytes()
    calls = []
    real_replace = os.replace

    def spy(src, dst):
        calls.append((Path(src), Path(dst)))
        assert Path(src).parent == store.parent and Path(src) != store  # written beside, then swapped in
        return real_replace(src, dst)

    monkeypatch.setattr(progress.os, "replace", spy)
    cu.record_answer(_event(question=2))
    assert calls and calls[-1][1] == store
    assert sorted(p.name for p in store.parent.iterdir()) == ["progress.json", "progress.json.lock"]

    def crash(data, fh, **kwargs):  # the kernel dies half-way through writing
        fh.write('{"answers": {"half')
        raise KeyboardInterrupt

    monkeypatch.setattr(progress.json, "dump", crash)
    snapshot = store.read_bytes()
    with pytest.raises(KeyboardInterrupt):
        cu.record_answer(_event(question=3))
    assert store.read_bytes() == snapshot != before      # the file is the whole old one, not a half-written one
    assert sorted(p.name for p in store.parent.iterdir()) == ["progress.json", "progress.json.lock"]


# ------------------------------------------------------------------------------------------------ damaged files


@pytest.mark.parametrize("content, reason", [
    (b"", "the file is empty"),
    (b"  \n", "the file is empty"),
    (b'{"answers": {"01 self-check#1": {"first_t', "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not valid JSON"),
    (b"[1, 2, 3]", "does not hold the course's progress"),
    (b'{"answers": {"x#1": {"notebook": "01", "quiz": "x", "first_try": "yes", "now": true, "attempts": 1}}}',
     "damaged"),
])
def test_damaged_file_is_set_aside_with_one_line_and_progress_starts_again(store, capsys, content, reason):
    store.parent.mkdir(parents=True)
    store.write_bytes(content)
    assert cu.progress_summary() == {}
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and reason in out and "set aside as progress.json.corrupt-" in out
    kept = list(store.parent.glob("progress.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == content      # the learner's file is kept, not deleted
    assert not store.exists()
    cu.record_answer(_event())                                      # and progress starts again
    assert cu.progress_summary() == {"01": {"answered": 1, "first_try": 1, "now": 1}}
    assert capsys.readouterr().out == ""


def test_damaged_file_met_while_answering_never_breaks_the_quiz(store, capsys):
    store.parent.mkdir(parents=True)
    store.write_text("not json", encoding="utf-8")
    q = cu.Numeric("Hz?", answer=50, tolerance=0.5, unit="Hz", explanation="÷ 60.")
    cu.Quiz("00 practice", [q], notebook="00")
    q.entry.value = "50"
    assert q.correct is True and "Correct" in q.feedback.value
    assert "set aside" in capsys.readouterr().out
    assert _answers(store)["00 practice#1"]["now"] is True
    # the message printed in the button's callback went to JupyterLab's log; notebook 10's table repeats it once
    assert "set aside as progress.json.corrupt-" in cu.show_progress().data
    assert "set aside" not in cu.show_progress().data


def test_two_damaged_files_in_the_same_second_are_both_kept(store, capsys):
    store.parent.mkdir(parents=True)
    for text in ("one", "two"):
        store.write_text(text, encoding="utf-8")
        cu.progress_summary()
    kept = sorted(p.read_text() for p in store.parent.glob("progress.json.corrupt-*"))
    assert kept == ["one", "two"]


def test_missing_file_is_no_progress_and_no_message(store, capsys):
    assert cu.progress_summary() == {}
    assert capsys.readouterr().out == ""


# ------------------------------------------------------------------------------------------------ two kernels


def _writer(path: str, worker: int, n: int) -> None:
    os.environ[progress.ENV_VAR] = path
    for i in range(n):
        # each worker answers its own questions, and both answer one shared question every time
        progress.record_answer(_event(quiz=f"worker {worker}", question=i + 1, correct=i % 2 == 0,
                                      notebook=f"0{worker}"))
        progress.record_answer(_event(quiz="shared", question=1, correct=True, first_try=False, notebook="09"))


def test_two_processes_writing_at_once_lose_no_answer(store):
    n = 60
    ctx = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    workers = [ctx.Process(target=_writer, args=(str(store), w, n)) for w in (1, 2)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(timeout=120)
        assert p.exitcode == 0
    answers = _answers(store)
    assert len(answers) == 2 * n + 1
    for w in (1, 2):
        for i in range(n):
            rec = answers[f"worker {w}#{i + 1}"]
            assert rec["now"] is (i % 2 == 0) and rec["attempts"] == 1
    assert answers["shared#1"]["attempts"] == 2 * n               # every read-merge-write of both workers kept
    assert cu.progress_summary()["01"] == {"answered": n, "first_try": n // 2, "now": n // 2}


# ------------------------------------------------------------------------------------------------ reset, summary


def test_reset_forgets_every_answer(store):
    for q in (1, 2, 3):
        cu.record_answer(_event(question=q))
    assert cu.reset_progress() == 3
    assert cu.progress_summary() == {}
    assert not store.exists()
    assert cu.reset_progress() == 0


def test_summary_counts_per_notebook(store):
    # notebook 01: three questions: right first time, wrong then right, wrong twice
    cu.record_answer(_event(question=1, correct=True))
    cu.record_answer(_event(question=2, correct=False))
    cu.record_answer(_event(question=2, correct=True, first_try=False))
    cu.record_answer(_event(question=3, correct=False))
    cu.record_answer(_event(question=3, correct=False, first_try=False))
    # notebook 07: one question, right; a quiz without a notebook label is listed under its title
    cu.record_answer(_event(quiz="07 self-check", notebook="07", question=4, correct=True))
    cu.record_answer(_event(quiz="extra quiz", notebook="", question=1, correct=False))
    assert cu.progress_summary() == {
        "01": {"answered": 3, "first_try": 1, "now": 2},
        "07": {"answered": 1, "first_try": 1, "now": 1},
        "extra quiz": {"answered": 1, "first_try": 0, "now": 0},
    }
    table = cu.show_progress().data
    assert "<caption>" in table and "<th scope='row'>01</th><td>3</td><td>1 of 3</td><td>2 of 3</td>" in table
    assert "<th scope='row'>All</th><td>5</td><td>2 of 5</td><td>3 of 5</td>" in table


def test_show_progress_with_nothing_recorded_says_what_to_do(store):
    assert "No answers recorded yet" in cu.show_progress().data


# ------------------------------------------------------------------------------------------------ browser build


@pytest.fixture
def browser_build(tmp_path, monkeypatch):
    """CPython dressed as JupyterLite's Pyodide kernel: sys.platform 'emscripten', an fcntl without flock (as
    Pyodide's), a temporary folder as /drive, and no MASSAGE_COURSE_PROGRESS."""
    import types

    drive = tmp_path / "drive"
    drive.mkdir()
    monkeypatch.delenv(progress.ENV_VAR, raising=False)
    monkeypatch.setattr(progress.sys, "platform", "emscripten")
    monkeypatch.setattr(progress, "fcntl", types.SimpleNamespace(LOCK_EX=2, LOCK_UN=8))  # Pyodide: no flock
    monkeypatch.setattr(progress, "DRIVE", drive)
    monkeypatch.setattr(progress, "BROWSER_DEFAULT", drive / "my_progress" / "progress.json")
    return drive


def test_in_the_browser_build_the_file_is_under_drive_in_a_visible_folder(browser_build):
    path = cu.progress_path()
    assert path == browser_build / "my_progress" / "progress.json"
    assert not any(part.startswith(".") for part in path.relative_to(browser_build).parts)


def test_the_real_browser_default_is_under_drive():
    assert progress.BROWSER_DEFAULT.parts[:2] == ("/", "drive") and progress.DRIVE == Path("/drive")


def test_in_the_browser_build_a_check_is_recorded_with_no_flock_and_no_error(browser_build, caplog):
    q = cu.MultipleChoice("Which?", ["a", "b"], answer=1, explanation="Because b.")
    quiz = cu.Quiz("10 final review", [q], notebook="10")
    q.choice.index = 1
    q.button.click()
    assert "listener" not in caplog.text                      # before: AttributeError: no attribute 'flock'
    path = browser_build / "my_progress" / "progress.json"
    assert _answers(path)["10 final review#1"]["now"] is True
    assert sorted(p.name for p in path.parent.iterdir()) == ["progress.json"]   # no lock file, no temporary file
    assert cu.progress_summary() == {"10": {"answered": 1, "first_try": 1, "now": 1}}
    assert "10" in cu.show_progress().data
    quiz.widget()
    assert "✔ right" in q.saved.value


def test_in_the_browser_build_without_a_drive_the_home_folder_is_used(browser_build, monkeypatch, tmp_path):
    monkeypatch.setattr(progress, "DRIVE", tmp_path / "no-drive")
    assert cu.progress_path() == Path.home() / ".massage_course" / "progress.json"


def test_in_the_browser_build_two_tabs_lose_nothing(browser_build):
    """Two tabs are two kernels with no lock between them: every write re-reads the file and merges."""
    tab1 = cu.MultipleChoice("Tab one?", ["a", "b"], answer=0, explanation="E.")
    tab2 = cu.MultipleChoice("Tab two?", ["a", "b"], answer=1, explanation="E.")
    cu.Quiz("03 self-check", [tab1], notebook="03")
    cu.Quiz("05 self-check", [tab2], notebook="05")
    for _ in range(3):
        tab1.choice.index = 1
        tab1.button.click()
        tab2.choice.index = 1
        tab2.button.click()
        tab1.choice.index = 0
        tab1.button.click()
    answers = _answers(browser_build / "my_progress" / "progress.json")
    assert answers["03 self-check#1"]["attempts"] == 6 and answers["05 self-check#1"]["attempts"] == 1


def test_in_the_browser_build_an_existing_file_is_never_opened_with_truncation(browser_build, monkeypatch):
    """JupyterLite 0.6's /drive stores a truncated .json file empty, and the page's JSON parser then never answers:
    the kernel froze at the second checked answer. Every rewrite must keep the file whole and valid JSON."""
    real_open = os.open
    flags_seen = []

    def spy(path, flags, *args, **kwargs):
        flags_seen.append(flags)
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(progress.os, "open", spy)
    path = browser_build / "my_progress" / "progress.json"
    cu.record_answer(_event(question=1, answer="a much longer answer text than the next one"))
    cu.record_answer(_event(question=1, answer="b", first_try=False))      # shorter text: padding, not truncation
    cu.record_answer(_event(quiz="03 self-check", notebook="03", question=2))
    assert flags_seen and not any(f & os.O_TRUNC for f in flags_seen)
    answers = json.loads(path.read_bytes())["answers"]
    assert answers["01 self-check#1"]["answer"] == "b" and answers["01 self-check#1"]["attempts"] == 2
    assert answers["03 self-check#2"]["attempts"] == 1
    assert sorted(p.name for p in path.parent.iterdir()) == ["progress.json"]


def test_in_the_browser_build_a_failed_write_keeps_the_old_file(browser_build, monkeypatch):
    cu.record_answer(_event(question=1))
    path = browser_build / "my_progress" / "progress.json"
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(progress.json, "dumps", crash)   # the text is made in full before the file is opened
    with pytest.raises(KeyboardInterrupt):
        cu.record_answer(_event(question=2))
    assert path.read_bytes() == before


# ------------------------------------------------------------------------------------------------ export, import


def test_export_then_import_elsewhere_gives_the_same_progress(store, tmp_path, monkeypatch):
    cu.record_answer(_event(question=1, correct=True))
    cu.record_answer(_event(question=2, correct=False))
    exported = cu.export_progress()
    assert json.loads(exported)["answers"].keys() == {"01 self-check#1", "01 self-check#2"}
    elsewhere = tmp_path / "other computer" / "progress.json"
    monkeypatch.setenv(progress.ENV_VAR, str(elsewhere))
    assert cu.progress_summary() == {}
    assert cu.import_progress(exported) == {"added": 2, "updated": 0, "unchanged": 0}
    assert cu.progress_summary() == {"01": {"answered": 2, "first_try": 1, "now": 1}}
    assert cu.import_progress(exported) == {"added": 0, "updated": 0, "unchanged": 2}   # twice: nothing changes
    assert _answers(elsewhere) == json.loads(exported)["answers"]


def test_import_from_a_path_merges_with_what_is_here(store, tmp_path, monkeypatch):
    # computer A: question 1 right at the first try on day 1; question 3 only here
    monkeypatch.setattr(progress.time, "strftime", lambda fmt: "2026-01-01T10:00:00+0000")
    cu.record_answer(_event(question=1, correct=True))
    cu.record_answer(_event(question=3, correct=False))
    saved = tmp_path / "from A.json"
    saved.write_bytes(cu.export_progress())
    # computer B (this one, fresh): question 1 first answered wrongly on day 2, then right; question 2 only here
    monkeypatch.setenv(progress.ENV_VAR, str(tmp_path / "B" / "progress.json"))
    monkeypatch.setattr(progress.time, "strftime", lambda fmt: "2026-01-02T10:00:00+0000")
    cu.record_answer(_event(question=1, correct=False))
    cu.record_answer(_event(question=2, correct=True))
    monkeypatch.setattr(progress.time, "strftime", lambda fmt: "2026-01-02T11:00:00+0000")
    cu.record_answer(_event(question=1, correct=False, first_try=False))
    assert cu.import_progress(saved) == {"added": 1, "updated": 1, "unchanged": 0}
    answers = _answers(tmp_path / "B" / "progress.json")
    q1 = answers["01 self-check#1"]
    assert q1["first_try"] is True                 # A answered it first (day 1), right
    assert q1["now"] is False                      # B's answer is the latest (day 2, 11:00)
    assert q1["first_answered"] == "2026-01-01T10:00:00+0000" and q1["attempts"] == 2
    assert answers["01 self-check#3"]["now"] is False and answers["01 self-check#2"]["now"] is True


def test_merge_without_dates_never_claims_more_than_both_files():
    mine = {"notebook": "01", "quiz": "q", "first_try": True, "now": True, "attempts": 1}
    theirs = {"notebook": "01", "quiz": "q", "first_try": False, "now": False, "attempts": 3}
    out = progress._merge(mine, theirs)
    assert out["first_try"] is False and out["attempts"] == 3 and out["now"] is True   # no date: keep mine


@pytest.mark.parametrize("content, reason", [
    (b"", "not valid JSON"),
    (b"\xff\xfe", "not valid JSON"),
    (b"{\"answers\": 3}", "does not hold the course's progress"),
    (b'{"answers": {"x#1": {"notebook": "01", "quiz": "x", "first_try": "yes", "now": true, "attempts": 1}}}',
     "damaged"),
    (b'{"version": 99, "answers": {}}', "newer version"),
    (b'{"version": "1", "answers": {}}', "version is not a number"),
])
def test_a_malformed_file_is_refused_with_a_clear_message_and_nothing_changes(store, content, reason):
    cu.record_answer(_event())
    before = store.read_bytes()
    with pytest.raises(ValueError, match=reason) as err:
        cu.import_progress(content)
    assert "is not a course progress file" in str(err.value) and "Nothing was changed" in str(err.value)
    assert store.read_bytes() == before


def test_import_refuses_what_is_not_a_file_or_bytes(store, tmp_path):
    with pytest.raises(ValueError, match=r"source must be a progress file.*no file at"):
        cu.import_progress(str(tmp_path / "missing.json"))
    with pytest.raises(ValueError, match="at most"):
        cu.import_progress(b"{" * (progress.MAX_IMPORT_BYTES + 1))
    for bad in (None, 3, True, ["a"]):
        with pytest.raises(TypeError, match="source must be a path"):
            cu.import_progress(bad)


def test_the_backup_widget_downloads_and_loads_progress(store, tmp_path, monkeypatch):
    import base64
    import re
    from datetime import datetime, timezone

    cu.record_answer(_event(question=1))
    box = cu.progress_backup()
    href = re.search(r'href="data:application/json;base64,([^"]+)"', box.link.value).group(1)
    assert 'download="massage_course_progress.json"' in box.link.value
    downloaded = base64.b64decode(href)
    assert json.loads(downloaded)["answers"].keys() == {"01 self-check#1"}
    cu.record_answer(_event(question=2))
    box.refresh.click()                                            # the link now holds the new answer
    href = re.search(r"base64,([^\"]+)\"", box.link.value).group(1)
    assert len(json.loads(base64.b64decode(href))["answers"]) == 2

    monkeypatch.setenv(progress.ENV_VAR, str(tmp_path / "other" / "progress.json"))
    box = cu.progress_backup()
    box.upload.value = ({"name": "mine.json", "content": memoryview(downloaded), "type": "application/json",
                         "size": len(downloaded), "last_modified": datetime.now(timezone.utc)},)
    assert "✔ mine.json loaded: 1 question added, 0 updated, 0 already here" in box.status.value
    assert cu.progress_summary() == {"01": {"answered": 1, "first_try": 1, "now": 1}}
    assert box.upload.value == ()                                  # ready for another file
    box.upload.value = ({"name": "bad.json", "content": memoryview(b"[1, 2]"), "type": "application/json",
                         "size": 6, "last_modified": datetime.now(timezone.utc)},)
    assert "✘ This file is not a course progress file" in box.status.value and "Traceback" not in box.status.value
    assert cu.progress_summary() == {"01": {"answered": 1, "first_try": 1, "now": 1}}
