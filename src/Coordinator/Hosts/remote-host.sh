# The host side of a pool session over SSH: POSIX sh and the tools every Unix has (tar, ln, find), nothing installed.
# The pool drives it by lines on stdin and reads its answers, one per line, on stdout (RemoteHostSession).
# $1: the cache folder, or empty for ${XDG_CACHE_HOME:-$HOME/.cache}/clusterpool. Never a single quote in this file:
# the pool passes it whole, quoted, through the login shell of the host.
c=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/clusterpool}
case $c in /*) ;; *) c=$HOME/$c ;; esac
fail() { echo "error $*"; exit 3; }
mkdir -p "$c/blobs" "$c/app" "$c/runtime" "$c/stage" 2>/dev/null || fail "disk cannot create the cache $c"
chmod 700 "$c" # the app belongs to this user: no one else on the host reads it
echo "hello 1"
echo "os $(uname -s) $(uname -m)"
echo "cores $(getconf _NPROCESSORS_ONLN 2>/dev/null || nproc 2>/dev/null || echo 1)"
echo "cache $c"
dotnet=

# has KIND ID: is this build in the cache?
has() { [ -d "$c/$1/$2" ] && echo "tree $1 $2 yes" || echo "tree $1 $2 no"; }

# find_dotnet MAJOR: a dotnet with both frameworks of that major version.
find_dotnet() {
  for d in "$(command -v dotnet 2>/dev/null)" "${DOTNET_ROOT:-}/dotnet" "$HOME/.dotnet/dotnet" \
      /usr/share/dotnet/dotnet /usr/lib/dotnet/dotnet /usr/local/share/dotnet/dotnet /opt/dotnet/dotnet; do
    [ -x "$d" ] || continue
    list=$("$d" --list-runtimes 2>/dev/null) || continue
    echo "$list" | grep -q "^Microsoft.NETCore.App $1\." || { found="$found $d:$(echo "$list" | cut -d" " -f1-2 | \
      tr "\n" ",")"; continue; }
    echo "$list" | grep -q "^Microsoft.AspNetCore.App $1\." || { found="$found $d:no-aspnetcore-$1"; continue; }
    dotnet=$d; echo "dotnet $d"; return
  done
  echo "dotnet none${found:-}"
}

# needs KIND ID TOKEN: reads the manifest (HASH MODE PATH lines, then a line with a dot), keeps it for receive, and
# says which files the cache lacks.
needs() {
  m="$c/stage/$1.$2.$3.manifest"
  : > "$m" || fail "disk cannot write in $c"
  while IFS= read -r line && [ "$line" != "." ]; do echo "$line" >> "$m"; done
  while read -r h mode p; do [ -f "$c/blobs/$h" ] || echo "need $h"; done < "$m" | sort -u
  echo "needed"
}

# receive TOKEN: a tar on the rest of stdin (new files in stage/TOKEN, each build as hard links in KIND/ID.TOKEN),
# then each build moves into place whole, so a build that is there is complete.
receive() {
  t=$1
  # tar says why in memory: on a full disk, not even a file of its errors could be written
  if ! why=$(tar -xf - -C "$c" 2>&1); then
    why=$(echo "$why" | head -n 1)
    rm -rf "$c/stage/$t" "$c"/app/*."$t" "$c"/runtime/*."$t" "$c/stage"/*."$t".manifest
    fail "disk could not unpack into $c: $why"
  fi
  set -- "$c/stage/$t"/*
  [ -f "$1" ] && { mv -f "$@" "$c/blobs/" || fail "disk could not move files into $c/blobs"; }
  for m in "$c/stage"/*."$t".manifest; do
    [ -f "$m" ] || continue
    name=${m#"$c/stage/"}; kind=${name%%.*}; rest=${name#*.}; id=${rest%%.*}
    # A new file came with its mode (tar); a cached one only needs chmod (a process each) when it was not executable.
    while read -r h mode p; do f="$c/$kind/$id.$t/$p"; [ "$mode" = 755 ] && [ ! -x "$f" ] && chmod 755 "$f"; done < "$m"
    if [ -d "$c/$kind/$id" ]; then rm -rf "$c/$kind/$id.$t"; else mv "$c/$kind/$id.$t" "$c/$kind/$id"; fi
    rm -f "$m"; echo "installed $kind $id"
  done
  rm -rf "$c/stage/$t"
  prune
}

# prune: keep the newest KEEP builds of each kind (a run touches its own), then the files no build links to.
prune() {
  for kind in app runtime; do
    ls -dt "$c/$kind"/* 2>/dev/null | tail -n +$((keep + 1)) | while IFS= read -r old; do rm -rf "$old"; done
  done
  find "$c/blobs" -type f -links 1 -exec rm -f {} + 2>/dev/null
  find "$c/stage" -type f -mmin +1440 -exec rm -f {} + 2>/dev/null
}

# run APP RUNTIME: arguments (arg lines) and environment (env lines, the certificate among them) up to "go". The
# worker host runs as a child of this shell, with the session stdin (its lifeline) and this shell as the parent
# it watches (@PARENT). The shell stays as its reaper: when the host ends, however it ends, what its tasks started (the
# host leads a process group of its own) is killed, so nothing outlives it or holds the session open; the session
# then ends with the exit code of the host.
run() {
  [ -d "$c/app/$1" ] || fail "missing the app build $1 in $c"
  [ "$2" = - ] || { dotnet="$c/runtime/$2/dotnet"; touch "$c/runtime/$2"; }
  set -- "$c/app/$1"
  while IFS= read -r line && [ "$line" != go ]; do
    case $line in
      "env "*) export "${line#env }" ;;
      "arg "*) v=${line#arg }
        case $v in @APP/*) v="$1/${v#@APP/}" ;; @DOTNET) v=$dotnet ;; @PARENT) v=$$ ;; esac
        set -- "$@" "$v" ;;
    esac
  done
  touch "$1"
  shift
  echo "starting"
  # The stdin of a background job is /dev/null unless given: the session stdin goes through fd 3.
  exec 3<&0
  "$@" 0<&3 3<&- &
  host=$!
  exec 3<&-
  wait "$host"
  code=$?
  kill -KILL "-$host" 2>/dev/null
  exit "$code"
}

keep=8
while IFS=" " read -r command a b c2; do
  case $command in
    keep) keep=$a ;;
    has) has "$a" "$b" ;;
    dotnet) find_dotnet "$a" ;;
    manifest) needs "$a" "$b" "$c2" ;;
    receive) receive "$a"; exit 0 ;;
    run) run "$a" "$b" ;;
    bye) exit 0 ;;
    *) fail "protocol unknown command $command" ;;
  esac
done
