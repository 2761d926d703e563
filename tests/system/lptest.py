"""lptest: what every Python system test of lyncplan shares.

A system test is a Python file of unittest.TestCase classes that ends in
`lptest.main()`; meson runs it with Debian's /usr/bin/python3 (whose
python3-openpyxl and python3-jsonschema the tests read outputs with) and the
environment tests/meson.build sets: LYNCPLAN (the built binary),
LP_SOURCE_ROOT (the source tree: rules, examples and schemas are read from it,
never from installed files) and PYTHONPATH (this folder, so `import lptest`
works from any test folder).

- run(): lyncplan with a time limit and no standard input unless one is
  given; returns the CompletedProcess (returncode, stdout, stderr).
- run_ok(): run() that fails the test unless the exit status is as expected.
- start(): lyncplan without waiting (a test that signals it); the Popen.
- tmpdir() / mkdtemp(): temporary folders removed when done.
- need(): a module the tests read outputs with, or one clear failure.
- cases(): a TestCase made of functions that return (ok, why).
- main(): runs the file's tests and prints TAP (one line a test method), so
  meson counts each test and shows which failed.
"""
import atexit
import importlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

LYNCPLAN = os.environ["LYNCPLAN"]
ROOT = os.environ["LP_SOURCE_ROOT"]

# Meson's timeout of each test is the real bound (it ends the test's whole
# process group); this one ends a hung child of a test run by hand, and is
# above every test's meson timeout even stretched by --timeout-multiplier 4
# on a loaded machine, where a sanitizer build's plan of many sites can take
# ten minutes.
TIMEOUT = 1800


def run(*args, input=None, stdin=None, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
        env=None, text=False, timeout=TIMEOUT, pass_fds=(), check=False):
    """Runs lyncplan ARGS (strings or paths) in @cwd (the source tree unless
    given) and waits for it at most @timeout seconds (TimeoutExpired after).

    Standard input is empty unless @input (bytes, or str with @text) or
    @stdin (a file or PIPE) is given. @env changes the environment the test
    runs in: NAME: VALUE sets a variable, NAME: None removes it. Returns the
    subprocess.CompletedProcess: returncode, stdout and stderr (bytes, or str
    with @text; None where not piped). With @check a non-zero exit status
    raises CalledProcessError."""
    if input is None and stdin is None:
        stdin = subprocess.DEVNULL
    return subprocess.run([LYNCPLAN, *(str(a) for a in args)], input=input, stdin=stdin,
                          stdout=stdout, stderr=stderr, cwd=cwd, env=environment(env), text=text,
                          timeout=timeout, pass_fds=pass_fds, check=check)


def run_ok(*args, ok=(0, 3), **kw):
    """run() ARGS (keywords as run() takes them) that must end with a status
    in @ok: by default 0, or 3 (a plan that misses a requirement is still a
    plan); None takes any. Returns the CompletedProcess; raises
    AssertionError showing the run otherwise."""
    p = run(*args, **kw)
    if ok is not None and p.returncode not in ok:
        raise AssertionError("lyncplan %s: expected exit %s\n%s" % (
            " ".join(str(a) for a in args), " or ".join(map(str, ok)), shown(p)))
    return p


def start(*args, stdin=subprocess.DEVNULL, stdout=None, stderr=subprocess.PIPE, cwd=ROOT,
          env=None, **popen):
    """Starts lyncplan ARGS without waiting, for a test that signals it or
    reads it while it runs; standard error piped, standard output the test's
    own and standard input empty unless given; @env as run() takes it, other
    keywords go to subprocess.Popen. Returns the Popen: the caller waits."""
    return subprocess.Popen([LYNCPLAN, *(str(a) for a in args)], stdin=stdin, stdout=stdout,
                            stderr=stderr, cwd=cwd, env=environment(env), **popen)


def environment(env):
    """os.environ with @env's changes (NAME: VALUE sets, NAME: None removes),
    or None (the test's own) when there are none."""
    if not env:
        return None
    full = dict(os.environ, **{k: v for k, v in env.items() if v is not None})
    for k in [k for k, v in env.items() if v is None]:
        full.pop(k, None)
    return full


def shown(p):
    """A finished run as a failure message shows it: exit status, stdout, stderr."""
    def as_text(x):
        return x.decode(errors="replace") if isinstance(x, bytes) else (x or "")
    return "exit %d\nstdout:\n%s\nstderr:\n%s" % (p.returncode, as_text(p.stdout),
                                                as_text(p.stderr))


def source(*parts):
    """A path in the source tree: source("examples", "dr-standard.ini")."""
    return os.path.join(ROOT, *parts)


def tmpdir(prefix="lyncplan-"):
    """A temporary folder as a context manager: `with lptest.tmpdir() as d:`."""
    return tempfile.TemporaryDirectory(prefix=prefix)


def mkdtemp(prefix="lyncplan-"):
    """A temporary folder that lasts until the test program exits (for a
    setUpClass); returns its path."""
    path = tempfile.mkdtemp(prefix=prefix)
    atexit.register(shutil.rmtree, path, True)
    return path


def need(name):
    """Imports the module @name (openpyxl, jsonschema) or fails saying where
    it comes from: Debian's python3-NAME, under /usr/bin/python3."""
    try:
        return importlib.import_module(name)
    except ImportError as e:
        raise ImportError("%s: not importable by %s; the tests run under /usr/bin/python3 with "
                          "Debian's python3-%s (.ci/deps)" % (name, sys.executable, name)) from e


def cases(functions, name="Cases", tmp=False):
    """A TestCase class with one test a function of @functions (functions,
    or (name, function) pairs): the test fails where the function raises or
    returns (ok, why) with a false ok, and shows why. With @tmp each function
    is given a fresh temporary folder."""
    methods = {}
    for f in functions:
        label, fn = f if isinstance(f, tuple) else (f.__name__, f)

        def method(self, fn=fn):
            if tmp:
                with tmpdir() as d:
                    result = fn(d)
            else:
                result = fn()
            if isinstance(result, tuple):
                ok, why = result
                self.assertTrue(ok, why)
        methods["test_" + re.sub(r"\W", "_", label)] = method
    return type(name, (unittest.TestCase,), methods)


class TapResult(unittest.TestResult):
    """A test result printed as TAP, one line a test as it ends: "ok N - Class.test"
    or "not ok N - ..." followed by the failure as "# " lines."""

    def __init__(self, stream):
        super().__init__()
        self.stream = stream
        self.n = 0
        self.said = None  # the test whose line is out
        self.failed_subtests = []

    def line(self, test, ok, details="", directive=""):
        if self.said is test:
            return
        self.said = test
        self.n += 1
        self.stream.write("%s %d - %s%s\n" % ("ok" if ok else "not ok", self.n,
                                               test.id().split(".", 1)[-1], directive))
        for l in details.splitlines():
            self.stream.write("# %s\n" % l)
        self.stream.flush()

    def startTest(self, test):
        super().startTest(test)
        self.failed_subtests = []

    def addSuccess(self, test):
        super().addSuccess(test)
        self.line(test, True)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.line(test, False, self._exc_info_to_string(err, test))

    def addError(self, test, err):
        super().addError(test, err)
        self.line(test, False, self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.line(test, True, directive=" # SKIP " + reason)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self.line(test, True, directive=" # TODO expected to fail")

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self.line(test, False, "passed, but is marked as expected to fail")

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self.failed_subtests.append(subtest.id().split(".", 1)[-1] + ":\n" +
                                        self._exc_info_to_string(err, test))

    def stopTest(self, test):
        # a test whose subtests failed ends with neither addSuccess nor addFailure
        if self.failed_subtests:
            self.line(test, False, "\n".join(self.failed_subtests))
        super().stopTest(test)


def main(argv=None, select=None):
    """Runs the tests of the calling file as TAP on standard output and exits
    0 when every one passed, 1 otherwise. @argv: names of tests or classes to
    run (every TestCase of the file when empty); @select: a filter on the
    classes run when no name is given."""
    module = sys.modules["__main__"]
    loader = unittest.TestLoader()
    names = list(argv if argv is not None else sys.argv[1:])
    if names:
        suite = loader.loadTestsFromNames(names, module)
    else:
        suite = unittest.TestSuite(
            loader.loadTestsFromTestCase(c) for c in vars(module).values()
            if isinstance(c, type) and issubclass(c, unittest.TestCase)
            and (select is None or select(c)))
    print("1..%d" % suite.countTestCases(), flush=True)
    result = TapResult(sys.stdout)
    suite.run(result)
    sys.exit(0 if result.wasSuccessful() else 1)
