"""Run.logs(): what each run of each container wrote (the trace's Log records, issue 14)."""

from __future__ import annotations

import json
import subprocess

import podsim


def test_logs_of_the_course_init_container_show_busybox_1_28_nslookup_failure_every_2s(repo):
    run = podsim.load(repo / "scenarios" / "course" / "myapp-pod.yaml").run(duration="10s")
    logs = run.logs()
    assert list(logs.columns) == ["pod", "container", "restartCount", "stream", "t", "text"]
    mine = logs[(logs["container"] == "init-myservice")]
    waits = mine[mine["text"] == "waiting for myservice"]
    assert len(waits) >= 4
    gaps = waits["t"].diff().dropna().round(3).unique().tolist()
    assert gaps == [2.0]
    err = mine[mine["stream"] == "stderr"]["text"].unique().tolist()
    assert err == ["nslookup: can't resolve 'myservice'"]
    assert set(mine["restartCount"]) == {0}
    assert set(logs["pod"]) == {"default/myapp-pod"}


def test_logs_rows_are_the_jsonl_log_records(repo, podsim_cli):
    path = repo / "scenarios" / "course" / "myapp-pod.yaml"
    out = subprocess.run([str(podsim_cli), "run", str(path), "--duration", "5s", "--output", "jsonl"],
                         check=True, capture_output=True, text=True).stdout
    recs = [json.loads(line) for line in out.splitlines()]
    texts = [r["text"] for r in recs if r["type"] == "Log"]
    logs = podsim.load(path).run(duration="5s").logs()
    assert logs["text"].tolist() == texts
