#!/usr/bin/env bash
# Mutation testing with mutmut, one module at a time: bash scripts/mutation.sh [module ...]
#   modules: suppression query state i18n importers (default: all of them, one after the other)
# Each module runs in a copy of the tree (build/mutation/<module>/), with the files, functions and tests that
# pyproject.toml's [tool.mutation.<module>] names, on at most MUTATION_CHILDREN (2) processes and for at most
# MUTATION_TIMEOUT seconds (1800); a run that times out keeps what it did, and the next run goes on from there.
# It prints killed / survived per module; `bash scripts/mutation.sh --show module` lists the survivors.
# `bash scripts/mutation.sh --again module` keeps that module's last run and runs again only what it did not kill
# (survived, timed out, no test), with the tree's current tests and code (mutants of a changed function anew).
# Not part of .ci/run.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
MUTMUT=$ROOT/.venv/bin/mutmut
CHILDREN=${MUTATION_CHILDREN:-2}
TIMEOUT=${MUTATION_TIMEOUT:-1800}
ALL=(suppression query state i18n importers)
[[ -x $MUTMUT ]] || { echo "mutmut is not installed: .venv/bin/pip install -r requirements-dev.txt"; exit 1; }

show=0
again=0
if [[ ${1:-} == --show ]]; then show=1; shift; fi
if [[ ${1:-} == --again ]]; then again=1; shift; fi
modules=("$@")
[[ ${#modules[@]} -gt 0 ]] || modules=("${ALL[@]}")

config() {  # config <module> <key>: one line per value
    "$PY" - "$1" "$2" <<'PY'
import sys, tomllib
table = tomllib.load(open("pyproject.toml", "rb"))["tool"]["mutation"]
if sys.argv[1] not in table:
    sys.exit(f"no [tool.mutation.{sys.argv[1]}] in pyproject.toml; modules: {', '.join(table)}")
print("\n".join(table[sys.argv[1]][sys.argv[2]]))
PY
}

prepare() {  # prepare <module> <dir> [keep]: the tree, with this module's [tool.mutmut]
    local module=$1 dir=$2 keep=${3:-0}
    mkdir -p "$dir"
    for part in dashboard data tests assets; do
        rm -rf "${dir:?}/$part" && cp -a "$ROOT/$part" "$dir/$part"
    done
    find "$dir" -name __pycache__ -type d -prune -exec rm -rf {} +
    # mutmut only tests what changed since its last run here: a new tree is a new start (unless --again).
    [[ $keep -eq 1 ]] || rm -rf "$dir/mutants"
    "$PY" - "$module" "$ROOT/pyproject.toml" "$dir/pyproject.toml" <<'PY'
import json, re, sys, tomllib
module, src, dst = sys.argv[1:]
text = open(src, encoding="utf-8").read()
tool = tomllib.loads(text)["tool"]
own = tool["mutation"][module]
mutmut = dict(tool["mutmut"], only_mutate=own["only_mutate"], pytest_add_cli_args_test_selection=own["tests"])
text = text[:text.index("\n[tool.mutmut]\n") + 1]  # the rest of pyproject.toml (pytest's settings) as it is
lines = [f"{k} = {json.dumps(v)}" for k, v in mutmut.items()]
open(dst, "w", encoding="utf-8").write(text + "[tool.mutmut]\n" + "\n".join(lines) + "\n")
PY
}

count() {  # count <dir>: "killed survived other total" of the module's mutants
    (cd "$1" && "$MUTMUT" results --all true 2>/dev/null) | "$PY" -c '
import sys, fnmatch
names = sys.argv[1:]
n = {"killed": 0, "survived": 0, "other": 0}
for line in sys.stdin:
    if ":" not in line:
        continue
    name, status = (x.strip() for x in line.rsplit(":", 1))
    if not any(fnmatch.fnmatch(name, p) for p in names):
        continue
    n["killed" if status == "killed" else "survived" if status == "survived" else "other"] += 1
print(n["killed"], n["survived"], n["other"], sum(n.values()))
' "${@:2}"
}

summary=()
for module in "${modules[@]}"; do
    mapfile -t names < <(config "$module" mutants) || exit 1
    dir=$ROOT/build/mutation/$module
    if [[ $show -eq 1 ]]; then
        (cd "$dir" && "$MUTMUT" results 2>/dev/null) | grep -E "$(printf '%s|' "${names[@]//\*/.*}" | sed 's/|$//')"
        continue
    fi
    echo "== $module: mutating $(config "$module" only_mutate | tr '\n' ' ')"
    start=$SECONDS
    if [[ $again -eq 1 && -d $dir/mutants ]]; then
        prepare "$module" "$dir" 1
        # First the mutants nothing has judged yet (of functions changed since), then what was not killed.
        (cd "$dir" && CI=true timeout "$TIMEOUT" "$MUTMUT" run --max-children "$CHILDREN" >"$dir/run.log" 2>&1)
        mapfile -t left < <(cd "$dir" && "$MUTMUT" results --all true 2>/dev/null | "$PY" -c '
import sys, fnmatch
for line in sys.stdin:
    if ":" in line:
        name, status = (x.strip() for x in line.rsplit(":", 1))
        if status != "killed" and any(fnmatch.fnmatch(name, p) for p in sys.argv[1:]):
            print(name)' "${names[@]}")
        echo "   again: ${#left[@]} mutants not killed last time"
        rc=0
        [[ ${#left[@]} -eq 0 ]] || (cd "$dir" && CI=true timeout "$TIMEOUT" "$MUTMUT" run --max-children "$CHILDREN" \
            "${left[@]}" >>"$dir/run.log" 2>&1)
        rc=$?
    else
        prepare "$module" "$dir"
        (cd "$dir" && CI=true timeout "$TIMEOUT" "$MUTMUT" run --max-children "$CHILDREN" "${names[@]}" >"$dir/run.log" 2>&1)
        rc=$?
    fi
    [[ $rc -eq 124 ]] && echo "   stopped after ${TIMEOUT}s (run again to go on)"
    [[ $rc -ne 0 && $rc -ne 124 ]] && { echo "   mutmut failed ($rc): see $dir/run.log"; tail -5 "$dir/run.log"; }
    read -r killed survived other total < <(count "$dir" "${names[@]}")
    pct=$("$PY" -c "print(f'{100 * $killed / max(1, $killed + $survived):.1f}')")
    line=$(printf "%-12s killed %4d  survived %4d  not run/other %4d  of %4d  (%s %% killed)  %ds" \
           "$module" "$killed" "$survived" "$other" "$total" "$pct" $((SECONDS - start)))
    echo "   $line"
    summary+=("$line")
done
[[ $show -eq 1 ]] || { echo; echo "Mutation scores (killed / (killed + survived)):"; printf '  %s\n' "${summary[@]}"; }
