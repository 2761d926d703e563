# bash completion for lyncplan(1).                              -*- shell-script -*-
#
# Commands and options are read from 'lyncplan --help' and 'lyncplan COMMAND
# --help', --format's values from 'lyncplan COMMAND --list-formats' (the
# command's writer table); rule constants, --vary keys and rule sets from
# 'lyncplan rules' (with the --product and --rules-dir of the line being
# completed), so that they are always those of the program and rule set in use. Needs nothing from the
# bash-completion package. Tested by tests/completion/test-completion.bash.

# _lyncplan_join_words: COMP_WORDBREAKS splits '--set=a=b' into '--set' '=' 'a'
# '=' 'b'; glue each '=' and the word after it back onto the word before. Sets
# the caller's words[] and cword (the index of the word under the cursor).
_lyncplan_join_words()
{
  local i glue=0
  words=("${COMP_WORDS[0]}")
  cword=0
  for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
    if [[ ${COMP_WORDS[i]} == "=" && ${#words[@]} -gt 1 ]]; then
      words[${#words[@]} - 1]+="="
      glue=1
    elif ((glue)); then
      words[${#words[@]} - 1]+=${COMP_WORDS[i]}
      glue=0
    else
      words+=("${COMP_WORDS[i]}")
    fi
    ((i == COMP_CWORD)) && cword=$((${#words[@]} - 1))
  done
}

# _lyncplan_options: for the GOption --help text on standard input, one line
# per option, "NAME 1" when it takes a value, "NAME 0" when not; short names
# too (-o).
_lyncplan_options()
{
  awk '
    /^[^ \t].*Options:$/ { in_options = 1; next }
    /^[ \t]*$/ { in_options = 0; next }
    in_options && /^[ \t]+-/ {
      for (i = 1; i <= NF; i++) {
        if ($i !~ /^-/) break
        word = $i; sub(/,$/, "", word)
        takes = (index(word, "=") > 0)
        sub(/=.*/, "", word)
        names[++n] = word
        if (takes) value = 1
        if ($i !~ /,$/) break
      }
      for (j = 1; j <= n; j++) print names[j], value + 0
      n = 0; value = 0
    }'
}

# _lyncplan_rules_section PREFIX: "NAME VALUE" for each entry of the section of
# 'lyncplan rules' output whose heading starts with PREFIX.
_lyncplan_rules_section()
{
  awk -v want="$1" '
    /^[^ \t]/ { in_section = (index($0, want) == 1); next }
    in_section && /^[ \t]+[^ \t]/ { print $1, $2 }'
}

# _lyncplan_rules: 'lyncplan rules' for the rule set the line names.
_lyncplan_rules()
{
  local i w args=()
  for ((i = 2; i < ${#words[@]}; i++)); do
    w=${words[i]}
    case $w in
      --product=* | --rules-dir=*) args+=("${w%%=*}" "${w#*=}") ;;
      --product | --rules-dir) ((i + 1 < cword)) && args+=("$w" "${words[i + 1]}") ;;
    esac
  done
  for ((i = 0; i < ${#args[@]}; i += 2)); do
    w=${args[i + 1]}
    [[ $w == "~/"* ]] && w=$HOME/${w#"~/"}
    [[ ${args[i]} == --rules-dir && $w != /* ]] && w=$PWD/$w
    args[i + 1]=$w
  done
  "$lyncplan" rules "${args[@]}" 2>/dev/null
}

# _lyncplan_products: the ids of the rule sets in the directory of the rule file
# 'lyncplan rules' reads, or in the line's --rules-dir.
_lyncplan_products()
{
  local path f
  path=$(_lyncplan_rules | sed -n '1s/.*(\(.*\))$/\1/p')
  [[ -n $path ]] || return
  for f in "${path%/*}"/*.rules; do
    [[ -f $f ]] || continue
    f=${f##*/}
    printf '%s\n' "${f%.rules}"
  done
}

# _lyncplan_files [EXT]: files (those ending in .EXT when there are any) and
# directories matching $value.
_lyncplan_files()
{
  local IFS=$'\n' found
  if [[ -n ${1-} ]]; then
    found=$(compgen -f -X "!*.$1" -- "$value")
    [[ -n $found ]] && found+=$'\n'$(compgen -d -- "$value")
  fi
  [[ -n ${found-} ]] || found=$(compgen -f -- "$value")
  printf '%s\n' "$found"
}

# _lyncplan_set_values: the constants for --set NAME=VALUE: "NAME=" while the
# name is typed, then the constant's current value.
_lyncplan_set_values()
{
  local name value_of
  if [[ $value == *=* ]]; then
    name=${value%%=*}
    value_of=$(_lyncplan_rules | _lyncplan_rules_section "Rule constants" |
      awk -v n="$name" '$1 == n { print $2 }')
    [[ -n $value_of ]] && printf '%s=%s\n' "$name" "$value_of"
    return
  fi
  _lyncplan_rules | _lyncplan_rules_section "Rule constants" | awk '{ print $1 "=" }'
}

# _lyncplan_vary_values: the keys of --vary KEY=SPEC: the scenario's inputs
# (per site with @SITE) and every rule constant.
_lyncplan_vary_values()
{
  case $value in
    edition=*) printf '%s\n' edition=auto,standard,enterprise ;;
    persistent-chat=*) printf '%s\n' persistent-chat=false,true ;;
    *=*) ;;
    *)
      {
        printf '%s\n' users users@ remote-percent remote-percent@ rto rpo dr-rto dr-rpo \
          sla response-time edition persistent-chat
        _lyncplan_rules | _lyncplan_rules_section "Scenario input" | awk '{ print $1 }'
        _lyncplan_rules | _lyncplan_rules_section "Rule constants" | awk '{ print $1 }'
      } | awk '!seen[$0]++ { print (/@$/ ? $0 : $0 "=") }'
      ;;
  esac
}

# _lyncplan_values OPTION: the values OPTION takes, matching $value.
_lyncplan_values()
{
  case $1 in
    --format) "$lyncplan" "$command" --list-formats 2>/dev/null ;;
    --edition) printf '%s\n' auto standard enterprise ;;
    --table) printf '%s\n' bom firewall certificates servers dns flows ;;
    --paper) printf '%s\n' a4 letter ;;
    --breakpoints) printf '%s\n' design edition servers ;;
    --product) _lyncplan_products ;;
    --set) _lyncplan_set_values ;;
    --vary) _lyncplan_vary_values ;;
    -o | --output | --xlsx) _lyncplan_files ;;
    --prices) _lyncplan_files prices ;;
    --rules-dir) compgen -d -- "$value" ;;
  esac
}

# _lyncplan_compopt OPTION: how bash inserts OPTION's values: as file names, or
# without the space after a NAME= still to be given a value. Runs in the shell
# that completes (compopt has no effect in a subshell).
_lyncplan_compopt()
{
  case $1 in
    -o | --output | --xlsx | --prices | --rules-dir | "") compopt -o filenames 2>/dev/null ;;
    --set | --vary) [[ $value == *=* ]] || compopt -o nospace 2>/dev/null ;;
  esac
}

# _lyncplan_reply PREFIX: COMPREPLY from the candidates on standard input that
# start with the word under the cursor, PREFIX put before each, each once; less
# the part of the word bash does not replace (what comes before a '=' it split
# at). Read from a redirection, not a pipe, so that COMPREPLY is this shell's.
_lyncplan_reply()
{
  local lead=${cur:0:${#cur}-${#rl_word}} c
  local -A seen=()
  COMPREPLY=()
  while IFS= read -r c; do
    c=$1$c
    [[ -n ${c#"$1"} && $c == "$cur"* && -z ${seen[$c]-} ]] || continue
    seen[$c]=1
    COMPREPLY+=("${c#"$lead"}")
  done
}

_lyncplan()
{
  local rl_word=$2 words cword cur prev command lyncplan commands options takes value=
  _lyncplan_join_words
  cur=${words[cword]}
  prev=${words[cword - 1]}
  lyncplan=${words[0]}
  [[ $lyncplan == "~/"* ]] && lyncplan=$HOME/${lyncplan#"~/"}
  command -v -- "$lyncplan" >/dev/null 2>&1 || lyncplan=lyncplan

  commands=$("$lyncplan" --help 2>/dev/null |
    awk '/^Commands:/ { on = 1; next } on && NF == 0 { on = 0 } on { print $1 }')
  commands=${commands//$'\n'/ }
  if ((cword == 1)); then
    _lyncplan_reply "" < <(printf '%s\n' $commands help -h --help -V --version)
    return
  fi
  command=${words[1]}
  if [[ $command == help ]]; then
    ((cword == 2)) && _lyncplan_reply "" < <(printf '%s\n' $commands)
    return
  fi
  [[ " $commands " == *" $command "* ]] || return

  options=$("$lyncplan" "$command" --help 2>/dev/null | _lyncplan_options)
  if [[ $cur == --*=* ]]; then
    value=${cur#*=}
    _lyncplan_compopt "${cur%%=*}"
    _lyncplan_reply "${cur%%=*}=" < <(_lyncplan_values "${cur%%=*}")
    return
  fi
  takes=$(awk -v o="$prev" '$1 == o { print $2 }' <<<"$options")
  # --breakpoints[=ON]: its value only after a '=' (GOption's help cannot say so)
  [[ $prev == --breakpoints ]] && takes=0
  if ((cword > 2)) && [[ $takes == 1 ]]; then
    value=$cur
    _lyncplan_compopt "$prev"
    _lyncplan_reply "" < <(_lyncplan_values "$prev")
  elif [[ $cur == -* ]]; then
    # every switch of plan and sweep also has a --no- form, hidden from --help
    _lyncplan_reply "" < <(awk '{ print $1 }
      $2 == 0 && /^--/ && $1 != "--help" && c ~ /^(plan|sweep)$/ { print "--no-" substr($1, 3) }' \
      c="$command" <<<"$options")
  elif [[ $command == plan || $command == sweep ]]; then
    value=$cur
    _lyncplan_compopt ""
    _lyncplan_reply "" < <(_lyncplan_files ini)
  fi
}

complete -F _lyncplan lyncplan
