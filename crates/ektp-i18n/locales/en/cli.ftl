# cli: en messages (see ../../README.md). The command line's text for people; the English
# `--help` texts are the doc comments of the clap definitions (help-* and about-* are only in
# id/cli.ftl).
cli-error = error
cli-warning = warning
cli-bad-lang = unknown language { $value }: use id or en
cli-warn-ignored = warning: { $option } is not used by `ektp { $command }`: ignored
cli-verdict-failed = NOT VERIFIED: do not hand this card out
cli-verdict-passed = VERIFIED: every check passed
cli-verdict-passed-but = VERIFIED: every check made passed; { $skipped }
cli-not-checked-revocation = revocation not checked (no revocation list given)
cli-not-checked-fingerprint = the holder's fingerprint not checked
cli-not-checked-other = { $check }
cli-verdict-wrong-can = NOT VERIFIED: wrong CAN ({ NUMBER($free) ->
        [one] { $free } try
       *[other] { $free } tries
    } in a row before the chip slows down: then it waits { $wait } s, doubling up to { $max } s, and never locks); re-type the 6 digits printed on the card. The card itself was not checked
cli-verdict-wrong-can-plain = NOT VERIFIED: wrong CAN: re-type the 6 digits printed on the card. The card itself was not checked
cli-verdict-line = { $verdict } in { $took } ({ $stats })
cli-stats = { NUMBER($apdus) ->
        [one] { $apdus } APDU
       *[other] { $apdus } APDUs
    }, { NUMBER($sent) ->
        [one] { $sent } byte
       *[other] { $sent } bytes
    } sent, { $received } received, { $wire } waiting for the card
cli-failed-line = FAILED { $check }: { $reason }
cli-pa-detail = Passive Authentication in detail:
cli-throttle-waiting = the chip is slowing down wrong CANs (earlier wrong tries in a row): waiting up to { $max } s
cli-throttle-waited = the chip made PACE wait { $took } because of earlier wrong CANs
cli-using-reader = using reader "{ $name }"
cli-waiting-for-card = waiting up to { NUMBER($seconds) ->
        [one] { $seconds } second
       *[other] { $seconds } seconds
    } for a card in reader "{ $name }"
cli-file-written = { $what } ({ $bytes } bytes) written to { $path }
cli-what-face = card face (PNG)
cli-what-pdf = printout (PDF)
cli-read-done = read { $read } in { $took } (not verified: use `ektp verify` for that)
cli-read-done-only = read { $read } in { $took }
cli-label-fingerprints = fingerprints
cli-match-yes = MATCH
cli-match-no = NO MATCH
cli-match-line = { $verdict }: score { $score } { $cmp } threshold { $threshold } ({ $minutiae_a } minutiae in { $a }, { $minutiae_b } in { $b })
cli-err-wrong-can = wrong CAN: check the 6 digits printed on the card
cli-err-no-service = PC/SC service not running: start pcscd
cli-err-no-readers = no smart-card reader found: connect a reader
cli-err-unknown-reader = no reader named "{ $name }"
cli-err-ambiguous-reader = reader name "{ $name }" is ambiguous: give the full name
cli-err-reader-unavailable = reader "{ $reader }" is unavailable (unplugged, or its driver failed)
cli-err-no-card = no card in reader "{ $reader }"
cli-err-no-card-any = no card in any reader
cli-err-several-cards = cards in several readers: name the reader to use with --reader NAME
cli-err-card-removed = card removed during the command
cli-err-card-reset = the card was reset by another application: reconnect and start again
cli-err-unresponsive = card in reader "{ $reader }" does not respond: reinsert it (or it is not a smart card)
cli-err-sharing = reader "{ $reader }" is in exclusive use by another application
cli-err-timeout = timed out waiting for the card
cli-err-reader = the card reader failed
cli-hint-insert = insert a card (or give --wait SECONDS)
cli-hint-put-back = put the card back and run the same command again
cli-hint-close-other = close the other application using the reader
cli-hint-readers = run `ektp readers` to see the names
cli-hint-malformed = the card's answer makes no sense: reinsert the card and try again; if it persists, the card is defective or not an e-KTP
cli-io-not-found = no such file or directory
cli-io-denied = permission denied
cli-err-no-trust = no trust store: give --trust DIR (roots and CRLs) or trust_dir in --config
cli-err-trust-load = cannot load the trust store { $path }
cli-err-trust-no-root = trust store { $path } holds no root certificate: put the department root (.pem/.crt) there
cli-err-can-file = cannot read the CAN file { $path }
cli-err-config-load = cannot read config file { $path }
cli-err-config-too-large = config file { $path } is larger than 64 KiB: is it the right file?
cli-err-config-invalid = config file { $path } is not valid
cli-err-revocation-load = cannot load the revocation list { $path }
cli-err-print-unusable = { $path } is neither a usable fingerprint image nor an ISO/IEC 19794-2 record: { $detail }; give an 8-bit grayscale PNG at 500 ppi or a minutiae record
cli-err-read = cannot read { $path }
cli-err-journal-open = cannot open the journal { $path }
cli-err-write = cannot write { $path }
cli-err-kind-failed = the check failed
cli-err-kind-usage = wrong usage
cli-err-kind-card = card or reader error
cli-err-kind-config = configuration or file error
cli-err-kind-token = token (PKCS#11) error
cli-err-detail = details
clap-err-unknown-arg = unexpected argument '{ $arg }' found
clap-err-invalid-value = invalid value '{ $value }' for '{ $arg }'
clap-err-missing = the following required arguments were not provided: { $args }
clap-err-missing-value = a value is required for '{ $arg }' but none was supplied
clap-err-unknown-command = unrecognized subcommand '{ $command }'
clap-err-conflict = the argument '{ $arg }' cannot be used with '{ $other }'
clap-err-other = wrong usage
clap-more-info = For more information, try '--help'.
clap-usage = Usage:
clap-options = Options:
clap-commands = Commands:
clap-arguments = Arguments:
clap-options-placeholder = [OPTIONS]
clap-command-placeholder = <COMMAND>
clap-default = [default:
clap-possible = [possible values:
clap-possible-long = Possible values:
clap-help-more = Print help (see more with '--help')
clap-help-summary = Print help (see a summary with '-h')
clap-help-sub = Print this message or the help of the given subcommand(s)
clap-help = Print help
clap-version = Print version
cli-err-revocation-refused = refusing the revocation list { $path } (a desk never verifies against a stale, unsigned or untrusted list; fetch the current one from the department)
cli-warn-unsigned-revocations = warning: { $path } is an UNSIGNED plain-text revocation list: for TEST setups only; a desk uses the department's signed list (--revocation-list FILE)
cli-err-revocation-required = this desk requires a revocation list: give --revocation-list FILE (the department's signed list) or revocation_list in --config
cli-err-can-file-digits = the CAN file { $path } must hold the 6 digits printed on the card
cli-err-no-can = no CAN: give --can CAN, EKTP_CAN or --can-file FILE (in a terminal ektp asks for it)
cli-err-can-digits = the CAN must be the 6 digits printed on the card
cli-err-application-invalid = { $path } is not a valid application: run `ektp check` on it to see every problem
cli-readers-none = no smart-card readers found: connect a reader (for the virtual reader install vsmartcard-vpcd and restart pcscd)
cli-readers-virtual = ektp virtual chip
cli-readers-exclusive = in exclusive use
cli-readers-in-use = in use
cli-readers-present = card present  ATR { $atr }
cli-readers-empty = no card
cli-readers-mute = card does not answer (mute): reinsert it
cli-readers-unavailable = unavailable (unplugged or driver failed)
cli-err-dg-malformed = { $dg } read from the card is malformed: { $detail }
cli-err-undecodable = the card's data does not decode: { $detail }
cli-err-no-portrait = the card has no portrait (DG2 not listed in EF.COM)
cli-err-no-signature = the card has no signature image (DG7 not listed in EF.COM)
cli-err-field-absent = the card does not hold { $field } (its data group is not in EF.COM)
cli-what-photo = portrait
cli-what-signature = signature image
cli-image-written = { $what } ({ $format }, { $bytes } bytes) written to { $path }
cli-err-match = cannot score { $a } against { $b }: { $detail }
cli-err-finger-syntax = --finger { $value }: write FINGER=FILE, e.g. --finger right-index=live.png
cli-err-finger-which = --finger { $value }: the e-KTP holds right-index and left-index only
cli-err-trust-no-crl = trust store { $path } has no current CRL for root { $root }: { $detail }; until the department's current CRL is installed there no card can verify
cli-warn-not-a-root = warning: ignored { $file }: { $subject } cannot be a trusted root: { $detail }
cli-step-authenticating = opening the personalization session with the batch key
cli-step-chip-key = chip generates its Active Authentication key
cli-step-signing = signing EF.SOD with the document signer
cli-step-writing = writing { $file }
cli-step-setting-can = storing the CAN
cli-step-verifying = reading back through PACE and verifying
cli-step-locking = locking the card
cli-file-card-access = PACE parameters
cli-file-com = data group list
cli-file-sod = document security object
cli-file-dg1 = MRZ
cli-file-dg2 = portrait
cli-file-dg3 = fingerprints
cli-file-dg7 = signature image
cli-file-dg11 = personal details
cli-file-dg12 = document details
cli-file-dg13 = Indonesian details
cli-file-dg14 = security infos
cli-file-dg15 = Active Authentication public key
cli-file-dg = data group
