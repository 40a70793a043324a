# bash completion for txl                                   -*- shell-script -*-
#
# Install one of these ways:
#   eval "$(txl completion bash)"                     # in ~/.bashrc
#   txl completion bash > ~/.local/share/bash-completion/completions/txl
#   cp completions/txl.bash /usr/share/bash-completion/completions/txl
#
# All the knowledge lives in `txl __complete WORDS...` (commands, options, live domain names
# from the current --connect); this script only hands it the words and shows its answer.

_txl() {
    local txl=txl cur prefix="" line directive="" nospace="" f k n=-1
    local -a words=() lines=() reply=() files=()

    # bash splits words at the characters in COMP_WORDBREAKS (':' and '=' among them); glue back
    # what was typed without a space, so txl sees "test:///default" and "memory=512" whole.
    if [[ -n ${COMP_LINE+set} ]]; then
        local rest=${COMP_LINE:0:${COMP_POINT:-${#COMP_LINE}}} word trimmed
        for ((k = 0; k <= COMP_CWORD; k++)); do
            word=${COMP_WORDS[k]}
            trimmed=${rest#"${rest%%[![:space:]]*}"}
            if ((k == 0)) || [[ $trimmed != "$rest" ]]; then
                n=$((n + 1))
                words[n]=""
            fi
            rest=$trimmed
            ((k == COMP_CWORD)) && word=$rest
            words[n]+=$word
            rest=${rest:${#word}}
        done
    else
        words=("${COMP_WORDS[@]:0:COMP_CWORD+1}")
        n=$COMP_CWORD
    fi
    cur=${words[n]}

    # readline replaces only the text after the last ':' or '=' of the word
    local breaks=${COMP_WORDBREAKS//[^:=]/}
    [[ -n $breaks ]] && prefix=${cur%"${cur##*[$breaks]}"}

    # `bin/txl ...` or `~/src/txl/bin/txl ...` completes with the txl being run
    if [[ ${words[0]} == */* ]]; then
        f=${words[0]/#\~/$HOME}
        [[ -x $f ]] && txl=$f
    fi

    mapfile -t lines < <("$txl" __complete "${words[@]:1}" 2>/dev/null)
    for line in "${lines[@]}"; do
        case $line in
            :cfgfile | :file) directive=${line#:} ;;
            :nospace) nospace=1 ;;
            *) reply+=("${line%%$'\t'*}") ;;
        esac
    done

    if [[ -n $directive ]]; then
        compopt -o filenames 2>/dev/null
        mapfile -t files < <(compgen -f -- "$cur")
        if [[ $directive == cfgfile ]]; then
            local -a cfgs=() dirs=()
            for f in "${files[@]}"; do
                if [[ -d $f ]]; then
                    dirs+=("$f")
                elif [[ $f == *.cfg || $f == *.xml || $f == *.json ]]; then
                    cfgs+=("$f")
                fi
            done
            # xl configs often have no extension (/etc/xen/guest): then offer every file
            ((${#cfgs[@]})) && files=("${cfgs[@]}" "${dirs[@]}")
        fi
        reply+=("${files[@]}")
    fi

    [[ -n $nospace ]] && compopt -o nospace 2>/dev/null
    COMPREPLY=()
    for f in "${reply[@]}"; do
        COMPREPLY+=("${f#"$prefix"}")
    done
    return 0
}

complete -F _txl txl
