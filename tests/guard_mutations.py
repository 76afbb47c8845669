"""Remove each access guard in turn and check that at least one test notices.

    python3 dev.py guards            # every guard, two at a time
    python3 dev.py guards --list     # only list the guards
    python3 dev.py guards -k fund    # only guards whose name contains "fund"

A guard is either a decorator that limits who may open a view (found automatically
in every `views.py` and `views/` module) or a line of a gate (QuerySet methods,
role checks, visibility rules, cache keys that name the viewer) listed in GATES
below. For each, a copy of the working tree is made with that guard removed, and
the access tests run against it (`-x`: the first failure is enough). A guard whose
removal leaves every test green is reported as SURVIVED: a hole in the tests.
"""

import argparse
import ast
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DECORATORS = {"login_required", "executor_required", "treasurer_required", "staff_member_required"}
TESTS = [
    "tests/test_access_matrix.py",
    "tests/access",
    "tests/fund",
    "tests/members",
    "tests/audit",
    "tests/background",
    "tests/trust",
]


@dataclass(frozen=True)
class Guard:
    name: str
    path: str
    find: str
    replace: str


# Lines of the gates, and what the code would look like without them.
GATES = [
    Guard("fund: anonymous visitors review nothing", "bpd/fund/models.py",
          "        if not user.is_authenticated:\n            return self.none()\n        return (\n",
          "        return (\n"),
    Guard("fund: reviewers need the reviewer role", "bpd/fund/models.py",
          "        if not has_role(user, Role.REVIEWER):\n            return self.none()\n", ""),
    Guard("fund: reviewers only see rounds they are listed on", "bpd/fund/models.py",
          "        return self.filter(reviewers=user)", "        return self.all()"),
    Guard("fund: reviewers never review a conflict", "bpd/fund/models.py",
          "            .exclude(conflicts__reviewer=user)\n", ""),
    Guard("fund: reviewers never review their own application", "bpd/fund/models.py",
          "            .exclude(applicant=user)\n", ""),
    Guard("fund: committee rows limited to what a reviewer may review", "bpd/fund/models.py",
          '        return rows.filter(pk__in=self.reviewable_by(user).values("pk"))',
          "        return rows"),
    Guard("fund: committee only for executors and reviewers", "bpd/fund/models.py",
          "        return self.reviewed_by(user)", "        return self.all()"),
    Guard("fund: rounds managed by executors only", "bpd/fund/models.py",
          "        return self.all() if is_executor(user) else self.none()",
          "        return self.all()"),
    Guard("fund: money for the treasurer and executors only", "bpd/fund/models.py",
          "        return self.all() if is_treasurer(user) else self.none()",
          "        return self.all()"),
    Guard("fund: applicants see their own applications only", "bpd/fund/models.py",
          "        return self.filter(applicant=user)", "        return self.all()"),
    Guard("fund: only leaders apply to leaders' rounds", "bpd/fund/views/applicants.py",
          "    if round.requires_leader and not has_role(request.user, Role.LEADER):\n"
          '        return render(request, "fund/not_eligible.html", {"round": round}, status=403)\n',
          ""),
    Guard("fund: staged decisions hidden until released", "bpd/fund/views/applicants.py",
          "    if decision and not decision.released_at:\n", "    if False:\n"),
    Guard("fund: committee cache key names the viewer", "bpd/fund/views/reviewing.py",
          "        for part in (round.pk, request.user.pk, executor,",
          "        for part in (round.pk, executor,"),
    Guard("fund: executors and the treasurer never handle their own application",
          "bpd/fund/models.py",
          "        return self.exclude(applicant=user).exclude(conflicts__reviewer=user)",
          "        return self.exclude(conflicts__reviewer=user)"),
    Guard("fund: executors and the treasurer are bound by their conflicts", "bpd/fund/models.py",
          "        return self.exclude(applicant=user).exclude(conflicts__reviewer=user)",
          "        return self.exclude(applicant=user)"),
    Guard("admin: only superusers change privileges", "bpd/members/admin.py",
          "        if not request.user.is_superuser:\n            fields += ",
          "        if False:\n            fields += "),
    Guard("roles: executors are executors", "bpd/members/roles.py",
          "    return user.is_authenticated and (user.is_superuser or has_role(user, Role.EXECUTOR))",
          "    return user.is_authenticated"),
    Guard("roles: treasurers are treasurers", "bpd/members/roles.py",
          "    return user.is_authenticated and (is_executor(user) or has_role(user, Role.TREASURER))",
          "    return user.is_authenticated"),
    Guard("roles: role_required refuses other roles", "bpd/website/registry.py",
          "            if not check(request.user):\n                raise PermissionDenied\n", ""),
    Guard("members: a field is shown only to its audience", "bpd/members/selectors.py",
          "        return getattr(self.profile, visibility_field) >= self.reach",
          "        return True"),
    Guard("members: the directory lists only visible names", "bpd/members/selectors.py",
          "        .filter(name_visibility__gte=r)\n", ""),
    Guard("members: leaders and staff reach leaders' fields only", "bpd/members/visibility.py",
          "    if is_leader_or_staff(viewer):\n        return Visibility.LEADERS\n",
          "    if viewer.is_authenticated:\n        return Visibility.ONLY_ME\n"),
    Guard("members: staff access to private fields is recorded", "bpd/members/views.py",
          "        services.record_access(staff=request.user, seen=seen, "
          'context="member profile page")',
          "        pass"),
]  # fmt: skip


def decorator_guards():
    """Every access decorator on every view, each a guard of its own."""
    modules = [*ROOT.glob("bpd/*/views.py"), *ROOT.glob("bpd/*/views/*.py")]
    for path in sorted(modules):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines(keepends=True)
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                name = getattr(decorator, "id", None) or getattr(decorator, "attr", None)
                if name in DECORATORS:
                    line = lines[decorator.lineno - 1]
                    rel = str(path.relative_to(ROOT))
                    yield Guard(f"{rel}: @{name} on {node.name}", rel, line, ""), decorator.lineno


def all_guards():
    guards = list(GATES)
    for guard, lineno in decorator_guards():
        # Decorator lines repeat; remove the one at this line number only.
        guards.append(Guard(guard.name, guard.path, f"@line{lineno}:{guard.find}", ""))
    return guards


def apply(guard, tree):
    path = tree / guard.path
    source = path.read_text(encoding="utf-8")
    if guard.find.startswith("@line"):
        marker, line = guard.find.split(":", 1)
        number = int(marker[len("@line") :])
        lines = source.splitlines(keepends=True)
        if lines[number - 1] != line:
            raise SystemExit(f"{guard.name}: line {number} changed")
        lines[number - 1] = ""
        path.write_text("".join(lines), encoding="utf-8")
        return
    if source.count(guard.find) != 1:
        raise SystemExit(f"{guard.name}: the guarded code was not found exactly once in {path}")
    path.write_text(source.replace(guard.find, guard.replace), encoding="utf-8")


def copy_tree(destination):
    ignore = shutil.ignore_patterns(".git", ".venv", "var", "bench", "__pycache__", "*.sqlite3")
    shutil.copytree(ROOT, destination, ignore=ignore)


def run(guard):
    with tempfile.TemporaryDirectory(prefix="bpd-guard-") as scratch:
        tree = Path(scratch) / "tree"
        copy_tree(tree)
        apply(guard, tree)
        tests = [t for t in TESTS if (tree / t).exists()]
        env = {**os.environ, "BPD_VAR_DIR": str(Path(scratch) / "var")}
        env.pop("DATABASE_URL", None)
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
             "-m", "not browser and not production", *tests],
            cwd=tree, env=env, capture_output=True, text=True,
        )  # fmt: skip
        caught = result.returncode == 1
        if result.returncode not in (0, 1):
            tail = (result.stdout + result.stderr).strip().splitlines()[-3:]
            return guard, "BROKEN", " | ".join(tail)
        failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
        return guard, "caught" if caught else "SURVIVED", failed[0] if failed else ""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="list the guards and stop")
    parser.add_argument("-k", default="", help="only guards whose name contains this")
    parser.add_argument("-j", type=int, default=2, help="mutants run at once (default 2)")
    args = parser.parse_args(argv)
    guards = [g for g in all_guards() if args.k.lower() in g.name.lower()]
    if args.list:
        for guard in guards:
            print(guard.name)
        print(f"{len(guards)} guards")
        return 0
    survived = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.j) as pool:
        for guard, outcome, detail in pool.map(run, guards):
            survived += outcome != "caught"
            print(f"{outcome:8} {guard.name}  {detail}", flush=True)
    print(f"{len(guards) - survived} of {len(guards)} guards are covered by a test")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
