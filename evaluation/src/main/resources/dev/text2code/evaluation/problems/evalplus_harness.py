# text2code's HumanEval+ check, with EvalPlus's semantics: the candidate is called on every input
# (base, then plus) and its output compared with the reference (canonical) solution's output on
# the same input: equal, or for float outputs close (|out - exp| <= atol + 1e-7 |exp|, atol raised
# to 1e-6 for float outputs when the task's atol is 0); HumanEval/32 (find_zero) is judged by
# |poly(xs, out)| <= atol instead. Each call has its own time limit: max(floor, factor x the
# reference's time on that input, measured here, just before). Output is swallowed.
import base64 as _t2c_base64
import copy as _t2c_copy
import json as _t2c_json
import math as _t2c_math
import signal as _t2c_signal
import sys as _t2c_sys
import time as _t2c_time


class _T2cSink:
    def write(self, text):
        return len(text)

    def flush(self):
        pass


def _t2c_alarm(signum, frame):
    raise TimeoutError("time limit of one input exceeded")


def _t2c_is_floats(value):
    if isinstance(value, float):
        return True
    if isinstance(value, (list, tuple)):
        return all(isinstance(item, float) for item in value)
    return False


def _t2c_close(out, exp, atol):
    """Element-wise closeness of numbers and (nested) sequences of numbers; NaN equals NaN."""
    if isinstance(exp, (list, tuple)):
        if not isinstance(out, (list, tuple)) or len(out) != len(exp):
            return False
        return all(_t2c_close(o, e, atol) for o, e in zip(out, exp))
    numbers = (int, float)
    if not isinstance(out, numbers) or not isinstance(exp, numbers):
        return False
    if _t2c_math.isnan(exp) or _t2c_math.isnan(out):
        return _t2c_math.isnan(exp) and _t2c_math.isnan(out)
    if _t2c_math.isinf(exp) or _t2c_math.isinf(out):
        return out == exp
    return abs(out - exp) <= atol + 1e-7 * abs(exp)


def _t2c_poly(xs, x):
    return sum(coefficient * _t2c_math.pow(x, i) for i, coefficient in enumerate(xs))


def _t2c_timed(function, arguments, limit):
    _t2c_signal.signal(_t2c_signal.SIGALRM, _t2c_alarm)
    _t2c_signal.setitimer(_t2c_signal.ITIMER_REAL, limit)
    try:
        return function(*arguments)
    finally:
        _t2c_signal.setitimer(_t2c_signal.ITIMER_REAL, 0)


def _t2c_check(candidate, reference_source, entry_point, groups, atol, floor, factor):
    reference_namespace = {"__name__": "__t2c_reference__"}
    exec(compile(reference_source, "<reference>", "exec"), reference_namespace)
    reference = reference_namespace[entry_point]
    stdout, stderr = _t2c_sys.stdout, _t2c_sys.stderr
    for group, encoded in groups:
        inputs = _t2c_json.loads(_t2c_base64.b64decode(encoded).decode("utf-8"))
        for index, arguments in enumerate(inputs):
            where = "%s input %d of %d" % (group, index + 1, len(inputs))
            started = _t2c_time.perf_counter()
            expected = reference(*_t2c_copy.deepcopy(arguments))
            limit = max(floor, factor * (_t2c_time.perf_counter() - started))
            _t2c_sys.stdout = _t2c_sys.stderr = _T2cSink()
            try:
                out = _t2c_timed(candidate, _t2c_copy.deepcopy(arguments), limit)
            except TimeoutError:
                raise TimeoutError("%s: longer than its limit of %.3f s" % (where, limit)) from None
            finally:
                _t2c_sys.stdout, _t2c_sys.stderr = stdout, stderr
            if entry_point == "find_zero":
                if not abs(_t2c_poly(arguments[0], out)) <= atol:
                    raise AssertionError("%s: poly(xs, %r) is not within %g of 0" % (where, out, atol))
                continue
            exact = out == expected
            if atol == 0 and _t2c_is_floats(expected):
                atol = 1e-6
            if exact:
                continue
            if atol != 0 and _t2c_close(out, expected, atol):
                continue
            raise AssertionError("%s: wrong output" % where)
