#!/bin/bash
# 022: kill -9 at random moments of syncs of several hundred changes.  The
# next sync settles the dead runs' journals (each pending row applied or not,
# read back from AD) and completes; AD then equals what one uninterrupted
# sync gives; undoing every run in reverse order restores the original
# directory.  SEED=N replays the random choices.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/state-lib.sh"
SEED=${SEED:-$RANDOM}
RANDOM=$SEED
echo "# seed $SEED"
t0=$(date +%s)
lab_reset

N=400
mailbox_users $N
conf=$(lab_conf max_changes=100000 max_deletes=100000)
staff_dump "$T/orig.json"

# The reference: one uninterrupted sync, then its undo (run 1, run 2).
sb "$conf" sync >/dev/null 2>"$T/err"; rc=$?
check "reference sync exits 0" [ $rc -eq 0 ]
check "reference sync wrote every user" [ "$(sql "SELECT applied FROM runs WHERE id = 1")" = $N ]
staff_dump "$T/ref.json"
check "the reference differs from the original" not cmp -s "$T/orig.json" "$T/ref.json"
sb "$conf" undo 1 >/dev/null 2>"$T/err"; rc=$?
check "undo of the reference exits 0" [ $rc -eq 0 ]
staff_dump "$T/undone.json"
same_dump "undo of $N objects restores the original" "$T/orig.json" "$T/undone.json"

# Syncs killed at random moments: one at a random time (often while reading),
# the others once a random number of journal rows of the run exist.
rows_of_last_run() {
	sql "SELECT count(*) FROM journal WHERE run = (SELECT max(id) FROM runs) AND run > $1" 2>/dev/null
}
# Trials 5 and 6 stop at the two moments a random kill hits only by luck:
# right after a change's journal rows are committed, before its LDAP write
# (pending, not in AD), and right after the write (pending, in AD), through
# the test hook SOABRIDGE_TEST_KILL_AT of the test binary (tests/hooks/testhook.c;
# build/soabridge has no hooks).
killed=0
for trial in 1 2 3 4 5 6; do
	last=$(sql "SELECT max(id) FROM runs")
	case $trial in
	5) export SOABRIDGE_TEST_KILL_AT="before:$((RANDOM % 10 + 1))" ;;
	6) export SOABRIDGE_TEST_KILL_AT="after:$((RANDOM % 10 + 1))" ;;
	esac
	bin=$SOABRIDGE; [ $trial -ge 5 ] && bin=$SOABRIDGE_TEST_BIN
	"$bin" -c "$conf" sync >"$T/kill$trial.out" 2>"$T/kill$trial.err" &
	pid=$!
	unset SOABRIDGE_TEST_KILL_AT
	if [ $trial -ge 5 ]; then
		:	# it kills itself
	elif [ $trial -eq 1 ]; then
		sleep "0.$((RANDOM % 6 + 1))"
	else
		want=$((RANDOM % 300 + 1))
		for _ in $(seq 1 400); do
			kill -0 $pid 2>/dev/null || break
			n=$(rows_of_last_run "$last"); [ "${n:-0}" -ge $want ] && break
			sleep 0.01
		done
	fi
	[ $trial -lt 5 ] && kill -9 $pid 2>/dev/null
	{ wait $pid; } 2>/dev/null; rc=$?
	[ $rc -eq 137 ] && killed=$((killed + 1))
	echo "# trial $trial: exit $rc, $(rows_of_last_run "$last") journal rows in its run"
	sleep 0.2
done
check "at least five syncs were killed mid-run" [ $killed -ge 5 ]
check "a killed run is left 'running'" [ "$(sql "SELECT count(*) FROM runs WHERE outcome = 'running'")" -ge 1 ]

sb "$conf" sync >"$T/final.out" 2>"$T/final.err"; rc=$?
check "the next sync exits 0" [ $rc -eq 0 ]
check "it settled the dead runs' journals" grep -q "settled the journal of [0-9]* interrupted run" "$T/final.err"
check "no run is left 'running'" [ "$(sql "SELECT count(*) FROM runs WHERE outcome = 'running'")" = 0 ]
check "no journal row is left pending" [ "$(sql "SELECT count(*) FROM journal WHERE state = 'pending'")" = 0 ]
check "killed runs are 'interrupted'" [ "$(sql "SELECT count(*) FROM runs WHERE outcome = 'interrupted'")" -ge 5 ]
check "killed runs left pending rows that were settled from AD" [ "$(sql "SELECT count(*) FROM runs WHERE outcome = 'interrupted' AND message NOT LIKE '%of its 0 unfinished%'")" -ge 2 ]
staff_dump "$T/final.json"
same_dump "AD equals the uninterrupted sync's result" "$T/ref.json" "$T/final.json"
sb "$conf" plan --format json >"$T/plan.json" 2>/dev/null
check "a plan after it has no change" jtrue "$T/plan.json" "d['changes'] == []"
applied=$(sql "SELECT count(DISTINCT run || '/' || seq) FROM journal WHERE run > 2 AND state = 'applied'")
check "each user was applied exactly once over the killed runs and the last ($applied)" [ "$applied" = $N ]

# Undo every run after the reference, newest first.
for r in $(sql "SELECT id FROM runs WHERE id > 2 AND command = 'sync' ORDER BY id DESC"); do
	sb "$conf" undo "$r" >/dev/null 2>"$T/undo$r.err" || { nok "undo $r"; cat "$T/undo$r.err"; }
done
check "no undo found a conflict" [ "$(sql "SELECT coalesce(sum(conflicts), 0) FROM runs WHERE command = 'undo'")" = 0 ]
staff_dump "$T/restored.json"
same_dump "undoing all runs in reverse order restores the original directory" "$T/orig.json" "$T/restored.json"
echo "# $(($(date +%s) - t0)) s"
finish
