# Copied from shared/bench/simpy_r1.py, the performance peer: R1 as a SimPy 4 user would model it.
"""Workload R1 (r1-web-pod.yaml beside this file) as a SimPy 4 user would model it, in ideal timing.

The performance peer: what a researcher would write instead of podsim. Same events as podsim's R1:
serialized image pulls, sequential init containers, a native sidecar gated by its startup probe
(1 s period), app and proxy started one after the other in SyncPod, probe workers ticking from pod
admission, CrashLoopBackOff as the kubelet computes it (no delay before the first restart, then
10 s doubling to a 300 s cap, entry expired after 2 x 300 s).

Usage: python3 simpy_r1.py RUNS   (needs simpy 4: pip install simpy)   -> prints runs/s and a summary line.
"""
import sys
import time

import simpy

PULL = {"busybox": 1.0, "fluent-bit": 2.0, "app": 4.0, "envoy": 3.0}
INITIAL, CAP = 10.0, 300.0


class Container:
    def __init__(self, name, image):
        self.name, self.image = name, image
        self.running = False
        self.started_at = None
        self.ready = False
        self.started = False
        self.restarts = 0


class Pod:
    def __init__(self, env):
        self.env = env
        self.images = set()
        self.c = {n: Container(n, i) for n, i in [("init-config", "busybox"), ("init-migrate", "busybox"),
                                                  ("log-shipper", "fluent-bit"), ("app", "app"),
                                                  ("proxy", "envoy")]}
        self.backoff = {}  # container -> [backoff, lastUpdate]
        self.ready_since = None
        self.ready_time = 0.0
        self.sidecar_started = env.event()
        self.events = 0

    def pull(self, image):
        if image not in self.images:
            yield self.env.timeout(PULL[image])
            self.images.add(image)
            self.events += 1

    def run_to_completion(self, name, seconds):
        c = self.c[name]
        yield from self.pull(c.image)
        c.running, c.started_at = True, self.env.now
        self.events += 1
        yield self.env.timeout(seconds)
        c.running = False
        self.events += 1

    def update_ready(self):
        ready = all(self.c[n].ready for n in ("log-shipper", "app", "proxy"))
        now = self.env.now
        if ready and self.ready_since is None:
            self.ready_since = now
        elif not ready and self.ready_since is not None:
            self.ready_time += now - self.ready_since
            self.ready_since = None

    def probe_worker(self, name, period, ok_after, kind):
        """A kubelet probe worker: ticks every period from pod admission; probes only a running container."""
        c = self.c[name]
        while True:
            if kind == "startup" and c.started:
                return
            if c.running:
                self.events += 1
                ok = self.env.now - c.started_at >= ok_after
                if kind == "startup" and ok:
                    c.started = True
                    self.sidecar_started.succeed()
                    return
                if kind == "readiness" and ok != c.ready:
                    c.ready = ok
                    self.update_ready()
            yield self.env.timeout(period)

    def crash_looping(self, name, run_seconds):
        """A container that exits after run_seconds every time, restarted under CrashLoopBackOff."""
        c = self.c[name]
        env = self.env
        while True:
            c.running, c.started_at = True, env.now
            self.events += 1
            yield env.timeout(run_seconds)
            c.running, c.ready = False, False
            self.update_ready()
            self.events += 1
            finished = env.now
            entry = self.backoff.get(name)
            if entry is not None and finished - entry[1] <= 2 * CAP:
                wait = entry[0] - (env.now - finished)
                if wait > 0:
                    yield env.timeout(wait)
                entry[0] = min(entry[0] * 2, CAP)
                entry[1] = env.now
            else:
                self.backoff[name] = [INITIAL, env.now]
            c.restarts += 1

    def forever(self, name):
        c = self.c[name]
        c.running, c.started_at = True, self.env.now
        self.events += 1
        yield self.env.timeout(0)

    def main(self):
        env = self.env
        yield from self.run_to_completion("init-config", 2.0)
        yield from self.run_to_completion("init-migrate", 5.0)
        yield from self.pull("fluent-bit")
        yield from self.forever("log-shipper")
        yield self.sidecar_started
        yield from self.pull("app")
        env.process(self.crash_looping("app", 60.0))
        yield from self.pull("envoy")
        yield from self.forever("proxy")


def one_run(seed):
    env = simpy.Environment()
    pod = Pod(env)
    env.process(pod.main())
    env.process(pod.probe_worker("log-shipper", 1.0, 3.0, "startup"))
    env.process(pod.probe_worker("log-shipper", 10.0, 0.0, "readiness"))
    env.process(pod.probe_worker("app", 5.0, 10.0, "readiness"))
    env.process(pod.probe_worker("app", 10.0, 0.0, "liveness"))
    env.process(pod.probe_worker("proxy", 10.0, 0.0, "readiness"))
    env.run(until=3600.0)
    if pod.ready_since is not None:
        pod.ready_time += 3600.0 - pod.ready_since
    return pod.c["app"].restarts, pod.ready_time, pod.events


if __name__ == "__main__":
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    t0 = time.perf_counter()
    for seed in range(1, runs + 1):
        restarts, ready, events = one_run(seed)
    dt = time.perf_counter() - t0
    print(f"simpy R1: runs={runs} wall={dt:.3f}s runs_per_s={runs / dt:.1f} "
          f"app_restarts={restarts} ready_s={ready:.0f} model_events={events}")
