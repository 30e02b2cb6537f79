#!/usr/bin/env bash
# Provision a test host (as root, no registry needed); see DESIGN.md section 5.
#
# On Debian it installs whatever is missing. Elsewhere it uses what is installed: an engine that
# is new enough (Docker's own packages on Ubuntu, Fedora's moby-engine) and the tools the tests
# need; on an apt-based system (Ubuntu) missing tools come from its own repositories; on any other
# system it stops with one message listing what to install.
#
#   packages  Graphviz (`dot`) and the tools the tests use (ip, iptables, busybox-static, ...)
#   engine    Debian's newest Docker engine: docker.io 28.5 + containerd 2 + tini-static from `sid`,
#             on top of Debian 12's runc; sid's docker-compose plugin if it installs cleanly
#   daemon    dockerd running in the background (log: /var/log/cnv-dockerd.log)
#   image     busybox:latest, built FROM scratch from Debian's busybox-static when it can't be pulled
#
# Idempotent: each phase checks first and only acts when something is missing, so a second run
# changes nothing. `apt-get update` runs at most once, and only when a package must be installed.
#
# Usage: provision.sh [--plan]   (--plan: print what would be done, change nothing, no root)
#
# Environment:
#   CNV_SKIP_ENGINE=1     only Graphviz and its font, nothing else (a docs-build-only machine)
#   CNV_OS_RELEASE=FILE   read the distribution from FILE instead of /etc/os-release (tests)
#   CNV_ENGINE_MIN=X.Y    oldest acceptable engine (default 28.5)
#   CNV_DEBIAN_MIRROR=URI Debian mirror for `sid` (default: the one in this machine's apt sources)
set -euo pipefail

readonly ENGINE_MIN=${CNV_ENGINE_MIN:-28.5}
readonly ENGINE_PKGS=(containerd tini-static docker.io)
readonly COMPOSE_PKG=docker-compose
readonly KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
readonly POLICY_RC=/usr/sbin/policy-rc.d
readonly DOCKERD_LOG=/var/log/cnv-dockerd.log
readonly LOCK_FILE=/run/lock/cnv-provision.lock
readonly DOCKERD_WAIT=30
readonly IMAGE=busybox:latest
IMAGE_DIR=$(cd "$(dirname "$0")" && pwd)/busybox # Dockerfile, passwd, group
readonly IMAGE_DIR
readonly APPLETS=(ping nslookup wget httpd nc ip)

export LC_ALL=C DEBIAN_FRONTEND=noninteractive
export PATH=$PATH:/usr/sbin:/sbin # dockerd is installed in /usr/sbin

SKIP_ENGINE=${CNV_SKIP_ENGINE:-}
OS_RELEASE=${CNV_OS_RELEASE:-/etc/os-release}
PLAN=""            # set by --plan: say what would be done, do nothing
TMP=""             # scratch directory, created on first use, removed on exit
APT_UPDATED=""     # set once `apt-get update` ran
POLICY_RC_SAVED="" # set while our policy-rc.d replaces the machine's one
STATUS=""          # what the current phase did, printed by `phase`
DOCKERD_PID=""     # the dockerd this script started
lock_fd=""         # the open provisioning lock (see main)

log() { printf 'provision: %s\n' "$*"; }
warn() { printf 'provision: warning: %s\n' "$*" >&2; }
die() {
  printf 'provision: error: %s\n' "$*" >&2
  exit 1
}

# --- helpers -----------------------------------------------------------------------------------

cleanup() {
  restore_policy_rc
  if [[ -n $TMP ]]; then rm -rf "$TMP"; fi
}
trap cleanup EXIT

# Create the scratch directory. It is world-readable so apt's unprivileged `_apt` user can
# download into the subdirectories we hand over to it.
tmpdir() {
  if [[ -z $TMP ]]; then
    TMP=$(mktemp -d -t cnv-provision.XXXXXX)
    chmod 755 "$TMP"
  fi
}

# phase NAME FUNCTION: run FUNCTION and print "provision: NAME <STATUS> <seconds>s".
phase() {
  local name=$1 fn=$2 t0=${EPOCHREALTIME/./} us
  STATUS=ok
  "$fn"
  us=$((${EPOCHREALTIME/./} - t0))
  log "$name $STATUS $((us / 1000000)).$((us % 1000000 / 100000))s"
}

# quiet LOGNAME CMD...: run CMD with its output in a log file; show the log's tail if CMD fails.
quiet() {
  local logfile
  tmpdir
  logfile=$TMP/$1.log
  shift
  if ! "$@" >"$logfile" 2>&1; then
    tail -n 30 "$logfile" >&2
    die "failed: $*"
  fi
}

need_root() {
  [[ $EUID -eq 0 ]] || die "$1 needs root"
}

# os_field NAME: a field of os-release (ID, ID_LIKE, PRETTY_NAME), empty when absent.
os_field() {
  [[ -r $OS_RELEASE ]] || return 0
  # shellcheck disable=SC1090 # the file is the distribution's (or a test's)
  (. "$OS_RELEASE" && printf '%s\n' "${!1:-}")
}

is_debian() { [[ $(os_field ID) == debian ]]; }

# apt-based: Debian itself or a derivative (Ubuntu), whose own repositories have the tools.
uses_apt() { is_debian || [[ " $(os_field ID_LIKE) " == *" debian "* ]]; }

# The command that shows a package is present, for systems without dpkg.
package_command() {
  case $1 in
    graphviz) echo dot ;;
    fonts-liberation2) echo fc-list ;;
    iproute2) echo ip ;;
    busybox-static) echo busybox ;;
    util-linux) echo unshare ;;
    procps) echo ps ;;
    psmisc) echo fuser ;;
    user-mode-linux) echo linux.uml ;;
    kmod) echo modprobe ;;
    iputils-ping) echo ping ;;
    netcat-openbsd) echo nc ;;
    uidmap) echo newuidmap ;;
    *) echo "$1" ;;
  esac
}

is_installed() {
  if uses_apt; then
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
  else
    command -v "$(package_command "$1")" >/dev/null
  fi
}

# version_ge A B: true when version A is B or newer (A empty: false).
version_ge() {
  [[ -n $1 && $(printf '%s\n' "$2" "$1" | sort -V | head -n 1) == "$2" ]]
}

# --- packages ----------------------------------------------------------------------------------

apt_install() {
  need_root "installing packages"
  if [[ -z $APT_UPDATED ]]; then
    quiet apt-update apt-get update -q
    APT_UPDATED=1
  fi
  quiet apt-install apt-get install -y -q --no-install-recommends "$@"
}

ensure_packages() {
  # fonts-liberation2 is what graphviz recommends: it keeps text metrics, and so diagram
  # layouts, the same on every machine.
  local wanted=(graphviz fonts-liberation2) missing=() pkg
  if [[ -z $SKIP_ENGINE ]]; then
    wanted+=(iproute2 iptables busybox-static util-linux procps psmisc)
    # a browser for the browser tests (through Playwright, without a browser download); a
    # runner that already has one (CNV_CHROMIUM, google-chrome) keeps it
    if [[ -z ${CNV_CHROMIUM:-} ]] && ! command -v google-chrome >/dev/null; then
      wanted+=(chromium)
    fi
    # a full Linux kernel as a process, for steps this machine's kernel cannot run
    wanted+=(user-mode-linux kmod)
    # packet capture and connection tracking, shown on the pages
    wanted+=(tcpdump conntrack)
    # ping -M do (don't fragment) for path-MTU measurements; busybox ping has no -M
    wanted+=(iputils-ping)
    # a UDP client and server (busybox's nc has no -u), for the UDP publishing steps
    wanted+=(netcat-openbsd)
    # the rootless engine (dockerd-rootless.sh): user namespaces, user-mode networking
    wanted+=(rootlesskit slirp4netns uidmap)
  fi
  for pkg in "${wanted[@]}"; do
    is_installed "$pkg" || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    uses_apt || die "this is $(os_field PRETTY_NAME); install these first, then rerun:" \
      "${missing[*]} (commands: $(for pkg in "${missing[@]}"; do package_command "$pkg"; done | xargs))"
    if [[ -n $PLAN ]]; then
      STATUS="would install (${missing[*]})"
      return 0
    fi
    apt_install "${missing[@]}"
    STATUS="installed (${missing[*]})"
  fi
  [[ -n $PLAN ]] || command -v dot >/dev/null || die "graphviz is installed but there is no 'dot'"
}

# --- engine ------------------------------------------------------------------------------------

dockerd_version() {
  if command -v dockerd >/dev/null; then
    dockerd --version | sed -n 's/^Docker version \([0-9][0-9.]*\).*/\1/p'
  fi
}

# Print the first URI of the machine's main Debian entry (suite = this release's codename,
# component main; that leaves out -security, -updates and third-party repositories), from the
# one-line format (sources.list, *.list) or else the deb822 format (*.sources).
debian_mirror() {
  local codename uri="" one_line=() deb822=()
  # shellcheck disable=SC1091 # os-release sets VERSION_CODENAME
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [[ -f /etc/apt/sources.list ]] && one_line+=(/etc/apt/sources.list)
  shopt -s nullglob
  one_line+=(/etc/apt/sources.list.d/*.list)
  deb822=(/etc/apt/sources.list.d/*.sources)
  shopt -u nullglob
  if ((${#one_line[@]})); then uri=$(mirror_one_line "$codename" "${one_line[@]}"); fi
  if [[ -z $uri ]] && ((${#deb822[@]})); then uri=$(mirror_deb822 "$codename" "${deb822[@]}"); fi
  printf '%s\n' "${uri%/}"
}

# `deb [options] URI SUITE COMPONENT...` lines.
mirror_one_line() {
  awk -v want="$1" '
    $1 == "deb" {
      i = 2
      if ($i ~ /^\[/) { while ($i !~ /\]$/ && i < NF) i++; i++ }
      if ($i !~ /^https?:\/\// || $(i + 1) != want) next
      for (j = i + 2; j <= NF; j++) if ($j == "main") { print $i; exit }
    }' "${@:2}"
}

# deb822 stanzas (`Types:`, `URIs:`, `Suites:`, `Components:`, `Enabled:`), separated by blank lines.
mirror_deb822() {
  awk -v want="$1" '
    BEGIN { RS = "" }
    {
      delete f
      n = split($0, lines, "\n")
      for (k = 1; k <= n; k++) {
        if (lines[k] ~ /^[ \t#]/ || lines[k] !~ /:/) continue
        key = tolower(lines[k]); sub(/:.*/, "", key)
        val = lines[k]; sub(/^[^:]*:[ \t]*/, "", val)
        f[key] = " " val " "
      }
      if (f["types"] !~ / deb / || f["suites"] !~ " " want " " || f["components"] !~ / main /) next
      if (tolower(f["enabled"]) ~ / no /) next
      split(f["uris"], uri, " ")
      if (uri[1] ~ /^https?:\/\//) { print uri[1]; exit }
    }' "${@:2}"
}

# sid_apt ARGS...: apt-get with a private sources list (sid only), package lists and cache in
# the scratch directory, so the machine's own apt state never sees sid.
sid_apt() {
  apt-get -q -o Dir::Etc::sourcelist="$TMP/sid/sources.list" -o Dir::Etc::sourceparts=- \
    -o Dir::State::lists="$TMP/sid/lists" -o Dir::Cache="$TMP/sid/cache" \
    -o Acquire::Languages=none "$@"
}

# Download the engine's .debs (and, best effort, compose's) from sid into $TMP/debs.
fetch_sid_debs() {
  local mirror=${CNV_DEBIAN_MIRROR:-} pkgs=("${ENGINE_PKGS[@]}")
  [[ -n $mirror ]] || mirror=$(debian_mirror)
  [[ -n $mirror ]] || die "no Debian mirror in /etc/apt/sources*; set CNV_DEBIAN_MIRROR"
  tmpdir
  mkdir -p "$TMP/sid/lists/partial" "$TMP/sid/cache/archives/partial" "$TMP/debs"
  echo "deb [signed-by=$KEYRING] $mirror sid main" >"$TMP/sid/sources.list"
  chown -R _apt "$TMP/sid" "$TMP/debs" 2>/dev/null || true # apt downloads as _apt
  quiet sid-update sid_apt update
  # Debian's docker.io 28 has no CLI (that is docker-cli); fetch it only if there is no `docker`.
  command -v docker >/dev/null || pkgs+=(docker-cli)
  (cd "$TMP/debs" && quiet sid-download sid_apt download "${pkgs[@]}")
  (cd "$TMP/debs" && sid_apt download "$COMPOSE_PKG" >"$TMP/compose-download.log" 2>&1) ||
    warn "could not download sid's $COMPOSE_PKG (optional, skipped)"
}

# Keep maintainer scripts from starting services: there is no systemd here, so docker.io's
# postinst would run /etc/init.d/docker and start (or fail to start) a daemon we don't control.
# policy-rc.d exiting 101 means "action forbidden". An existing policy that already forbids
# it is left alone; any other one is put back on exit.
block_service_start() {
  if [[ -x $POLICY_RC ]]; then
    local rc=0
    "$POLICY_RC" docker start >/dev/null 2>&1 || rc=$?
    ((rc == 101)) && return 0
    tmpdir
    mv "$POLICY_RC" "$TMP/policy-rc.d.orig"
    POLICY_RC_SAVED=1
  fi
  printf '#!/bin/sh\n# written by provision.sh while it installs the Docker engine\nexit 101\n' >"$POLICY_RC"
  chmod 755 "$POLICY_RC"
  [[ -n $POLICY_RC_SAVED ]] || POLICY_RC_SAVED=none
}

restore_policy_rc() {
  case $POLICY_RC_SAVED in
    none) rm -f "$POLICY_RC" ;;
    1) mv -f "$TMP/policy-rc.d.orig" "$POLICY_RC" ;;
  esac
  POLICY_RC_SAVED=""
}

# Debian 12's tini conflicts with tini-static (which docker.io 28 wants). Debian 12's docker.io
# depends on tini, so when that old engine is installed, removing tini needs --force-depends;
# the dependency is broken only until the dpkg -i below replaces that docker.io.
remove_tini() {
  is_installed tini || return 0
  if is_installed docker.io; then
    quiet dpkg-remove-tini dpkg --remove --force-depends tini
  else
    quiet dpkg-remove-tini dpkg --remove tini
  fi
}

install_engine() {
  local deb pkg version
  need_root "installing the Docker engine"
  # Prerequisites from Debian 12: runc (sid's needs a newer libc), plus whatever provides
  # systemd-sysusers (docker.io's postinst creates the docker group with it).
  is_installed runc || apt_install runc
  command -v systemd-sysusers >/dev/null || apt_install systemd-standalone-sysusers
  fetch_sid_debs
  version=$(dpkg-deb -f "$TMP"/debs/docker.io_*.deb Version)
  version_ge "$version" "$ENGINE_MIN" || die "sid's docker.io is $version, need $ENGINE_MIN or newer"
  remove_tini
  block_service_start
  # One dpkg run, so dpkg orders containerd and tini-static before docker.io itself.
  quiet dpkg-engine dpkg -i "$TMP"/debs/{containerd,tini-static,docker.io}_*.deb
  for deb in "$TMP"/debs/{docker-cli,"$COMPOSE_PKG"}_*.deb; do
    [[ -f $deb ]] || continue
    pkg=$(dpkg-deb -f "$deb" Package)
    if ! dpkg -i "$deb" >"$TMP/$pkg.log" 2>&1; then
      warn "$pkg did not install cleanly (skipped)"
      dpkg --remove "$pkg" >/dev/null 2>&1 || true
    fi
  done
  restore_policy_rc
}

ensure_engine() {
  local have
  have=$(dockerd_version)
  if ! version_ge "$have" "$ENGINE_MIN" || ! command -v docker >/dev/null; then
    is_debian || die "this is $(os_field PRETTY_NAME) with engine '${have:-none}': install" \
      "Docker Engine $ENGINE_MIN or newer and its CLI (Docker's docker-ce packages, or" \
      "Fedora's moby-engine), then rerun"
    if [[ -n $PLAN ]]; then
      STATUS="would download Debian sid's docker.io (installed: ${have:-none})"
      return 0
    fi
    install_engine
    have=$(dockerd_version)
    STATUS=installed
  fi
  STATUS+=" ($have, installed, nothing to download)"
}

# --- daemon ------------------------------------------------------------------------------------

server_version() {
  timeout 5 docker info --format '{{.ServerVersion}}' 2>/dev/null
}

# Start dockerd in its own session (setsid, nohup), detached from this script's terminal and
# output, so it outlives the script. With no containerd listening at
# /run/containerd/containerd.sock, dockerd starts and manages its own.
start_dockerd() {
  need_root "starting dockerd"
  printf '=== %s provision.sh starts dockerd\n' "$(date -Is)" >>"$DOCKERD_LOG"
  # dockerd must not inherit the provisioning lock, or it holds it for as long as it runs.
  DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 setsid nohup dockerd </dev/null >>"$DOCKERD_LOG" 2>&1 {lock_fd}>&- &
  DOCKERD_PID=$!
}

wait_for_dockerd() {
  local deadline=$((SECONDS + DOCKERD_WAIT))
  while ((SECONDS < deadline)); do
    server_version >/dev/null && return 0
    kill -0 "$DOCKERD_PID" 2>/dev/null || break # it exited: no point in waiting
    sleep 0.2
  done
  tail -n 30 "$DOCKERD_LOG" >&2
  die "dockerd did not answer within ${DOCKERD_WAIT}s (log: $DOCKERD_LOG)"
}

ensure_daemon() {
  local version
  command -v docker >/dev/null || die "no docker CLI on PATH"
  if ! version=$(server_version); then
    start_dockerd
    wait_for_dockerd
    version=$(server_version)
    STATUS=started
  fi
  STATUS+=" ($version)"
  version_ge "$version" "$ENGINE_MIN" ||
    warn "the running dockerd is $version; restart it to use the installed $(dockerd_version)"
}

# --- image -------------------------------------------------------------------------------------

build_busybox_image() {
  local ctx
  is_installed busybox-static || die "busybox-static is not installed"
  tmpdir
  ctx=$TMP/busybox-image
  cp -r "$IMAGE_DIR" "$ctx"
  cp /bin/busybox "$ctx/busybox"
  quiet docker-build docker build -t "$IMAGE" "$ctx"
}

verify_busybox_image() {
  local applets applet
  applets=$(docker run --rm --pull=never --network none "$IMAGE" busybox --list)
  for applet in "${APPLETS[@]}"; do
    grep -qx "$applet" <<<"$applets" || die "$IMAGE has no '$applet' applet"
  done
}

ensure_image() {
  STATUS="ok ($IMAGE)"
  if docker image inspect "$IMAGE" >/dev/null 2>&1; then return 0; fi
  if timeout 10 docker pull -q "$IMAGE" >/dev/null 2>&1; then
    STATUS="pulled ($IMAGE)"
  else
    build_busybox_image
    STATUS="built ($IMAGE from busybox-static $(dpkg-query -W -f='${Version}' busybox-static))"
  fi
  verify_busybox_image
}

# --- main --------------------------------------------------------------------------------------

main() {
  case ${1:-} in
    --plan) PLAN=1 ;;
    "") ;;
    *) die "unknown argument '$1' (usage: provision.sh [--plan])" ;;
  esac
  if [[ -n $PLAN ]]; then
    phase packages ensure_packages
    [[ -n $SKIP_ENGINE ]] || phase engine ensure_engine
    return 0
  fi
  # One provisioning at a time on this machine (apt and dockerd start are not re-entrant).
  exec {lock_fd}>"$LOCK_FILE"
  flock -w 900 "$lock_fd" || die "another provisioning held $LOCK_FILE for 900 s"
  phase packages ensure_packages
  if [[ -n $SKIP_ENGINE ]]; then
    log "engine skipped (CNV_SKIP_ENGINE)"
    return 0
  fi
  phase engine ensure_engine
  phase daemon ensure_daemon
  phase image ensure_image
}

main "$@"
