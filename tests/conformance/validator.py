"""A JSON-lines bridge to the conformance runner's own validators.

Run by scripts/conformance.mjs with the emulator venv's Python (3.11): it imports
`aws_durable_execution_conformance_tests` (PyPI 1.0.0, unzipped by
scripts/conformance-setup.sh into .cache/conformance/pkg; the wheel asks for Python
3.14 but these modules import and run on 3.11) and drives, unchanged:

* `variables.PlaceholderContext` for Variables / Input substitution;
* `history.EventHistoryMatcher` and `validate._validate_execution_result` for
  synchronous requirements (what `validate_description` does after its invoke);
* `validate.PollingValidator` (with `callback.CallbackSender`) for `AsyncInvoke`
  requirements: it polls the history, sends callback success / failure / heartbeat
  and asserts history and result.

The boto3 Lambda client they are given points at the emulator.

Known emulator divergences ("corrections") are applied to a *copy* of the history the
validators read, never to the emulator, and each one that changed something is
reported:

* D1 InvocationCompleted events lack InvocationCompletedDetails (the emulator's
  `HistoryEvent.from_event_with_id` drops the field). Applied by default: without it no
  requirement can pass. `strict: true` turns it off.
* D2 a step that succeeds after a retry lacks StepSucceededDetails.RetryDetails.
* D3 with --skip-time a WaitSucceeded lands before the InvocationCompleted of the
  invocation that started the wait.
* D4 ChainedInvokeStartedDetails lacks ExecutedVersion.

* D5 CallbackStartedDetails lacks Timeout / HeartbeatTimeout (restored from the
  CallbackOptions of the SDK's own CALLBACK START checkpoint, which the harness records).

* D6 a StepSucceeded from a RETRY checkpoint (waitForCondition polls) lacks Result.Payload
  (restored from the Payload of the SDK's own RETRY update).

* D7 ChainedInvokeStartedDetails lacks TenantId (restored from the SDK's START update).

D2-D7 are never applied to the verdict: a requirement that fails is re-checked offline
with every correction and, if it then passes, is reported as failing only for the
divergences it needed.

Protocol: one JSON object per line on stdin, one answer per line on stdout.
  {"op": "list", "root": dir, "suites": [...]}         -> {"requirements": [...]}
  {"op": "prepare", "key": k, "file": path}            -> {"input", "spec", "async"}
  {"op": "validate", "key": k, "arn": a, "endpoint": e,
   "poll": s, "noProgress": s, "strict": bool}        -> {"passed", "errors", ...}
  {"op": "classify", "key", "arn", "endpoint", "errors",
   "updates": [checkpoint updates the SDK sent]}      -> {"divergences": [...] | null}
"""

from __future__ import annotations

import copy
import json
import os
import sys
import traceback

sys.path.insert(0, os.environ["CONFORMANCE_PKG"])

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402

from aws_durable_execution_conformance_tests import validate as V  # noqa: E402
from aws_durable_execution_conformance_tests.callback import CallbackAction  # noqa: E402
from aws_durable_execution_conformance_tests.history import (  # noqa: E402
    EventHistoryMatcher,
    load_yaml_file,
)
from aws_durable_execution_conformance_tests.variables import PlaceholderContext  # noqa: E402

DIVERGENCES = {
    "D1": "InvocationCompleted lacks InvocationCompletedDetails",
    "D2": "StepSucceeded after a retry lacks RetryDetails",
    "D3": "with --skip-time, WaitSucceeded lands before InvocationCompleted",
    "D4": "ChainedInvokeStartedDetails lacks ExecutedVersion",
    "D5": "CallbackStartedDetails lacks Timeout / HeartbeatTimeout although the SDK's CALLBACK START checkpoint carried them"
    " (the emulator hands the update to its event builder only for RETRY / FAIL and chained-invoke START)",
    "D6": "a StepSucceeded recorded from a RETRY checkpoint (waitForCondition's intermediate state) lacks Result.Payload"
    " although the update carried it",
    "D7": "ChainedInvokeStartedDetails lacks TenantId although the SDK's START update carried ChainedInvokeOptions.TenantId"
    " (the emulator leaves it out on purpose, saying the service's history does not return it; requirement 5-8 expects it)",
}

_real_get_history = V.get_execution_history


# region corrections


def _d1(events, _updates=()):
    changed = False
    for e in events:
        if e.get("EventType") == "InvocationCompleted" and "InvocationCompletedDetails" not in e:
            e["InvocationCompletedDetails"] = {}
            changed = True
    return changed


def _d2(events, _updates=()):
    changed = False
    failed_attempts = {}
    for e in events:
        t = e.get("EventType")
        op = e.get("Id")
        if t == "StepFailed" and "RetryDetails" in (e.get("StepFailedDetails") or {}):
            failed_attempts[op] = failed_attempts.get(op, 0) + 1
        elif t == "StepSucceeded" and failed_attempts.get(op):
            details = e.setdefault("StepSucceededDetails", {})
            if "RetryDetails" not in details:
                details["RetryDetails"] = {"CurrentAttempt": failed_attempts[op] + 1}
                changed = True
    return changed


def _d3(events, _updates=()):
    changed = False
    moved = True
    while moved:
        moved = False
        for j, e in enumerate(events):
            if e.get("EventType") != "WaitSucceeded":
                continue
            starts = [i for i in range(j) if events[i].get("EventType") == "WaitStarted" and events[i].get("Id") == e.get("Id")]
            if not starts:
                continue
            ends = [k for k in range(starts[-1] + 1, len(events)) if events[k].get("EventType") == "InvocationCompleted"]
            if ends and ends[0] > j:
                events.insert(ends[0], events.pop(j))
                moved = changed = True
                break
    if changed:
        for n, e in enumerate(events, 1):
            e["EventId"] = n
    return changed


def _d4(events, _updates=()):
    changed = False
    for e in events:
        if e.get("EventType") == "ChainedInvokeStarted":
            details = e.setdefault("ChainedInvokeStartedDetails", {})
            if "ExecutedVersion" not in details:
                details["ExecutedVersion"] = "$LATEST"
                changed = True
    return changed


def _d5(events, updates=()):
    """CallbackStartedDetails.Timeout / HeartbeatTimeout, from the CallbackOptions the
    SDK sent in its CALLBACK START checkpoint (recorded by the harness)."""
    changed = False
    options = {u.get("Id"): u.get("CallbackOptions") or {} for u in updates if u.get("Type") == "CALLBACK" and u.get("Action") == "START"}
    for e in events:
        if e.get("EventType") != "CallbackStarted" or e.get("Id") not in options:
            continue
        details = e.setdefault("CallbackStartedDetails", {})
        sent = options[e["Id"]]
        for key, field in (("Timeout", "TimeoutSeconds"), ("HeartbeatTimeout", "HeartbeatTimeoutSeconds")):
            if sent.get(field) and key not in details:
                details[key] = sent[field]
                changed = True
    return changed


def _d6(events, updates=()):
    """StepSucceeded events from a RETRY checkpoint without an error (waitForCondition's
    intermediate states): Result.Payload, from the Payload the SDK sent, in order."""
    changed = False
    sent = {}
    for u in updates:
        if u.get("Action") == "RETRY" and "Payload" in u:
            sent.setdefault(u.get("Id"), []).append(u.get("Payload"))
    for e in events:
        op = e.get("Id")
        if e.get("EventType") != "StepSucceeded" or not sent.get(op):
            continue
        details = e.get("StepSucceededDetails") or {}
        if "NextAttemptDelaySeconds" not in (details.get("RetryDetails") or {}):
            continue  # the terminal StepSucceeded (a SUCCEED update) has its own Result
        payload = sent[op].pop(0)
        result = details.setdefault("Result", {})
        if "Payload" not in result and payload is not None:
            result["Payload"] = payload
            e["StepSucceededDetails"] = details
            changed = True
    return changed


def _d7(events, updates=()):
    """ChainedInvokeStartedDetails.TenantId, from the SDK's CHAINED_INVOKE START update."""
    changed = False
    tenants = {
        u.get("Id"): (u.get("ChainedInvokeOptions") or {}).get("TenantId")
        for u in updates
        if u.get("Type") == "CHAINED_INVOKE" and u.get("Action") == "START"
    }
    for e in events:
        if e.get("EventType") == "ChainedInvokeStarted" and tenants.get(e.get("Id")):
            details = e.setdefault("ChainedInvokeStartedDetails", {})
            if "TenantId" not in details:
                details["TenantId"] = tenants[e["Id"]]
                changed = True
    return changed


CORRECTIONS = {"D1": _d1, "D2": _d2, "D3": _d3, "D4": _d4, "D5": _d5, "D6": _d6, "D7": _d7}


def corrected(history, which, updates=()):
    """A copy of `history` with the corrections `which`; and those that changed it."""
    if history is None:
        return None, []
    out = copy.deepcopy(history)
    events = out.get("Events", [])
    applied = [d for d in sorted(which) if CORRECTIONS[d](events, updates)]
    return out, applied


# endregion

STATE = {}


def client(endpoint):
    return boto3.client(
        "lambda",
        region_name=os.environ.get("AWS_REGION", "us-east-1"),
        endpoint_url=endpoint,
        aws_access_key_id="AKIDLOCAL",
        aws_secret_access_key="local-secret",
        config=Config(retries={"max_attempts": 2}),
    )


def fresh_context(key):
    ctx = PlaceholderContext()
    for k, v in STATE[key]["vars"].items():
        ctx.bind(k, v)
    return ctx


def prepare(msg):
    spec = load_yaml_file(msg["file"])
    ctx = PlaceholderContext()
    ctx.resolve_variables(spec.get("Variables"))
    STATE[msg["key"]] = {"spec": spec, "vars": ctx.bindings}
    return {
        "input": ctx.substitute(spec.get("Input")),
        "async": bool(spec.get("AsyncInvoke", False)),
        "spec": spec,
    }


def check_offline(key, arn, lam, history, which, updates=()):
    """History match + result check, as `validate_description` does them."""
    spec = STATE[key]["spec"]
    ctx = fresh_context(key)
    view, applied = corrected(history, which, updates)
    errors = []
    expected = spec.get("ExpectedExecutionHistory")
    if not expected:
        errors.append("No ExpectedExecutionHistory found in description file")
    else:
        errors += EventHistoryMatcher(context=ctx).match(expected, view.get("Events", [])).errors
    if spec.get("ExpectedResult"):
        errors += V._validate_execution_result(arn, spec["ExpectedResult"], lam, ctx)
    return errors, applied


def classify(msg):
    """For a failure: the divergences (beyond D1) that alone explain it, or None."""
    key, arn, errors, updates = msg["key"], msg["arn"], msg["errors"], msg.get("updates") or []
    lam = client(msg["endpoint"])
    history = _real_get_history(arn, lam)
    if history is None:
        return {"divergences": None}
    others = [e for e in errors if not (e.startswith("Event[") or e.startswith("No actual event") or e.startswith("Expected "))]
    if others:
        return {"divergences": None}
    extra = set(CORRECTIONS) - {"D1"}
    all_errors, applied = check_offline(key, arn, lam, history, {"D1"} | extra, updates)
    if all_errors:
        return {"divergences": None, "remaining": all_errors}
    needed = [d for d in applied if d != "D1" and check_offline(key, arn, lam, history, ({"D1"} | extra) - {d}, updates)[0]]
    return {"divergences": needed or [d for d in applied if d != "D1"]}


def listing(msg):
    """Every requirement of `suites` under `root`: id, title and why it must be skipped."""
    out = []
    for suite in msg["suites"]:
        found = V.discover_test_files(msg["root"], suite)
        for rid, path in found.items():
            spec = load_yaml_file(path)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            skip = None
            if "Runtime.ExitError" in text or "process.exit" in text:
                skip = "needs a Lambda process crash (Runtime.ExitError)"
            elif spec.get("ExpectedLogs"):
                skip = "needs CloudWatch logs (ExpectedLogs)"
            out.append({
                "id": rid,
                "suite": suite,
                "file": path,
                "title": " ".join(str(spec.get("description", "")).split()),
                "async": bool(spec.get("AsyncInvoke", False)),
                "optional": bool(spec.get("optional", False)),
                "skip": skip,
            })
    return {"requirements": out}


def validate(msg):
    key, arn = msg["key"], msg["arn"]
    spec = STATE[key]["spec"]
    lam = client(msg["endpoint"])
    base = set() if msg.get("strict") else {"D1"}
    seen = set()

    def patched(execution_arn, c):
        view, applied = corrected(_real_get_history(execution_arn, c), base)
        seen.update(applied)
        return view

    raw_history = None
    if spec.get("AsyncInvoke"):
        V.get_execution_history = patched
        try:
            actions = [CallbackAction.from_dict(a) for a in spec.get("CallbackActions", [])]
            cfg = V.AsyncValidationConfig.from_dict(spec.get("AsyncConfig", {}))
            cfg = V.AsyncValidationConfig(
                poll_interval_seconds=min(cfg.poll_interval_seconds, float(msg.get("poll", 0.25))),
                no_progress_timeout_seconds=min(cfg.no_progress_timeout_seconds, float(msg.get("noProgress", 30))),
            )
            res = V.PollingValidator(lambda_client=lam, config=cfg, context=fresh_context(key)).validate(
                execution_arn=arn,
                expected_events=spec.get("ExpectedExecutionHistory", []),
                expected_result=spec.get("ExpectedResult"),
                callback_actions=actions,
            )
        finally:
            V.get_execution_history = _real_get_history
        errors = list(res.errors)
        extra = {"callbacksSent": res.callbacks_sent, "finalStatus": res.final_status}
    else:
        raw_history = _real_get_history(arn, lam)
        if raw_history is None:
            return {"passed": False, "errors": ["Failed to retrieve execution history"]}
        errors, applied = check_offline(key, arn, lam, raw_history, base)
        seen.update(applied)
        extra = {}
    if raw_history is None:
        raw_history = _real_get_history(arn, lam)
    out = {"passed": not errors, "errors": errors, "tolerated": sorted(seen), **extra}
    out["history"] = (raw_history or {}).get("Events", [])
    return out


def main():
    # The validators print progress on stdout; answers go to the real stdout only.
    out = sys.stdout
    sys.stdout = sys.stderr
    out.write(json.dumps({"ready": True, "divergences": DIVERGENCES}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        msg = json.loads(line)
        try:
            body = {"list": listing, "prepare": prepare, "validate": validate, "classify": classify}[msg["op"]](msg)
            reply = {"id": msg.get("id"), "ok": True, **body}
        except Exception as e:  # noqa: BLE001 - reported to the harness
            reply = {"id": msg.get("id"), "ok": False, "error": f"{type(e).__name__}: {e}", "trace": traceback.format_exc()}
        out.write(json.dumps(reply, default=str) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
