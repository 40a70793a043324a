# fish completion for txl. Install one of these ways:
#   txl completion fish > ~/.config/fish/completions/txl.fish
#   cp completions/txl.fish /usr/share/fish/vendor_completions.d/txl.fish
#
# All the knowledge lives in `txl __complete WORDS...`; this only hands it the words and
# prints its answer (fish reads "word<TAB>description" natively).

function __txl_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l txl txl
    if string match -q -- '*/*' $tokens[1]; and test -x $tokens[1]
        set txl $tokens[1]
    end
    set -l directive
    for line in (command $txl __complete $tokens[2..-1] $cur 2>/dev/null)
        switch $line
            case :cfgfile :file
                set directive (string sub -s 2 -- $line)
            case :nospace
                # fish adds no space after a word ending in '=' on its own
            case '*'
                printf '%s\n' $line
        end
    end
    test -n "$directive"; or return 0
    set -l files $cur*
    set -l cfgs
    for f in $files
        if test -d $f
            printf '%s/\n' $f
        else if test $directive = file; or string match -qr '\.(cfg|xml|json)$' -- $f
            set -a cfgs $f
        end
    end
    # xl configs often have no extension (/etc/xen/guest): then offer every file
    if test (count $cfgs) -eq 0
        for f in $files
            test -d $f; or set -a cfgs $f
        end
    end
    printf '%s\n' $cfgs
end

complete -c txl -f -a '(__txl_complete)'
