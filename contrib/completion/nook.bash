# bash completion for nook(8). Install as /usr/share/bash-completion/completions/nook, or
# source it. Completes commands, their flags, flag values, container ids (from `nook list -q`
# under the --root given on the line) and signal names for `kill`.
# shellcheck disable=SC2207 # COMPREPLY=($(compgen ...)) is the completion idiom

_nook_container_ids() {
  local root=() i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      --root) root=(--root "${COMP_WORDS[i + 1]}") ;;
      --root=*) root=(--root "${COMP_WORDS[i]#--root=}") ;;
    esac
  done
  "${COMP_WORDS[0]}" "${root[@]}" list --quiet 2>/dev/null
}

_nook() {
  local cur prev
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}

  local commands="create start run state list kill delete spec features help"
  local global_flags="--debug --log --log-format --root --criu --systemd-cgroup --cgroup-manager
    --rootless --help --version"

  # Values of global flags.
  case $prev in
    --log | --criu) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --root) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --log-format) COMPREPLY=($(compgen -W "text json" -- "$cur")); return ;;
    --cgroup-manager) COMPREPLY=($(compgen -W "cgroupfs systemd disabled" -- "$cur")); return ;;
    --rootless) COMPREPLY=($(compgen -W "true false auto" -- "$cur")); return ;;
  esac

  # Find the command: the first word that is not a global flag or a global flag's value.
  local i cmd='' cmd_index=0
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      --log | --criu | --root | --log-format | --cgroup-manager | --rootless) ((i++)) ;;
      -*) ;;
      *) cmd=${COMP_WORDS[i]}; cmd_index=$i; break ;;
    esac
  done

  if [ -z "$cmd" ]; then
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "$global_flags" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "$commands" -- "$cur"))
    fi
    return
  fi

  local flags='' takes_id=0
  case $cmd in
    create) flags="--bundle -b --console-socket --pidfd-socket --pid-file --no-pivot
                   --no-new-keyring --preserve-fds"; takes_id=0 ;;
    run) flags="--bundle -b --console-socket --pidfd-socket --detach -d --keep --pid-file
                --no-subreaper --no-pivot --no-new-keyring --preserve-fds"; takes_id=0 ;;
    start | state) takes_id=1 ;;
    kill) flags="--all -a"; takes_id=1 ;;
    delete) flags="--force -f"; takes_id=1 ;;
    list) flags="--format -f --quiet -q" ;;
    spec) flags="--bundle -b --rootless" ;;
    features) ;;
    help | h) COMPREPLY=($(compgen -W "$commands" -- "$cur")); return ;;
  esac
  flags+=" --help -h"

  # Values of command flags.
  case $prev in
    --bundle | -b) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --console-socket | --pidfd-socket | --pid-file) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --preserve-fds) return ;;
    --format | -f)
      if [ "$cmd" = list ]; then COMPREPLY=($(compgen -W "table json" -- "$cur")); return; fi ;;
  esac

  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
    return
  fi

  # Positional arguments: the container id, then (kill only) a signal.
  local positional=0
  for ((i = cmd_index + 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      --bundle | -b | --console-socket | --pidfd-socket | --pid-file | --preserve-fds) ((i++)) ;;
      --format) ((i++)) ;;
      -f) [ "$cmd" = list ] && ((i++)) ;;
      -*) ;;
      *) ((positional++)) ;;
    esac
  done
  if [ "$positional" = 0 ] && [ "$takes_id" = 1 ]; then
    COMPREPLY=($(compgen -W "$(_nook_container_ids)" -- "$cur"))
  elif [ "$positional" = 1 ] && [ "$cmd" = kill ]; then
    local signals="HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM STKFLT
      CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS"
    COMPREPLY=($(compgen -W "$signals" -- "${cur#SIG}"))
  fi
}

complete -F _nook nook
