#!/usr/bin/env bash
# test-completion.bash COMPLETION_FILE: sources completion/lyncplan.bash and
# calls _lyncplan as bash does on TAB (COMP_WORDS split at '=' as
# COMP_WORDBREAKS splits them, COMP_CWORD, $2 the word readline replaces),
# against the built binary ($LYNCPLAN) and the source tree's rule set. TAP.
set -u
source "$1" || exit 1
lyncplan=${LYNCPLAN:?LYNCPLAN: the built binary}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

# complete WORD...: COMPREPLY for the command line "lyncplan WORD...", the
# cursor at the end of the last word. Prints the replies, one a line, sorted.
complete_line()
{
  COMP_WORDS=("$lyncplan" "$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  local word=${COMP_WORDS[COMP_CWORD]}
  [[ $word == "=" ]] && word=""
  COMPREPLY=()
  _lyncplan lyncplan "$word" "${COMP_WORDS[COMP_CWORD - 1]}" 2>/dev/null
  ((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
}

# check NAME EXPECTED ACTUAL: one TAP line; both sides are sorted line lists.
check()
{
  n=$((n + 1))
  if [[ $2 == "$3" ]]; then
    echo "ok $n - $1"
  else
    echo "not ok $n - $1"
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/# /'
    failed=1
  fi
}

# lines WORD...: the words sorted, one a line.
lines() { printf '%s\n' "$@" | LC_ALL=C sort; }

# the commands 'lyncplan --help' lists, the options 'lyncplan COMMAND --help'
# lists, and the constants 'lyncplan rules' lists: what completion must offer
help_commands=$("$lyncplan" --help | awk '/^Commands:/ { on = 1; next } on && NF == 0 { on = 0 } on { print $1 }')
help_options()
{
  "$lyncplan" "$1" --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z0-9-]*' |
    grep -oE -- '-[a-zA-Z]\b|--[a-z][a-z0-9-]*' | LC_ALL=C sort -u
}
constants=$("$lyncplan" rules | awk '/^Rule constants/ { on = 1; next } /^[^ ]/ { on = 0 } on && NF { print $1 }')

check "commands" "$(lines $help_commands help -h --help -V --version)" "$(complete_line "")"
check "a command's prefix" "plan" "$(complete_line pl)"
check "help COMMAND" "$(lines $help_commands)" "$(complete_line help "")"
for command in $help_commands; do
  check "$command: every option of --help" "$(help_options "$command")" \
    "$(complete_line "$command" - | grep -v -- '^--no-' | LC_ALL=C sort -u)"
done
# the switches (options without a value) of plan and sweep have a --no- form
help_switches()
{
  "$lyncplan" "$1" --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z][a-z0-9-]*( |$)' |
    grep -oE -- '--[a-z][a-z0-9-]*' | grep -vx -- --help | sed 's/^--/--no-/' | LC_ALL=C sort
}
[[ $(help_switches sweep) == *--no-progress* ]] || echo "Bail out! no switch in 'sweep --help'"
for command in plan sweep; do
  check "$command: the --no- forms of its switches" "$(help_switches "$command")" \
    "$(complete_line "$command" --no-)"
done
check "rules: no switches" "" "$(complete_line rules --no-)"
check "plan --fo" "--format" "$(complete_line plan --fo)"
check "plan --format" "$(lines csv json tbxml text)" "$(complete_line plan --format "")"
check "plan --format=j" "json" "$(complete_line plan --format = j)"
check "plan --table" "$(lines bom certificates dns firewall flows servers)" "$(complete_line plan --table "")"
check "sweep --breakpoints=" "$(lines design edition servers)" "$(complete_line sweep --breakpoints = "")"
check "sweep --breakpoints then a file" "$(complete_line sweep "")" "$(complete_line sweep --breakpoints "")"
check "plan --table=f" "$(lines firewall flows)" "$(complete_line plan --table = f)"
check "sweep --format=" "$(lines csv jsonl text xlsx)" "$(complete_line sweep --format =)"
check "simulate --format" "$(lines json text)" "$(complete_line simulate --format "")"
check "diff --format" "$(lines json text)" "$(complete_line diff --format "")"
check "simulate --ye" "--years" "$(complete_line simulate --ye)"
check "--edition" "$(lines auto enterprise standard)" "$(complete_line plan --edition "")"

# --set: every constant of the rule set and nothing else, each NAME=
[[ $constants == *pool-failover-time* ]] || echo "Bail out! 'lyncplan rules' lists no pool-failover-time"
check "--set lists the rule constants" "$(printf '%s=\n' $constants | LC_ALL=C sort)" \
  "$(complete_line plan --set "")"
check "--set pool-failover-t" "pool-failover-time=" "$(complete_line plan --set pool-failover-t)"
check "--set=pool-failover-t" "pool-failover-time=" "$(complete_line plan --set = pool-failover-t)"
value=$("$lyncplan" rules | awk '$1 == "pool-failover-time" { print $2 }')
check "--set pool-failover-time= offers its value" "$value" \
  "$(complete_line sweep --set pool-failover-time =)"
check "--set rto: an input is not a constant" "" "$(complete_line plan --set rto)"

vary=$(complete_line sweep --vary "")
for key in users= users@ rto= dr-rpo= edition= persistent-chat= pool-failover-time=; do
  check "--vary offers $key" "$key" "$(grep -Fx -- "$key" <<<"$vary")"
done
check "--vary edition=" "auto,standard,enterprise" "$(complete_line sweep --vary edition =)"

# a rule set of one's own: its constants and its id come from it, at completion time
mkdir -p "$tmp/rules" "$tmp/templates"
cp "$LP_SOURCE_ROOT"/templates/*.tmpl "$LP_SOURCE_ROOT"/templates/*.inc "$tmp/templates/"
sed 's/^id = lync2013$/id = custom/' "$LP_SOURCE_ROOT/rules/lync2013.rules" >"$tmp/rules/custom.rules"
sed -n '/^\[constant computer-name-max\]/,/^$/p' "$tmp/rules/custom.rules" |
  sed 's/computer-name-max/test-only-constant/' >>"$tmp/rules/custom.rules"
cp "$LP_SOURCE_ROOT/rules/lync2013.rules" "$tmp/rules/"
check "--product lists the rule sets of --rules-dir" "$(lines custom lync2013)" \
  "$(complete_line plan --rules-dir "$tmp/rules" --product "")"
check "--product lists the installed rule sets" $'lync2013\nsfb2015\nsfb2019\nsfbse' "$(complete_line plan --product "")"
check "--set reads the rule set --product names" "test-only-constant=" \
  "$(complete_line plan --rules-dir "$tmp/rules" --product=custom --set test-)"
check "--set without it" "" "$(complete_line plan --rules-dir "$tmp/rules" --set test-)"

# files and directories
mkdir -p "$tmp/files/sub.d"
touch "$tmp/files/a.ini" "$tmp/files/b.txt" "$tmp/files/c.prices"
cd "$tmp/files" || exit 1
check "scenario: .ini files and directories" "$(lines a.ini sub.d)" "$(complete_line plan "")"
check "-o: any file" "$(lines a.ini b.txt c.prices sub.d)" "$(complete_line plan -o "")"
check "--xlsx=: any file" "$(lines a.ini b.txt c.prices sub.d)" "$(complete_line plan --xlsx =)"
check "--prices: .prices files and directories" "$(lines c.prices sub.d)" \
  "$(complete_line plan --prices "")"
check "--rules-dir: directories" "sub.d" "$(complete_line rules --rules-dir "")"
check "--rto takes a duration, not a file" "" "$(complete_line plan --rto "")"
check "rules takes no scenario" "" "$(complete_line rules "")"

echo "1..$n"
exit $failed
