" Dagloon rule files are *.rules, a name udev (and snort, as 'hog') also use. Vim's own detection
" runs first (dist#ft#FTRules): it says udevrules for /etc/udev, /lib/udev and /usr/lib/udev,
" javascript under polkit-1/rules.d, conf under /etc/ufw, and 'hog' for any other *.rules. Only
" that last guess is taken back, and only by content: the first line that is not blank is a '--'
" comment or starts with a Dagloon keyword (an udev rule starts with KEY==, snort with 'alert' or
" '#'), or the file is new and empty and not under a snort folder.
" The 'hog' ftplugin has run by now and keeps b:did_ftplugin (its undo is script-local), which would
" stop ours: what it set is taken back here first.
function! s:SetDagloon() abort
  if &filetype ==# 'hog'
    unlet! b:did_ftplugin b:match_words b:match_skip
    setlocal formatoptions< comments< commentstring< define< include<
    silent! nunmap <buffer> ]]
    silent! nunmap <buffer> [[
  endif
  set filetype=dagloon
endfunction

function! s:DetectDagloon() abort
  if &filetype !=# '' && &filetype !=# 'hog'
    return
  endif
  for l:line in getline(1, 200)
    if l:line =~# '^\s*$'
      continue
    endif
    if l:line =~# '^\s*--' || l:line =~# '^\s*\%(taal\|language\|module\|strikt\|strict\|bron\|source\|keuze\|choice\|gegevens\|record\|invoer\|input\|uitvoer\|output\|regel\|rule\|tabel\|table\|uitzondering\|exception\|voorstel\|proposal\|gebruik\|use\|extern\|vervang\|replace\|schrap\|remove\)\>'
      call s:SetDagloon()
    endif
    return
  endfor
  if line('$') == 1 && expand('<amatch>:p') !~# '/snort/'
    call s:SetDagloon()
  endif
endfunction

autocmd BufNewFile,BufRead *.rules call s:DetectDagloon()

" Case files (docs/CASES.md) are YAML; the language server checks them too (lua/dagloon.lua).
autocmd BufNewFile,BufRead *.case setfiletype yaml
