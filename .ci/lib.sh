# Shared set-up for .ci/test and .ci/run (sourced, not executed).
# Installs what a fresh Debian/Ubuntu machine lacks: the PC/SC stack with the vsmartcard
# virtual reader, a C toolchain, and Rust (via rustup) if there is no cargo.

# Debian packages the build and the end-to-end tests need.
#   pcscd libpcsclite-dev  PC/SC daemon and the library the `pcsc` crate links
#   vsmartcard-vpcd        the virtual reader ("Virtual PCD 00 00" on TCP 35963)
#   pkgconf                pkg-config, used by the pcsc-sys build script
#   opensc                 opensc-tool, used by tests to check formats independently; pkcs11-tool,
#                          which generates and imports the keys of ektp-pkcs11's throwaway tokens
#   openssl                openssl asn1parse / cms, used by tests as independent parsers and verifiers
#   openpace               cvc-create / cvc-print, the independent CV certificate tool in ektp-pki's tests
#   iproute2               ss, to see the vpcd listener without connecting to it
#   build-essential        the C compiler and linker Rust and `ring` need
#   ca-certificates curl   to fetch rustup when cargo is missing
#   softhsm2               the PKCS#11 software token ektp-pkcs11's tests create (and remove) per run
#   postgresql             initdb/pg_ctl for the throwaway cluster the registry tests use (.ci/pg)
#   util-linux             setpriv, to run that cluster as the unprivileged postgres user
#   poppler-utils          pdftotext, which reads ektp-face's printouts back in its tests, and
#                          pdfimages, which takes the card face image out of them
#   libopenjp2-tools       opj_decompress, OpenJPEG's decoder: the independent reference for
#                          ektp-face's JPEG 2000 portrait decode
#   chromium chromium-driver  the headless browser and its WebDriver server that drive the desk
#                          page in ektp-cli's desk_browser test (the test starts and stops
#                          chromedriver itself, on a free port)
CI_PKGS=(pcscd libpcsclite-dev vsmartcard-vpcd pkgconf opensc openssl iproute2 build-essential
         ca-certificates curl openpace softhsm2 postgresql util-linux poppler-utils chromium
         chromium-driver libopenjp2-tools)

ci_log() { echo "ci: $*" >&2; }

ci_sudo() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else ci_log "need root for: $*  (run as root or install sudo)"; return 1
  fi
}

# Sets CI_INSTALLED_VPCD=1 if vsmartcard-vpcd was installed by this run.
ci_ensure_packages() {
  local missing=() p
  CI_INSTALLED_VPCD=0
  for p in "${CI_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  ci_log "installing: ${missing[*]}"
  ci_sudo apt-get update -qq
  # --no-install-recommends: vsmartcard-vpcd recommends the broken Python vpicc.
  ci_sudo env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  for p in "${missing[@]}"; do [ "$p" = vsmartcard-vpcd ] && CI_INSTALLED_VPCD=1; done
  return 0
}

ci_ensure_rust() {
  if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    ci_log "cargo not found: installing Rust (stable) with rustup into ~/.cargo"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs \
      | sh -s -- -y --profile minimal --component rustfmt,clippy
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
  fi
  if command -v rustup >/dev/null 2>&1; then
    { cargo fmt --version && cargo clippy --version; } >/dev/null 2>&1 \
      || rustup component add rustfmt clippy
  fi
}

ci_setup() {
  ci_ensure_packages
  ci_ensure_rust
}
