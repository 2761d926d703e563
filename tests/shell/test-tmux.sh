#!/usr/bin/env bash
# `lyncplan shell` on a terminal, driven as a person would through tmux: types,
# completes keys, site names (quoted when they hold a space), file names and sections with Tab, drops a line
# with Ctrl-C, recalls with the up arrow, sees the difference, quits with quit
# and with Ctrl-D (each warned once about unsaved changes); the history file
# under $XDG_STATE_HOME keeps the lines. A private tmux server (-L) and state
# folder; every wait is bounded. TAP output. Skipped (77) without tmux; tests/meson.build defines it
# only for a lyncplan built with libedit.
set -u
command -v tmux >/dev/null || { echo "1..0 # SKIP no tmux"; exit 77; }
tmp=$(mktemp -d)
sock="lp-test-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
n=0 failed=0

screen() { tmux -L "$sock" capture-pane -p 2>/dev/null; }
# wait_for TEXT: until the screen shows TEXT (fixed string), at most 5 s
wait_for() {
  for _ in $(seq 50); do screen | grep -qF -- "$1" && return 0; sleep 0.1; done
  return 1
}
check() { # check NAME COMMAND...
  n=$((n + 1))
  if "${@:2}"; then echo "ok $n - $1"; else
    echo "not ok $n - $1"; failed=1; screen | sed 's/^/# /'; fi
}
last_line() { screen | grep -v '^$' | tail -1; }
# wait_for_prompt LINE: until LINE was typed and a fresh prompt follows it, at most 5 s
wait_for_prompt() {
  for _ in $(seq 50); do
    screen | grep -qF -- "$1" && [ "$(last_line)" = "lyncplan>" ] && return 0
    sleep 0.1
  done
  return 1
}

tmux -L "$sock" -f /dev/null new-session -d -x 160 -y 50 \
  "cd '$LP_SOURCE_ROOT' && XDG_STATE_HOME='$tmp' '$LYNCPLAN' shell examples/four-sites-dr.ini; echo SESSION-ENDED \$?; sleep 30"
check "the session starts with the plan" wait_for "lyncplan>"
if ! screen | grep -q "Design: enterprise-paired"; then
  echo "1..$n"; exit 1
fi
# (dr-rto also has a site form, dr-rto@SITE: the completion stops before the space)
tmux -L "$sock" send-keys "set dr-rt" Tab
check "Tab completes a key" wait_for "lyncplan> set dr-rto"
tmux -L "$sock" send-keys " 15m" Enter
check "the difference after the change" wait_for "NYC + CHI: RTO, site loss 1h15m, now misses by 1h"
tmux -L "$sock" send-keys "site set N" Tab
check "Tab completes a site name" wait_for "lyncplan> site set NYC"
tmux -L "$sock" send-keys C-c
sleep 0.3
check "Ctrl-C drops the line and the session goes on" test "$(last_line)" = "lyncplan>"
tmux -L "$sock" send-keys Up
check "the up arrow recalls the last line" wait_for "lyncplan> set dr-rto 15m"
tmux -L "$sock" send-keys C-u "save examples/four-sites-d" Tab
check "Tab completes a file name" wait_for "lyncplan> save examples/four-sites-dr.ini"
tmux -L "$sock" send-keys C-u "show gr" Tab
check "Tab completes a section" wait_for "lyncplan> show group"
tmux -L "$sock" send-keys C-u "quit" Enter
check "quit warns once about unsaved changes" wait_for "unsaved changes"
tmux -L "$sock" send-keys "quit" Enter
check "a second quit ends the session" wait_for "SESSION-ENDED 0"
check "the history is kept under XDG_STATE_HOME" grep -q "dr-rto" "$tmp/lyncplan/history"

# a site name with a space: Tab writes the word quoted, as the session reads it
tmux -L "$sock" kill-server 2>/dev/null
sock="$sock-quote"
tmux -L "$sock" -f /dev/null new-session -d -x 160 -y 50 \
  "cd '$LP_SOURCE_ROOT' && XDG_STATE_HOME='$tmp' '$LYNCPLAN' shell examples/shared-edge-voice.ini; echo SESSION-ENDED \$?; sleep 30"
wait_for "lyncplan>" >/dev/null
tmux -L "$sock" send-keys "set users@New" Tab
check "Tab quotes a site name with a space" wait_for "lyncplan> set 'users@New York'"
tmux -L "$sock" send-keys " 13000" Enter
check "the quoted key is read" wait_for "Input users@New York: 12000 -> 13000"
tmux -L "$sock" send-keys "site set 'New" Tab
check "Tab completes a quoted site name" wait_for "lyncplan> site set 'New York'"
tmux -L "$sock" send-keys C-u "why front-end@New" Tab
check "Tab completes why's site, quoted" wait_for "lyncplan> why 'front-end@New York'"
tmux -L "$sock" send-keys Enter
check "why ID@SITE shows that site's group" wait_for "site New York: front-end = "
tmux -L "$sock" send-keys C-u "quit" Enter "quit" Enter
wait_for "SESSION-ENDED" >/dev/null

# Ctrl-D ends a session as quit does: once warned, then gone. A server of its
# own: one just killed may still be going away and take a new session with it.
tmux -L "$sock" kill-server 2>/dev/null
sock="$sock-ctrl-d"
tmux -L "$sock" -f /dev/null new-session -d -x 160 -y 50 \
  "cd '$LP_SOURCE_ROOT' && XDG_STATE_HOME='$tmp' '$LYNCPLAN' shell examples/four-sites-dr.ini; echo SESSION-ENDED \$?; sleep 30"
wait_for "lyncplan>" >/dev/null
tmux -L "$sock" send-keys "set rto 1h" Enter
# Ctrl-D only once the command has run and the prompt is back: typed while it
# runs, the terminal is not in libedit's mode and the key may be taken as EOF
wait_for_prompt "lyncplan> set rto 1h" >/dev/null
tmux -L "$sock" send-keys C-d
check "Ctrl-D warns once about unsaved changes" wait_for "Ctrl-D again to leave them"
tmux -L "$sock" send-keys C-d
check "a second Ctrl-D ends the session" wait_for "SESSION-ENDED 0"

# Ctrl-C while a slow command runs cancels the command, not the session: the
# unsaved change is still there for quit to warn about. 600 sites print
# megabytes of report to the pane, so 'show' is still running when the key comes.
tmux -L "$sock" kill-server 2>/dev/null
sock="$sock-cancel"
python3 -c 'print("[scenario]"); [print("[site S%d]\nusers = 100" % i) for i in range(600)]' \
  >"$tmp/many.ini"
tmux -L "$sock" -f /dev/null new-session -d -x 160 -y 50 \
  "cd '$LP_SOURCE_ROOT' && XDG_STATE_HOME='$tmp' '$LYNCPLAN' shell '$tmp/many.ini'; echo SESSION-ENDED \$?; sleep 30"
for _ in $(seq 300); do screen | grep -qF "lyncplan>" && break; sleep 0.1; done
tmux -L "$sock" send-keys "set rto 1h" Enter
for _ in $(seq 300); do [ "$(last_line)" = "lyncplan>" ] && screen | grep -qF "S599: Availability" && break; sleep 0.1; done
tmux -L "$sock" send-keys "show" Enter
sleep 0.5
tmux -L "$sock" send-keys C-c
interrupted() {
  for _ in $(seq 200); do
    screen | grep -qF "SESSION-ENDED" && return 1
    screen | grep -qF "show: interrupted" && return 0
    sleep 0.1
  done
  return 1
}
check "Ctrl-C during a slow show cancels the command, not the session" interrupted
wait_for_prompt "interrupted" >/dev/null
tmux -L "$sock" send-keys "quit" Enter
check "the unsaved change is kept after Ctrl-C" wait_for "unsaved changes"
echo "1..$n"
exit $failed
